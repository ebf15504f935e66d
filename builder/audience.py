"""Two audiences, one source: what a learner sees and what a trainer sees.

A session plan is written once. ``!!! facilitator`` blocks are for trainers only (the
facilitator's guide); ``!!! learner`` blocks are the self-study path (the SCORM package, and
labelled in the guide). Everything else is for both. The split is decided here, once, on the
rendered HTML of each page, so no template needs an ``if`` for it.

The learner's own study time is estimated here too, from what the learner does: reading at
about 200 words a minute, one minute a question, and writing time for each reflection.
"""
from __future__ import annotations

import difflib
import math
import re

FACILITATOR = "facilitator"
LEARNER = "learner"
ADMONITION_TYPES = ("case", "key", "facilitator", "learner", "note", "tip", "warning", "important", "danger")

READING_WPM = 200
MINUTES_PER_QUESTION = 1.0
REFLECTION_MIN_MINUTES = 3.0
WRITING_WPM = 10  # thinking and typing a considered answer

_DIV_RE = re.compile(r"<div\b[^>]*>|</div\s*>", re.I)
_CLASS_RE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_WORD_RE = re.compile(r"\S+")


def _is_block(tag: str, kind: str) -> bool:
    m = _CLASS_RE.search(tag)
    if not m:
        return False
    classes = (m.group(1) or m.group(2) or "").split()
    return "admonition" in classes and kind in classes


def without_blocks(html: str, kind: str) -> str:
    """``html`` with every ``<div class="admonition KIND">…</div>`` removed (nested divs included).

    The HTML comes from the content stage, which serialises through lxml, so its divs balance.
    """
    if kind not in html:
        return html
    out: list[str] = []
    pos = 0
    depth = 0  # > 0 while inside a removed block
    for m in _DIV_RE.finditer(html):
        tag = m.group(0)
        opening = not tag.startswith("</")
        if depth:
            depth += 1 if opening else -1
            if depth == 0:
                pos = m.end()
                # drop the line break that followed the removed block
                if html.startswith("\n", pos):
                    pos += 1
            continue
        if opening and _is_block(tag, kind):
            out.append(html[pos:m.start()])
            depth = 1
    if depth:  # unbalanced (cannot happen with lxml output): drop the rest rather than leak it
        return "".join(out)
    out.append(html[pos:])
    return "".join(out)


ADMONITION_RE = re.compile(r"^( {0,3})!!! ?([\w-]+)((?: +[\w-]+)*)(?: +\"(.*?)\")? *$")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*(\S*)")


def outside_fences(lines: list[str]):
    """(index, line) of every line that is not a code fence or inside one (a fence is closed by the
    same character with no info string after it, as in CommonMark)."""
    fence = None
    for i, line in enumerate(lines):
        fm = FENCE_RE.match(line)
        if fm:
            if fence is None:
                fence = fm.group(1)[0]
            elif fm.group(1)[0] == fence and not fm.group(2):
                fence = None
            continue
        if fence is None:
            yield i, line


def untitled_learner_blocks(line: str) -> str:
    """`!!! learner` without a title gets none (Markdown would print "Learner")."""
    m = ADMONITION_RE.match(line)
    if m and m.group(2).lower() == LEARNER and m.group(4) is None and not m.group(3):
        return line.rstrip() + ' ""'
    return line


def check_blocks(lines: list[str], report, path: str, first_line: int) -> None:
    """Report audience blocks that would not do what the author meant (``lines`` start at
    ``first_line`` of ``path``).

    * a type that looks like a misspelt ``facilitator`` or ``learner`` (``!!! facilitater``) would
      show trainer notes to learners, or hide nothing: an error;
    * a ``facilitator`` block whose text is not indented is empty, and the text under it is shown
      to learners: an error (for a ``learner`` block, shown to trainers too: a warning).
    """
    for i, line in outside_fences(lines):
        m = ADMONITION_RE.match(line)
        if not m:
            continue
        where = {"path": path, "line": first_line + i}
        kinds = [m.group(2).lower()] + m.group(3).lower().split()
        audience = next((k for k in kinds if k in (FACILITATOR, LEARNER)), None)
        if audience is None:
            for k in kinds:
                guess = [] if k in ADMONITION_TYPES else \
                    difflib.get_close_matches(k, [FACILITATOR, LEARNER], n=1, cutoff=0.7)
                if guess:
                    shown = "learners too" if guess[0] == FACILITATOR else "everyone"
                    report.error("admonition-type", f"'!!! {k}' is not a block type coursepack knows; did you "
                                 f"mean '{guess[0]}'? As written, its text is shown to {shown}",
                                 hint=f"write !!! {guess[0]}", **where)
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and lines[j].startswith(("    ", "\t")):
            continue
        hint = "indent the block's text by four spaces"
        if audience == FACILITATOR:
            report.error("empty-block", "the facilitator block has no text indented under it; the text that "
                         "follows is shown to learners as well", hint=hint, **where)
        else:
            report.warning("empty-block", "the learner block has no text indented under it; the text that "
                           "follows is shown to trainers in the guide as well", hint=hint, **where)


def learner_html(html: str) -> str:
    return without_blocks(html, FACILITATOR)


def count_words(html: str) -> int:
    return len(_WORD_RE.findall(_TAG_RE.sub(" ", html))) if html else 0


def study_minutes(words: int, questions: int, reflection_min_words: list[int | None]) -> int:
    """The learner's own time for a session, in whole minutes (at least 1; 5-minute steps past 10)."""
    minutes = words / READING_WPM + questions * MINUTES_PER_QUESTION
    for mw in reflection_min_words:
        minutes += max(REFLECTION_MIN_MINUTES, (mw or 0) / WRITING_WPM)
    total = max(1, math.ceil(minutes))
    return total if total <= 10 else 5 * math.ceil(total / 5)
