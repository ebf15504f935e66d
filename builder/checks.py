"""Rules across the whole course, run after every file has loaded.

Each rule reports every offender (with its file and line), never just the first.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import models as m
from .diagnostics import Report


def check_course(course: m.Course, report: Report) -> None:
    for track in course.tracks:
        _unique_sessions(track, report)
        for s in track.sessions:
            _activities(s, report)
            _objectives(s, report)
        _quiz_quality(course, track, report)
        for s in track.sessions:
            _objective_dash(course, s, report)
        for rel in [s.source_path for s in track.sessions] + [p.source_path for p in track.pages]:
            _markdown_source(course, rel, report)
        if not track.session_files:
            report.error("empty-track", f"track '{track.id}' has no session plans", path=f"{track.folder}/track.yml",
                         hint="add files named like 01-welcome.md to the track folder or to a module folder")


def _unique_sessions(track: m.Track, report: Report) -> None:
    """Default ids never collide with each other (see loader._default_ids); an explicit `id:` may.
    The error points at the `id:` line that made the clash."""
    seen: dict[str, m.Session] = {}
    for s in track.sessions:
        first = seen.get(s.key)
        if first is None:
            seen[s.key] = s
            continue
        here, other = (first, s) if "id" in first.lines and "id" not in s.lines else (s, first)
        report.error("duplicate-id", f"session id '{s.key}' is also used by {other.source_path}",
                     path=here.source_path, line=here.lines.get("id", 1),
                     hint="give this session another `id:`, or delete the `id:` line to use the default id "
                          "made from the module and file name")


def _activities(s: m.Session, report: Report) -> None:
    if not s.activities:
        return
    total = sum(a.minutes for a in s.activities)
    if total != s.duration:
        report.warning(
            "duration-mismatch",
            f"the activities add up to {total} min but `duration` is {s.duration} min",
            path=s.source_path, line=s.lines.get("duration"),
            hint=f"set `duration: {total}` or change the minutes in the activity headings",
        )
    numbers = [a.number for a in s.activities if a.number is not None]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        bad = next(a for i, a in enumerate(x for x in s.activities if x.number is not None) if a.number != i + 1)
        report.warning("activity-numbering", f"activities should be numbered 1, 2, 3…; found {numbers}",
                       path=s.source_path, line=bad.line, hint="renumber the `## Activity N:` headings in order")


def _objectives(s: m.Session, report: Report) -> None:
    n = len(s.objectives)
    if n == 0:
        report.warning("no-objectives", "the session plan has no `objectives`; learners see no \"In this session "
                       "you will…\" list and trainers no objectives in the guide", path=s.source_path, line=1,
                       hint="add `objectives:` with 2 to 5 things the learner will be able to do")
    elif not 2 <= n <= 5:
        report.warning("objectives-count", f"a session plan should have 2 to 5 objectives; found {n}",
                       path=s.source_path, line=s.lines.get("objectives"), field="objectives")


# ---- silent Markdown surprises (read from the source, where the author's lines are) ----------

FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
EMPTY_ALT_RE = re.compile(r"!\[\s*\]\(\s*<?([^)\s>]*)")
SETEXT_RE = re.compile(r"^ {0,3}(-+|=+)[ \t]*$")
BLOCK_START_RE = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|!!!|\?\?\?|#|\||>|<|\[[^\]]+\]:)")
LIST_OR_BLOCK_RE = re.compile(r"^([-*+]\s|\d+[.)]\s|!!!|\?\?\?)")


def _body_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line, text) of the Markdown outside front matter and fenced blocks."""
    lines = text.split("\n")
    start = 0
    first = next((i for i, l in enumerate(lines) if l.strip()), None)
    if first is not None and lines[first].rstrip() == "---":
        end = next((i for i in range(first + 1, len(lines)) if lines[i].rstrip() == "---"), None)
        if end is not None:
            start = end + 1
    out, fence = [], None
    for i in range(start, len(lines)):
        line = lines[i]
        fm = FENCE_RE.match(line)
        if fence is None and fm:
            fence = fm.group(1)
            continue
        if fence is not None:
            if fm and fm.group(1)[0] == fence[0] and len(fm.group(1)) >= len(fence) and not line.strip()[len(fm.group(1)):].strip():
                fence = None
            continue
        out.append((i + 1, line))
    return out


