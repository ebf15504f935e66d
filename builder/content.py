"""Markdown -> HTML for one document, with every link and image resolved.

The converter is created once and reset between documents (Python-Markdown is
not thread-safe; one converter per process). After conversion the HTML is walked
with lxml so that links and images written in Markdown *and* in raw HTML obey the
same rules: local files must exist inside the course with the exact case, nothing
is loaded from the network, no script reaches the learner.
"""
from __future__ import annotations

import collections

import hashlib
import os
import posixpath
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import markdown
import nh3
from html import escape as html_escape
from lxml import etree, html as lxml_html

from .diagnostics import Report

EXTENSIONS = ["extra", "admonition", "sane_lists"]
MAX_BRACKETS = 1500  # Python-Markdown's link parsing slows down sharply beyond this on one page
ASSET_TYPES = {
    "png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "ico",
    "pdf", "txt", "csv", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "epub",
    "mp3", "m4a", "ogg", "oga", "wav", "mp4", "m4v", "webm", "ogv", "vtt", "srt", "zip",
}
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
    search_from: int = 0  # where in ``text`` the fragment being converted starts
    _cursor: dict = field(default_factory=dict)
    _lower: str | None = None

    @property
    def rel(self) -> str:
        return self.path.relative_to(self.root).as_posix()

    def line_of(self, needle: str) -> int | None:
        """Line of the next occurrence of ``needle`` (each call moves on, so repeats get their own line)."""
        if self._lower is None:
            self._lower = self.text.lower()
        key = needle.lower()
        start = max(self._cursor.get(key, 0), self.search_from)
        idx = self._lower.find(key, start)
        if idx < 0:
            idx = self._lower.find(key)
        if idx < 0:  # written differently in the source (escapes, entities): find the longest tail of it
            for k in range(1, min(len(key) - 4, 200)):
                idx = self._lower.find(key[k:], self.search_from)
                if idx >= 0:
                    return self.text.count("\n", 0, idx) + 1
            return self.text.count("\n", 0, self.search_from) + 1  # else the fragment's first line
        self._cursor[key] = idx + 1
        return self.text.count("\n", 0, idx) + 1


class Converter:
    def __init__(self):
        self._md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")

    def block(self, source: str, ctx: DocContext, report: Report) -> str:
        if PLAIN.match(source):  # one line of plain prose: what Markdown would produce, without Markdown
            return f"<p>{html_escape(source, quote=False)}</p>"
        if source.count("[") > MAX_BRACKETS or source.count("<") > MAX_BRACKETS * 2:
            report.error("too-complex", "this page has too many links, brackets or tags to convert safely "
                         f"(more than {MAX_BRACKETS} '[' or {MAX_BRACKETS * 2} '<')",
                         path=ctx.rel, line=ctx.text.count("\n", 0, ctx.search_from) + 1,
                         hint="split the page with more ## headings, or remove stray brackets")
            return ""
        self._md.reset()
        try:
            out = self._md.convert(source)
        except RecursionError:
            report.error("too-deep", "the Markdown is nested too deeply to convert", path=ctx.rel,
                         line=ctx.line_offset or ctx.text.count("\n", 0, ctx.search_from) + 1,
                         hint="reduce the nesting of lists and quotes")
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
    """Package file name of a Markdown page; different sources never share a name."""
    stem = rel[:-3] if rel.endswith(".md") else rel
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if slug.replace("-", "/") != stem and slug != stem.replace("/", "-"):
        slug += "-" + hashlib.sha1(rel.encode()).hexdigest()[:6]  # the slug lost something: keep names apart
    return "page-" + slug + ".html"


