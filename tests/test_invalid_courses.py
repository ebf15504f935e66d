"""Broken and hostile courses: every problem reported at once, with its location, exit 1.

Each folder in tests/fixtures/invalid/ holds a course and expected.txt: the exact
diagnostic lines `coursepack check` must print (hints are checked separately).
"""
from pathlib import Path

import pytest

from .conftest import FIXTURES, run_cli

CASES = sorted(p for p in (FIXTURES / "invalid").iterdir() if (p / "expected.txt").is_file())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_lists_every_problem(case: Path, tmp_path):
    result = run_cli("check", case)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [l for l in result.stderr.splitlines() if not l.startswith(("    hint:", "coursepack:"))]
    expected = (case / "expected.txt").read_text().splitlines()
    assert lines == expected
    # building the same course writes nothing at all
    out = tmp_path / "dist"
    build = run_cli("build", case, "--out", out)
    assert build.returncode == 1
    assert not out.exists() or not any(out.iterdir())


def test_every_diagnostic_has_a_hint_or_a_clear_message():
    result = run_cli("check", FIXTURES / "invalid" / "many-problems")
    assert "hint: allowed keys here: title, duration, objectives, materials, id" in result.stderr
    assert 'hint: a value that contains ": " must be quoted' in result.stderr
    assert "8 error(s), 0 warning(s); nothing was written" in result.stderr


def test_wrong_case_file_name_names_the_real_file():
    result = run_cli("check", FIXTURES / "invalid" / "hostile")
    assert "hint: the file is called 'img/Photo.png'" in result.stderr