def _markdown_source(course: m.Course, rel: str, report: Report) -> None:
    try:
        text = (Path(course.root) / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # the loader has reported it
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    body = _body_lines(text)
    prev = ""
    outer = ""  # the last line that starts in column 1: does an indented line belong to a list or block?
    for n, line in body:
        plain = re.sub(r"`[^`]*`", "", line)
        for m_ in EMPTY_ALT_RE.finditer(plain):
            report.error("image-alt", f"the image '{m_.group(1)}' has no alt text", path=rel, line=n,
                         column=m_.start() + 1,
                         hint="say what the picture shows between the brackets: ![A mother reads to her baby]"
                              f"({m_.group(1)}); learners who use a screen reader hear only this text")
        if line.startswith("\t") and not prev.strip() and not LIST_OR_BLOCK_RE.match(outer) and line.strip():
            report.warning("markdown-tab", "this line starts with a tab, so Markdown shows the paragraph as code "
                           "(a grey box in a typewriter font)", path=rel, line=n,
                           hint="delete the tab at the start of the line; indent only inside lists and !!! blocks")
        if SETEXT_RE.match(line) and prev.strip() and not prev.startswith((" ", "\t")) \
                and not BLOCK_START_RE.match(prev) and not SETEXT_RE.match(prev):
            mark = line.strip()[0] * 3
            report.warning("setext-heading", f"the '{line.strip()}' line right under '{prev.strip()[:40]}' makes "
                           "that line a heading, not a line across the page", path=rel, line=n,
                           hint=f"leave an empty line before '{mark}' for a line across the page, or write "
                                f"'{'##' if mark[0] == '-' else '#'} {prev.strip()[:40]}' for a heading")
        if line.strip() and not line.startswith((" ", "\t")):
            outer = line
        prev = line


def _objective_dash(course: m.Course, s: m.Session, report: Report) -> None:
    """`- B` indented further than `- A` in the objectives list is read as the text "A - B"."""
    start = s.lines.get("objectives")
    if not start:
        return
    try:
        lines = (Path(course.root) / s.source_path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return
    first_dash = None
    for i in range(start, len(lines)):
        line = lines[i]
        if line.strip() == "---" or (line.strip() and not line[0].isspace() and not line.startswith("-")):
            break
        m_ = re.match(r"^(\s*)-\s", line)
        if not m_:
            continue
        if first_dash is None:
            first_dash = len(m_.group(1))
        elif len(m_.group(1)) > first_dash:
            report.warning("objective-dash", "this objective is indented further than the one above it, so it is "
                           "read as the end of that objective, not as an objective of its own", path=s.source_path,
                           line=i + 1, column=len(m_.group(1)) + 1, field="objectives",
                           hint=f"put its '-' in column {first_dash + 1}, under the other objectives' '-'")


# ---- quiz quality: patterns a learner can use to guess -------------------------------------

PATTERN_MIN = 3  # questions in a track before a pattern is worth a warning


def _question_line(course: m.Course, s: m.Session, quiz: m.Quiz, prompt: str, cache: dict) -> int:
    """The line of a question's prompt in the source (the quiz's first line when it cannot be found)."""
    if s.source_path not in cache:
        try:
            cache[s.source_path] = (Path(course.root) / s.source_path).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            cache[s.source_path] = []
    needle = re.split(r"[\"'\\\n*_`]", prompt.strip())[0][:30]
    if len(needle) >= 6:
        for i in range(max(quiz.line - 1, 0), len(cache[s.source_path])):
            if needle in cache[s.source_path][i]:
                return i + 1
    return quiz.line


def _quiz_quality(course: m.Course, track: m.Track, report: Report) -> None:
    cache: dict = {}
    singles, tfs, prompts = [], [], {}
    for s in track.sessions:
        for quiz in s.quizzes:
            for item in quiz.questions:
                q = item.source
                line = item.line or _question_line(course, s, quiz, q.prompt, cache)
                where = (s.source_path, line)
                key = " ".join(q.prompt.split()).casefold()
                if key in prompts:
                    first = prompts[key]
                    report.warning("duplicate-prompt", "the same question is asked twice in this track (first in "
                                   f"{first[0]}, line {first[1]})", path=s.source_path, line=line,
                                   hint="change or delete one of them; learners notice and stop reading")
                else:
                    prompts[key] = where
                if q.type == "single":
                    right = next(i for i, c in enumerate(q.choices) if c.correct)
                    lengths = [len(c.text) for c in q.choices]
                    longest = lengths[right] > max(x for i, x in enumerate(lengths) if i != right)
                    singles.append((where, right, longest, quiz.shuffle, len(q.choices)))
                elif q.type == "true-false":
                    tfs.append((where, q.answer))
                _repeated_items(q, s.source_path, line, report)
    fixed = [x for x in singles if not x[3]]
    if len(fixed) >= PATTERN_MIN and len({x[1] for x in fixed}) == 1:
        pos = fixed[0][1] + 1
        (path, line) = fixed[-1][0]
        report.warning("answer-position", f"in all {len(fixed)} single-choice questions with `shuffle: false` in "
                       f"track '{track.id}', the right answer is choice {pos}", path=path, line=line,
                       hint="vary the position of the right answer, or remove `shuffle: false`")
    if len(singles) >= PATTERN_MIN and all(x[2] for x in singles):
        (path, line) = singles[-1][0]
        report.warning("answer-longest", f"in all {len(singles)} single-choice questions in track '{track.id}', the "
                       "right answer is the longest choice; learners learn to pick the longest", path=path, line=line,
                       hint="make some wrong choices as long and as specific as the right one")
    if len(tfs) >= PATTERN_MIN and len({x[1] for x in tfs}) == 1:
        (path, line) = tfs[-1][0]
        word = "true" if tfs[0][1] else "false"
        report.warning("answer-true-false", f"all {len(tfs)} true/false questions in track '{track.id}' have the "
                       f"answer {word}", path=path, line=line,
                       hint=f"turn some statements around so that their answer is {'false' if tfs[0][1] else 'true'}")


def _repeated_items(q, path: str, line: int, report: Report) -> None:
    """Scale points that repeat (choices: the loader checks them; ordering items and pairs: the models)."""
    if q.type == "likert":
        norm = [" ".join(t.split()).casefold() for t in q.scale]
        if len(set(norm)) != len(norm):
            report.error("duplicate-choice", "two points of this question's scale have the same text", path=path,
                         line=line, hint="a learner cannot tell them apart; make each one different")
