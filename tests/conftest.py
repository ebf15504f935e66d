"""Shared helpers for the test suite.

* ``make_course(tmp_path, {path: text})`` writes a one-off course.
* ``run_cli(*args)`` runs ``python -m builder`` in a subprocess, as a user would.
* ``validator`` is the shared, independent manifest validator from ../shared.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
XSD = SHARED / "xsd"
VALIDATOR = SHARED / "tools" / "scorm-oracles" / "validate_manifest.py"

MINIMAL_COURSE = {
    "course.yml": "title: Test course\n",
    "t/track.yml": "title: Test track\n",
    "t/01-first.md": """\
        ---
        title: First
        duration: 20
        objectives: [Say hello, Say goodbye]
        ---
        Intro text.

        ## Activity 1: Talk (20 min)

        ```quiz
        questions:
          - {type: true-false, prompt: The sky is blue., answer: true}
        ```
        """,
}


def make_course(tmp_path: Path, files: dict[str, str | bytes], base: dict | None = None) -> Path:
    root = tmp_path / "course"
    merged = dict(MINIMAL_COURSE if base is None else base)
    merged.update(files)
    for rel, content in merged.items():
        if content is None:
            continue
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.pop("SOURCE_DATE_EPOCH", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "builder", *map(str, args)], cwd=cwd or ROOT,
                          capture_output=True, text=True, env=full_env, timeout=300)


@pytest.fixture(scope="session")
def validator():
    assert VALIDATOR.is_file(), f"the shared validator is missing at {VALIDATOR}"
    spec = importlib.util.spec_from_file_location("shared_validate_manifest", VALIDATOR)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # ../shared is read-only: no __pycache__
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.dont_write_bytecode = before
    return mod


def assert_valid(validator, zip_path: Path) -> dict:
    report = validator.validate(str(zip_path))
    errors = report["errors"]
    assert report["valid"] and not errors, f"{zip_path.name}: {errors}"
    return report