def rewrite(html: str, ctx: DocContext, report: Report) -> str:
    if not html.strip():
        return ""
    if "<" not in html.replace("<p>", "").replace("</p>", ""):
        return html  # nothing but paragraphs of text: nothing to resolve or refuse
    wrapper = lxml_html.fragment_fromstring(html, create_parent="div")
    for el in list(wrapper.iter()):
        if not isinstance(el.tag, str):
            if isinstance(el, etree._ProcessingInstruction):
                _unsafe(ctx, report, "<?", "processing instructions are not allowed in course content", "remove it")
                el.getparent().remove(el)
            continue
        tag = el.tag.lower().split("}")[-1]
        if el.getparent() is None and el is not wrapper:
            continue  # already removed with its parent
        if tag == "style":
            if css_unsafe(el.text or ""):
                _unsafe(ctx, report, "<style", "a <style> block may not load files or run code "
                        "(url(), image-set(), @import, escapes)",
                        "remove it; put images in the Markdown instead")
                el.drop_tree()
            continue
        if tag in FORBIDDEN_TAGS or (tag in ANIMATION_TAGS and animation_unsafe(el.attrib)):
            _unsafe(ctx, report, f"<{tag}", f"raw HTML <{tag}> is not allowed in course content",
                    "remove it; use Markdown for text, links and images")
            el.drop_tree()
            continue
        for name in list(el.attrib):
            lname = name.lower()
            value = el.attrib[name]
            if lname.startswith("on"):
                _unsafe(ctx, report, name, f"the event attribute '{name}' is not allowed in course content",
                        "remove it; the player provides all interaction")
                del el.attrib[name]
            elif lname == "style" and css_unsafe(value):
                _unsafe(ctx, report, value, "CSS in a style attribute may not load files or run code",
                        "remove the url(...), image-set(...) or escapes from the style attribute")
                del el.attrib[name]
            elif lname in URL_ATTRS or lname.endswith(":href"):
                new = _resolve(tag, lname, value, ctx, report)
                if new is None:
                    del el.attrib[name]
                elif new != value:
                    el.attrib[name] = new
                if tag == "a" and lname == "href" and new and new.startswith(("http:", "https:", "page-", "assets/")):
                    el.attrib["target"] = "_blank"
                    el.attrib["rel"] = "noopener"
    out = (wrapper.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in wrapper)
    return sanitize(out, ctx, report)


# ---- defence in depth: a maintained allow-list sanitiser over every fragment -----------------
# The checks above refuse unsafe content with a located message. nh3 (ammonia) then re-parses
# each fragment with a browser-grade HTML parser and keeps only what this allow-list names. If it
# removes nothing, the fragment is kept byte for byte; if it removes something, the checks missed
# it: the cleaned fragment is used and a warning says so.
SVG_TAGS = {"svg", "g", "path", "circle", "ellipse", "line", "polyline", "polygon", "rect", "text", "tspan",
            "title", "desc", "defs", "lineargradient", "radialgradient", "stop", "symbol", "marker", "clippath",
            "mask", "pattern"}
SANITIZE_TAGS = set(nh3.ALLOWED_TAGS) | SVG_TAGS | {
    "section", "figure", "figcaption", "video", "audio", "source", "track", "picture", "main", "address",
    "big", "font", "style"}
SVG_ATTRS = {"viewbox", "viewBox", "xmlns", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
             "rx", "ry", "d", "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
             "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "opacity", "font-size",
             "font-family", "font-weight", "font-style", "text-anchor", "dominant-baseline", "offset",
             "stop-color", "stop-opacity", "gradientunits", "gradientUnits", "preserveaspectratio",
             "preserveAspectRatio", "dx", "dy", "clip-path", "mask", "marker-end", "marker-start", "refx", "refX",
             "refy", "refY", "markerwidth", "markerWidth", "markerheight", "markerHeight", "orient",
             "vector-effect", "aria-hidden", "focusable"}
SANITIZE_ATTRS = {
    "*": {"id", "class", "title", "lang", "dir", "role", "style", "hidden", "tabindex"},
    "a": {"href", "target", "rel", "name", "hreflang", "type", "download"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan", "align", "valign", "headers"}, "th": {"colspan", "rowspan", "align", "valign",
                                                                        "scope", "headers", "abbr"},
    "col": {"span", "width"}, "colgroup": {"span", "width"}, "table": {"summary", "width", "border"},
    "ol": {"start", "type", "reversed"}, "li": {"value"}, "time": {"datetime"}, "q": {"cite"},
    "blockquote": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"}, "details": {"open"},
    "abbr": {"title"}, "data": {"value"}, "font": {"color", "size", "face"},
    "video": {"src", "controls", "poster", "width", "height", "preload", "loop", "muted", "playsinline"},
    "audio": {"src", "controls", "preload", "loop", "muted"}, "source": {"src", "type", "media"},
    "track": {"src", "kind", "srclang", "label", "default"},
    **{t: SVG_ATTRS for t in SVG_TAGS},
}
SANITIZE_SCHEMES = {"http", "https", "mailto", "tel", "data"}


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if value.lstrip()[:5].lower() == "data:" and not (tag == "img" and attr == "src" and SAFE_DATA_IMAGE.match(
            value.strip())):
        return None  # data: URLs only as images, as the checks allow
    return value


