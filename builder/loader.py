"""The loader: course folder -> :class:`~builder.models.Course`.

This is the only module that reads course files. It knows nothing about SCORM.
It never stops at the first problem: every file is read and every problem goes
into the :class:`~builder.diagnostics.Report`.
"""
from __future__ import annotations

import collections
import datetime
import difflib
import json
import posixpath
import hashlib
import re
import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import jinja2
from lxml import html as lxml_html
from pydantic import BaseModel, ValidationError

from . import audience
from . import models as m
from .content import Converter, DocContext, check_svg, clear_caches, page_href
from .diagnostics import Report, relpath
from .yamlsrc import CONTROL_RE, YamlDoc, as_text, parse_yaml

SESSION_RE = re.compile(r"^\d+[-_].*\.md$")
# named like a session plan (a number first, Markdown) but not readable as one: "02 burns.md", "02burns.md"
BAD_SESSION_RE = re.compile(r"^\d+(?![\d_-]).*\.md$", re.I)
FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([A-Za-z0-9_-]*)\s*(.*)$")
ACTIVITY_RE = re.compile(
    r"^##\s+(?:(?P<word>\w+)\s+(?P<num>\d+)\s*[:.)\u2013\u2014-]\s*)?(?P<name>.+?)\s*"
    r"\(\s*(?P<min>\d+)\s*(?:min|mins|minutes|мин|минут|минуты)\.?\s*\)\s*$",
    re.I,
)
H2_RE = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
MAX_FILE_BYTES = 2_000_000
SKIP_DIRS = {"assets", "templates", "handouts", "node_modules"}


def load_course(src: Path) -> tuple[m.Course | None, Report]:
    report = Report()
    clear_caches()
    loader = _Loader(src.resolve(), report)
    try:
        course = loader.course()
    except OSError as exc:  # a file or folder that exists but cannot be read
        where = relpath(Path(exc.filename), loader.root) if exc.filename else None
        report.error("unreadable", f"cannot read: {exc.strerror or exc}", path=where,
                     hint="check the permissions of this file or folder")
        course = None
    return course, report


