"""--jobs N reads session plans in N processes; the zips and the diagnostics do not depend on N."""
from __future__ import annotations

import shutil

import pytest

from benchmarks.run import generate
from builder.build import build_packages, check
from builder.diagnostics import CourseError
from builder.parallel import MIN_PARALLEL, default_jobs
from tests.conftest import FIXTURES, run_cli


def zips(results) -> dict[str, bytes]:
    return {r.path.name: r.path.read_bytes() for r in results}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = generate(tmp_path_factory.mktemp("gen") / "course", 3 * MIN_PARALLEL + 5, per_module=7)
    # a warning in the middle of the course, so the order of diagnostics is compared too
    middle = root / "t" / "m002" / "04-s10.md"
    middle.write_text(middle.read_text().replace("duration: 60", "duration: 61"))
    return root


def test_parallel_build_is_byte_identical_to_serial(generated, tmp_path):
    serial, report1 = build_packages(generated, tmp_path / "j1", jobs=1, scorm=["1.2", "2004-4th"])
    parallel, report2 = build_packages(generated, tmp_path / "j2", jobs=2, scorm=["1.2", "2004-4th"])
    three, _ = build_packages(generated, tmp_path / "j3", jobs=3, scorm=["1.2", "2004-4th"])
    assert len(serial) == 2
    assert zips(serial) == zips(parallel) == zips(three)
    assert report1.items == report2.items and any(d.code == "duration-mismatch" for d in report1.items)


def test_the_fixture_course_is_the_same_with_any_number_of_jobs(tmp_path):
    src = FIXTURES / "valid" / "every-type"
    serial, _ = build_packages(src, tmp_path / "j1", jobs=1, scorm=["1.2"])
    parallel, _ = build_packages(src, tmp_path / "j2", jobs=2, scorm=["1.2"])
    assert zips(serial) == zips(parallel)


def test_errors_are_the_same_and_in_the_same_order(generated, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(generated, bad)
    for i, name in enumerate(sorted((bad / "t" / "m001").iterdir())[:3]):
        name.write_text(name.read_text().replace("duration: 60", f"duraton: {i}"))
    (bad / "t" / "m003" / "01-s14.md").write_bytes(b"---\ntitle: \xff\n---\n")  # not UTF-8
    reports = []
    for jobs in (1, 2):
        with pytest.raises(CourseError) as exc:
            check(bad, jobs=jobs)
        reports.append(exc.value.report.items)
    assert reports[0] == reports[1]
    assert [d.code for d in reports[0]].count("unknown-key") == 3
    assert any(d.code == "encoding" and d.path == "t/m003/01-s14.md" for d in reports[0])


def test_the_command_line_takes_jobs(generated, tmp_path):
    ok = run_cli("build", generated, "--out", tmp_path / "out", "--jobs", "2")
    assert ok.returncode == 0, ok.stderr
    for bad in ("0", "-1", "two"):
        r = run_cli("check", generated, "--jobs", bad)
        assert r.returncode == 2 and "--jobs" in r.stderr and "Traceback" not in r.stderr
    assert default_jobs() >= 1
