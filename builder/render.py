"""Render the course into HTML pages with Jinja2 (templates/ or a course's own).

The renderer decides what each SCO contains (``plan_scos``), builds the player data
described in docs/player.md, and fills the templates. It knows nothing about
manifests or zips.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import models as m

CHOICE_IDS = "abcdefghijklmnopqrstuvwxyz0123456789"
RTL_LANGS = {"ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"}


def default_templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    installed = here / "templates"  # inside a wheel
    return installed if installed.is_dir() else here.parent / "templates"


@dataclass
class PageView:
    page: m.Page

    @property
    def key(self) -> str:
        return self.page.key

    @property
    def title(self) -> str:
        return self.page.learner_title

    @property
    def heading_html(self) -> str:  # "" on a session's first page
        return self.page.learner_heading_html

    @property
    def html(self) -> str:  # read (and uncompressed) only when the template writes the page
        return self.page.learner_html


@dataclass
class SessionView:
    """A session as the learner meets it: no facilitator blocks, no materials, no minutes."""

    key: str
    id: str
    title: str
    module_title: str | None
    study_minutes: int
    objectives: list[str]
    pages: list[PageView]


def learner_view(mod: m.Module, s: m.Session) -> SessionView:
    pages = [PageView(p) for p in s.pages]
    return SessionView(key=s.key, id=s.key, title=s.title, module_title=mod.title or None,
                       study_minutes=s.study_minutes, objectives=s.objectives, pages=pages)


@dataclass
class Sco:
    key: str
    title: str
    href: str
    sessions: list[SessionView]
    source: list[m.Session] = field(repr=False, default_factory=list)
    next_title: str | None = None  # multi-sco: the title of the track's next session

    @property
    def questions(self) -> int:
        return sum(len(q.questions) for s in self.source for q in s.quizzes if q.record)

    @property
    def scored(self) -> int:
        return sum(1 for s in self.source for q in s.quizzes if q.record for i in q.questions
                   if i.source.type != "likert")


def plan_scos(track: m.Track, layout: str) -> list[Sco]:
    if layout == "single-sco":
        views = [learner_view(mod, s) for mod in track.modules for s in mod.sessions]
        return [Sco(key=track.id, title=track.title, href="index.html", sessions=views, source=track.sessions)]
    pairs = [(mod, s) for mod in track.modules for s in mod.sessions]
    return [Sco(key=s.key, title=s.title, href=f"sco-{s.key}.html", sessions=[learner_view(mod, s)], source=[s],
                next_title=pairs[i + 1][1].title if i + 1 < len(pairs) else None)
            for i, (mod, s) in enumerate(pairs)]


class Renderer:
    """One per course: holds the Jinja environment and message catalogues."""

    def __init__(self, course: m.Course):
        self.course = course
        self.default_dir = default_templates_dir()
        dirs = [Path(course.templates_dir)] if course.templates_dir else []
        self.dirs = dirs + [self.default_dir]
        self._messages: dict[str, tuple[dict[str, str], bool]] = {}
        self._player_messages: dict[tuple[str, str], tuple[dict[str, str], dict[str, str]]] = {}
        # a course's own templates run sandboxed: they must not reach Python internals
        env_class = SandboxedEnvironment if course.templates_dir else jinja2.Environment
        self.env = env_class(
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in self.dirs]),
            autoescape=jinja2.select_autoescape(default=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    # ---- messages -----------------------------------------------------------------------
    def messages(self, lang: str) -> tuple[dict[str, str], bool]:
        """The catalogue for ``lang`` (English fills gaps) and whether ``lang`` had one of its own.

        Read once per language: every SCO and page of a track uses the same catalogue.
        """
        if lang not in self._messages:
            merged: dict[str, str] = {}
            found = lang.split("-")[0].lower() == "en"
            for code in ["en"] + _lang_chain(lang):
                for d in reversed(self.dirs):  # defaults first, the course's own files override
                    p = d / "messages" / f"{code}.json"
                    if p.is_file():
                        merged.update(json.loads(p.read_text(encoding="utf-8")))
                        found = found or code != "en"
            self._messages[lang] = (merged, found)
        return self._messages[lang]

    # ---- player files -------------------------------------------------------------------
    def player_files(self) -> dict[str, bytes]:
        """The player's files as they go into every package, keyed by their path there.

        The player's script is written in parts, ``player/js/NN-name.js``; they are joined in
        name order inside one ``"use strict"`` function into the single ``player/player.js``.
        A course's own ``templates/player/`` overrides files by name: a part (``js/50-pages.js``),
        another file, or the whole ``player.js`` (then the parts are not used). Every ``.js`` and
        ``.css`` file is minified (rjsmin, rcssmin: same input, same bytes).
        """
        import rcssmin  # only a build needs the minifiers
        import rjsmin

        found: dict[str, bytes] = {}
        for d in reversed(self.dirs):  # defaults first, the course's own files override
            pdir = d / "player"
            if pdir.is_dir():
                for f in sorted(pdir.rglob("*")):
                    if f.is_file() and not f.name.startswith("."):
                        found[f.relative_to(pdir).as_posix()] = f.read_bytes()
        parts = sorted(k for k in found if k.startswith("js/") and k.endswith(".js") and k.count("/") == 1)
        files: dict[str, bytes] = {}
        if parts and "player.js" not in found:
            body = "\n".join(found[k].decode("utf-8") for k in parts)
            found["player.js"] = ('(function () {\n"use strict";\n' + body + "\n})();\n").encode("utf-8")
        for rel, data in found.items():
            if rel.startswith("js/"):
                continue
            if rel.endswith(".js"):
                data = (rjsmin.jsmin(data.decode("utf-8")).strip() + "\n").encode("utf-8")
            elif rel.endswith(".css"):
                data = (rcssmin.cssmin(data.decode("utf-8")).strip() + "\n").encode("utf-8")
            files["player/" + rel] = data
        return dict(sorted(files.items()))

    # ---- pages --------------------------------------------------------------------------
    def render_sco(self, track: m.Track, sco: Sco, scorm: str) -> str:
        template, context = self.sco_context(track, sco, scorm)
        return template.render(**context)

    def sco_context(self, track: m.Track, sco: Sco, scorm: str) -> tuple[jinja2.Template, dict]:
        """The SCO template and what it is given (``render_sco`` renders it whole; the build streams it)."""
        t, player_messages = self._sco_messages(track.language)
        data = player_data(track, sco, scorm, player_messages)
        return self.env.get_template("sco.html.j2"), dict(
            lang=track.language, dir=text_direction(track.language), t=t, course=self.course, track=track,
            sco=sco, about_href=track.about_href, player_json=script_json(data), scorm=scorm,
        )

    def _sco_messages(self, lang: str) -> tuple[dict[str, str], dict[str, str]]:
        """The whole catalogue, and the part the player needs (the guide's own words left out)."""
        key = ("sco", lang)
        if key not in self._player_messages:
            t, _ = self.messages(lang)
            self._player_messages[key] = (t, {k: v for k, v in t.items() if not k.startswith("guide_")})
        return self._player_messages[key]

    def render_page(self, track: m.Track, page: m.ExtraPage) -> str:
        t, _ = self.messages(track.language)
        return self.env.get_template("page.html.j2").render(
            lang=track.language, dir=text_direction(track.language), t=t, title=page.title, html=page.html,
            course=self.course, track=track,
        )


def _lang_chain(lang: str) -> list[str]:
    parts = lang.lower().split("-")
    return ["-".join(parts[:i]) for i in range(1, len(parts) + 1)]


def text_direction(lang: str) -> str:
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGS else "ltr"


def script_json(data) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def question_data(item: m.QuestionItem) -> dict:
    q = item.source
    d = {
        "key": item.key,
        "type": q.type,
        "prompt": item.prompt_html,
        "scored": q.type != "likert",
        "feedback": item.feedback_html,
    }
    if q.type in ("single", "multiple"):
        d["choices"] = [{"id": CHOICE_IDS[i], "html": c["html"], "correct": c["correct"], "feedback": c["feedback"]}
                        for i, c in enumerate(item.choices_html)]
    elif q.type == "likert":
        d["choices"] = [{"id": CHOICE_IDS[i], "html": c["html"], "correct": False, "feedback": None}
                        for i, c in enumerate(item.choices_html)]
    elif q.type == "true-false":
        d["answer"] = q.answer
    elif q.type == "fill-in":
        d["answers"] = list(q.answers)
    elif q.type == "numeric":
        d["answer"] = q.answer
        d["tolerance"] = q.tolerance
    elif q.type == "matching":
        d["pairs"] = [{"id": CHOICE_IDS[i], "html": p["left"]} for i, p in enumerate(item.choices_html)]
        d["targets"] = [{"id": CHOICE_IDS[i], "html": p["right"]} for i, p in enumerate(item.choices_html)]
    elif q.type == "ordering":
        d["items"] = [{"id": CHOICE_IDS[i], "html": c["html"]} for i, c in enumerate(item.choices_html)]
    return d


class LazyQuestions(Sequence):
    """A quiz's questions as player data, each made when it is read and then let go: the tracking
    estimate (datamodel.py) reads a 10,000-session package's 80,000 questions one at a time."""

    def __init__(self, items: list[m.QuestionItem]):
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [question_data(x) for x in self.items[i]]
        return question_data(self.items[i])


def player_data(track: m.Track, sco: Sco, scorm: str, messages: dict[str, str], lazy: bool = False) -> dict:
    """What the player is given (as JSON in the SCO page). ``lazy``: questions as LazyQuestions,
    for reading (not for JSON)."""
    quizzes, reflections, sessions = {}, {}, []
    for idx, (view, s) in enumerate(zip(sco.sessions, sco.source)):
        sessions.append({"key": s.key, "title": s.title, "module": view.module_title, "minutes": s.study_minutes,
                         "pages": [{"key": p.key, "title": p.title} for p in view.pages]})
        for q in s.quizzes:
            quizzes[q.key] = {"key": q.key, "session": idx, "title": q.title, "attempts": q.attempts,
                              "shuffle": q.shuffle, "record": q.record,
                              "questions": LazyQuestions(q.questions) if lazy
                              else [question_data(i) for i in q.questions]}
        for r in s.reflections:
            reflections[r.key] = {"key": r.key, "session": idx, "prompt": r.prompt_html, "minWords": r.min_words,
                                  "modelAnswer": r.model_answer_html,
                                  "interaction": r.key}
    digest = hashlib.sha256("".join(s.digest for s in sco.source).encode()).hexdigest()[:8]
    return {
        "schema": 1,
        "scorm": scorm,
        "mastery": track.mastery_score,
        "track": track.id,
        "sco": sco.key,
        "storageKey": f"coursepack:{track.id}:{sco.key}:{digest}",
        "lang": track.language,
        "nextTitle": sco.next_title,
        "messages": messages,
        "sessions": sessions,
        "quizzes": quizzes,
        "reflections": reflections,
    }
