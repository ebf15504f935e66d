"""The command line as CI and authors use it: exit codes, formats, no tracebacks."""
import json

from .conftest import FIXTURES, make_course, run_cli

BROKEN = FIXTURES / "invalid" / "many-problems"


def test_exit_codes(tmp_path):
    assert run_cli("check", FIXTURES / "valid" / "every-type").returncode == 0
    assert run_cli("check", BROKEN).returncode == 1
    assert run_cli("check", tmp_path / "nowhere").returncode == 2
    assert run_cli("build", "--scorm", "3.0").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    assert run_cli().returncode == 2


def test_unknown_track_is_a_usage_error(tmp_path):
    result = run_cli("build", FIXTURES / "valid" / "every-type", "--out", tmp_path, "--track", "nope")
    assert result.returncode == 2
    assert "unknown track 'nope'; the course has: demo" in result.stderr


def test_json_diagnostics(tmp_path):
    result = run_cli("check", BROKEN, "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["errors"] == 8
    first = data["diagnostics"][0]
    assert first["path"] == "alpha/01-typo.md" and first["line"] == 2 and first["severity"] == "error"
    assert {"code", "message", "column", "field", "hint"} <= set(first)


def test_github_annotations_name_files_relative_to_the_current_folder(tmp_path):
    result = run_cli("check", BROKEN, "--format", "github")
    assert "::error file=tests/fixtures/invalid/many-problems/alpha/02-quiz.md,line=15,col=5,title=coursepack " \
           "question-type::unknown question type 'singel'" in result.stdout
    # as a workflow runs it: from the repository root, with the course folder relative to it
    make_course(tmp_path, {"t/01-first.md": "---\ntitle: First\nduration: 20\nobjectives: [A, B]\nsurprise: 1\n---\n"})
    result = run_cli("check", "course", "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    assert "::error file=course/t/01-first.md,line=5,col=1,title=coursepack unknown-key::" in result.stdout


def test_github_format_reports_usage_errors_as_annotations(tmp_path):
    result = run_cli("check", tmp_path / "nowhere", "--format", "github")
    assert result.returncode == 2
    assert result.stdout.startswith("::error title=coursepack usage::the course folder")
    assert "does not exist" in result.stderr  # and in words on stderr


def test_build_prints_one_line_per_package(tmp_path):
    result = run_cli("build", FIXTURES / "valid" / "every-type", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert "demo-scorm12.zip  SCORM 1.2  multi-sco  2 SCOs  8 questions" in lines[0]
    assert "demo-scorm2004-4th.zip  SCORM 2004-4th  single-sco  1 SCO  8 questions" in lines[1]
    assert "demo-facilitator-guide.html  facilitator's guide" in lines[2]


def test_no_traceback_for_unreadable_input(tmp_path):
    course = make_course(tmp_path, {"t/02-bad.md": b"---\ntitle: \xff\xfe\n---\n", "t/03-bin.md": b"\x00\x01"})
    result = run_cli("check", course)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "t/02-bad.md:2: error: the file is not UTF-8 text" in result.stderr


def test_help_describes_commands():
    result = run_cli("build", "--help")
    assert result.returncode == 0
    for word in ("--out", "--track", "--scorm", "--layout", "--strict", "--format", "--schemas"):
        assert word in result.stdout
    top = run_cli("--help").stdout
    for word in ("check", "build", "verify ZIP", "new course|track|session", "diagnostics.schema.json"):
        assert word in top
    assert "XSD" in run_cli("verify", "--help").stdout
    assert "never overwritten" in run_cli("new", "--help").stdout
