"""`coursepack verify`: accepts every package coursepack builds, rejects broken ones in words an admin follows."""
import json
import re
import zipfile

import jsonschema
import pytest

from builder.build import build_packages
from builder.diagnostics import Report
from builder.verify import verify_zip

from .conftest import FIXTURES, ROOT, run_cli

EVERY = FIXTURES / "valid" / "every-type"
SCHEMA = json.loads((ROOT / "docs" / "diagnostics.schema.json").read_text(encoding="utf-8"))
VARIANTS = [(v, layout) for v in ("1.2", "2004-3rd", "2004-4th") for layout in ("multi-sco", "single-sco")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    paths = []
    for version, layout in VARIANTS:
        results, _ = build_packages(EVERY, out / f"{version}-{layout}", scorm=[version], layout=layout, guide=False)
        paths += [r.path for r in results]
    return paths


def _verify(path, schemas=None):
    report = Report()
    info = verify_zip(path, report, schemas=schemas)
    return info, report


def _codes(report):
    return sorted({d.code for d in report.items if d.severity == "error"})


def test_every_built_version_and_layout_passes(built):
    assert len(built) == 6
    for path in built:
        info, report = _verify(path)
        assert info["ok"] and not report.items, (path, [d.message for d in report.items])
        assert info["scos"] >= 1 and info["files"] >= 3


def test_every_built_package_matches_the_official_xsds(built, shared_xsd):
    for path in built:
        info, report = _verify(path, schemas=shared_xsd)
        assert info["ok"], (path, [d.message for d in report.items])


def test_a_broken_manifest_fails_the_xsds(built, shared_xsd, tmp_path):
    bad = _rewrite(built[0], tmp_path / "bad.zip",
                   manifest=lambda m: m.replace(b"<organizations", b"<surprise/><organizations", 1))
    info, report = _verify(bad, schemas=shared_xsd)
    assert not info["ok"] and "manifest-schema" in _codes(report)
    info, report = _verify(bad)  # without --schemas the structure is still fine
    assert info["ok"]


def _rewrite(src, dest, manifest=None, rename=None, drop=(), add=None, prefix=""):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for item in zin.infolist():
            if item.filename in drop:
                continue
            data = zin.read(item.filename)
            name = item.filename
            if name == "imsmanifest.xml" and manifest:
                data = manifest(data)
            if rename and name in rename:
                name = rename[name]
            zout.writestr(prefix + name, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dest


def _some_page(zip_path):
    with zipfile.ZipFile(zip_path) as z:
        return next(n for n in z.namelist() if n.endswith(".html"))


@pytest.mark.parametrize("case, code", [
    ("no-manifest", "no-manifest"),
    ("wrapper-folder", "manifest-not-at-root"),
    ("missing-file", "missing-file"),
    ("duplicate-id", "manifest-id"),
    ("invalid-id", "manifest-id"),
    ("colon-in-name", "lms-file-name"),
    ("broken-xml", "manifest-xml"),
    ("wrong-default", "no-organization"),
    ("not-a-zip", "not-a-zip"),
    ("unsafe-path", "zip-unsafe-path"),
])
def test_broken_packages_are_rejected(built, tmp_path, case, code):
    good = built[0]  # SCORM 1.2 multi-sco
    page = _some_page(good)
    dest = tmp_path / f"{case}.zip"
    if case == "no-manifest":
        _rewrite(good, dest, drop={"imsmanifest.xml"})
    elif case == "wrapper-folder":
        _rewrite(good, dest, prefix="my-course/")
    elif case == "missing-file":
        _rewrite(good, dest, drop={page})
    elif case == "duplicate-id":
        _rewrite(good, dest, manifest=lambda m: m.replace(b'<organization identifier="', b'<organization identifier="'
                                                          + _first_resource_id(m) + b'" x="', 1))
    elif case == "invalid-id":
        _rewrite(good, dest, manifest=lambda m: m.replace(b' identifier="coursepack-', b' identifier="1 coursepack-', 1))
    elif case == "colon-in-name":
        _rewrite(good, dest, add={"assets/notes:day1.pdf": b"%PDF"})
    elif case == "broken-xml":
        _rewrite(good, dest, manifest=lambda m: m.replace(b"</organizations>", b"</organisations>", 1))
    elif case == "wrong-default":
        _rewrite(good, dest, manifest=lambda m: m.replace(b'default="', b'default="x', 1))
    elif case == "not-a-zip":
        dest.write_bytes(b"<html>download failed</html>")
    elif case == "unsafe-path":
        _rewrite(good, dest, add={"../evil.html": b"x"})
    info, report = _verify(dest)
    assert not info["ok"]
    assert code in _codes(report), [d.message for d in report.items]
    for d in report.items:
        assert d.path == str(dest)


def _first_resource_id(manifest: bytes) -> bytes:
    start = manifest.index(b"<resource ")
    i = manifest.index(b'identifier="', start) + len(b'identifier="')
    return manifest[i: manifest.index(b'"', i)]


def test_missing_file_names_the_file_and_the_resource(built, tmp_path):
    page = _some_page(built[0])
    bad = _rewrite(built[0], tmp_path / "bad.zip", drop={page})
    _, report = _verify(bad)
    msgs = [d.message for d in report.items if d.code == "missing-file"]
    assert msgs and all(page in m for m in msgs)
    assert all(d.field == "imsmanifest.xml" and d.line for d in report.items if d.code == "missing-file")


def test_mac_junk_is_a_warning_only(built, tmp_path):
    bad = _rewrite(built[0], tmp_path / "mac.zip", add={"__MACOSX/._index.html": b"x", ".DS_Store": b"x"})
    info, report = _verify(bad)
    assert info["ok"] and [d.code for d in report.items] == ["junk-files"]


def test_cli_text_and_json(built, tmp_path):
    bad = _rewrite(built[0], tmp_path / "wrapped.zip", prefix="course/")
    result = run_cli("verify", built[1], bad)
    assert result.returncode == 1
    assert f"{built[1]}: OK — SCORM 1.2" in result.stdout
    assert "imsmanifest.xml is inside the folder 'course/'" in result.stderr
    assert "zip the contents of 'course'" in result.stderr
    assert "NOT READY" in result.stderr
    result = run_cli("verify", *built[:2], "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert [p["ok"] for p in data["packages"]] == [True, True]
    result = run_cli("verify", bad, "--format", "json")
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert result.returncode == 1 and data["packages"][0]["ok"] is False
    assert data["diagnostics"][0]["code"] == "manifest-not-at-root"


def test_cli_github_annotations_name_the_zip(built, tmp_path):
    bad = _rewrite(built[0], tmp_path / "b.zip", add={"a|b.html": b"x"})
    result = run_cli("verify", bad, "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    assert "::error file=b.zip," in result.stdout and "title=coursepack lms-file-name::" in result.stdout


def test_missing_schema_folder_is_reported(built, tmp_path):
    info, report = _verify(built[0], schemas=tmp_path)
    assert not info["ok"] and _codes(report) == ["schema-files"]


def test_packages_that_ship_the_xsds_pass(tmp_path, shared_xsd):
    for version in ("1.2", "2004-4th"):
        results, _ = build_packages(EVERY, tmp_path / version, scorm=[version], schemas=shared_xsd, guide=False)
        with zipfile.ZipFile(results[0].path) as z:
            assert any(n.endswith(".xsd") for n in z.namelist())
        info, report = _verify(results[0].path, schemas=shared_xsd)
        assert info["ok"] and not report.items, [d.message for d in report.items]


def test_packages_from_another_tool(shared_xsd):
    """simple-scorm-packager's zips (kept in ../shared): sound for an LMS, but not valid against the XSDs
    (<metadata> inside <resources>), exactly as the independent validator reports them."""
    from .conftest import SHARED, require_shared

    third = SHARED / "tools" / "scorm-oracles" / "fixtures" / "third_party"
    require_shared(third)
    zips = sorted(third.glob("simple-scorm-packager-*.zip"))
    assert len(zips) == 3
    for z in zips:
        info, report = _verify(z)
        assert info["ok"] and info["scos"] == 1, [d.message for d in report.items]
        info, report = _verify(z, schemas=shared_xsd)
        assert not info["ok"] and _codes(report) == ["manifest-schema"]
        assert all("metadata" in d.message for d in report.items)


def test_the_shipped_course_passes(tmp_path):
    results, _ = build_packages(ROOT / "course_src", tmp_path, guide=False)
    assert len(results) >= 6
    for r in results:
        info, report = _verify(r.path)
        assert info["ok"] and not report.items, (r.path.name, [d.message for d in report.items])
        assert info["scos"] == r.scos


def test_metadata_location_must_be_in_the_zip(built, tmp_path):
    meta = b"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>" \
           b"<adlcp:location>meta/course.xml</adlcp:location></metadata>"
    bad = _rewrite(built[0], tmp_path / "meta.zip",
                   manifest=lambda m: re.sub(rb"<metadata>.*?</metadata>", meta, m, count=1, flags=re.S))
    info, report = _verify(bad)
    assert not info["ok"] and any("meta/course.xml" in d.message for d in report.items if d.code == "missing-file")
    good = _rewrite(bad, tmp_path / "meta-ok.zip", add={"meta/course.xml": b"<lom/>"})
    assert _verify(good)[0]["ok"]
