"""A build killed with SIGKILL leaves the previous zips intact; the next build removes the staging
files it left (exactly the builder's own naming pattern, never one a live build holds) and nothing else."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
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
    [left] = staging(out)  # the build really died with its half-written staging file on disk
    kill(start_paused_build(src, out))
    [left2] = staging(out)  # the next build removed the first one (and died in turn)
    assert left2 != left
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
    assert {p.name: p.read_bytes() for p in out.glob("*.zip")} == zips  # same sources, same bytes


def test_a_staging_file_of_a_live_build_is_left_alone(tmp_path):
    src = make_course(tmp_path, {})
    out = tmp_path / "dist"
    live = start_paused_build(src, out)
    try:
        [mine] = staging(out)
        other = run_cli("build", src, "--out", out)  # a second build into the same folder meanwhile
        assert other.returncode == 0, other.stderr
        assert staging(out) == [mine]
        assert remove_stale_staging(out) == []
    finally:
        kill(live)
    assert remove_stale_staging(out) == [mine]
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
