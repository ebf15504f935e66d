"""Building packages: valid manifests, both layouts, every version, reproducible, atomic."""
import hashlib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.build import build_packages
from builder.diagnostics import CourseError

from .conftest import FIXTURES, XSD, assert_valid, make_course, run_cli

EVERY = FIXTURES / "valid" / "every-type"
VERSIONS = ["1.2", "2004-3rd", "2004-4th"]


def names(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as zf:
        return zf.namelist()


def manifest(zip_path: Path) -> etree._Element:
    with zipfile.ZipFile(zip_path) as zf:
        return etree.fromstring(zf.read("imsmanifest.xml"))


@pytest.mark.parametrize("layout", ["multi-sco", "single-sco"])
def test_every_version_and_layout_passes_the_shared_validator(tmp_path, validator, layout):
    results, _ = build_packages(EVERY, tmp_path, scorm=VERSIONS, layout=layout)
    assert [r.path.name for r in results] == ["demo-scorm12.zip", "demo-scorm2004-3rd.zip", "demo-scorm2004-4th.zip"]
    for r in results:
        report = assert_valid(validator, r.path)
        assert report["counts"]["scos"] == (2 if layout == "multi-sco" else 1)
        files = names(r.path)
        assert files[0] == "imsmanifest.xml"
        assert not any(n.startswith(("__MACOSX", "/")) or n.endswith("/") for n in files)
        # every file in the zip is listed in the manifest, and every listed file exists
        listed = {f.get("href") for f in manifest(r.path).iter("{*}file")}
        assert listed == set(files) - {"imsmanifest.xml"}


def test_default_layouts_follow_moodle(tmp_path):
    results, report = build_packages(EVERY, tmp_path)
    by_version = {r.version: r for r in results}
    assert set(by_version) == {"1.2", "2004-4th"}  # the default versions
    assert by_version["1.2"].layout == "multi-sco" and by_version["1.2"].scos == 2
    assert by_version["2004-4th"].layout == "single-sco" and by_version["2004-4th"].scos == 1
    assert not [d for d in report.items if d.code == "moodle-2004-multi-sco"]


def test_2004_multi_sco_is_allowed_with_a_warning(tmp_path):
    results, report = build_packages(EVERY, tmp_path, scorm=["2004-4th"], layout="multi-sco")
    assert results[0].scos == 2
    warning = [d for d in report.items if d.code == "moodle-2004-multi-sco"]
    assert warning and "Moodle" in warning[0].message


def test_mastery_score_is_declared_for_each_version(tmp_path):
    results, _ = build_packages(EVERY, tmp_path, scorm=VERSIONS)
    m12 = manifest(results[0].path)
    assert [e.text for e in m12.iter("{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore")] == ["80", "80"]
    for r in results[1:]:
        measures = [e.text for e in manifest(r.path).iter("{http://www.imsglobal.org/xsd/imsss}minNormalizedMeasure")]
        assert measures == ["0.8"]
        prim = next(manifest(r.path).iter("{http://www.imsglobal.org/xsd/imsss}primaryObjective"))
        assert prim.get("satisfiedByMeasure") == "true"


def test_schema_versions_are_exact(tmp_path):
    results, _ = build_packages(EVERY, tmp_path, scorm=VERSIONS)
    got = [next(manifest(r.path).iter("{*}schemaversion")).text for r in results]
    assert got == ["1.2", "2004 3rd Edition", "2004 4th Edition"]


def test_titles_with_ampersand_are_escaped(tmp_path):
    results, _ = build_packages(EVERY, tmp_path, scorm=["1.2"])
    title = next(manifest(results[0].path).iter("{*}title")).text
    assert title == "Demo track: questions & reflections"


def test_build_is_byte_reproducible(tmp_path):
    a, _ = build_packages(EVERY, tmp_path / "a", scorm=VERSIONS)
    b, _ = build_packages(EVERY, tmp_path / "b", scorm=VERSIONS)
    for x, y in zip(a, b):
        assert x.path.read_bytes() == y.path.read_bytes(), x.path.name


def test_source_date_epoch_sets_every_timestamp(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    results, _ = build_packages(EVERY, tmp_path, scorm=["1.2"])
    with zipfile.ZipFile(results[0].path) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_a_failed_build_leaves_previous_zips_untouched(tmp_path):
    course = make_course(tmp_path, {})
    out = tmp_path / "dist"
    first = run_cli("build", course, "--out", out)
    assert first.returncode == 0, first.stderr
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    assert set(before) == {"t-scorm12.zip", "t-scorm2004-4th.zip", "t-facilitator-guide.html"}
    (course / "t" / "01-first.md").write_text("---\ntitle: Broken\n---\n")
    second = run_cli("build", course, "--out", out)
    assert second.returncode == 1
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    assert after == before  # no temporary files left, nothing replaced


def test_schema_files_option_ships_the_administrators_xsds(tmp_path, validator):
    for version, folder in [("1.2", "scorm12"), ("2004-3rd", "scorm2004_3rd"), ("2004-4th", "scorm2004_4th")]:
        results, _ = build_packages(EVERY, tmp_path / folder, scorm=[version], schemas=XSD / folder)
        report = assert_valid(validator, results[0].path)
        codes = {i["code"] for i in report["warnings"] + report["info"]}
        assert "SCHEMALOCATION_ABSENT" not in codes and "SCHEMA_FILE_MISSING" not in codes
        assert "SCHEMA_FILE_MODIFIED" not in codes
        root = manifest(results[0].path)
        assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")


def test_default_build_names_no_schema_files(tmp_path):
    results, _ = build_packages(EVERY, tmp_path, scorm=VERSIONS)
    for r in results:
        assert not [n for n in names(r.path) if n.endswith((".xsd", ".dtd"))]
        assert manifest(r.path).get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") is None


def test_assets_and_handouts_travel_with_ascii_names(tmp_path):
    results, _ = build_packages(EVERY, tmp_path, scorm=["1.2"])
    files = names(results[0].path)
    assert "assets/assets/boxes.svg" in files
    assert "page-demo-handouts-checklist.html" in files and "page-demo-about.html" in files
    assert all(n.isascii() and " " not in n for n in files)
    with zipfile.ZipFile(results[0].path) as zf:
        page = zf.read("sco-day-1-choices.html").decode()
        handout = zf.read("page-demo-handouts-checklist.html").decode()
    assert 'src="assets/assets/boxes.svg"' in page
    assert 'href="page-demo-handouts-checklist.html"' in page
    assert 'src="assets/assets/boxes.svg"' in handout  # the handout's own image was resolved too


def test_strict_turns_warnings_into_errors(tmp_path):
    course = make_course(tmp_path, {"t/01-first.md": """\
        ---
        title: First
        duration: 25
        objectives: [Say hello, Say goodbye]
        ---
        ## Activity 1: Talk (20 min)
        """})
    ok = run_cli("check", course)
    assert ok.returncode == 0
    assert "the activities add up to 20 min but `duration` is 25 min" in ok.stderr
    strict = run_cli("check", course, "--strict")
    assert strict.returncode == 1
    assert "t/01-first.md:3: warning: the activities add up to 20 min" in strict.stderr


def test_course_errors_raise_with_every_problem(tmp_path):
    course = make_course(tmp_path, {"t/02-second.md": "no front matter\n", "t/03-third.md": "---\ntitle: x\n"})
    with pytest.raises(CourseError) as exc:
        build_packages(course, tmp_path / "out")
    codes = sorted(d.code for d in exc.value.report.errors)
    assert codes == ["no-front-matter", "no-front-matter"]


def test_a_course_can_override_templates_and_player_files(tmp_path):
    course = make_course(tmp_path, {
        "templates/page.html.j2": "<!DOCTYPE html><title>{{ title }}</title><main class=mine>{{ html|safe }}</main>\n",
        "templates/player/player.css": "body { color: #111; } /* course theme */\n",
        "t/about.md": "# About us\n\nHello & welcome.\n",
    })
    results, _ = build_packages(course, tmp_path / "out", scorm=["1.2"])
    with zipfile.ZipFile(results[0].path) as zf:
        about = zf.read("page-t-about.html").decode()
        css = zf.read("player/player.css").decode()
        js = zf.read("player/player.js")
    assert about.startswith("<!DOCTYPE html><title>About us</title><main class=mine>")
    assert "Hello &amp; welcome." in about
    assert css == "body{color:#111}\n"  # the course's own file, minified like the defaults
    assert b"cp-data" in js  # files the course does not override still come from the defaults


def test_ids_that_look_like_internal_names_still_give_valid_manifests(tmp_path, validator):
    course = make_course(tmp_path, {"t/track.yml": "id: common\ntitle: " + "Long title " * 40 + "\n",
                                    "t/01-first.md": None,
                                    "t/01-common.md": "---\ntitle: " + "T" * 700 + "\nduration: 5\nobjectives: [A, B]\n"
                                                      "id: common\n---\n## Activity 1: Go (5 min)\n"})
    results, _ = build_packages(course, tmp_path / "out", scorm=VERSIONS)
    for r in results:
        assert_valid(validator, r.path)


def test_pages_whose_names_differ_only_in_punctuation_stay_apart(tmp_path):
    course = make_course(tmp_path, {"t/handouts/a-b.md": "# Dash\n", "t/handouts/a_b.md": "# Underscore\n",
                                    "t/02-links.md": "---\ntitle: L\nduration: 5\nobjectives: [A, B]\n---\n"
                                                     "[d](handouts/a-b.md) [u](handouts/a_b.md)\n"})
    results, _ = build_packages(course, tmp_path / "out", scorm=["1.2"])
    with zipfile.ZipFile(results[0].path) as zf:
        pages = {n: zf.read(n).decode() for n in zf.namelist() if n.startswith("page-")}
        sco = zf.read("sco-links.html").decode()
    assert len(pages) == 2
    dash = next(n for n, text in pages.items() if "Dash" in text)
    underscore = next(n for n, text in pages.items() if "Underscore" in text)
    assert dash != underscore
    assert f'href="{dash}"' in sco and f'href="{underscore}"' in sco  # each link opens its own page


def test_a_question_and_a_reflection_cannot_share_an_id(tmp_path):
    course = make_course(tmp_path, {"t/02-same.md": "---\ntitle: S\nduration: 5\nobjectives: [A, B]\n---\n"
                                    "```quiz\nquestions:\n  - {id: same, type: true-false, prompt: P, answer: true}\n```\n\n"
                                    "```reflection\nid: same\nprompt: Why?\n```\n"})
    result = run_cli("check", course)
    assert result.returncode == 1
    assert "t/02-same.md:12: error: the id 'same' is used by two blocks in this session (first on line 8)" in result.stderr


def test_strict_build_fails_on_build_time_warnings(tmp_path):
    result = run_cli("build", EVERY, "--out", tmp_path, "--scorm", "2004-4th", "--layout", "multi-sco", "--strict")
    assert result.returncode == 1
    assert "Moodle 4.3 records only the first SCO" in result.stderr
    assert not list(tmp_path.iterdir())


def test_an_unwritable_output_is_a_clear_error_and_nothing_is_half_replaced(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", EVERY, "--out", out).returncode == 0
    before = (out / "demo-scorm12.zip").read_bytes()
    (out / "demo-scorm2004-4th.zip").unlink()
    (out / "demo-scorm2004-4th.zip").mkdir()  # a folder where a zip must go
    result = run_cli("build", EVERY, "--out", out, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 2
    assert "cannot write the packages" in result.stderr and "Traceback" not in result.stderr
    assert (out / "demo-scorm12.zip").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["demo-facilitator-guide.html", "demo-scorm12.zip",
                                                     "demo-scorm2004-4th.zip"]
    bad = run_cli("build", EVERY, "--out", "/proc/coursepack-test")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_source_date_epoch_beyond_what_a_zip_can_hold_is_clamped(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999")
    results, _ = build_packages(EVERY, tmp_path, scorm=["1.2"])
    with zipfile.ZipFile(results[0].path) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2107, 12, 31, 23, 59, 58)}
