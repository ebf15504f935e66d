"""Markdown -> HTML for one document, with every link and image resolved.

The converter is created once and reset between documents (Python-Markdown is
not thread-safe; one converter per process). After conversion the HTML is walked
with lxml so that links and images written in Markdown *and* in raw HTML obey the
same rules: local files must exist inside the course with the exact case, nothing
is loaded from the network, no script reaches the learner.
"""
from __future__ import annotations

import os
import posixpath
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import markdown
from html import escape as html_escape
from lxml import etree, html as lxml_html

from .diagnostics import Report

EXTENSIONS = ["extra", "admonition", "sane_lists"]
# one line of prose with nothing Markdown would treat specially
PLAIN = re.compile(r"^(?![\s\d+>=-])[^\n\\`*_{}\[\]<>&#!|~^]*(?<![\s:])$")
SAFE_NAME = re.compile(r"^[A-Za-z0-9._/-]+$")
FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "form"}
URL_ATTRS = {"href", "src", "poster", "data", "action", "formaction", "xlink:href", "srcset", "background"}
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
SAFE_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,", re.I)


@dataclass
class DocContext:
    """Where a document lives and what it may reference."""

    root: Path  # course folder
    path: Path  # the Markdown file
    text: str  # its full text (to find line numbers of references)
    line_offset: int = 0  # first line of the converted fragment in the file
    assets: set[str] = field(default_factory=set)  # course-relative paths of files used
    pages: set[str] = field(default_factory=set)  # course-relative paths of linked .md pages
    is_session: callable = None  # rel path -> bool

    @property
    def rel(self) -> str:
        return self.path.relative_to(self.root).as_posix()

    def line_of(self, needle: str) -> int | None:
        idx = self.text.find(needle)
        if idx < 0:
            return None
        return self.text.count("\n", 0, idx) + 1


class Converter:
    def __init__(self):
        self._md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")

    def block(self, source: str, ctx: DocContext, report: Report) -> str:
        if PLAIN.match(source):  # one line of plain prose: what Markdown would produce, without Markdown
            return f"<p>{html_escape(source, quote=False)}</p>"
        self._md.reset()
        try:
            out = self._md.convert(source)
        except RecursionError:
            report.error("too-deep", "the Markdown is nested too deeply to convert", path=ctx.rel,
                         line=ctx.line_offset or None, hint="reduce the nesting of lists and quotes")
            return ""
        return rewrite(out, ctx, report)

    def inline(self, source: str, ctx: DocContext, report: Report) -> str:
        if PLAIN.match(source):
            return html_escape(source, quote=False)
        html = self.block(source, ctx, report)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return html


def asset_href(rel: str) -> str:
    """Package path of a course file (relative to the course folder)."""
    return "assets/" + rel


def page_href(rel: str) -> str:
    stem = rel[:-3] if rel.endswith(".md") else rel
    return "page-" + re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") + ".html"


def rewrite(html: str, ctx: DocContext, report: Report) -> str:
    if not html.strip():
        return ""
    if not any(c in html for c in ("href", "src", "<script", "<style", "<iframe", " on", "<object", "<embed", "<base",
                                   "<meta", "<link", "<form", "<frame", "<applet", "poster", "srcset",
                                   "data=", "action")):
        return html  # fast path: nothing to resolve or refuse
    wrapper = lxml_html.fragment_fromstring(html, create_parent="div")
    changed = False
    for el in wrapper.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag == "style" and re.search(r"url\s*\(|@import|expression\s*\(", el.text or "", re.I):
            _unsafe(ctx, report, "<style", "a <style> block may not load files (url(), @import)",
                    "remove the url(...) or @import; put images in the Markdown instead")
            el.drop_tree()
            changed = True
            continue
        if tag in FORBIDDEN_TAGS:
            _unsafe(ctx, report, f"<{tag}>", f"raw HTML <{tag}> is not allowed in course content",
                    "remove it; use Markdown for text, links and images")
            el.drop_tree() if el is not wrapper else None
            changed = True
            continue
        for name in list(el.attrib):
            lname = name.lower()
            value = el.attrib[name]
            if lname.startswith("on"):
                _unsafe(ctx, report, name, f"the event attribute '{name}' is not allowed in course content",
                        "remove it; the player provides all interaction")
                del el.attrib[name]
                changed = True
            elif lname == "style" and re.search(r"url\s*\(|expression\s*\(", value, re.I):
                _unsafe(ctx, report, value, "CSS in a style attribute may not load files or run expressions",
                        "remove the url(...) from the style attribute")
                del el.attrib[name]
                changed = True
            elif lname in URL_ATTRS:
                new = _resolve(tag, lname, value, ctx, report)
                if new is None:
                    del el.attrib[name]
                elif new != value:
                    el.attrib[name] = new
                if tag == "a" and lname == "href" and new and (new.startswith(("http:", "https:", "page-", "assets/"))):
                    el.attrib["target"] = "_blank"
                    el.attrib["rel"] = "noopener"
                changed = True
    if not changed:
        return html
    out = (wrapper.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in wrapper
    )
    return out


def _unsafe(ctx: DocContext, report: Report, needle: str, message: str, hint: str) -> None:
    report.error("unsafe-html", message, path=ctx.rel, line=ctx.line_of(needle), hint=hint)


