"""The facilitator's guide: one self-contained, printable HTML file per track.

This exporter reads the same course model as the SCORM exporter and writes the trainer's view
of it: the whole session plan (duration, objectives, materials, the activities with their
minutes), every facilitator block, the self-study blocks labelled as such, every quiz with its
answers and feedback, every reflection with its model answer, and the handouts as appendices.
Images and linked course files are inlined as data: URIs, so the file makes no request and
needs no script; a print stylesheet starts each session on a new page.
"""
from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from . import models as m
from .audience import LEARNER
from .render import CHOICE_IDS, Renderer, text_direction

PLACEHOLDER_RE = re.compile(r'<div class="cp-(quiz|reflection)" data-(?:quiz|reflection)="([^"]+)"></div>')
HREF_RE = re.compile(r'\b(src|href)="((?:assets/|page-)[^"#]*)(#[^"]*)?"')
H1_RE = re.compile(r"^\s*<h1\b[^>]*>.*?</h1>\s*", re.S)
LEARNER_DIV_RE = re.compile(r'(<div class="admonition [^"]*\b' + LEARNER + r'\b[^"]*">)')

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
class GuidePage:
    key: str
    heading_html: str
    parts: list[Part]


@dataclass
class GuideSession:
    anchor: str
    number: int
    session: m.Session
    module_title: str | None
    pages: list[GuidePage]


@dataclass
class Appendix:
    anchor: str
    number: int
    title: str
    html: str


class _Inliner:
    """Turns package-relative links into data: URIs (files) and in-document anchors (pages)."""

    def __init__(self, course: m.Course, track: m.Track, learner_label: str):
        self.course = course
        self.page_anchor = {p.href: "appendix-" + _slug(p.href[:-5]) for p in track.pages}
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

        html = HREF_RE.sub(link, html)
        return LEARNER_DIV_RE.sub(lambda mt: mt.group(1) + f'<p class="cp-audience">{self.learner_label}</p>', html)


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
    t, _ = renderer.messages(track.language)
    inline = _Inliner(course, track, t["guide_learner_block"])
    sessions: list[GuideSession] = []
    number = 0
    for mod in track.modules:
        for s in mod.sessions:
            number += 1
            quizzes = {q.key: q for q in s.quizzes}
            reflections = {r.key: r for r in s.reflections}
            pages = [GuidePage(key=p.key, heading_html=inline(p.heading_html),
                               parts=_parts(p.html, quizzes, reflections, inline)) for p in s.pages]
            sessions.append(GuideSession(anchor=f"session-{s.key}", number=number, session=s,
                                         module_title=mod.title or None, pages=pages))
    about = next((p for p in track.pages if p.href == track.about_href), None)
    appendices = [Appendix(anchor=inline.page_anchor[p.href], number=i + 1, title=p.title,
                           html=inline(_without_h1(p.html)))
                  for i, p in enumerate(q for q in track.pages if q is not about)]
    css = (renderer.default_dir / "guide.css").read_text(encoding="utf-8")
    for d in renderer.dirs[:-1]:  # a course's own guide.css replaces the default
        if (d / "guide.css").is_file():
            css = (d / "guide.css").read_text(encoding="utf-8")
    version = track.version
    return renderer.env.get_template("guide.html.j2").render(
        lang=track.language, dir=text_direction(track.language), t=t, course=course, track=track,
        version=version, sessions=sessions, appendices=appendices,
        about_html=inline(_without_h1(about.html)) if about else None, about_title=about.title if about else None,
        css=css, choice_ids=CHOICE_IDS,
        logo_uri=inline.data_uri("assets/" + course.logo) if course.logo else None,
    )
