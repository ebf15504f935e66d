"""`coursepack new`: starting files that pass `check --strict` at once, and never overwrite anything."""
import json

import jsonschema

from .conftest import ROOT, run_cli

SCHEMA = json.loads((ROOT / "docs" / "diagnostics.schema.json").read_text(encoding="utf-8"))


def test_new_course_passes_check_strict_and_builds(tmp_path):
    result = run_cli("new", "course", "my_course", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "created my_course/course.yml" in result.stdout
    session = (tmp_path / "my_course" / "first-track" / "01-welcome.md").read_text()
    for part in ("```quiz", "type: single", "type: true-false", "type: fill-in", "```reflection", "model_answer:",
                 "!!! learner", "!!! facilitator", "# "):
        assert part in session
    check = run_cli("check", "my_course", "--strict", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert check.stderr == ""  # not even a warning
    build = run_cli("build", "my_course", "--out", "dist", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "dist" / "first-track-scorm12.zip").is_file()


def test_new_session_and_track_inside_a_course(tmp_path):
    assert run_cli("new", "course", "c", cwd=tmp_path).returncode == 0
    for _ in range(3):  # the next free number each time
        assert run_cli("new", "session", "c/first-track", cwd=tmp_path).returncode == 0
    named = run_cli("new", "session", "c/first-track/07-home-visits.md", "--title", 'Home "visits"', cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    assert sorted(p.name for p in (tmp_path / "c" / "first-track").glob("*.md")) == [
        "01-welcome.md", "02-new-session.md", "03-new-session.md", "04-new-session.md", "07-home-visits.md"]
    track = run_cli("new", "track", "c/home-visits", "--title", "Home visits", cwd=tmp_path)
    assert track.returncode == 0, track.stderr
    assert "tracks: [first-track, home-visits]" in (tmp_path / "c" / "course.yml").read_text()
    check = run_cli("check", "c", "--strict", "--format", "json", cwd=tmp_path)
    data = json.loads(check.stdout)
    assert check.returncode == 0, data["diagnostics"]
    assert data["tracks"] == [{"id": "first-track", "sessions": 5}, {"id": "home-visits", "sessions": 1}]


def test_new_never_overwrites(tmp_path):
    assert run_cli("new", "course", "c", cwd=tmp_path).returncode == 0
    welcome = tmp_path / "c" / "first-track" / "01-welcome.md"
    welcome.write_text("mine")
    again = run_cli("new", "course", "c", cwd=tmp_path)
    assert again.returncode == 2 and "never overwrites" in again.stderr
    same = run_cli("new", "session", "c/first-track/01-welcome.md", cwd=tmp_path)
    assert same.returncode == 2 and "already exists" in same.stderr
    assert welcome.read_text() == "mine"
    track = run_cli("new", "track", "c/first-track", cwd=tmp_path)
    assert track.returncode == 2


def test_new_refuses_wrong_places_and_names(tmp_path):
    assert run_cli("new", "course", "c", cwd=tmp_path).returncode == 0
    bad_name = run_cli("new", "session", "c/first-track/first steps.md", cwd=tmp_path)
    assert bad_name.returncode == 2 and "not a session plan file name" in bad_name.stderr
    no_track = run_cli("new", "session", "c/02-loose.md", cwd=tmp_path)
    assert no_track.returncode == 2 and "not a track or module folder" in no_track.stderr
    no_course = run_cli("new", "track", "elsewhere/t", cwd=tmp_path)
    assert no_course.returncode == 2 and "not a course folder" in no_course.stderr
    as_json = run_cli("new", "track", "elsewhere/t", "--format", "json", cwd=tmp_path)
    jsonschema.validate(json.loads(as_json.stdout), SCHEMA)
    assert json.loads(as_json.stdout)["diagnostics"][0]["code"] == "usage"
    ok = run_cli("new", "track", "c/second", "--format", "json", cwd=tmp_path)
    jsonschema.validate(json.loads(ok.stdout), SCHEMA)
    assert json.loads(ok.stdout)["files"] == ["c/second/track.yml", "c/second/01-welcome.md"]
