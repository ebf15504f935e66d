"""The facilitator's guide in a real browser: axe-core finds no WCAG violation, it loads nothing
from anywhere, and printed to PDF by headless Chromium each session starts a page and no page
is blank."""
from __future__ import annotations

import base64
import io
import re

import pytest

from builder.build import build_packages

from .harness import AXE_JS, ROOT, WCAG_TAGS

SHIPPED = ROOT / "course_src"
V2 = ROOT / "tests" / "fixtures" / "valid" / "two-audiences"


@pytest.fixture(scope="module")
def guides(e2e_root):
    out = e2e_root / "pkg" / "guides"
    found = {}
    for src in (SHIPPED, V2):
        results, _ = build_packages(src, out / src.name, scorm=["1.2"], guide=True)
        for r in results:
            if r.kind == "guide":
                found[r.track] = r.path
    return found


def _open(driver, server, guides, track):
    path = guides[track]
    rel = path.relative_to(path.parents[3]).as_posix()  # served from the e2e root: pkg/guides/<course>/<file>
    driver.get(f"{server.url}/{rel}")
    return driver


def _axe(driver) -> list[dict]:
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    return driver.execute_async_script("""
        var done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
           .then(function (r) { done(r.violations.map(function (v) {
               return {id: v.id, help: v.help, nodes: v.nodes.slice(0, 4).map(function (n) { return n.target; })}; })); })
           .catch(function (e) { done([{id: 'axe-error', help: String(e), nodes: []}]); });""", WCAG_TAGS)


@pytest.mark.parametrize("track", ["general-overview", "foundational", "extended", "visits"])
def test_guide_has_no_wcag_violations_and_makes_no_request(driver, server, guides, track):
    _open(driver, server, guides, track)
    assert driver.execute_script("return document.querySelectorAll('h1').length") == 1
    sessions = driver.execute_script("return document.querySelectorAll('article.g-session').length")
    assert sessions >= 2
    found = _axe(driver)
    assert not found, f"{track}: {found}"
    # every resource the page loaded is the page itself (images are data: URIs)
    urls = driver.execute_script("return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert [u for u in urls if not u.startswith("data:")] == [], urls


@pytest.mark.parametrize("track", ["general-overview", "visits"])
def test_printed_guide_starts_each_session_on_a_new_page_with_no_blank_page(driver, server, guides, track):
    from pypdf import PdfReader
    from selenium.webdriver.common.print_page_options import PrintOptions

    _open(driver, server, guides, track)
    titles = driver.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('.g-session-no'), function (e) {"
        " return e.textContent.trim(); })")
    assert titles
    opts = PrintOptions()
    opts.background = True
    pdf = PdfReader(io.BytesIO(base64.b64decode(driver.print_page(opts))))
    texts = [(p.extract_text() or "") for p in pdf.pages]
    blank = [i + 1 for i, t in enumerate(texts) if not t.strip()]
    assert not blank, f"blank pages: {blank} of {len(texts)}"
    # "Session N" opens a page: it stands in the page's first lines, after at most the module name
    for label in titles:
        pages = [i for i, t in enumerate(texts) if re.search(rf"(^|\n){re.escape(label)}(\s|$)", t)]
        assert pages, f"{label} is not printed"
        first_lines = [ln for ln in texts[pages[0]].splitlines() if ln.strip()][:3]
        assert any(ln.strip().startswith(label) for ln in first_lines), (label, first_lines)
