"""A build killed with SIGKILL leaves the previous zips intact; the next build removes the staging
files it left (exactly the builder's own naming pattern, never one a live build holds) and nothing else."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from builder.package import STAGING_RE, AtomicWriter, remove_stale_staging
from tests.conftest import ROOT, make_course, run_cli

# Run the real command line, but pause for a long time in the middle of writing the first zip, so the
# test can kill the process while its staging file is half written.
PAUSING_BUILD = """
import sys, time, zipfile
real = zipfile.ZipFile.writestr
calls = [0]
def writestr(self, *args, **kwargs):
    real(self, *args, **kwargs)
    calls[0] += 1
    if calls[0] == 2:
        self.fp.flush()
        print("STAGING", flush=True)
        time.sleep(300)
zipfile.ZipFile.writestr = writestr
from builder.cli import main
sys.exit(main(sys.argv[1:]))
"""

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def staging(out: Path) -> list[str]:
    return sorted(n for n in os.listdir(out) if STAGING_RE.match(n))


def start_paused_build(src: Path, out: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", PAUSING_BUILD, "build", str(src), "--out", str(out),
                             "--jobs", "1"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # blocks until the zip is half written (or the process ends)
    if line.strip() != "STAGING":
        proc.kill()
        raise AssertionError(f"the build did not reach the zip writer: {line!r} {proc.stderr.read()}")
    return proc


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def test_sigkill_then_a_clean_build_leaves_no_staging_file(tmp_path):
    src = make_course(tmp_path, {})
    out = tmp_path / "dist"
    first = run_cli("build", src, "--out", out)
    assert first.returncode == 0, first.stderr
    zips = {p.name: p.read_bytes() for p in out.glob("*.zip")}
    assert len(zips) == 2

    kill(start_paused_build(src, out))
    left = staging(out)  # the build really died with its (half-written) staging files on disk
    assert left
    kill(start_paused_build(src, out))
    left2 = staging(out)  # the next build removed the first ones (and died in turn)
    assert left2 and not set(left) & set(left2)
    assert {p.name: p.read_bytes() for p in out.glob("*.zip")} == zips  # the previous zips are intact

    # files that only look similar are someone else's and must survive
    foreign = [".notes.tmp", ".t-scorm12.zip.abc.tmp", "keep.tmp", ".t-scorm12.zip.abcdefgh.tmp.bak",
               "t-scorm12.zip.abcdefgh.tmp", ".t-scorm12.zip.ABCDEFGH.tmp"]
    for name in foreign:
        (out / name).write_text("not the builder's")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    (out / ".t-scorm12.zip.linkxxxx.tmp").symlink_to(outside)

    clean = run_cli("build", src, "--out", out)
    assert clean.returncode == 0, clean.stderr
    assert staging(out) == [".t-scorm12.zip.linkxxxx.tmp"]  # a link is never followed nor removed
    assert outside.read_text() == "keep me"
    for name in foreign:
        assert (out / name).read_text() == "not the builder's"
    assert sorted(p.name for p in out.glob("*.zip")) == sorted(zips)
    for p in out.glob("*.zip"):
        with zipfile.ZipFile(p) as zf:
            assert zf.testzip() is None and "imsmanifest.xml" in zf.namelist()


def test_a_staging_file_of_a_live_build_is_left_alone(tmp_path):
    src = make_course(tmp_path, {})
    out = tmp_path / "dist"
    live = start_paused_build(src, out)
    try:
        mine = staging(out)
        assert mine
        other = run_cli("build", src, "--out", out)  # a second build into the same folder meanwhile
        assert other.returncode == 0, other.stderr
        assert staging(out) == mine
        assert remove_stale_staging(out) == []
    finally:
        kill(live)
    assert sorted(remove_stale_staging(out)) == sorted(mine)
    assert staging(out) == []


def test_the_writer_cleans_up_on_failure_and_publishes_on_commit(tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / ".a.zip.deadbeef.tmp").write_bytes(b"left by a killed build")
    writer = AtomicWriter(out)
    assert writer.removed_stale == [".a.zip.deadbeef.tmp"]
    writer.stage_zip("a.zip", {"imsmanifest.xml": b"<m/>", "x.html": b"x"})
    assert len(staging(out)) == 1 and remove_stale_staging(out) == []  # locked while staged
    writer.commit()
    assert staging(out) == [] and (out / "a.zip").is_file()

    writer = AtomicWriter(out)
    with pytest.raises(RuntimeError):
        writer._stage("b.zip", lambda path: (path.write_bytes(b"half"), (_ for _ in ()).throw(RuntimeError())))
    writer.stage_zip("c.zip", {"imsmanifest.xml": b"<m/>"})
    writer.abort()
    assert staging(out) == [] and not (out / "b.zip").exists() and not (out / "c.zip").exists()


def test_an_output_folder_that_does_not_exist_yet_is_fine(tmp_path):
    assert remove_stale_staging(tmp_path / "missing") == []
    t0 = time.time()
    assert AtomicWriter(tmp_path / "missing").removed_stale == [] and time.time() - t0 < 1


# ---- defence in depth: nh3 over every rendered fragment ------------------------------------------

from builder import content  # noqa: E402
from builder.build import build_packages  # noqa: E402
from tests.conftest import FIXTURES  # noqa: E402


def built_files(src: Path, out: Path) -> dict[str, bytes]:
    results, _ = build_packages(src, out, jobs=1)
    files = {}
    for r in results:
        if r.path.suffix == ".zip":
            with zipfile.ZipFile(r.path) as zf:
                files.update({f"{r.path.name}/{n}": zf.read(n) for n in zf.namelist()})
        else:
            files[r.path.name] = r.path.read_bytes()
    return files


@pytest.mark.parametrize("src", [ROOT / "course_src", FIXTURES / "valid" / "every-type",
                                 FIXTURES / "valid" / "two-audiences"], ids=lambda p: p.name)
def test_the_sanitiser_changes_nothing_in_valid_courses(src, tmp_path, monkeypatch):
    snapshot = tmp_path / "src"  # a copy, so edits made meanwhile in the work tree cannot differ between builds
    import shutil
    shutil.copytree(src, snapshot)
    calls = []
    real = content.sanitize
    monkeypatch.setattr(content, "sanitize", lambda html, *a: calls.append(html) or real(html, *a))
    with_pass = built_files(snapshot, tmp_path / "with")
    assert calls  # the pass really ran over the course's fragments
    monkeypatch.setattr(content, "sanitize", lambda html, *a: html)
    without = built_files(snapshot, tmp_path / "without")
    assert with_pass == without


HOSTILE = [
    ('<p>hi<script>alert(1)</script></p>', "<script"),
    ('<img src="x.png" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:text/html"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ('<form action="https://evil.example"><input name=p></form>', "<form"),
    ('<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>', "animate"),
    ('<svg><foreignObject><body onload="x()"></body></foreignObject></svg>', "onload"),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "javascript:"),
    ('<object data="evil.swf"></object><embed src="evil.swf">', "evil.swf"),
    ('<div style="x"><style>@import "https://evil.example/x.css";</style></div>', "@import"),
    ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example">', "evil"),
]


@pytest.mark.parametrize("html,needle", HOSTILE)
def test_the_sanitiser_cleans_what_the_checks_might_miss(html, needle):
    cleaned = content.sanitize(html)
    assert needle.lower() not in cleaned.lower()


def test_safe_content_passes_the_sanitiser_byte_for_byte():
    for html in ['<div class="admonition note"><p class="admonition-title">Note</p><p>x</p></div>',
                 '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td colspan="2">b</td></tr></tbody></table>',
                 '<figure><img alt="A" src="assets/a.png"><figcaption>Cap</figcaption></figure>',
                 '<p id="x"><a href="https://example.org" target="_blank" rel="noopener">l</a> &amp; &lt;</p>',
                 '<svg viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#1f4e79"></circle></svg>',
                 '<div class="cp-quiz" data-quiz="s_quiz1"></div>', '<img src="data:image/png;base64,iVBO">']:
        assert content.sanitize(html) == html


def test_a_planted_bypass_of_the_checks_is_cleaned_in_the_package(tmp_path, monkeypatch):
    # simulate a hole in the located checks: let every tag, handler and URL through
    monkeypatch.setattr(content, "FORBIDDEN_TAGS", set())
    monkeypatch.setattr(content, "_resolve", lambda tag, attr, value, ctx, report: value)
    monkeypatch.setattr(content, "_unsafe", lambda *a: None)
    body = ('---\ntitle: X\nduration: 20\nobjectives: [A, B]\n---\nHello <b onclick="steal()">there</b>.\n\n'
            '<script>steal()</script>\n\n<a href="javascript:steal()">link</a> <iframe src="https://evil.example">'
            '</iframe>\n')
    src = make_course(tmp_path, {"t/01-first.md": body})
    results, report = build_packages(src, tmp_path / "out", jobs=1, scorm=["1.2"])
    with zipfile.ZipFile(results[0].path) as zf:
        page = zf.read("sco-first.html").decode()
    for needle in ("steal()", "javascript:", "evil.example"):
        assert needle not in page
    assert "there" in page and "link" in page
    assert any(d.code == "sanitised" and d.path == "t/01-first.md" for d in report.warnings)


# ---- a course's own templates may not load scripts or styles from the network ----------------------

REMOTE_TEMPLATE = """<!DOCTYPE html>
<html><head><title>{{ title }}</title>
<link rel="stylesheet" href="player/player.css">
<script
   src="https://cdn.example/analytics.js"></script>
