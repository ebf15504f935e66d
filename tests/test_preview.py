"""`coursepack preview`: the server, its rebuilds and its exit (no browser here; see
tests/e2e/test_preview.py for the simulator driven in Chromium)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from builder.build import build_packages
from builder.package import AtomicWriter
from builder.preview import Preview, _md_edit
from builder.render import Renderer

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "every-type"
SESSION = Path("demo") / "day-1" / "01-choices.md"


class PreviewProcess:
    """`coursepack preview SRC --port 0` in a subprocess; reads the URL it prints."""

    def __init__(self, src: Path, *extra: str):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "builder", "preview", str(src), "--port", "0", *extra],
                                     cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(self.proc.stdout, self.out), daemon=True),
                         threading.Thread(target=self._read, args=(self.proc.stderr, self.err), daemon=True)]
        for t in self._readers:
            t.start()
        end = time.monotonic() + 120
        self.url = None
        while time.monotonic() < end and self.url is None:
            for line in list(self.out):
                if " at http://" in line:
                    self.url = line.split(" at ", 1)[1].split(" ", 1)[0].rstrip("/")
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        assert self.url, f"the preview did not start: {self.out} {self.err}"
        self.port = int(self.url.rsplit(":", 1)[1])

    @staticmethod
    def _read(stream, sink):
        for line in stream:
            sink.append(line.rstrip("\n"))

    def get(self, path: str, headers: dict | None = None, timeout: float = 60) -> tuple[int, bytes]:
        req = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def json(self, path: str) -> dict:
        status, body = self.get(path)
        assert status == 200, (path, status, body[:300])
        return json.loads(body)

    def wait_seq(self, since: int, timeout: float = 60) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            v = self.json(f"/__version?since={since}&wait=5")
            if v["seq"] > since:
                return v
        raise AssertionError(f"no rebuild after seq {since}; stderr: {self.err[-5:]}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for t in self._readers:
            t.join(timeout=5)
        return self.proc.returncode


@pytest.fixture
def course(tmp_path) -> Path:
    dst = tmp_path / "course"
    shutil.copytree(FIXTURE, dst)
    return dst


@pytest.fixture
def running(course):
    p = PreviewProcess(course)
    yield p
    p.stop()


def _zip_of(files: dict[str, bytes], name: str, folder: Path) -> bytes:
    """The zip the build would write for these files (its own writer)."""
    writer = AtomicWriter(folder)
    path = writer.stage_zip(name, files)
    writer.commit()
    return path.read_bytes()


def _served_files(p: PreviewProcess, base: str, names: list[str]) -> dict[str, bytes]:
    out = {}
    for name in names:
        status, body = p.get(base + name)
        assert status == 200, (base + name, status)
        out[name] = body
    return out


def _wait_line(p: PreviewProcess, text: str, timeout: float = 15) -> None:
    """The terminal line comes a moment after the HTTP answer: wait for it."""
    end = time.monotonic() + timeout
    while not any(text in line for line in p.err) and time.monotonic() < end:
        time.sleep(0.05)


# ---- serving ---------------------------------------------------------------------------------

def test_preview_serves_the_simulator_and_the_packages(running):
    status, page = running.get("/")
    assert status == 200 and b"coursepack preview" in page and b"simulator.js" in page
    status, sim = running.get("/__preview/static/simulator.js")
    assert status == 200 and b"API_1484_11" in sim and b"LMSInitialize" in sim
    state = running.json("/__preview/state")
    assert state["ok"] and state["build"] == 1 and [t["id"] for t in state["tracks"]] == ["demo"]
    assert state["tracks"][0]["layouts"] == {"1.2": "multi-sco", "2004-4th": "single-sco"}
    info = running.json("/__preview/package?track=demo&version=1.2&layout=multi-sco")
    pkg = info["packages"][0]
    assert info["runtime"] == "1.2" and [s["href"] for s in pkg["scos"]] == \
        ["sco-day-1-choices.html", "sco-day-1-order.html"]
    status, sco = running.get(pkg["base"] + pkg["scos"][0]["href"])
    assert status == 200 and b'id="cp-data"' in sco
    status, manifest = running.get(pkg["base"] + "imsmanifest.xml")
    assert status == 200 and b"ADL SCORM" in manifest
    status, guide = running.get("/guide/demo")
    assert status == 200 and b"<html" in guide
    assert running.get(pkg["base"] + "nothing-here.js")[0] == 404
    assert running.get("/__preview/static/../../builder/cli.py")[0] == 404


def test_preview_listens_on_127_0_0_1_only(running):
    # another loopback address of this machine (and so any other interface) is refused
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", running.port), timeout=5).close()
    with socket.create_connection(("127.0.0.1", running.port), timeout=5):
        pass
    listening = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    mine = [f[1] for f in listening if f[3] == "0A" and int(f[1].split(":")[1], 16) == running.port]
    assert mine == [f"0100007F:{running.port:04X}"], mine
    assert not any(int(f[1].rsplit(":", 1)[1], 16) == running.port and f[3] == "0A"
                   for f in (line.split() for line in Path("/proc/net/tcp6").read_text().splitlines()[1:]))
    # a web page elsewhere cannot reach it through a name that resolves to 127.0.0.1
    status, _ = running.get("/__preview/state", headers={"Host": f"attacker.example:{running.port}"})
    assert status == 403


def test_ctrl_c_exits_0_with_a_short_message(course):
    p = PreviewProcess(course)
    assert p.json("/__preview/state")["ok"]
    assert p.stop() == 0
    assert p.out[-1] == "coursepack preview: stopped"
    assert not any("Traceback" in line for line in p.err)


def test_a_taken_port_is_a_usage_error(running, course):
    proc = subprocess.run([sys.executable, "-m", "builder", "preview", str(course), "--port", str(running.port)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{running.port}" in proc.stderr and "Traceback" not in proc.stderr


def test_missing_course_folder_is_a_usage_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "builder", "preview", str(tmp_path / "nope"), "--port", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "does not exist" in proc.stderr


# ---- rebuilds ----------------------------------------------------------------------------------

def test_an_edit_rebuilds_to_the_bytes_of_a_clean_build(running, course, tmp_path):
    combos = [("1.2", "multi-sco"), ("1.2", "single-sco"), ("2004-4th", "single-sco"), ("2004-4th", "multi-sco")]
    before = {c: running.json(f"/__preview/package?track=demo&version={c[0]}&layout={c[1]}") for c in combos}
    seq = running.json("/__preview/state")["seq"]
    f = course / SESSION
    text = f.read_text(encoding="utf-8")
    assert "Choices and facts" in text
    start = time.monotonic()
    f.write_text(text.replace("Choices and facts", "Choices, facts and one edit"), encoding="utf-8")
    v = running.wait_seq(seq)
    took = time.monotonic() - start
    assert v["ok"] and v["build"] == 2
    print(f"save -> new build announced in {took * 1000:.0f} ms")
    _wait_line(running, "build 2: OK")
    assert any("build 2: OK" in line and "re-read demo/day-1/01-choices.md)" in line for line in running.err), \
        running.err
    out = tmp_path / "clean"
    results, _ = build_packages(course, out, scorm=["1.2", "2004-4th"], guide=False)
    clean = {(r.version, r.layout): r for r in results}
    for version, layout in combos:
        if (version, layout) not in clean:
            results, _ = build_packages(course, out / layout, scorm=[version], layout=layout, guide=False)
            clean[(version, layout)] = results[0]
        r = clean[(version, layout)]
        info = running.json(f"/__preview/package?track=demo&version={version}&layout={layout}")
        assert info["build"] == 2
        pkg = info["packages"][0]
        with zipfile.ZipFile(r.path) as zf:
            names = zf.namelist()
            served = _served_files(running, pkg["base"], names)
            assert all(served[n] == zf.read(n) for n in names)
        assert pkg["files"] == len(names)  # and nothing more
        assert _zip_of(served, r.path.name, tmp_path / f"re-{version}-{layout}") == r.path.read_bytes()
        if layout == "multi-sco":  # the edited session's SCO changed, the other did not
            old = before[(version, layout)]["packages"][0]
            assert [s["title"] for s in pkg["scos"]][0] == "Choices, facts and one edit"
            assert [s["title"] for s in old["scos"]][0] == "Choices and facts"


def test_a_broken_save_keeps_the_last_good_build_and_says_why(running, course):
    base = "/__preview/package?track=demo&version=1.2&layout=multi-sco"
    pkg = running.json(base)["packages"][0]
    good_page = running.get(pkg["base"] + pkg["scos"][0]["href"])[1]
    seq = running.json("/__preview/state")["seq"]
    f = course / SESSION
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("duration:", "duraton:", 1), encoding="utf-8")
    v = running.wait_seq(seq)
    assert not v["ok"] and v["build"] == 1
    state = running.json("/__preview/state")
    assert not state["ok"] and state["build"] == 1
    errors = [d for d in state["diagnostics"] if d["severity"] == "error"]
    assert errors and all(d["path"] == "demo/day-1/01-choices.md" for d in errors)
    assert any("duraton" in d["text"] for d in errors)
    assert running.get(pkg["base"] + pkg["scos"][0]["href"])[1] == good_page  # still served
    _wait_line(running, "still serving build 1")
    assert any("demo/day-1/01-choices.md" in line and "error" in line for line in running.err), running.err
    assert any("still serving build 1" in line for line in running.err)
    f.write_text(text, encoding="utf-8")
    v = running.wait_seq(v["seq"])
    assert v["ok"] and v["build"] == 2
    assert running.get(pkg["base"] + pkg["scos"][0]["href"])[1] == good_page


# ---- in process: what a rebuild re-reads ----------------------------------

def test_only_an_edited_markdown_file_is_read_again(course, monkeypatch):
    rendered: list[str] = []
    original = Renderer.render_sco

    def counting(self, track, sco, scorm):
        rendered.append(f"{sco.href} {scorm}")
        return original(self, track, sco, scorm)

    monkeypatch.setattr(Renderer, "render_sco", counting)
    logs: list[str] = []
    pv = Preview(course, log=logs.append)
    assert pv.rebuild(None)
    assert "read the whole course" in logs[-1]
    pv.package("demo", "1.2", "multi-sco")
    pv.package("demo", "2004-4th", "single-sco")
    assert sorted(rendered) == ["index.html 2004", "sco-day-1-choices.html 1.2", "sco-day-1-order.html 1.2"]
    rendered.clear()
    f = course / SESSION
    f.write_text(f.read_text(encoding="utf-8").replace("Choices and facts", "Choices and more facts"),
                 encoding="utf-8")
    assert pv.rebuild({("modified", str(f))})
    assert logs[-1].startswith("build 2: OK") and "re-read demo/day-1/01-choices.md)" in logs[-1]
    # the packages the page showed were rendered again as part of the rebuild, and only the SCO
    # pages that hold the edited session: not sco-day-1-order.html
    assert sorted(rendered) == ["index.html 2004", "sco-day-1-choices.html 1.2"]
    assert b"Choices and more facts" in pv.package("demo", "1.2", "multi-sco")[1]["sco-day-1-choices.html"]
    yml = course / "demo" / "track.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert pv.rebuild({("modified", str(yml))})
    assert "read the whole course" in logs[-1]
    assert _md_edit(("modified", "/x/a.md")) and not _md_edit(("added", "/x/a.md"))
    assert not _md_edit(("modified", "/x/track.yml"))


def test_after_edits_to_the_shipped_course_the_preview_serves_a_clean_builds_bytes(tmp_path):
    # how long a rebuild takes is measured by `make bench`, not asserted here
    src = tmp_path / "course_src"
    shutil.copytree(ROOT / "course_src", src)
    pv = Preview(src)
    assert pv.rebuild(None), "the shipped course does not build"
    tracks = pv.good.course.tracks
    # a track split into one package per module, when the course has one
    track = next((t for t in tracks if getattr(t, "split", "track") == "module"), tracks[0])
    for version in track.scorm:  # what the page shows is rendered as part of the rebuild
        layout = "multi-sco" if version == "1.2" else "single-sco"
        for unit in pv.good.units(track.id, layout):
            pv.package(unit.id, version, layout)
    f = Path(pv.good.course.root) / track.sessions[0].source_path
    text = f.read_text(encoding="utf-8")
    times = []
    for i in range(3):
        f.write_text(text + f"\nOne more line ({i}).\n", encoding="utf-8")
        assert pv.rebuild({("modified", str(f))})
        times.append(pv.last_ms)
    print(f"shipped course, one session edited: rebuild {', '.join(f'{t:.0f}' for t in times)} ms")
    # what the preview serves after the edits is what a clean build of the edited course writes
    results, _ = build_packages(src, tmp_path / "clean", tracks=[track.id], guide=False)
    assert results
    if Renderer(pv.good.course).player_files() != pv.good.player:
        # coursepack's own player templates were edited while this test ran (a developer at work):
        # the preview reads them again, as its watcher makes it do, before the comparison
        assert pv.rebuild({("modified", str(ROOT / "templates" / "player"))})
    for r in results:
        _, files = pv.package(r.track, r.version, r.layout)
        with zipfile.ZipFile(r.path) as zf:
            assert sorted(zf.namelist()) == sorted(files)
            assert [n for n in zf.namelist() if zf.read(n) != files[n]] == [], r.path.name


def test_the_simulator_is_not_shipped_in_packages(course):
    from builder.build import check

    c, _ = check(course)
    files = Renderer(c).player_files()
    assert files and not any("preview" in k or "simulator" in k for k in files)


def test_help_names_preview():
    proc = subprocess.run([sys.executable, "-m", "builder", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert "coursepack preview [SRC] [--port N] [--open]" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "builder", "preview", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and "--port N" in proc.stdout and "127.0.0.1" in proc.stdout




def test_a_course_broken_from_the_start_is_reported_then_served_once_fixed(course):
    f = course / SESSION
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("duration:", "duraton:", 1), encoding="utf-8")
    p = PreviewProcess(course)
    try:
        state = p.json("/__preview/state")
        assert not state["ok"] and state["build"] == 0 and state["tracks"] == []
        assert any(d["path"] == "demo/day-1/01-choices.md" for d in state["diagnostics"])
        assert p.get("/__preview/package?track=demo&version=1.2&layout=multi-sco")[0] == 503
        assert p.get("/")[0] == 200  # the page is there to show the problems
        f.write_text(text, encoding="utf-8")
        v = p.wait_seq(state["seq"])
        assert v["ok"] and v["build"] == 1
        assert p.json("/__preview/state")["tracks"][0]["id"] == "demo"
    finally:
        assert p.stop() == 0


def test_a_save_by_rename_counts_as_an_edit(course):
    """Editors that write a temporary file and rename it over the plan (vim, JetBrains) still
    rebuild only that plan; a temporary file that came and went changes nothing."""
    logs: list[str] = []
    pv = Preview(course, log=logs.append)
    assert pv.rebuild(None)
    f = course / SESSION
    tmp = f.parent / "4913"
    tmp.write_text("", encoding="utf-8")
    tmp.unlink()
    side = f.with_name(".01-choices.md.swx")
    side.write_text(f.read_text(encoding="utf-8").replace("Choices and facts", "Renamed into place"),
                    encoding="utf-8")
    os.replace(side, f)
    changes = {("added", str(tmp)), ("deleted", str(tmp)), ("added", str(side)), ("deleted", str(side)),
               ("deleted", str(f)), ("added", str(f))}
    env = pv.env
    assert pv.rebuild(changes)
    assert pv.env == env
    assert logs[-1].startswith("build 2: OK") and "re-read demo/day-1/01-choices.md)" in logs[-1], logs[-1]
    assert b"Renamed into place" in pv.package("demo", "1.2", "multi-sco")[1]["sco-day-1-choices.html"]
    # a new plan is not an edit: everything is read again
    new = f.with_name("03-new.md")
    shutil.copyfile(f, new)
    new.write_text(new.read_text(encoding="utf-8").replace("Renamed into place", "A third session"),
                   encoding="utf-8")
    env = pv.env
    pv.rebuild({("added", str(new))})
    assert pv.env == env + 1  # the caches were dropped
