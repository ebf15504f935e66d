"""Golden outputs of every --format, for a broken course, a valid one and a usage error.

A change here is a change CI systems and editors see. After an intended change, regenerate with
`COURSEPACK_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_output_golden.py` and review the diff.
"""
import os

import pytest

from .conftest import ROOT, run_cli

GOLDEN = ROOT / "tests" / "golden" / "output"
BROKEN = "tests/fixtures/invalid/many-problems"
VALID = "tests/fixtures/valid/every-type"

CASES = {
    # name: (arguments, which stream)
    "check-broken.text": (("check", BROKEN), "stderr"),
    "check-broken.json": (("check", BROKEN, "--format", "json"), "stdout"),
    "check-broken.github": (("check", BROKEN, "--format", "github"), "stdout"),
    "check-valid.text": (("check", VALID), "stdout"),
    "check-valid.json": (("check", VALID, "--format", "json"), "stdout"),
    "usage.json": (("build", "no-such-folder", "--format", "json"), "stdout"),
    "usage.github": (("check", "no-such-folder", "--format", "github"), "stdout"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_golden(name):
    args, stream = CASES[name]
    result = run_cli(*args, cwd=ROOT)
    assert "Traceback" not in result.stderr
    got = getattr(result, stream)
    path = GOLDEN / name
    if os.environ.get("COURSEPACK_REGEN_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.is_file(), f"missing {path.relative_to(ROOT)}: regenerate (see this file's docstring)"
    assert got == path.read_text(encoding="utf-8"), f"{name} changed: regenerate and review the diff"