@lru_cache(maxsize=1)
def _cleaner():
    """One configured cleaner for every fragment (building nh3's configuration is most of a call's cost)."""
    options = dict(tags=SANITIZE_TAGS, attributes=SANITIZE_ATTRS, url_schemes=SANITIZE_SCHEMES,
                   attribute_filter=_attribute_filter, link_rel=None, strip_comments=False,
                   generic_attribute_prefixes={"aria-", "data-"}, clean_content_tags={"script"})
    if hasattr(nh3, "Cleaner"):
        return nh3.Cleaner(**options).clean
    return lambda html: nh3.clean(html, **options)


def sanitize(html: str, ctx: DocContext | None = None, report: Report | None = None) -> str:
    """Run nh3 over a fragment; return it unchanged unless nh3 removed something."""
    if not html or "<" not in html:
        return html
    cleaned = _cleaner()(html)
    if "style" in cleaned.lower():  # nh3 keeps CSS as it is: drop any that could load a file
        cleaned = _drop_unsafe_css(cleaned)
    if cleaned == html or _canonical(cleaned) == _canonical(html):
        return html
    if report is not None and ctx is not None:
        removed = _removed(html, cleaned)
        if not removed:
            report.warning("sanitised", "the HTML sanitiser removed something the checks let through",
                           path=ctx.rel, line=ctx.line_of("<") if "<" in ctx.text else None,
                           hint="please report this to the coursepack maintainers with the page's source")
        for needle, what in removed:
            report.warning("sanitised", f"{what} was removed: it is not HTML a course page may use",
                           path=ctx.rel, line=ctx.line_of(needle),
                           hint="remove it, or write the same with Markdown or plain HTML tags (p, ul, table, img…)")
    return cleaned


def _removed(before: str, after: str) -> list[tuple[str, str]]:
    """What the sanitiser took out: (text to find it by in the source, a description), for the warning."""
    def inventory(html: str):
        tags, attrs = collections.Counter(), collections.Counter()
        try:
            wrapper = lxml_html.fragment_fromstring(html, create_parent="div")
        except (etree.ParserError, ValueError):
            return tags, attrs
        for el in wrapper.iter():
            if isinstance(el.tag, str):
                tag = el.tag.lower().split("}")[-1]
                tags[tag] += 1
                for name in el.attrib:
                    attrs[(tag, name.lower())] += 1
        return tags, attrs
    tags_b, attrs_b = inventory(before)
    tags_a, attrs_a = inventory(after)
    out = [(f"<{tag}", f"the HTML tag <{tag}>") for tag in tags_b if tags_b[tag] > tags_a[tag]]
    out += [(name, f"the attribute '{name}' of <{tag}>") for (tag, name) in attrs_b
            if attrs_b[(tag, name)] > attrs_a[(tag, name)] and tags_b[tag] <= tags_a[tag]]
    return out[:5]


