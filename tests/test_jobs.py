"""--jobs N reads session plans in N processes; the zips and the diagnostics do not depend on N."""
from __future__ import annotations

import shutil
import zipfile

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


# ---- streaming: SCO pages are written into the zip piece by piece; the text is the same -------------

from builder import render  # noqa: E402
from builder.build import _json_pieces, _lazy_sco, stream_sco  # noqa: E402
from builder.package import zip_bytes_to  # noqa: E402
from builder.render import Renderer, plan_scos  # noqa: E402
from builder.scorm import runtime  # noqa: E402
from tests.conftest import ROOT, make_course  # noqa: E402


def text_of(pieces) -> str:
    return pieces if isinstance(pieces, str) else "".join(pieces)


@pytest.mark.parametrize("src", [ROOT / "course_src", FIXTURES / "valid" / "every-type"], ids=lambda p: p.name)
def test_streamed_sco_pages_equal_rendered_ones(src):
    course, _ = check(src, jobs=1)
    renderer = Renderer(course)
    for track in course.tracks:
        for layout in ("multi-sco", "single-sco"):
            for version in ("1.2", "2004-4th"):
                for sco in plan_scos(track, layout):
                    rt = runtime(version)
                    assert text_of(stream_sco(renderer, track, sco, rt)) == renderer.render_sco(track, sco, rt)


def test_a_course_template_that_uses_the_data_differently_is_rendered_whole(tmp_path):
    src = make_course(tmp_path, {"templates/sco.html.j2": "<p>{{ player_json|length }} {{ player_json|safe }}</p>\n"})
    course, _ = check(src, jobs=1)
    renderer = Renderer(course)
    track = course.tracks[0]
    [sco] = plan_scos(track, "single-sco")
    make = _lazy_sco(renderer)(track, sco, "1.2")
    assert make() == renderer.render_sco(track, sco, "1.2")
    results, _ = build_packages(src, tmp_path / "out", jobs=1, scorm=["1.2"], layout="single-sco")
    with zipfile.ZipFile(results[0].path) as zf:
        assert zf.read(sco.href).decode() == renderer.render_sco(track, sco, "1.2")


def test_json_pieces_equal_script_json():
    data = {"a": "<b>&</b>", "list": [{"k": i, "t": f"<{i}>"} for i in range(40)],
            "map": {f"q{i}": {"html": "<p>x & y</p>", "n": [i, None, True]} for i in range(30)},
            "small": {"x": 1}, "empty": {}, "none": None, "uni": "ё ☃ \u2028"}
    assert "".join(_json_pieces(data)) == render.script_json(data)
    assert "".join(_json_pieces([1, "<"])) == render.script_json([1, "<"])


def test_streamed_and_whole_entries_give_the_same_zip(tmp_path):
    page = "<p>" + "words & more " * 200_000 + "</p>"  # larger than one streaming slice
    zip_bytes_to(tmp_path / "a.zip", {"imsmanifest.xml": b"<m/>", "sco.html": page.encode()})
    zip_bytes_to(tmp_path / "b.zip", {"imsmanifest.xml": lambda: "<m/>", "sco.html": lambda: page})
    zip_bytes_to(tmp_path / "c.zip", {"imsmanifest.xml": b"<m/>", "sco.html": lambda: iter([page[:7], page[7:]])})
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes() == (tmp_path / "c.zip").read_bytes()


def test_packages_written_by_forked_processes_are_byte_identical(generated, tmp_path, monkeypatch):
    import builder.build as b

    serial, _ = build_packages(generated, tmp_path / "j1", jobs=1, scorm=["1.2", "2004-4th"], guide=True)
    monkeypatch.setattr(b, "FORK_MIN_SESSIONS", 1)  # the generated course is small: take the forked path anyway
    forked, _ = build_packages(generated, tmp_path / "j2", jobs=2, scorm=["1.2", "2004-3rd", "2004-4th"], guide=True)
    assert {k: v for k, v in zips(forked).items() if "2004-3rd" not in k} == zips(serial)
    assert [r.kind for r in forked] == ["scorm", "scorm", "scorm", "guide"]
    assert sorted(p.name for p in (tmp_path / "j2").iterdir()) == sorted(r.path.name for r in forked)  # no staging left


def test_a_template_error_in_a_forked_package_is_the_courses_error(tmp_path, monkeypatch):
    import builder.build as b

    src = generate(tmp_path / "course", 3)
    (src / "templates").mkdir()
    (src / "templates" / "sco.html.j2").write_text("{{ track.no_such_thing.deeper }}\n")
    monkeypatch.setattr(b, "FORK_MIN_SESSIONS", 1)
    with pytest.raises(CourseError) as err:
        build_packages(src, tmp_path / "out", jobs=2, scorm=["1.2", "2004-4th"])
    assert [d.code for d in err.value.report.errors] == ["template"]
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []  # nothing half written


def test_a_guide_that_fails_while_forked_packages_are_written_leaves_nothing_behind(tmp_path, monkeypatch):
    """The guide is made in the main process while forked workers write the zips: when it fails, the
    workers are stopped before their staging files are removed, so none comes back afterwards."""
    import builder.build as b

    src = generate(tmp_path / "course", 3)
    (src / "templates").mkdir()
    (src / "templates" / "guide.html.j2").write_text("{{ track.no_such_thing.deeper }}\n")
    monkeypatch.setattr(b, "FORK_MIN_SESSIONS", 1)
    with pytest.raises(CourseError) as err:
        build_packages(src, tmp_path / "out", jobs=2, scorm=["1.2", "2004-3rd", "2004-4th"], guide=True)
    assert [d.code for d in err.value.report.errors] == ["template"]
    import time
    time.sleep(1.0)  # a worker left running would create its zip again by now
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