<link rel=stylesheet href=//fonts.example/font.css>
</head><body>{{ html|safe }}<a href="https://example.org">a link is fine</a></body></html>
"""


def test_a_template_that_loads_remote_code_is_an_error_with_file_and_line(tmp_path):
    src = make_course(tmp_path, {"templates/page.html.j2": REMOTE_TEMPLATE})
    result = run_cli("check", src)
    assert result.returncode == 1, result.stderr
    assert "templates/page.html.j2:5: error: the template loads a script from the internet: " \
           "'https://cdn.example/analytics.js'" in result.stderr
    assert "templates/page.html.j2:6: error: the template loads a style sheet from the internet" in result.stderr
    assert "2 error(s)" in result.stderr and "example.org" not in result.stderr  # an <a> link is not loaded
    allowed = run_cli("check", src, "--allow-remote-templates")
    assert allowed.returncode == 0, allowed.stderr
    build = run_cli("build", src, "--out", tmp_path / "out")
    assert build.returncode == 1 and not (tmp_path / "out").exists()


def test_local_template_files_are_fine(tmp_path):
    src = make_course(tmp_path, {"templates/page.html.j2": REMOTE_TEMPLATE.replace("https://cdn.example/", "player/")
                                 .replace("//fonts.example/", "player/")})
    assert content.remote_template_refs((src / "templates" / "page.html.j2").read_text()) == []
    assert content.remote_template_refs("<style>@import url('https://x.example/a.css');</style>") == \
        [(1, "style sheet", "https://x.example/a.css")]


def test_workers_of_a_killed_build_do_not_linger(tmp_path):
    import psutil
    from benchmarks.run import generate
    src = generate(tmp_path / "c", 40)
    proc = subprocess.Popen([sys.executable, "-m", "builder", "check", str(src), "--jobs", "2"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    workers = []
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        workers = parent.children()
        time.sleep(0.02)
    if not workers:
        pytest.skip("the check finished before its workers could be seen")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=10)
    for p in alive:
        p.kill()
    assert not alive