def _drop_unsafe_css(html: str) -> str:
    wrapper = lxml_html.fragment_fromstring(html, create_parent="div")
    changed = False
    for el in list(wrapper.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower() == "style" and css_unsafe(el.text or ""):
            el.drop_tree()
            changed = True
        elif css_unsafe(el.attrib.get("style", "")):
            del el.attrib["style"]
            changed = True
    if not changed:
        return html
    return (wrapper.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in wrapper)


def _canonical(html: str) -> tuple:
    """The parsed tree (tags, attributes, text, comments), independent of how it was serialised."""
    def walk(el) -> tuple:
        tag = el.tag if isinstance(el.tag, str) else ("<!--" if isinstance(el, etree._Comment) else "<?")
        attrs = tuple(sorted((k.lower(), v) for k, v in el.attrib.items())) if isinstance(el.tag, str) else ()
        return (tag.lower(), attrs, el.text or "", tuple(walk(c) for c in el), el.tail or "")
    try:
        return walk(lxml_html.fragment_fromstring(html, create_parent="div"))
    except (etree.ParserError, ValueError):
        return ("unparsable", html)


ANIMATION_TAGS = {"animate", "set", "animatemotion", "animatetransform"}
CSS_UNSAFE = re.compile(r"url\s*\((?!\s*['\"]?#)|image-set\s*\(|image\s*\(|@import|expression\s*\(|\\|javascript:|"
                        r"behavior\s*:|-moz-binding|src\s*\(", re.I)


def css_unsafe(css: str) -> bool:
    """CSS that could load a file or run code (escapes are refused: they hide the rest)."""
    return bool(CSS_UNSAFE.search(css))


def animation_unsafe(attrib) -> bool:
    """SVG <animate>/<set> that rewrites a link or an event handler."""
    target = (attrib.get("attributeName") or attrib.get("attributename") or "").lower()
    values = " ".join(attrib.get(k, "") for k in ("values", "to", "from", "by")).lower()
    return target.endswith("href") or target.startswith("on") or "javascript:" in values or not target


def _unsafe(ctx: DocContext, report: Report, needle: str, message: str, hint: str) -> None:
    report.error("unsafe-html", message, path=ctx.rel, line=ctx.line_of(needle), hint=hint)


def _resolve(tag: str, attr: str, value: str, ctx: DocContext, report: Report) -> str | None:
    url = re.sub(r"[\t\n\r]", "", value).strip()  # browsers drop these inside URLs: `java&#9;script:`
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
        if "\\" in value or "...." in target:
            hint = "write paths with forward slashes, e.g. ../../assets/picture.svg"
        near = _case_insensitive_match(ctx.root, joined)
        if near:
            shown = posixpath.relpath(near, base or ".")
            hint = f"the file is called '{shown}' (file names are case-sensitive in an LMS)"
        else:  # one folder too few or too many '../'
            for other in ["../" + target] + ([target[3:]] if target.startswith("../") else []):
                cand = posixpath.normpath(posixpath.join(base, other))
                if not cand.startswith("../") and _exists_exact(ctx.root, cand) and (ctx.root / cand).is_file():
                    hint = f"write '{other}': paths start from the folder of this file ({base or 'the course folder'}/)"
                    break
        report.error("missing-file", f"'{target}' does not exist", path=ctx.rel, line=line, hint=hint)
        return None
    if full.is_symlink() or not full.resolve().is_relative_to(ctx.root.resolve()):
        report.error("outside-course", f"'{target}' is a link to a file outside the course", path=ctx.rel,
                     line=line, hint="copy the file into the course folder")
        return None
    if not full.is_file():
        report.error("missing-file", f"'{target}' is a folder or a special file, not a file", path=ctx.rel,
                     line=line)
        return None
    if not SAFE_NAME.match(joined):
        report.error("file-name", f"the file name '{joined}' has characters some LMSs cannot serve",
                     path=ctx.rel, line=line,
                     hint="rename it using only ASCII letters, digits, '-', '_' and '.'")
        return None
    if joined.endswith(".md"):
        if ctx.is_session and ctx.is_session(joined):
            if ctx.is_session(ctx.rel):
                report.error("session-link", f"'{target}' is a session plan; sessions cannot link to each other",
                             path=ctx.rel, line=line, hint="move shared text into a handout page and link that")
            else:  # an about page or a handout
                report.error("session-link", f"'{target}' is a session plan; a page can link to handouts and other "
                             "pages but not to a session plan (a session is an activity in the LMS, not a page of "
                             "the package)", path=ctx.rel, line=line,
                             hint="name the session in words instead, e.g. \"see the session 'Welcome'\"")
            return None
        ctx.pages.add(joined)
        return page_href(joined) + fragment
    ext = joined.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(joined) else ""
    if ext not in ASSET_TYPES:
        report.error("file-type", f"'{target}': files of type '.{ext}' cannot be linked from course content"
                     if ext else f"'{target}' has no file extension", path=ctx.rel, line=line,
                     hint="link images, PDFs, office documents, audio or video; write pages in Markdown (.md)")
        return None
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
    root = tree.getroot()
    if etree.QName(root).localname != "svg":
        report.error("svg-invalid", f"the file's outer element is <{etree.QName(root).localname}>, not <svg>, so "
                     "it is not an SVG picture", path=rel, line=root.sourceline,
                     hint="export the picture again as SVG (the file starts with <svg …> after any <?xml …?> line)")
        return
    outside = list(root.itersiblings(preceding=True)) + list(root.itersiblings())
    for el in outside + list(tree.iter()):
        if not isinstance(el.tag, str):
            if isinstance(el, etree._Entity):
                report.error("svg-unsafe", "the SVG uses XML entities", path=rel, line=el.sourceline)
            elif isinstance(el, etree._ProcessingInstruction):
                report.error("svg-unsafe", f"the SVG has a processing instruction <?{el.target} …?>", path=rel,
                             line=el.sourceline, hint="remove it (a stylesheet would be loaded from elsewhere)")
            continue
        local = etree.QName(el).localname.lower()
        if local in ("script", "foreignobject", "iframe", "embed", "object", "handler", "listener") or (
                local in ANIMATION_TAGS and animation_unsafe(el.attrib)):
            report.error("svg-unsafe", f"the SVG contains <{local}>, which is not allowed here", path=rel,
                         line=el.sourceline, hint="draw with shapes and text only")
        if local == "style" and css_unsafe(el.text or ""):
            report.error("svg-unsafe", "the SVG's <style> loads files or uses escapes", path=rel,
                         line=el.sourceline, hint="remove url(), image-set() and @import from the style")
        for name, value in el.attrib.items():
            lname = etree.QName(name).localname.lower() if name.startswith("{") else name.lower()
            if lname == "style" and css_unsafe(value):
                report.error("svg-unsafe", "a style attribute in the SVG loads files or uses escapes", path=rel,
                             line=el.sourceline, hint="use plain colours, e.g. fill:#1f4e79")
            elif lname.startswith("on"):
                report.error("svg-unsafe", f"the SVG has an event attribute '{lname}'", path=rel,
                             line=el.sourceline, hint="remove it")
            elif lname in ("href", "src") and value.strip() and not value.strip().startswith("#"):
                report.error("svg-unsafe", f"the SVG refers to '{_short(value)}'; only #fragment references are allowed",
                             path=rel, line=el.sourceline, hint="embed the shape in the SVG itself")
    if tree.docinfo.internalDTD is not None or (tree.docinfo.doctype and "ENTITY" in tree.docinfo.doctype):
        report.error("svg-unsafe", "the SVG declares a DTD", path=rel, line=1, hint="remove the <!DOCTYPE> line")


# ---- a course's own templates: no scripts or styles from the network --------------------------

_REMOTE_TAG = re.compile(r"<(script|link)\b[^>]*>", re.I | re.S)
_REMOTE_ATTR = re.compile(r"""\b(src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]*)""", re.I)
_REMOTE_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?\s*((?:https?:)?//[^"')\s;]*)""", re.I)


def remote_template_refs(text: str) -> list[tuple[int, str, str]]:
    """(line, what, url) for every script or style a template would load from the network."""
    found = []
    for tag in _REMOTE_TAG.finditer(text):
        for attr in _REMOTE_ATTR.finditer(tag.group(0)):
            if (tag.group(1).lower(), attr.group(1).lower()) in (("script", "src"), ("link", "href")):
                pos = tag.start() + attr.start(2)
                found.append((text.count("\n", 0, pos) + 1, "script" if tag.group(1).lower() == "script"
                              else "style sheet", attr.group(2)))
    for imp in _REMOTE_IMPORT.finditer(text):
        found.append((text.count("\n", 0, imp.start(1)) + 1, "style sheet", imp.group(1)))
    return sorted(found)


def check_remote_templates(root: Path, report: Report) -> None:
    """Report course templates that load a script or style from the internet (an error: the package
    would not work offline, and the course would run code nobody reviewed)."""
    tdir = root / "templates"
    if not tdir.is_dir():
        return
    for f in sorted(tdir.rglob("*")):
        if f.suffix not in (".j2", ".html", ".css") or not f.is_file() or f.is_symlink():
            continue
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the loader reports unreadable templates
        for line, what, url in remote_template_refs(text):
            report.error("remote-template", f"the template loads a {what} from the internet: '{_short(url)}'",
                         path=f.relative_to(root).as_posix(), line=line,
                         hint="copy the file into templates/player/ and link it relatively, or build with "
                              "--allow-remote-templates if the LMS is always online and you trust the source")
