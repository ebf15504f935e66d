"""`--format json`: one documented shape (docs/diagnostics.schema.json) for every outcome and exit code."""
import json

import jsonschema
import pytest

from builder import cli

from .conftest import FIXTURES, ROOT, make_course, run_cli

SCHEMA = json.loads((ROOT / "docs" / "diagnostics.schema.json").read_text(encoding="utf-8"))
EVERY = FIXTURES / "valid" / "every-type"
BROKEN = FIXTURES / "invalid" / "many-problems"


def _valid(stdout: str, exit_code: int) -> dict:
    data = json.loads(stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["exit_code"] == exit_code and data["ok"] is (exit_code == 0)
    assert data["errors"] == sum(d["severity"] == "error" for d in data["diagnostics"])
    return data


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    with pytest.raises(jsonschema.ValidationError):  # the schema is not too loose to fail
        jsonschema.validate({"ok": True, "tracks": []}, SCHEMA)


def test_check_success_and_failure_have_the_same_shape():
    ok = run_cli("check", EVERY, "--format", "json")
    data = _valid(ok.stdout, 0)
    assert data["command"] == "check" and data["tracks"] == [{"id": "demo", "sessions": 2}]
    bad = run_cli("check", BROKEN, "--format", "json")
    data = _valid(bad.stdout, 1)
    assert data["errors"] == 8 and data["tracks"] == [] and data["src"] == str(BROKEN)
    assert set(ok.stdout and json.loads(ok.stdout)) == set(data)


def test_build_output(tmp_path):
    result = run_cli("build", EVERY, "--out", tmp_path, "--format", "json")
    data = _valid(result.stdout, 0)
    assert [p["scorm"] for p in data["packages"]] == ["1.2", "2004-4th"]
    assert all((tmp_path / f).exists() for f in data["files"])


@pytest.mark.parametrize("args, code", [
    (("build", "--scorm", "3.0", "--format", "json"), "usage"),
    (("check", "--format", "json", "--frobnicate"), "usage"),
    (("--format", "json"), "usage"),
    (("check", "{missing}", "--format=json"), "usage"),
    (("build", str(EVERY), "--out", "{file}", "--format", "json"), "usage"),
    (("build", str(EVERY), "--out", "{below_file}", "--format", "json"), "output"),
])
def test_exit_2_is_json_too(tmp_path, args, code):
    (tmp_path / "file").write_text("x")
    fill = {"missing": tmp_path / "missing", "file": tmp_path / "file", "below_file": tmp_path / "file" / "dist"}
    result = run_cli(*[a.format(**fill) for a in args])
    assert result.returncode == 2, result.stderr
    data = _valid(result.stdout, 2)
    assert [d["code"] for d in data["diagnostics"]] == [code]
    assert "Traceback" not in result.stderr


def test_internal_error_is_json_too(monkeypatch, capsys):
    def boom(*a, **k):
        raise RuntimeError("simulated bug")
    monkeypatch.setattr(cli, "check", boom)
    assert cli.main(["check", str(EVERY), "--format", "json"]) == 3
    data = _valid(capsys.readouterr().out, 3)
    assert data["diagnostics"][0]["code"] == "internal-error" and "simulated bug" in data["diagnostics"][0]["message"]


def test_warnings_only_is_success(tmp_path):
    course = make_course(tmp_path, {"t/01-first.md": "---\ntitle: First\nduration: 20\nobjectives: [One]\n---\nHi\n"})
    data = _valid(run_cli("check", course, "--format", "json").stdout, 0)
    assert data["warnings"] >= 1 and data["errors"] == 0
    data = _valid(run_cli("check", course, "--strict", "--format", "json").stdout, 1)
    assert data["warnings"] >= 1