class _Loader:
    def __init__(self, root: Path, report: Report):
        self.root = root
        self.report = report
        self.md = Converter()
        self.session_paths: set[str] = set()

    # ---- helpers --------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        return relpath(path, self.root)

    def read_text(self, path: Path) -> str | None:
        rel = self.rel(path)
        if not path.resolve().is_relative_to(self.root):
            self.report.error("outside-course", "the file is a link to a file outside the course folder", path=rel,
                              hint="copy the file into the course folder instead of linking it")
            return None
        if not path.is_file():
            self.report.error("not-a-file", "this is not a regular file (a folder, pipe or device)", path=rel,
                              hint="replace it with an ordinary text file")
            return None
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.report.error("file-too-large", f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                                  path=rel, hint="split it into smaller files")
                return None
            raw = path.read_bytes()
        except OSError as exc:
            self.report.error("unreadable", f"cannot read the file: {exc.strerror or exc}", path=rel)
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.report.error("encoding", "the file is not UTF-8 text", path=rel, line=line,
                              hint="save the file as UTF-8 in your editor")
            return None
        if text.startswith("\ufeff"):
            text = text[1:]
        if "\x00" in text:
            self.report.error("encoding", "the file contains NUL characters; it is not a text file", path=rel)
            return None
        bad = CONTROL_RE.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            self.report.error("encoding", f"the file contains the invisible control character U+{ord(bad.group()):04X}",
                              path=rel, line=line, hint="delete it (it often comes from copying text out of a PDF)")
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, model: type[BaseModel], doc: YamlDoc, what: str) -> Any | None:
        data = doc.data
        if data is None:
            data = {}
        if not isinstance(data, dict):
            line, col = doc.position(())
            self.report.error("yaml-shape", f"{what} must be a set of `key: value` lines, found {_kind(data)}",
                              path=doc.path, line=line, column=col)
            return None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                self.pydantic_error(model, doc, err, what)
            return None

    def pydantic_error(self, model: type[BaseModel], doc: YamlDoc, err: dict, what: str) -> None:
        loc = tuple(err["loc"])
        kind = err["type"]
        field = _field_name(doc, loc)
        found = err.get("input")
        hint = None
        if kind == "extra_forbidden":
            key = str(loc[-1])
            allowed = _allowed_keys(model, loc[:-1])
            guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            msg = f"unknown key '{key}' in {what}"
            if guess:
                msg += f"; did you mean '{guess[0]}'?"
            hint = "allowed keys here: " + ", ".join(allowed) if allowed else None
            line, col = doc.key_position(loc)
            self.report.error("unknown-key", msg, path=doc.path, line=line, column=col, field=field, hint=hint)
            return
        line, col = doc.position(loc)
        if kind == "missing" and isinstance(loc[-1], int):
            self.report.error("invalid-value", "each pair needs exactly two texts" if "pairs" in (field or "")
                              else "this list needs more items", path=doc.path, line=line, column=col, field=field,
                              hint="write each pair as [left, right]" if "pairs" in (field or "") else None)
            return
        if kind == "missing":
            key = str(loc[-1])
            line, col = doc.position(loc[:-1])
            self.report.error("missing-key", f"{what} is missing the required key '{key}'", path=doc.path,
                              line=line, column=col, field=field, hint=f"add a line `{key}: …`")
            return
        if kind == "union_tag_invalid":
            tag = err.get("ctx", {}).get("tag")
            guess = difflib.get_close_matches(str(tag), m.QUESTION_TYPES, n=1, cutoff=0.5)
            msg = f"unknown question type '{tag}'" + (f"; did you mean '{guess[0]}'?" if guess else "")
            self.report.error("question-type", msg, path=doc.path, line=line, column=col, field=field,
                              hint="type is one of: " + ", ".join(m.QUESTION_TYPES))
            return
        if kind == "union_tag_not_found":
            self.report.error("question-type", "this question has no `type`", path=doc.path, line=line,
                              column=col, field=field, hint="add `type: single` (or " + ", ".join(m.QUESTION_TYPES[1:]) + ")")
            return
        msg = re.sub(r" or instance of \w+", "", err["msg"])
        last = str(loc[-1]) if loc else ""
        shown = (str(found) if isinstance(found, datetime.date) else as_text(found)) \
            if not isinstance(found, (dict, list)) else None
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"'{shown}' is not allowed; expected {expected}"
        elif kind == "string_pattern_mismatch" and last == "language":
            msg = f"'{shown}' is not a language code"
            hint = "use a BCP 47 code such as en, ru, uk, ka or pt-BR"
        elif kind == "string_pattern_mismatch":
            msg = f"'{shown}' is not a valid id"
            hint = "use lower-case letters, digits and '-', starting with a letter (e.g. five-components)"
        elif kind in AUTHOR_WORDS:  # the author's words, not Pydantic's ("Input should be a valid dictionary")
            ctx = {k: as_text(v) for k, v in (err.get("ctx") or {}).items()}
            msg = AUTHOR_WORDS[kind].format_map(collections.defaultdict(str, ctx))
            if kind in ("too_short", "too_long"):
                msg += f", found {ctx.get('actual_length', '?')}"
            elif kind != "string_too_short":
                msg += f", found {_found(found)}"
                raw = doc.raw(loc) if isinstance(found, bool) else None
                if raw and raw.lower() in YAML_BOOLS and raw.lower() not in ("true", "false"):  # `No`, `yes`, `off`: YAML 1.1 booleans
                    msg += f" (YAML reads {raw} as {'true' if found else 'false'})"
        elif shown is not None and kind not in ("too_short", "too_long", "missing"):
            msg = f"{msg}, found {shown!r}" if not isinstance(shown, str) else f"{msg}, found '{shown}'"
        if kind == "string_type" and isinstance(found, (int, float, bool, datetime.date)):
            raw = doc.raw(loc)
            if isinstance(found, bool) and not (raw and raw.lower() in YAML_BOOLS):
                raw = None
            hint = f'put the value in quotes: "{raw or as_text(found)}"'
        elif kind == "string_type" and isinstance(found, dict):
            hint = "write one text here, not a block of keys"
        elif kind in ("bool_type", "bool_parsing") and isinstance(found, str):
            word = {"yes": "true", "y": "true", "on": "true", "true": "true", "1": "true", "no": "false",
                    "n": "false", "off": "false", "false": "false", "0": "false"}.get(found.strip().lower())
            hint = "write true or false without quotes" + (f": `{last}: {word}`" if word and not last.isdigit() else "")
        elif kind in ("int_type", "int_parsing", "int_from_float") and isinstance(found, (str, bool)):
            hint = "write a whole number without quotes, e.g. 60"
        elif "pairs" in (field or "") and kind in ("missing", "too_long", "too_short", "tuple_type"):
            msg = "each pair needs exactly two texts"
            hint = "write each pair as [left, right]"
        elif "choices" in (field or "") and kind in ("model_type", "dict_type"):
            hint = "a choice is plain text, or {text: …, correct: true, feedback: …}"
        if last == "format" and len(loc) == 1:
            hint = "write `format: 2` (or `format: 1` for a course written for version 1)"
        self.report.error("invalid-value", f"{msg}", path=doc.path, line=line, column=col, field=field, hint=hint)

    def children(self, folder: Path) -> list[Path]:
        """Sorted entries of a folder; an unreadable folder is reported, not raised."""
        try:
            return sorted(folder.iterdir())
        except OSError as exc:
            self.report.error("unreadable", f"cannot read the folder: {exc.strerror or exc}", path=self.rel(folder))
            return []

    # ---- course ---------------------------------------------------------------------
    def course(self) -> m.Course | None:
        root = self.root
        if not root.is_dir():
            self.report.error("no-course", f"the course folder '{root}' does not exist")
            return None
        cfile = root / "course.yml"
        if not cfile.is_file():
            alt = root / "course.yaml"
            hint = "rename course.yaml to course.yml" if alt.is_file() else "create course.yml with at least `title: …`"
            self.report.error("no-course-file", "the course folder has no course.yml", path=self.rel(root) or ".", hint=hint)
            return None
        text = self.read_text(cfile)
        cdoc = parse_yaml(text, "course.yml", self.report, what="course.yml") if text is not None else None
        cf: m.CourseFile | None = self.validate(m.CourseFile, cdoc, "course.yml") if cdoc else None

        track_dirs = [p for p in self.children(root)
                      if p.is_dir() and not p.name.startswith((".", "_")) and p.name not in SKIP_DIRS]
        # find every session file first, so links between sessions can be refused
        for d in track_dirs:
            for sub in [d] + [p for p in self.children(d) if p.is_dir()]:
                for f in self.children(sub):
                    if SESSION_RE.match(f.name) and not f.is_dir():
                        if sub is d or sub.name != "handouts":  # a handout may be named 01-…md: it is a page
                            self.session_paths.add(self.rel(f))
                    elif BAD_SESSION_RE.match(f.name) and not f.is_dir() and (d / "track.yml").is_file() \
                            and sub.name != "handouts" and not sub.name.startswith((".", "_")):
                        good = re.sub(r"^(\d+)-?", r"\1-", re.sub(r"[^a-z0-9]+", "-", f.stem.lower()).strip("-"))
                        good = (good + "title" if good.endswith("-") else good) + ".md"
                        self.report.error("session-file-name", f"'{f.name}' looks like a session plan but cannot be "
                                          "read as one: a session file name is a number, '-' or '_', then words",
                                          path=self.rel(f), hint=f"rename it to '{good}'")
        for f in self.children(root):
            if SESSION_RE.match(f.name) and f.is_file():
                self.report.warning("ignored", f"'{f.name}' is a session plan in the course folder itself, outside "
                                    "every track, so it is not read", path=self.rel(f),
                                    hint="move it into a track folder (the folder with track.yml)")
        self.check_templates(root / "templates")

        defaults = cf or m.CourseFile.model_construct(title="", mastery_score=None, scorm=None, layout=None,
                                                      language=None, version=None)
        tracks: list[m.Track] = []
        broken: set[str] = set()
        for d in track_dirs:
            if not (d / "track.yml").is_file():
                if any(p.startswith(self.rel(d) + "/") for p in self.session_paths):
                    self.report.error("no-track-file", f"the folder '{d.name}' has session plans but no track.yml",
                                      path=self.rel(d), hint="add track.yml with `title: …`")
                    broken.add(_slug(d.name))
                continue
            t = self.track(d, defaults)
            if t:
                tracks.append(t)
            else:  # its track.yml has an error, already reported: `tracks:` may still list it
                broken.add(_slug(d.name))
        if not any((d / "track.yml").is_file() for d in track_dirs):
            self.report.error("no-tracks", "the course has no tracks", path="course.yml",
                              hint="add a folder with a track.yml and session plans named like 01-intro.md")
        by_id: dict[str, m.Track] = {}
        for t in tracks:
            if t.id in by_id:
                self.report.error("duplicate-id", f"the folders '{by_id[t.id].folder}' and '{t.folder}' both make "
                                  f"the track id '{t.id}'", path=f"{t.folder}/track.yml",
                                  line=_id_line(root / t.folder / "track.yml"),
                                  hint="give one of them another `id:` in its track.yml")
            else:
                by_id[t.id] = t
        if cf and cf.tracks is not None:
            ordered = []
            for i, tid in enumerate(cf.tracks):
                if tid in cf.tracks[:i]:
                    line, col = cdoc.position(("tracks", i))
                    self.report.error("duplicate-id", f"`tracks` lists '{tid}' twice", path="course.yml",
                                      line=line, column=col, hint="list each track once")
                elif tid not in by_id and tid not in broken:
                    line, col = cdoc.position(("tracks", i))
                    guess = difflib.get_close_matches(tid, list(by_id), n=1)
                    self.report.error("unknown-track", f"`tracks` lists '{tid}', but no track has that id",
                                      path="course.yml", line=line, column=col,
                                      hint=f"did you mean '{guess[0]}'?" if guess else "known tracks: " + ", ".join(by_id))
                elif tid in by_id:
                    ordered.append(by_id[tid])
            missing = [t for t in tracks if t.id not in cf.tracks]
            for t in missing:
                self.report.warning("unlisted-track", f"track '{t.id}' is not in course.yml `tracks`; it is built last",
                                    path="course.yml")
            tracks = ordered + missing
        self.package_names(tracks)
        assets: dict[str, str] = {}
        for t in tracks:
            for s in t.sessions:
                for a in s.assets:
                    assets[a] = str(root / a)
            for p in t.pages:
                for a in p.assets:
                    assets[a] = str(root / a)
        for rel in sorted(assets):
            try:
                with open(assets[rel], "rb") as fh:
                    fh.read(1)
            except OSError as exc:
                self.report.error("unreadable", f"cannot read the file: {exc.strerror or exc}", path=rel)
                continue
            if rel.lower().endswith(".svg"):
                check_svg(Path(assets[rel]), rel, self.report)
        templates = root / "templates"
        if not cf:
            return None
        schemas = None
        if cf.schemas:
            sdir = (root / cf.schemas).resolve()
            if not sdir.is_relative_to(root) or not sdir.is_dir():
                line, col = cdoc.position(("schemas",))
                self.report.error("schemas", f"`schemas` must name a folder inside the course, found '{cf.schemas}'",
                                  path="course.yml", line=line, column=col,
                                  hint="copy the XSD files into the course (or use --schemas on the command line)")
            else:
                schemas = str(sdir)
        accent, logo = self.theme(cf, cdoc, assets)
        return m.Course(root=str(root), title=cf.title, publisher=cf.publisher, description=cf.description,
                        tracks=tracks, assets=assets,
                        templates_dir=str(templates) if templates.is_dir() else None, schemas=schemas,
                        accent=accent, logo=logo)

    def package_names(self, tracks: list[m.Track]) -> None:
        """Two tracks must not make packages of the same name: with `split: module` track `a`'s module `b`
        gives `a-b-…zip`, which is also the package of a track `a-b` (one would overwrite the other)."""
        made: dict[str, str] = {}
        for t in tracks:
            names = {t.id: f"track '{t.id}'"}
            if t.split == "module" and any(mod.key for mod in t.modules):
                for n, mod in enumerate(t.modules, 1):
                    if mod.sessions:
                        names[f"{t.id}-{mod.key or f'part-{n}'}"] = \
                            f"module '{mod.key or 'sessions outside modules'}' of track '{t.id}' (split: module)"
            for name, what in names.items():
                if name in made and made[name] != what:
                    self.report.error("duplicate-id", f"{what} and {made[name]} would both make the packages "
                                      f"named '{name}-…zip'; one would overwrite the other",
                                      path=f"{t.folder}/track.yml", line=_id_line(self.root / t.folder / "track.yml"),
                                      hint="rename the module folder, or give one of the tracks another `id:`")
                made.setdefault(name, what)

    def theme(self, cf: m.CourseFile, cdoc: YamlDoc, assets: dict[str, str]) -> tuple[str | None, str | None]:
        """`theme: {accent, logo}`: the accent must carry white text (WCAG AA), the logo must be an image."""
        if not cf.theme:
            return None, None
        accent = cf.theme.accent
        if accent:
            ratio = contrast_with_white(accent)
            if ratio < 4.5:
                line, col = cdoc.position(("theme", "accent"))
                self.report.error("theme-contrast", f"white text on the accent colour {accent} has a contrast of "
                                  f"{ratio:.2f}:1; buttons and links need at least 4.5:1", path="course.yml",
                                  line=line, column=col, field="theme.accent",
                                  hint="choose a darker colour, e.g. #0b5cad")
        logo = cf.theme.logo
        if logo:
            line, col = cdoc.position(("theme", "logo"))
            target = (self.root / logo).resolve()
            rel = relpath(target, self.root)
            if not target.is_relative_to(self.root) or not target.is_file():
                self.report.error("theme-logo", f"the logo '{logo}' is not a file inside the course folder",
                                  path="course.yml", line=line, column=col, field="theme.logo",
                                  hint="put the image in the course's assets/ folder and write `logo: assets/logo.svg`")
                logo = None
            elif target.suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"):
                self.report.error("theme-logo", f"the logo '{logo}' is not an image (SVG, PNG, JPEG, GIF or WebP)",
                                  path="course.yml", line=line, column=col, field="theme.logo")
                logo = None
            elif not SAFE_NAME_RE.match(target.name):
                self.report.error("file-name", f"the file name '{target.name}' has characters some LMSs cannot serve",
                                  path="course.yml", line=line, column=col, field="theme.logo",
                                  hint="use only ASCII letters, digits, '-' and '_'")
                logo = None
            elif not self.logo_content(target, logo, line, col):
                logo = None
            else:
                if target.suffix.lower() == ".svg" and rel not in assets:
                    check_svg(target, rel, self.report)
                assets[rel] = str(target)
                logo = rel
        return accent, logo

    def logo_content(self, target: Path, logo: str, line: int | None, col: int | None) -> bool:
        """The logo is copied into every package and inlined into every printed guide: its first bytes must
        be those of the image its name says (SVG is checked as XML by check_svg), and it should be small."""
        where = dict(path="course.yml", line=line, column=col, field="theme.logo")
        try:
            with open(target, "rb") as fh:
                head = fh.read(16)
            size = target.stat().st_size
        except OSError as exc:
            self.report.error("unreadable", f"cannot read the logo '{logo}': {exc.strerror or exc}", **where)
            return False
        ext = target.suffix.lower()
        if ext != ".svg":
            found = _image_kind(head)
            expected = LOGO_KINDS[ext]
            if found != expected:
                if found:
                    fixed = posixpath.splitext(logo)[0] + IMAGE_EXT[found]
                    hint = (f"the file is a {found} image: rename it to '{posixpath.basename(fixed)}' and write "
                            f"`logo: {fixed}`")
                else:
                    hint = f"save the picture again as {expected} (or as SVG) and point `logo:` at that file"
                self.report.error("theme-logo", f"the logo '{logo}' is not a {expected} image (its first bytes are "
                                  f"not those of a {expected} file)", hint=hint, **where)
                return False
        if size > LOGO_WARN_BYTES:
            shown = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"
            self.report.warning("logo-size", f"the logo is {shown}; it is copied into every package and into every "
                                "printed guide", hint=f"make it under {LOGO_WARN_BYTES // 1024} KB: an SVG, or a PNG "
                                "about 400 pixels wide, is plenty for a page header", **where)
        return True

    # ---- track ----------------------------------------------------------------------
    def track(self, d: Path, course: m.CourseFile) -> m.Track | None:
        rel = self.rel(d / "track.yml")
        text = self.read_text(d / "track.yml")
        doc = parse_yaml(text, rel, self.report, what="track.yml") if text is not None else None
        tf: m.TrackFile | None = self.validate(m.TrackFile, doc, "track.yml") if doc else None
        tid = (tf.id if tf and tf.id else None) or _slug(d.name)
        if not m.ID_RE.match(tid or ""):
            self.report.error("invalid-id", f"the folder name '{d.name}' does not make a valid track id", path=rel,
                              hint="add `id: my-track` (lower-case letters, digits and '-') to track.yml")
            tid = "track"
        modules: list[m.Module] = []
        entries = self.children(d)
        root_sessions = [f for f in entries if f.is_file() and SESSION_RE.match(f.name)]
        self.special_files(entries)
        self.stray_files(d, entries, top=True)
        if root_sessions:
            modules.append(m.Module(key="", title="", description=None,
                                    sessions=[s for s in (self.session(f, tid) for f in root_sessions) if s]))
        for sub in (p for p in entries if p.is_dir() and not p.name.startswith((".", "_")) and p.name != "handouts"):
            sub_entries = self.children(sub)
            files = [f for f in sub_entries if f.is_file() and SESSION_RE.match(f.name)]
            self.special_files(sub_entries)
            has_yml = (sub / "module.yml").is_file()
            if not files and not has_yml:
                continue
            self.stray_files(sub, sub_entries, top=False)
            title, desc = sub.name, None
            if has_yml:
                mrel = self.rel(sub / "module.yml")
                mtext = self.read_text(sub / "module.yml")
                mdoc = parse_yaml(mtext, mrel, self.report, what="module.yml") if mtext is not None else None
                mf = self.validate(m.ModuleFile, mdoc, "module.yml") if mdoc else None
                if mf:
                    title, desc = mf.title, mf.description
            if not files:
                self.report.warning("empty-module", f"module '{sub.name}' has no session plans", path=self.rel(sub))
            mkey = _slug(sub.name) or "module"
            while any(x.key == mkey for x in modules):
                mkey += "-x"
            modules.append(m.Module(key=mkey, title=title, description=desc,
                                    sessions=[s for s in (self.session(f, tid) for f in files) if s]))
        # pages: about + every .md page linked from sessions (and from those pages)
        pages: list[m.ExtraPage] = []
        about_href = None
        queue: list[str] = []
        if (d / "about.md").is_file():
            queue.append(self.rel(d / "about.md"))
        for mod in modules:
            for s in mod.sessions:
                queue.extend(s.linked_pages)
        done: set[str] = set()
        while queue:
            prel = queue.pop(0)
            if prel in done:
                continue
            done.add(prel)
            page, linked = self.extra_page(prel)
            if page:
                pages.append(page)
                if prel == self.rel(d / "about.md"):
                    about_href = page.href
                queue.extend(sorted(linked))
        hrefs: dict[str, str] = {}
        for page in pages:
            if page.href in hrefs:
                self.report.error("page-name", f"'{page.source_path}' and '{hrefs[page.href]}' would both become "
                                  f"{page.href}", path=page.source_path, hint="rename one of the two files")
            hrefs[page.href] = page.source_path
        if tf is None:
            return None
        settings = {k: getattr(course, k, None) for k in ("language", "version", "mastery_score", "scorm", "layout",
                                                          "split")}
        for k in settings:
            v = getattr(tf, k)
            if v is not None:
                settings[k] = v
        return m.Track(
            id=tid, title=tf.title, description=tf.description,
            language=settings["language"] or "en", version=settings["version"] or "1.0",
            mastery_score=80 if settings["mastery_score"] is None else settings["mastery_score"],
            scorm=list(dict.fromkeys(settings["scorm"] or ["1.2", "2004-4th"])),
            layout=settings["layout"], split=settings["split"] or "track", modules=modules, pages=sorted(pages, key=lambda p: p.href),
            about_href=about_href, folder=self.rel(d),
            session_files=sum(1 for p in self.session_paths if p.startswith(self.rel(d) + "/")),
        )

    def special_files(self, entries: list[Path]) -> None:
        """A pipe or device named like a session plan is never read (it could block): say so."""
        for f in entries:
            if SESSION_RE.match(f.name) and not f.is_file() and not f.is_dir() and f.exists():
                self.report.error("not-a-file", f"'{f.name}' is named like a session plan but is not a regular file "
                                  "(a pipe or a device); it is not read", path=self.rel(f),
                                  hint="replace it with an ordinary text file, or delete it")

    def stray_files(self, folder: Path, entries: list[Path], top: bool) -> None:
        """Warn about files that look like course content but will not be read."""
        for f in entries:
            name = f.name
            if name.startswith((".", "_")):
                continue
            if f.is_dir():
                if SESSION_RE.match(name):
                    self.report.warning("ignored", f"'{name}' is a folder, not a session plan", path=self.rel(f))
                elif not top and name != "handouts" and any(SESSION_RE.match(x.name) for x in self.children(f)):
                    self.report.warning("ignored", f"the folder '{name}' is inside a module; its session plans are "
                                        "not read (modules cannot be nested)", path=self.rel(f),
                                        hint="move its files into the module folder, or make it a module of the track")
            elif BAD_SESSION_RE.match(name):
                continue  # reported as an error (session-file-name) when the course is scanned
            elif re.match(r"^\d+[-_].*\.(md|markdown|mdown|txt)$", name, re.I) and not SESSION_RE.match(name):
                self.report.warning("ignored", f"'{name}' looks like a session plan but is not read: session plans "
                                    "end in .md (lower case)", path=self.rel(f), hint=f"rename it to '{Path(name).stem}.md'")
            elif top and name.lower().endswith(".md") and not SESSION_RE.match(name) and \
                    name not in ("about.md", "README.md"):
                self.report.warning("stray-file", f"'{name}' is not a session plan (session files are named like "
                                    "01-intro.md) and no session links to it", path=self.rel(f))

    def check_templates(self, tdir: Path) -> None:
        """A course's own templates: inside the course, readable, valid JSON catalogues."""
        if not tdir.is_dir():
            return
        for f in sorted(tdir.rglob("*")):
            rel = self.rel(f)
            if f.is_symlink() and not f.resolve().is_relative_to(self.root):
                self.report.error("outside-course", "the template is a link to a file outside the course",
                                  path=rel, hint="copy the file into the course instead of linking it")
            elif f.is_file() and f.suffix in (".j2", ".json", ".html", ".css", ".js"):
                text = self.read_text(f)
                if text is not None and f.suffix == ".j2":
                    try:
                        jinja2.Environment().parse(text)
                    except jinja2.TemplateSyntaxError as exc:
                        self.report.error("template", f"the template has a syntax error: {exc.message}", path=rel,
                                          line=exc.lineno)
                if text is not None and f.suffix == ".json" and f.parent.name == "messages":
                    try:
                        data = json.loads(text)
                    except json.JSONDecodeError as exc:
                        self.report.error("messages", f"the message catalogue is not valid JSON: {exc.msg}", path=rel,
                                          line=exc.lineno, column=exc.colno)
                        continue
                    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
                        self.report.error("messages", "a message catalogue is one JSON object of \"key\": \"text\" "
                                          "pairs", path=rel, line=1)
            elif not f.is_dir() and not f.is_file():
                self.report.error("not-a-file", "this is not a regular file", path=rel)

    def extra_page(self, rel: str) -> tuple[m.ExtraPage | None, set[str]]:
        path = self.root / rel
        text = self.read_text(path)
        if text is None:
            return None, set()
        body = text
        if text.startswith("---\n"):
            end = text.find("\n---", 4)
            if end > 0:
                body = "\n" * text.count("\n", 0, end + 4) + text[end + 4:]
        first = re.search(r"^#\s+(.+?)\s*#*\s*$", body, re.M)
        title = first.group(1) if first else Path(rel).stem.replace("-", " ").capitalize()
        _blocks_in_page(body.split("\n"), self.report, rel)
        ctx = DocContext(self.root, path, text, is_session=self.session_paths.__contains__)
        html = self.md.block(body, ctx, self.report)
        return m.ExtraPage(source_path=rel, href=page_href(rel), title=_plain(title), html=html,
                           assets=sorted(ctx.assets)), ctx.pages

    # ---- session --------------------------------------------------------------------
    def session(self, path: Path, track_id: str) -> m.Session | None:
        rel = self.rel(path)
        text = self.read_text(path)
        if text is None:
            return None
        report = self.report
        if not SAFE_NAME_RE.match(path.name):
            report.error("file-name", f"the file name '{path.name}' has characters some LMSs cannot serve",
                         path=rel, hint="use only ASCII letters, digits, '-' and '_' (e.g. 03-home-visits.md)")
        opening = re.match(r"(?:[ \t]*\n)*---[ \t]*\n", text)
        if not opening:
            report.error("no-front-matter", "a session plan must start with front matter between two '---' lines",
                         path=rel, line=1,
                         hint="make the first line '---', then title:, duration: and objectives:, then '---'")
            return None
        fm_start = opening.end()
        fm_line = text.count("\n", 0, fm_start)  # lines before the first front-matter line
        end = re.search(r"^---[ \t]*$", text[fm_start:], re.M)
        if not end:
            report.error("no-front-matter", f"the front matter that starts on line {fm_line} is never closed "
                         "with '---'", path=rel, line=fm_line,
                         hint="add a line with three dashes after the last front-matter key")
            return None
        fm_text = text[fm_start: fm_start + end.start()]
        body_index = fm_start + end.end()
        if text.startswith("\n", body_index):
            body_index += 1
        body = text[body_index:]
        body_start_line = text.count("\n", 0, body_index) + 1  # 1-based line of the body's first line
        fdoc = parse_yaml(fm_text, rel, report, line_offset=fm_line, what="the front matter")
        fm: m.FrontMatter | None = self.validate(m.FrontMatter, fdoc, "the front matter") if fdoc else None
        digest = hashlib.sha256(text.encode()).hexdigest()

        skey = (fm.id if fm and fm.id else None) or _session_slug(rel, self.session_paths)
        if not skey or not m.ID_RE.match(skey):
            report.error("invalid-id", f"cannot make a session id from the file name '{path.name}'", path=rel,
                         line=1, hint="add `id: my-session` to the front matter")
            skey = "session"
        ctx = DocContext(self.root, path, text, is_session=self.session_paths.__contains__)
        line_starts = [0] + [mt.end() for mt in re.finditer("\n", text)]

        # -- blocks: replace ```quiz and ```reflection with placeholders ---------------
        lines = [audience.untitled_learner_blocks(x) for x in body.split("\n")]
        audience.check_blocks(lines, report, rel, body_start_line)
        _check_audience_lines(lines, report, rel, body_start_line)
        out_lines: list[str] = []
        quizzes: list[m.Quiz] = []
        reflections: list[m.Reflection] = []
        qcounter = [0]
        used_qids: dict[str, int] = {}
        used_block_ids = used_qids  # quiz, question and reflection ids share one namespace (interaction ids)
        i = 0
        while i < len(lines):
            fm_ = FENCE_RE.match(lines[i])
            if not fm_:
                misplaced = MISPLACED_BLOCK_RE.match(lines[i])
                if misplaced:
                    kind = misplaced.group(1).lower()
                    report.error("block-place", f"this ```{kind} block is indented or inside a list, a quote or a "
                                 "!!! box, so it is not read: it would be shown as code", path=rel,
                                 line=body_start_line + i,
                                 hint=f"start the ```{kind} line and its closing ``` at the left margin, outside "
                                      "lists, quotes and !!! boxes")
                out_lines.append(lines[i])
                i += 1
                continue
            indent, fence, info = fm_.group(1), fm_.group(2), fm_.group(3).lower()
            start = i
            j = i + 1
            close_re = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
            while j < len(lines) and not close_re.match(lines[j]):
                j += 1
            abs_line = body_start_line + start
            if info in ("quiz", "reflection"):  # find the lines of problems inside the block from the block on
                ctx.search_from = line_starts[abs_line - 1] if abs_line - 1 < len(line_starts) else 0
            if info not in ("quiz", "reflection") and info:
                near = difflib.get_close_matches(info, ["quiz", "reflection"], n=1, cutoff=0.7)
                if near:
                    report.warning("block-name", f"a ```{info} block is shown as code; did you mean ```{near[0]}?",
                                   path=rel, line=abs_line, hint=f"write ```{near[0]}")
            if info in ("quiz", "reflection"):
                if j >= len(lines):
                    report.error("unclosed-block", f"the ```{info} block is never closed", path=rel, line=abs_line,
                                 hint=f"add a line with {fence} after the last line of the block")
                    break
                block_text = "\n".join(l[len(indent):] if l.startswith(indent) else l for l in lines[start + 1: j])
                if info == "quiz":
                    q = self.quiz(block_text, rel, abs_line, skey, len(quizzes) + 1, ctx, qcounter, used_qids,
                                  used_block_ids)
                    if q:
                        quizzes.append(q)
                        out_lines += ["", f'<div class="cp-quiz" data-quiz="{q.key}"></div>', ""]
                else:
                    r = self.reflection(block_text, rel, abs_line, skey, len(reflections) + 1, ctx, used_block_ids)
                    if r:
                        reflections.append(r)
                        out_lines += ["", f'<div class="cp-reflection" data-reflection="{r.key}"></div>', ""]
                i = j + 1
                continue
            for k in range(start + 1, j):  # a ```quiz inside: its closing ``` closes this block instead
                inner = FENCE_RE.match(lines[k])
                if inner and inner.group(3).lower() in ("quiz", "reflection") and inner.group(2)[0] == fence[0] \
                        and len(inner.group(2)) >= len(fence):
                    report.error("unclosed-block", f"the code block opened on line {abs_line} is not closed before "
                                 f"the ```{inner.group(3).lower()} on line {body_start_line + k}, so that block is "
                                 "shown as code", path=rel, line=abs_line,
                                 hint=f"add a line with {fence} where the code ends, before the "
                                      f"```{inner.group(3).lower()} line")
                    break
            if j >= len(lines):
                report.error("unclosed-block", f"the code block opened with {fence}{info} is never closed, so "
                             "everything after it (headings, quizzes) would be shown as code", path=rel,
                             line=abs_line, hint=f"add a line with {fence} where the code ends")
            out_lines.extend(lines[start: j + 1])
            i = j + 1

        # -- pages and activities -------------------------------------------------------
        pages_src: list[tuple[str, list[str]]] = [("", [])]
        activities: list[m.Activity] = []
        in_fence = None
        for n, line in enumerate(out_lines):
            fmatch = FENCE_RE.match(line)
            if fmatch and in_fence is None:
                in_fence = fmatch.group(2)[0]
            elif in_fence and re.match(r"^ {0,3}" + re.escape(in_fence) + "{3,}\\s*$", line):
                in_fence = None
            if in_fence is None and H2_RE.match(line):
                heading = H2_RE.match(line).group(1)
                pages_src.append((heading, [line]))
                am = ACTIVITY_RE.match(line)
                if am:
                    activities.append(m.Activity(number=int(am.group("num")) if am.group("num") else None,
                                                 name=am.group("name").strip(), minutes=int(am.group("min")),
                                                 line=_find_line(text, line)))
            else:
                pages_src[-1][1].append(line)
        pages: list[m.Page] = []
        words = 0
        for n, (heading, plines) in enumerate(pages_src):
            src = "\n".join(plines[1:] if n else plines).strip("\n")
            if n:  # line numbers of problems that cannot be found by their text: the page's heading
                at = text.find("\n" + plines[0] + "\n", ctx.search_from)
                ctx.search_from = at + 1 if at >= 0 else ctx.search_from
            else:
                ctx.search_from = body_index
            html = self.md.block(src, ctx, report) if src.strip() else ""
            if n:
                am = ACTIVITY_RE.match(plines[0])
                name = am.group("name").strip() if am else heading
                title, learner_title = _plain(heading), _plain(name)
                heading_html = self.md.inline(heading, ctx, report)
                learner_heading_html = self.md.inline(name, ctx, report) if am else heading_html
            else:
                title = learner_title = fm.title if fm else skey
                heading_html = learner_heading_html = ""
            lhtml = audience.learner_html(html)
            words += audience.count_words(lhtml) + len(learner_title.split())
            pages.append(m.Page(key=f"p{n + 1}", title=title, heading_html=heading_html, html=html,
                                learner_title=learner_title, learner_heading_html=learner_heading_html,
                                learner_html=lhtml))
        ctx.search_from = 0
        if fm is None:
            return None
        objectives = [self.md.inline(o, ctx, report) for o in fm.objectives]
        materials = [self.md.inline(o, ctx, report) for o in fm.materials]
        for q in quizzes:
            for item in q.questions:
                words += audience.count_words(item.prompt_html)
                words += sum(audience.count_words(c.get("html") or c.get("left", "") + " " + c.get("right", ""))
                             for c in item.choices_html)
        words += sum(audience.count_words(o) for o in objectives)
        minutes = audience.study_minutes(words, sum(len(q.questions) for q in quizzes),
                                         [r.min_words for r in reflections])
        session = m.Session(
            key=skey, source_path=rel, title=fm.title, duration=fm.duration, objectives=objectives,
            materials=materials, activities=activities, pages=pages, quizzes=quizzes, reflections=reflections,
            study_minutes=minutes, assets=sorted(ctx.assets), linked_pages=sorted(ctx.pages), digest=digest,
            lines={k: fdoc.key_position((k,))[0] for k in ("title", "duration", "objectives", "id")
                   if isinstance(fdoc.data, dict) and k in fdoc.data},
        )
        return session

    def quiz(self, block: str, rel: str, line: int, skey: str, n: int, ctx: DocContext, qcounter: list[int],
             used_qids: dict[str, int], used_block_ids: dict[str, int]) -> m.Quiz | None:
        doc = parse_yaml(block, rel, self.report, line_offset=line, what="the quiz block")
        if doc is None:
            return None
        qb: m.QuizBlock | None = self.validate(m.QuizBlock, doc, "the quiz block")
        if qb is None:
            return None
        qkey = _key(skey, qb.id or f"quiz{n}")
        self._unique_block_id(qb.id or f"quiz{n}", rel, doc.position(("id",))[0] if qb.id else line, used_block_ids,
                              auto=not qb.id)
        items: list[m.QuestionItem] = []
        for idx, q in enumerate(qb.questions):
            qcounter[0] += 1
            qid = q.id or f"q{qcounter[0]}"
            qline = doc.position(("questions", idx))[0]
            idline = doc.position(("questions", idx, "id"))[0] if q.id else qline  # the line that holds the id
            self._unique_block_id(qid, rel, idline, used_qids, auto=not q.id, what="question",
                                  field=f"questions[{idx}].id")
            fb = q.feedback or m.Feedback()
            conv = lambda s: self.block_md(s, ctx, rel, qline, "quiz") if s else None  # noqa: E731
            inline = lambda s: self.md.inline(s, ctx, self.report)  # noqa: E731
            if q.type in ("single", "multiple"):
                extra = [{"html": inline(c.text), "correct": c.correct,
                          "feedback": conv(c.feedback)} for c in q.choices]
                texts = [c.text.casefold() for c in q.choices]
                if len(set(texts)) != len(texts):
                    self.report.error("duplicate-choice", "two choices have the same text", path=rel, line=qline,
                                      field=f"questions[{idx}].choices")
            elif q.type == "likert":
                extra = [{"html": inline(s)} for s in q.scale]
            elif q.type == "matching":
                extra = [{"left": inline(a), "right": inline(b)} for a, b in q.pairs]
            elif q.type == "ordering":
                extra = [{"html": inline(s)} for s in q.items]
            else:
                extra = []
            if q.type == "fill-in":
                norm = [" ".join(a.split()).casefold() for a in q.answers]
                if len(set(norm)) != len(norm):
                    self.report.warning("duplicate-answer", "two accepted answers are the same once case and spaces "
                                        "are ignored", path=rel, line=doc.position(("questions", idx, "answers"))[0],
                                        field=f"questions[{idx}].answers", hint="keep one of them")
            items.append(m.QuestionItem(key=_key(skey, qid), source=q, prompt_html=conv(q.prompt),
                                        feedback_html={"correct": conv(fb.correct), "incorrect": conv(fb.incorrect)},
                                        choices_html=extra, line=qline))
        return m.Quiz(key=qkey, title=qb.title, attempts=qb.attempts, shuffle=qb.shuffle, record=qb.record,
                      questions=items, line=line)

    def reflection(self, block: str, rel: str, line: int, skey: str, n: int, ctx: DocContext,
                   used_block_ids: dict[str, int]) -> m.Reflection | None:
        doc = parse_yaml(block, rel, self.report, line_offset=line, what="the reflection block")
        if doc is None:
            return None
        rb: m.ReflectionBlock | None = self.validate(m.ReflectionBlock, doc, "the reflection block")
        if rb is None:
            return None
        self._unique_block_id(rb.id or f"r{n}", rel, doc.position(("id",))[0] if rb.id else line, used_block_ids,
                              auto=not rb.id)
        return m.Reflection(key=_key(skey, rb.id or f"r{n}"),
                            prompt_html=self.block_md(rb.prompt, ctx, rel, line, "reflection"),
                            min_words=rb.min_words,
                            model_answer_html=self.block_md(rb.model_answer, ctx, rel, line, "reflection")
                            if rb.model_answer else None,
                            line=line)

    def block_md(self, source: str, ctx: DocContext, rel: str, line: int, kind: str) -> str:
        """Markdown inside a quiz or reflection: the same HTML goes to learners and to the guide, so a
        facilitator block there would reach learners."""
        html = self.md.block(source, ctx, self.report)
        if audience.learner_html(html) != html:
            self.report.error("block-place", f"a !!! facilitator block inside a {kind} block would be shown to "
                              "learners too", path=rel, line=line,
                              hint=f"move the facilitator notes out of the {kind}: put the !!! facilitator block "
                                   f"right after the closing ```")
        return html

    def _unique_block_id(self, bid: str, rel: str, line: int, used: dict, auto: bool = False,
                         what: str = "block", field: str | None = None) -> None:
        """Quiz, question and reflection ids share one namespace per session. An id the author did not
        write (q3, quiz1, r1: by position) is named as automatic, so a clash with one makes sense."""
        if bid in used:
            first_auto = used.get(("auto", bid), False)
            if auto or first_auto:
                if auto and not first_auto:
                    msg = (f"the {what} here has no `id:`, so it gets the automatic id '{bid}', which the block on "
                           f"line {used[bid]} already uses")
                else:
                    msg = f"the id '{bid}' is also the automatic id of the block on line {used[bid]} (it has no `id:`)"
                hint = ("quizzes, questions and reflections without `id:` are numbered quiz1, q1, r1… in the session; "
                        "give one of the two its own `id:`")
            else:
                msg = f"the id '{bid}' is used by two blocks in this session (first on line {used[bid]})"
                hint = f"give each {what} its own id"
            self.report.error("duplicate-id", msg, path=rel, line=line, field=field, hint=hint)
        used.setdefault(bid, line)
        used.setdefault(("auto", bid), auto)


