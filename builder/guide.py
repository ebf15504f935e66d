"""The facilitator's guide: one self-contained, printable HTML file per track.

This exporter reads the same course model as the SCORM exporter and writes the trainer's view
of it: the whole session plan (duration, objectives, materials, the activities with their
minutes), every facilitator block, the self-study blocks labelled as such, every quiz with its
answers and feedback, every reflection with its model answer, and the handouts as appendices.
Images and linked course files are inlined as data: URIs, so the file makes no request and
needs no script.

On paper (docs/guide.md): the cover and the contents have pages of their own; each session and
each appendix starts a page; every page carries a running header (the day or module, "Session N"
and its title, or "Appendix N") and "Page n of N" in its footer, made with named pages and
@page margin boxes, since a reader of paper cannot follow links and Chromium has no
target-counter(); the activities table has a running clock; links to a handout say which
appendix it is; materials that are handouts name their appendix.
"""
from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from . import models as m
from .audience import FACILITATOR, LEARNER
from .loader import ACTIVITY_RE
from .package import batched
from .render import CHOICE_IDS, Renderer, text_direction

PLACEHOLDER_RE = re.compile(r'<div class="cp-(quiz|reflection)" data-(?:quiz|reflection)="([^"]+)"></div>')
HREF_RE = re.compile(r'\b(src|href)="((?:assets/|page-)[^"#]*)(#[^"]*)?"')
H1_RE = re.compile(r"^\s*<h1\b[^>]*>.*?</h1>\s*", re.S)
LEARNER_DIV_RE = re.compile(r'(<div class="admonition [^"]*\b' + LEARNER + r'\b[^"]*">)')
FACILITATOR_DIV_RE = re.compile(r'(<div class="admonition [^"]*\b' + FACILITATOR + r'\b[^"]*">)')
IN_DOC_LINK_RE = re.compile(r'<a href="#([^"]+)"([^>]*)>(.*?)</a>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
CHECK_LI_RE = re.compile(r"<li>(\s*(?:<p>)?\s*[\u2610\u2611\u2612])")  # a list item that is a tick box: no bullet too

MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".gif": "image/gif", ".webp": "image/webp", ".pdf": "application/pdf"}


def guide_name(track: m.Track) -> str:
    return f"{track.id}-facilitator-guide.html"


@dataclass
class Part:
    kind: str  # "html" | "quiz" | "reflection"
    html: str = ""
    quiz: m.Quiz | None = None
    reflection: m.Reflection | None = None


@dataclass
class ClockedActivity:
    number: int | None
    name: str
    minutes: int
    start: str  # "0:10": minutes from the start of the session, as h:mm
    end: str


@dataclass
class Material:
    html: str
    appendix: int | None  # the number of the appendix this material is, if it is a handout


@dataclass
class GuidePage:
    key: str
    heading_html: str
    page: m.Page
    session: m.Session
    inline: "_Inliner"
    clock: str = ""  # "0:10–0:30" when the page is an activity of the plan

    @property
    def parts(self) -> list[Part]:
        """The page's text, quizzes and reflections, made when the template reaches the page (so a
        guide of 10,000 sessions never holds every page's text at once)."""
        s = self.session
        return _parts(self.page.html, {q.key: q for q in s.quizzes}, {r.key: r for r in s.reflections}, self.inline)


@dataclass
class GuideSession:
    anchor: str
    number: int
    session: m.Session
    module_title: str | None
    pages: list[GuidePage]
    activities: list[ClockedActivity]
    materials: list[Material]
    page_name: str  # the CSS named page of this session: its running header


@dataclass
class Module:
    title: str | None
    minutes: int
    sessions: list[GuideSession]
    hours: str = ""  # the minutes as hours, for a day's plan


@dataclass
class Appendix:
    anchor: str
    number: int
    title: str
    html: str
    page_name: str


