"""The facilitator's guide in a real browser: axe-core finds no WCAG violation, it loads nothing
from anywhere, and printed to PDF by headless Chromium on A4 and on US Letter: each session starts
a page, no page is blank, the cover and the contents have pages of their own, every page has its
number and a running header naming its session or appendix (a handout's pages do not say
"facilitator's guide"), no heading is left alone at the foot of a page, and each session's plan
with its timed activities stands whole on the session's first page."""
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
    # "Session N" opens a page: it stands in the page's first lines (after the running header and
    # at most the module name); the contents, which list every session, come first
    contents = next(i for i, t in enumerate(texts) if "Contents" in t)
    for label in titles:
        pages = [i for i, t in enumerate(texts)
                 if i > contents and re.search(rf"(^|\n){re.escape(label)}(\s|$)", t)]
        assert pages, f"{label} is not printed"
        openings = [_body(texts[i], i + 1, len(texts))[:3] for i in pages]
        assert any(any(ln.startswith(label) for ln in first) for first in openings), (label, openings[:2])


PAPER = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}
LIGATURES = str.maketrans({"\ufb01": "fi", "\ufb02": "fl", "\ufb00": "ff", "\ufb03": "ffi", "\ufb04": "ffl"})


def _print(driver, paper: str) -> list[str]:
    """The guide printed by Chromium as a trainer's browser prints it (backgrounds off, the page's
    own @page margins), one text per page."""
    from pypdf import PdfReader

    width, height = PAPER[paper]
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": width, "paperHeight": height, "printBackground": False,
        "displayHeaderFooter": False, "preferCSSPageSize": False})
    reader = PdfReader(io.BytesIO(base64.b64decode(pdf["data"])))
    return [(p.extract_text() or "").translate(LIGATURES) for p in reader.pages]


def _body(text: str, i: int, total: int) -> list[str]:
    """The page's lines without its margin boxes (Chromium writes those first)."""
    lines = [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if f"Page {i} of {total}" not in ln]
    if lines and re.search(r"(Session|Appendix) \d+ · ", lines[0]):
        lines = lines[1:]
    return lines


@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("track", ["general-overview", "visits"])
def test_printed_guide_has_page_numbers_running_headers_and_no_stranded_heading(driver, server, guides, track, paper):
    _open(driver, server, guides, track)
    doc = driver.execute_script("""
        function txt(e) { return e.textContent.replace(/\\s+/g, ' ').trim(); }
        return {
          sessions: Array.prototype.map.call(document.querySelectorAll('.g-session-no'), txt),
          appendices: Array.prototype.map.call(document.querySelectorAll('.g-appendix > .g-module'), txt),
          headings: Array.prototype.map.call(document.querySelectorAll(
            'h2, h3, h4, .g-box-title, .admonition-title, caption, .g-module, .g-session-no'), txt),
          title: txt(document.querySelector('.g-title'))
        };""")
    texts = _print(driver, paper)
    total = len(texts)
    assert total >= 2 + len(doc["sessions"]) + len(doc["appendices"])
    assert not [i + 1 for i, t in enumerate(texts) if not t.strip()], "blank page"
    # every page has its number; the cover has no running header; the contents start page 2
    for i, t in enumerate(texts, 1):
        assert f"Page {i} of {total}" in t, (paper, i, t[:200])
    assert doc["title"] in texts[0] and "Session 1 · " not in texts[0]
    assert _body(texts[1], 2, total)[0] == "Contents"
    # from the first session on, each page's header names its session or appendix, in order
    first = next(i for i, t in enumerate(texts) if "Session 1 · " in t)
    seen = []
    for i in range(first, total):
        head = re.search(r"(Session|Appendix) (\d+) · ", texts[i])
        assert head, f"page {i + 1} has no running header: {texts[i][:160]!r}"
        seen.append((head.group(1), int(head.group(2))))
    assert seen == sorted(seen, key=lambda k: (k[0] != "Session", k[1]))
    assert {f"Session {n}" for kind, n in seen if kind == "Session"} == set(doc["sessions"])
    assert {f"Appendix {n}" for kind, n in seen if kind == "Appendix"} == set(doc["appendices"])
    # a handout is photocopied for the learners: its pages do not say "facilitator's guide"
    for (kind, _), t in zip(seen, texts[first:]):
        if kind == "Appendix":
            assert "Facilitator's guide" not in t
    # each session opens with its whole plan: the timed activities table ends on that page
    for label in doc["sessions"]:
        start = next(i for i in range(first, total) if re.search(rf"(^|\n){re.escape(label)}(\s|$)", texts[i]))
        assert "Times run from the start of the session" in texts[start], (label, paper)
        assert re.search(r"0:00[–-]0:\d\d", texts[start]), (label, paper)
    # no heading is the last thing on a page (it would be read there and its text found overleaf)
    headings = {h for h in doc["headings"] if h}
    for i, t in enumerate(texts[:-1], 1):
        lines = _body(t, i, total)
        tail = [lines[-1], " ".join(lines[-2:])] if lines else []
        assert not any(x in headings for x in tail), f"{paper} page {i} ends with the heading {tail[0]!r}"
