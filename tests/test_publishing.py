"""The publishing files parse and say what docs/ci.md promises: tests, strict check, a matrix per track,
artefacts, a release on tags; a pre-commit hook; an MIT LICENSE."""
import re

import yaml

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_workflow_parses_and_names_its_jobs():
    wf = _workflow()
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(on) >= {"push", "pull_request"} and on["push"]["tags"] == ["v*"]
    jobs = wf["jobs"]
    assert list(jobs) == ["test", "check", "build", "release"]
    assert "make test" in _runs(jobs["test"])
    assert 'coursepack check "$SRC" --strict --format github' in _runs(jobs["check"])
    assert wf["env"]["SRC"] == "course_src"


def test_one_build_job_per_track_with_artefacts():
    jobs = _workflow()["jobs"]
    build = jobs["build"]
    assert build["needs"] == "check"
    assert build["strategy"]["matrix"]["track"] == "${{ fromJSON(needs.check.outputs.tracks) }}"
    assert '--track "${{ matrix.track }}"' in _runs(build)
    assert "coursepack verify dist/*.zip" in _runs(build)
    upload = next(s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    paths = upload["with"]["path"].split()
    assert paths == ["dist/*.zip", "dist/*-facilitator-guide.html"]
    assert jobs["check"]["outputs"]["tracks"] == "${{ steps.tracks.outputs.tracks }}"


def test_release_only_on_tags():
    release = _workflow()["jobs"]["release"]
    assert release["if"] == "startsWith(github.ref, 'refs/tags/')"
    assert set(release["needs"]) == {"test", "build"}
    assert release["permissions"] == {"contents": "write"}
    assert "gh release upload" in _runs(release)


def test_track_list_command_in_the_workflow_reads_check_json(tmp_path):
    """The matrix is filled from `coursepack check --format json`: run that exact snippet."""
    import json
    import subprocess
    import sys

    step = next(s for s in _workflow()["jobs"]["check"]["steps"] if s.get("id") == "tracks")
    snippet = re.search(r"python3 -c '([^']*)'", step["run"]).group(1)
    from .conftest import FIXTURES, run_cli
    (tmp_path / "check.json").write_text(run_cli("check", FIXTURES / "valid" / "every-type", "--format", "json").stdout)
    out = subprocess.run([sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True, text=True)
    assert json.loads(out.stdout) == ["demo"], out.stderr


def test_pre_commit_hook():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert hook["id"] == "coursepack-check" and hook["entry"] == "coursepack check"
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    assert re.search(hook["files"], "course_src/t/01-intro.md") and not re.search(hook["files"], "builder/cli.py")


def test_license_is_mit():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 coursepack developers" in text