def _resolve(tag: str, attr: str, value: str, ctx: DocContext, report: Report) -> str | None:
    url = value.strip()
    if attr == "srcset":
        report.error("unsupported-html", "srcset is not supported; use one image file", path=ctx.rel,
                     line=ctx.line_of(value))
        return None
    if not url or url.startswith("#"):
        return url
    lower = url.lower()
    if REMOTE.match(url):
        scheme = lower.split(":", 1)[0] if ":" in lower.split("/", 1)[0] else ""
        if tag == "a" and attr == "href" and scheme in ("http", "https", "mailto", "tel"):
            return url
        if SAFE_DATA_IMAGE.match(url) and tag == "img":
            return url
        if scheme in ("http", "https", "") and url.startswith(("http", "//")):
            report.error("remote-resource",
                         f"'{_short(url)}' would be loaded from the internet; a package must be self-contained",
                         path=ctx.rel, line=ctx.line_of(url),
                         hint="download the file into the course (e.g. assets/) and link it with a relative path")
        else:
            report.error("unsafe-url", f"the URL scheme of '{_short(url)}' is not allowed",
                         path=ctx.rel, line=ctx.line_of(url),
                         hint="use a relative path to a file in the course, or an http(s) link")
        return None
    parts = urllib.parse.urlsplit(url)
    target = urllib.parse.unquote(parts.path)
    fragment = ("#" + parts.fragment) if parts.fragment else ""
    line = ctx.line_of(value)
    if target.startswith("/"):
        report.error("absolute-path", f"'{target}' is an absolute path", path=ctx.rel, line=line,
                     hint="write the path relative to this Markdown file, e.g. ../assets/picture.svg")
        return None
    base = posixpath.dirname(ctx.rel)
    joined = posixpath.normpath(posixpath.join(base, target))
    if joined.startswith("../") or joined == "..":
        report.error("outside-course", f"'{target}' points outside the course folder", path=ctx.rel, line=line,
                     hint="keep every file inside the course folder and link it relatively")
        return None
    full = ctx.root / joined
    if not _exists_exact(ctx.root, joined):
        hint = "check the spelling and the case of the file name"
        near = _case_insensitive_match(ctx.root, joined)
        if near:
            shown = posixpath.relpath(near, base or ".")
            hint = f"the file is called '{shown}' (file names are case-sensitive in an LMS)"
        report.error("missing-file", f"'{target}' does not exist", path=ctx.rel, line=line, hint=hint)
        return None
    if full.is_symlink() or not full.resolve().is_relative_to(ctx.root.resolve()):
        report.error("outside-course", f"'{target}' is a link to a file outside the course", path=ctx.rel,
                     line=line, hint="copy the file into the course folder")
        return None
    if full.is_dir():
        report.error("missing-file", f"'{target}' is a folder, not a file", path=ctx.rel, line=line)
        return None
    if not SAFE_NAME.match(joined):
        report.error("file-name", f"the file name '{joined}' has characters some LMSs cannot serve",
                     path=ctx.rel, line=line,
                     hint="rename it using only ASCII letters, digits, '-', '_' and '.'")
        return None
    if joined.endswith(".md"):
        if ctx.is_session and ctx.is_session(joined):
            report.error("session-link", f"'{target}' is a session plan; sessions cannot link to each other",
                         path=ctx.rel, line=line, hint="move shared text into a handout page and link that")
            return None
        ctx.pages.add(joined)
        return page_href(joined) + fragment
    ctx.assets.add(joined)
    return asset_href(joined) + fragment


@lru_cache(maxsize=None)
def _listdir(folder: str) -> frozenset[str]:
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


def clear_caches() -> None:
    """Forget directory listings (call once per build: files may have changed)."""
    _listdir.cache_clear()


def _exists_exact(root: Path, rel: str) -> bool:
    cur = root
    for part in rel.split("/"):
        if part not in _listdir(str(cur)):
            return False
        cur = cur / part
    return True


def _case_insensitive_match(root: Path, rel: str) -> str | None:
    cur, found = root, []
    for part in rel.split("/"):
        try:
            match = next((p.name for p in cur.iterdir() if p.name.lower() == part.lower()), None)
        except OSError:
            return None
        if match is None:
            return None
        found.append(match)
        cur = cur / match
    return "/".join(found)


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# ---- SVG safety -----------------------------------------------------------------------

_SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def check_svg(path: Path, rel: str, report: Report) -> None:
    """An SVG is code: refuse scripts, event handlers and external references."""
    try:
        tree = etree.parse(str(path), _SVG_PARSER)
    except etree.XMLSyntaxError as exc:
        report.error("svg-invalid", f"the SVG file is not well-formed XML: {exc.msg}", path=rel,
                     line=exc.lineno or None)
        return
    for el in tree.iter():
        if not isinstance(el.tag, str):
            if isinstance(el, etree._Entity):
                report.error("svg-unsafe", "the SVG uses XML entities", path=rel, line=el.sourceline)
            continue
        local = etree.QName(el).localname.lower()
        if local in ("script", "foreignobject", "iframe", "embed", "object"):
            report.error("svg-unsafe", f"the SVG contains <{local}>, which is not allowed", path=rel,
                         line=el.sourceline, hint="draw with shapes and text only")
        for name, value in el.attrib.items():
            lname = etree.QName(name).localname.lower() if name.startswith("{") else name.lower()
            if lname.startswith("on"):
                report.error("svg-unsafe", f"the SVG has an event attribute '{lname}'", path=rel,
                             line=el.sourceline, hint="remove it")
            elif lname in ("href", "src") and value.strip() and not value.strip().startswith("#"):
                report.error("svg-unsafe", f"the SVG refers to '{_short(value)}'; only #fragment references are allowed",
                             path=rel, line=el.sourceline, hint="embed the shape in the SVG itself")
    if tree.docinfo.internalDTD is not None or (tree.docinfo.doctype and "ENTITY" in tree.docinfo.doctype):
        report.error("svg-unsafe", "the SVG declares a DTD", path=rel, line=1, hint="remove the <!DOCTYPE> line")