class _Inliner:
    """Turns package-relative links into data: URIs (files) and in-document anchors (pages)."""

    def __init__(self, course: m.Course, track: m.Track, learner_label: str, appendix_label: str,
                 facilitator_label: str):
        self.course = course
        self.facilitator_label = facilitator_label
        self.page_anchor = {p.href: "about" if p.href == track.about_href else "appendix-" + _slug(p.href[:-5])
                            for p in track.pages}
        handouts = [p for p in track.pages if p.href != track.about_href]
        self.appendix_no = {self.page_anchor[p.href]: i + 1 for i, p in enumerate(handouts)}
        self.appendix_label = appendix_label
        self.by_href = {"assets/" + rel: path for rel, path in course.assets.items()}
        self.cache: dict[str, str] = {}
        self.learner_label = learner_label

    def data_uri(self, href: str) -> str | None:
        if href not in self.cache:
            path = self.by_href.get(href)
            if path is None:
                return None
            mime = MIME.get(Path(path).suffix.lower()) or mimetypes.guess_type(path)[0] or "application/octet-stream"
            self.cache[href] = f"data:{mime};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")
        return self.cache[href]

    def __call__(self, html: str) -> str:
        def link(mt: re.Match) -> str:
            attr, target, frag = mt.group(1), mt.group(2), mt.group(3) or ""
            if target in self.page_anchor:
                return f'{attr}="#{self.page_anchor[target]}"'
            uri = self.data_uri(target)
            return f'{attr}="{uri}"' if uri else mt.group(0)

        def appendix(mt: re.Match) -> str:
            anchor, attrs, text = mt.group(1), mt.group(2), mt.group(3)
            # an in-document link opens no tab; on paper it says which appendix to turn to
            attrs = re.sub(r'\s(?:target|rel)="[^"]*"', "", attrs)
            label = self.appendix_label.replace("{n}", str(self.appendix_no.get(anchor, "")))
            ref = "" if anchor not in self.appendix_no or label in text else f' <span class="g-ref">({label})</span>'
            return f'<a href="#{anchor}"{attrs}>{text}</a>{ref}'

        html = HREF_RE.sub(link, html)
        html = IN_DOC_LINK_RE.sub(appendix, html)
        html = CHECK_LI_RE.sub(r'<li class="g-tick">\1', html)
        # who a block is for is said in words, not only by its frame or colour
        html = FACILITATOR_DIV_RE.sub(
            lambda mt: mt.group(1) + f'<p class="cp-audience g-for-trainer">{self.facilitator_label}</p>', html)
        return LEARNER_DIV_RE.sub(lambda mt: mt.group(1) + f'<p class="cp-audience">{self.learner_label}</p>', html)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def clocked(activities: list[m.Activity]) -> list[ClockedActivity]:
    """The activities with their start and end, counted from the start of the session."""
    out, at = [], 0
    for a in activities:
        out.append(ClockedActivity(number=a.number, name=a.name, minutes=a.minutes, start=_clock(at),
                                   end=_clock(at + a.minutes)))
        at += a.minutes
    return out


def _clock_pages(session: m.Session, pages: list[GuidePage], activities: list[ClockedActivity]) -> None:
    """Each activity's page heading gets its time on the clock. The activities are read from the
    same `## ...` headings that start the pages, in order; if they cannot be paired, none is."""
    timed = [gp for p, gp in zip(session.pages, pages) if p.heading_html and ACTIVITY_RE.match("## " + p.title)]
    if len(timed) != len(activities):
        return
    for gp, a in zip(timed, activities):
        gp.clock = f"{a.start}–{a.end}"


def _plain(html: str) -> str:
    return " ".join(TAG_RE.sub("", html).split()).casefold()


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a <style> element."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def css_content(template: str, **values: str) -> str:
    """A catalogue text such as "Page {n} of {total}" as a CSS content value; ``values`` are CSS
    (``counter(page)``) put in the place of their {name}."""
    parts = re.split(r"\{(\w+)\}", template)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(values.get(part, css_string("{" + part + "}")))
        elif part:
            out.append(css_string(part))
    return " ".join(out) or '""'


