"""Shared helpers for the test suite.

* ``make_course(tmp_path, {path: text})`` writes a one-off course.
* ``run_cli(*args)`` runs ``python -m builder`` in a subprocess, as a user would.
* ``validator`` is the shared, independent manifest validator from ../shared, and
  ``shared_xsd`` the official XSD folder there. ../shared sits beside the repository on the
  project's own machines, not in a fresh clone: tests that need it are *skipped* (one summary
  line says which and why) unless ``COURSEPACK_REQUIRE_SHARED=1`` is set, as CI does, which
  turns the skip into a failure. ``COURSEPACK_SHARED_DIR`` points at another copy.
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
SHARED = Path(os.environ.get("COURSEPACK_SHARED_DIR") or ROOT.parent / "shared")
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


def require_shared(what: Path) -> None:
    """Skip (or, with COURSEPACK_REQUIRE_SHARED=1, fail) when ../shared is not beside the repository."""
    if what.exists():
        return
    if os.environ.get("COURSEPACK_REQUIRE_SHARED") == "1":
        pytest.fail(f"COURSEPACK_REQUIRE_SHARED=1 but {what} is missing: the shared SCORM validator and XSDs "
                    f"must be at {SHARED} (or set COURSEPACK_SHARED_DIR)", pytrace=False)
    pytest.skip(f"{SHARED_SKIP}: the independent SCORM validator and XSDs are not in {SHARED}, which is not beside this "
                "checkout (set COURSEPACK_SHARED_DIR to use a copy elsewhere; CI sets "
                "COURSEPACK_REQUIRE_SHARED=1 to make this a failure)")


SHARED_SKIP = "needs ../shared"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Fold every ../shared skip into one summary line (pytest would print one line per test)."""
    outcome = yield
    rep = outcome.get_result()
    if rep.skipped and isinstance(rep.longrepr, tuple) and rep.longrepr[2].startswith("Skipped: " + SHARED_SKIP):
        rep.longrepr = ("tests/conftest.py", 0, rep.longrepr[2])


@pytest.fixture(scope="session")
def shared_xsd() -> Path:
    require_shared(XSD)
    return XSD


@pytest.fixture(scope="session")
def validator():
    require_shared(VALIDATOR)
    require_shared(XSD)
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