SAFE_NAME_RE = re.compile(r"^[A-Za-z0-9._-]+$")
# a ```quiz or ```reflection line that Markdown does not see as a block of its own: indented 4+ spaces, or
# inside a list item, a quote or a !!! box
MISPLACED_BLOCK_RE = re.compile(r"^(?:[ \t]*(?:>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+))*[ \t]*(?:`{3,}|~{3,})[ \t]*"
                                r"(quiz|reflection)\b", re.I)
# a line that means to open an audience block but is not read as one (`!!!  facilitator`, `??? learner`,
# `!!! facilitator 'Title'`): Markdown shows it as text and its indented body as code, to everyone
NESTING_RE = re.compile(r"^(?:[ \t]*(?:>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+))*[ \t]*")
AUDIENCE_WORD_RE = re.compile(r"^[ \t]*(?:!{2,}|\?{3}\+?)[ \t]*.*\b(facilitator|learner)\b", re.I)
YAML_BOOLS = {"yes", "no", "on", "off", "true", "false", "y", "n"}

# what a logo's file name says it is, and the first bytes of each kind of picture
LOGO_KINDS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP"}
IMAGE_EXT = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WebP": ".webp"}
LOGO_WARN_BYTES = 200 * 1024


def _image_kind(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None



def _blocks_in_page(lines: list[str], report: Report, rel: str) -> None:
    """Quizzes and reflections work only in session plans; in a handout or about page they are code."""
    fence = None
    for n, line in enumerate(lines):
        fm_ = FENCE_RE.match(line)
        if fm_ and fence is None:
            fence = fm_.group(2)[0]
            if fm_.group(3).lower() in ("quiz", "reflection"):
                report.error("block-place", f"a ```{fm_.group(3).lower()} block works only in a session plan; on "
                             "this page it would be shown as code", path=rel, line=n + 1,
                             hint="move the block into the session plan that links to this page")
        elif fm_ and fence and fm_.group(2)[0] == fence and not fm_.group(3) and not fm_.group(4).strip():
            fence = None


def _check_audience_lines(lines: list[str], report: Report, rel: str, first_line: int) -> None:
    """Audience blocks that Markdown would not read as the author meant (see also audience.check_blocks).

    * a line that names `facilitator` or `learner` after `!!!` or `???` but is not a block opener
      (two spaces, single quotes, a word after the title): its text would be shown to everyone;
    * a line right under a block's indented text, not indented and with no empty line between: it is
      outside the block, so a facilitator's note would be shown to learners.
    """
    for i, line in audience.outside_fences(lines):
        where = {"path": rel, "line": first_line + i}
        opener = audience.ADMONITION_RE.match(line)
        if not opener:
            if audience.ADMONITION_RE.match(NESTING_RE.sub("", line, count=1)):
                continue  # a block nested in a block, a list item or a quote
            bad = AUDIENCE_WORD_RE.match(line)
            if bad:
                kind = bad.group(1).lower()
                report.error("admonition-type", f"'{line.strip()[:60]}' is not read as a {kind} block, so its text "
                             f"is shown to {'learners too' if kind == 'facilitator' else 'everyone'}",
                             hint=f'write exactly: !!! {kind} "Title" (three !, one space, the title in double '
                                  "quotes), then the text indented by four spaces", **where)
            continue
        kinds = [opener.group(2).lower()] + opener.group(3).lower().split()
        kind = next((k for k in kinds if k in (audience.FACILITATOR, audience.LEARNER)), None)
        if kind is None:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j >= len(lines) or not lines[j].startswith(("    ", "\t")):
            continue  # an empty block: audience.check_blocks reports it
        while j < len(lines) and (not lines[j].strip() or lines[j].startswith(("    ", "\t"))):
            j += 1
        if j >= len(lines) or not lines[j - 1].strip():
            continue
        nxt = lines[j].lstrip()
        if nxt.startswith(("#", "!!!", "???", "```", "~~~", "---", "***", "___", "<")):
            continue  # a new heading, block or rule: clearly not part of the block
        msg = f"line {first_line + j} is right under the {kind} block but not indented, so it is not part of it"
        hint = "indent it by four spaces to keep it in the block, or leave an empty line before it"
        if kind == audience.FACILITATOR:
            report.error("unindented-line", msg + ": learners would see it", path=rel, line=first_line + j,
                         hint=hint)
        else:
            report.warning("unindented-line", msg + ": trainers would see it in the guide too", path=rel,
                           line=first_line + j, hint=hint)


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of white text on ``#rrggbb``."""
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


def _key(session_key: str, local: str) -> str:
    key = f"{session_key}_{local}"
    if len(key) > 64:
        key = key[:55] + "-" + hashlib.sha1(key.encode()).hexdigest()[:8]
    return key


def _slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if s and not s[0].isalpha():
        s = "s-" + s
    return s[:48].rstrip("-")


def _id_line(path: Path) -> int:
    """Line of the top-level `id:` key of a YAML file; 1 when there is none (the id comes from the folder)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    found = re.search(r"^id[ \t]*:", text, re.M)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _file_slug(name: str) -> str:
    """Readable part of a default session id: the file name without its number and `.md`, uncut."""
    stem = name[:-3] if name.endswith(".md") else name
    stem = re.sub(r"^\d+[-_]", "", stem) or stem
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def _readable_id(track_rel: str) -> str:
    """`01-welcome.md` -> `welcome`; `day-1/01-welcome.md` -> `day-1-welcome` (uncut)."""
    *module, name = track_rel.split("/")
    file_slug = _file_slug(name)
    mod = _file_slug(module[0] + ".md") if module else ""
    s = f"{mod}-{file_slug}" if mod and file_slug else file_slug
    return "s-" + s if s and not s[0].isalpha() else s


def _default_ids(track_rels: list[str]) -> dict[str, str]:
    """Default session ids for every session file of one track (paths relative to the track folder).

    Unique by construction: an id that would be longer than 48 characters, or that two files would
    share (`01-welcome.md` and `02-welcome.md`, `a_b.md` and `a-b.md`), is cut to 39 characters and
    ends in `-` plus 8 hex digits of the SHA-1 of the file's path in the track. Ids depend only on
    the file paths, so they are the same in every build.
    """
    readable = {r: _readable_id(r) for r in track_rels}
    counts: dict[str, int] = {}
    for v in readable.values():
        counts[v] = counts.get(v, 0) + 1
    out: dict[str, str] = {}
    for r, v in readable.items():
        if v and (len(v) > 48 or counts[v] > 1):
            v = v[:39].rstrip("-") + "-" + hashlib.sha1(r.encode()).hexdigest()[:8]
        out[r] = v
    return out


_ID_CACHE: list = [None, -1, {}]  # the loader's set of session paths, its size, {track folder: ids}


def _session_slug(rel: str, session_paths: set[str] | None = None) -> str:
    """Default id of the session file ``rel`` (relative to the course folder: track/[module/]NN-name.md)."""
    track, _, track_rel = rel.partition("/")
    if not track_rel:
        track, track_rel = "", rel
    if session_paths is None:
        return _default_ids([track_rel])[track_rel]
    if _ID_CACHE[0] is not session_paths or _ID_CACHE[1] != len(session_paths):
        _ID_CACHE[:] = [session_paths, len(session_paths), {}]
    ids = _ID_CACHE[2].get(track)
    if ids is None:
        prefix = track + "/"
        siblings = [p[len(prefix):] for p in session_paths if p.startswith(prefix)]
        siblings = [p for p in siblings if p.count("/") == 0 or not p.startswith((".", "_", "handouts/"))]
        ids = _ID_CACHE[2][track] = _default_ids(siblings)
    return ids.get(track_rel) or _default_ids([track_rel])[track_rel]


def _find_line(text: str, line: str) -> int:
    idx = text.find("\n" + line + "\n")
    return text.count("\n", 0, idx + 1) + 1 if idx >= 0 else 1


def _plain(md_text: str) -> str:
    return re.sub(r"[*_`]+", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md_text)).strip()


# Pydantic error types in words an author understands; `, found …` is added after each
AUTHOR_WORDS = {
    "dict_type": "expected a set of `key: value` lines here",
    "model_type": "expected a set of `key: value` lines here",
    "model_attributes_type": "expected a set of `key: value` lines here",
    "list_type": "expected a list here (lines starting with '- ', or [a, b])",
    "tuple_type": "expected a pair here, written [left, right]",
    "string_type": "expected text here",
    "int_type": "expected a whole number here",
    "int_parsing": "expected a whole number here",
    "int_from_float": "expected a whole number here",
    "float_type": "expected a number here",
    "float_parsing": "expected a number here",
    "finite_number": "expected a number here (not .nan or .inf)",
    "bool_type": "expected true or false here",
    "bool_parsing": "expected true or false here",
    "greater_than": "the number must be greater than {gt}",
    "greater_than_equal": "the number must be at least {ge}",
    "less_than": "the number must be less than {lt}",
    "less_than_equal": "the number must be at most {le}",
    "too_short": "this list needs at least {min_length} item(s)",
    "too_long": "this list can have at most {max_length} items",
    "string_too_short": "this text cannot be empty",
    "string_too_long": "this text is too long: at most {max_length} characters",
    "none_required": "nothing is expected here",
}


def _found(v: Any) -> str:
    """A value as an author wrote it: true, 12, 'text', a list, a set of keys, nothing."""
    if v is None:
        return "nothing (an empty value)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "a set of `key: value` lines"
    if isinstance(v, (list, tuple)):
        return "a list"
    if isinstance(v, (int, float)):
        return str(as_text(v))
    text = str(v)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _kind(v: Any) -> str:
    return {list: "a list", str: "plain text", int: "a number", float: "a number", bool: "true/false"}.get(type(v), type(v).__name__)


def _field_name(doc: YamlDoc, loc: tuple) -> str | None:
    """("questions", 2, "single", "choices") -> "questions[2].choices" (union tags dropped)."""
    out = ""
    node_loc: list = []
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node_loc.append(part)
            continue
        # drop a discriminated-union tag: it equals the `type` of the mapping we are in
        data = _data_at(doc.data, node_loc)
        if isinstance(data, dict) and part not in data and data.get("type") == part:
            continue
        out += ("." if out else "") + str(part)
        node_loc.append(part)
    return out or None


def _data_at(data: Any, loc: list) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _unwrap(t: Any) -> Any:
    while True:
        origin = get_origin(t)
        if origin is typing.Annotated:
            t = get_args(t)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(t) if a is not type(None)]
            if len(args) == 1:
                t = args[0]
            else:
                return t
        else:
            return t


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    t: Any = model
    for part in loc:
        t = _unwrap(t)
        origin = get_origin(t)
        if isinstance(part, int):
            args = get_args(t)
            t = args[0] if args else None
        elif isinstance(t, type) and issubclass(t, BaseModel):
            f = t.model_fields.get(str(part))
            t = f.annotation if f else None
        elif origin in (Union, types.UnionType):
            match = None
            for a in get_args(t):
                a = _unwrap(a)
                if isinstance(a, type) and issubclass(a, BaseModel) and "type" in a.model_fields:
                    if part in get_args(a.model_fields["type"].annotation):
                        match = a
            t = match
        else:
            return []
        if t is None:
            return []
    t = _unwrap(t)
    if isinstance(t, type) and issubclass(t, BaseModel):
        return list(t.model_fields)
    return []