def short(text: str, limit: int = 60) -> str:
    """A running header holds one line: long titles are cut at a word, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if text[limit - 1].isalnum():  # the cut is inside a word: leave that word out
        cut = cut.rsplit(" ", 1)[0]
    cut = cut.rstrip(" ,;:–-·")
    return cut + "…"


def _hours(minutes: int, t: dict[str, str]) -> str:
    h, mins = divmod(minutes, 60)
    if not h:
        return t["minutes_short"].replace("{n}", str(mins))
    if not mins:
        return t["guide_hours_whole"].replace("{h}", str(h))
    return t["guide_hours"].replace("{h}", str(h)).replace("{m}", str(mins))


def _without_h1(html: str) -> str:
    """The page's own `# Title` is replaced by the guide's heading for it."""
    return H1_RE.sub("", html, count=1)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _parts(html: str, quizzes: dict[str, m.Quiz], reflections: dict[str, m.Reflection],
           inline: _Inliner) -> list[Part]:
    parts: list[Part] = []
    pos = 0
    for mt in PLACEHOLDER_RE.finditer(html):
        if mt.start() > pos:
            parts.append(Part("html", html=inline(html[pos:mt.start()])))
        kind, key = mt.group(1), mt.group(2)
        if kind == "quiz" and key in quizzes:
            parts.append(Part("quiz", quiz=quizzes[key]))
        elif kind == "reflection" and key in reflections:
            parts.append(Part("reflection", reflection=reflections[key]))
        pos = mt.end()
    if pos < len(html):
        parts.append(Part("html", html=inline(html[pos:])))
    return parts


def render_guide(course: m.Course, track: m.Track, renderer: Renderer) -> str:
    """The guide of one track as one HTML document (str)."""
    template, context = guide_context(course, track, renderer)
    return template.render(**context)


def guide_pieces(course: m.Course, track: m.Track, renderer: Renderer):
    """The guide as it is made, in pieces of about 64 KB of text (what the build writes)."""
    template, context = guide_context(course, track, renderer)
    yield from batched(template.generate(**context))


def guide_context(course: m.Course, track: m.Track, renderer: Renderer):
    """The guide's template and what it is given."""
    t, _ = renderer.messages(track.language)
    inline = _Inliner(course, track, t["guide_learner_block"], t["guide_see_appendix"], t["guide_facilitator_box"])
    about = next((p for p in track.pages if p.href == track.about_href), None)
    appendices = [Appendix(anchor=inline.page_anchor[p.href], number=i + 1, title=p.title,
                           html=inline(_without_h1(p.html)), page_name=f"g-appendix-{i + 1}")
                  for i, p in enumerate(q for q in track.pages if q is not about)]
    by_title = {_plain(a.title): a.number for a in appendices}
    sessions: list[GuideSession] = []
    modules: list[Module] = []
    number = 0
    for mod in track.modules:
        group = Module(title=mod.title or None, minutes=0, sessions=[])
        for s in mod.sessions:
            number += 1
            pages = [GuidePage(key=p.key, heading_html=inline(p.heading_html), page=p, session=s, inline=inline)
                     for p in s.pages]
            activities = clocked(s.activities)
            _clock_pages(s, pages, activities)
            gs = GuideSession(anchor=f"session-{s.key}", number=number, session=s,
                              module_title=mod.title or None, pages=pages, activities=activities,
                              materials=[Material(html=inline(x), appendix=by_title.get(_plain(x)))
                                         for x in s.materials],
                              page_name=f"g-session-{number}")
            sessions.append(gs)
            group.sessions.append(gs)
            group.minutes += s.duration
        group.hours = _hours(group.minutes, t)
        modules.append(group)
    css = (renderer.default_dir / "guide.css").read_text(encoding="utf-8")
    for d in renderer.dirs[:-1]:  # a course's own guide.css replaces the default
        if (d / "guide.css").is_file():
            css = (d / "guide.css").read_text(encoding="utf-8")
    version = track.version
    total = sum(gs.session.duration for gs in sessions)
    return renderer.env.get_template("guide.html.j2"), dict(
        lang=track.language, dir=text_direction(track.language), t=t, course=course, track=track,
        version=version, sessions=sessions, modules=modules, appendices=appendices,
        about_html=inline(_without_h1(about.html)) if about else None, about_title=about.title if about else None,
        css=css, page_css=_page_css(track, sessions, appendices, t), choice_ids=CHOICE_IDS,
        summary=t["guide_summary"].replace("{sessions}", str(len(sessions))).replace("{hours}", _hours(total, t)),
        logo_uri=inline.data_uri("assets/" + course.logo) if course.logo else None,
    )


def _page_css(track: m.Track, sessions: list[GuideSession], appendices: list[Appendix], t: dict[str, str]) -> str:
    """The running headers: one named page per session and appendix (Chromium prints @page margin
    boxes but has no string-set(), so each header is written out here)."""
    footer = css_content(t["page_of"], n="counter(page)", total="counter(pages)")
    guide = css_string(f"{short(track.title, 50)} – {t['guide_title']}")
    rules = [f"@page {{ @bottom-left {{ content: {guide}; }} @bottom-right {{ content: {footer}; }} }}",
             "@page g-cover { @top-left { content: none; } @top-right { content: none; } }"]
    for gs in sessions:
        label = t["guide_session"].replace("{n}", str(gs.number))
        left = css_string(short(gs.module_title or track.title, 46))
        right = css_string(short(f"{label} · {gs.session.title}", 46))
        rules.append(f"@page {gs.page_name} {{ @top-left {{ content: {left}; }} @top-right {{ content: {right}; }} }}")
    for a in appendices:
        label = t["guide_appendix"].replace("{n}", str(a.number))
        # a handout is copied for the learners: its pages do not say "facilitator's guide"
        rules.append(f"@page {a.page_name} {{ @top-left {{ content: {css_string(short(track.title, 46))}; }}"
                     f" @top-right {{ content: {css_string(short(label + ' · ' + a.title, 46))}; }}"
                     f" @bottom-left {{ content: none; }} }}")
    return "\n".join(rules)
