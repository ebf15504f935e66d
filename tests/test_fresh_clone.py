"""A fresh clone has no ../shared: the tests that need it skip with one line, unless CI requires them."""
import os
import subprocess
import sys

from .conftest import ROOT

# a cheap test that needs the shared validator (it skips or fails before building anything)
NEEDS_SHARED = [
    "tests/test_build.py::test_ids_that_look_like_internal_names_still_give_valid_manifests",
    "tests/test_build.py::test_schema_files_option_ships_the_administrators_xsds",
]


def _pytest(tmp_path, require: str | None):
    env = dict(os.environ, COURSEPACK_SHARED_DIR=str(tmp_path / "no-shared-here"))
    env.pop("COURSEPACK_REQUIRE_SHARED", None)
    if require is not None:
        env["COURSEPACK_REQUIRE_SHARED"] = require
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *NEEDS_SHARED],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_without_shared_the_tests_skip_with_one_line(tmp_path):
    result = _pytest(tmp_path, None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 skipped" in result.stdout
    lines = [l for l in result.stdout.splitlines() if l.startswith("SKIPPED")]
    assert len(lines) == 1, result.stdout
    assert "[2]" in lines[0] and "no-shared-here" in lines[0] and "COURSEPACK_REQUIRE_SHARED=1" in lines[0]
    assert "error" not in result.stdout.lower()


def test_ci_turns_the_skip_into_a_failure(tmp_path):
    result = _pytest(tmp_path, "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 failed" in result.stdout or "2 errors" in result.stdout
    assert "COURSEPACK_REQUIRE_SHARED=1 but" in result.stdout
    assert "skipped" not in result.stdout
