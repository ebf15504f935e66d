"""Browser tests: built packages in headless Chromium against scorm-again (a real LMS-side
SCORM run-time from npm), served from a loopback HTTP server.

Nothing here is skipped: if Chromium, chromedriver, selenium or node_modules are missing, the
tests fail and say what to install (``make test`` installs all of it).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .harness import (
    AXE_JS, NODE_MODULES, ROOT, Package, Server, build, make_driver, require_browser_tools,
)

FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "every-type"

# name -> (SCORM version for the builder, layout)
CONFIGS = {
    "s12-multi": ("1.2", "multi-sco"),
    "s12-single": ("1.2", "single-sco"),
    "s2004-single": ("2004-4th", "single-sco"),
    "s2004-multi": ("2004-4th", "multi-sco"),
}


def _ensure_node_modules() -> None:
    if (NODE_MODULES / "scorm-again" / "dist" / "scorm-again.js").is_file() and AXE_JS.is_file():
        return
    npm = shutil.which("npm")
    assert npm, "npm is needed to install scorm-again and axe-core for the browser tests (apt-get install npm)"
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True, timeout=600)
    assert (NODE_MODULES / "scorm-again" / "dist" / "scorm-again.js").is_file(), "npm ci did not install scorm-again"


@pytest.fixture(scope="session")
def e2e_root():
    require_browser_tools()
    _ensure_node_modules()
    root = Path(tempfile.mkdtemp(prefix="coursepack-e2e-"))
    (root / "pkg").mkdir()
    os.symlink(ROOT / "tests" / "e2e" / "lms", root / "lms")
    os.symlink(NODE_MODULES, root / "node_modules")
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def server(e2e_root):
    srv = Server(e2e_root)
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def packages(e2e_root) -> dict[str, Package]:
    """The fixture course built once in every version and layout, unpacked under /pkg/<name>/."""
    out = {}
    for name, (version, layout) in CONFIGS.items():
        out[name] = build(FIXTURE, e2e_root / "pkg", name, version, layout)
    return out


@pytest.fixture(scope="module")
def driver():
    drv = make_driver()
    yield drv
    drv.quit()


@pytest.fixture
def clean_storage(driver, server):
    """After the test, the browser's localStorage is empty again: the player keeps its state and
    unsent values there, and the next test must not resume them (test_faults, test_after_finish)."""
    yield
    try:
        driver.switch_to.default_content()
        driver.get(f"{server.url}/lms/lms.html")
        driver.execute_script("localStorage.clear()")
    except Exception:  # noqa: BLE001 - the next test starts afresh anyway
        pass
