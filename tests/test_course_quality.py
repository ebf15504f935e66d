"""Quality rules for the shipped course (issue 14).

These tests read ``course_src/`` directly (Markdown and YAML, parsed here with PyYAML) so that
they do not depend on the builder. Each rule lists every offender, grouped by file, with the line
to fix:

* a classroom word ("participants", "the group", "flipchart", "sticky notes", "in pairs",
  "ask the trainer", "small group", "facilitator") outside a ``!!! facilitator`` block; in the
  tracks for home visitors (all but General Overview, whose learners are trainers and study
  training methods as their subject) also "mini-lecture", "trainer", "slides", "read aloud",
  "read out" and "call out";
* an activity named after a classroom format ("Mini-lecture: ...", "Warm-up circle",
  "Group work", "Role-play") instead of what the learner does or learns;
* a ``!!! case`` study not followed, before the next ``##`` heading, by a reflection that has a
  ``model_answer``;
* the same question prompt twice in a track;
* true/false answers outside 40-60% true in a track;
* the right answer being the longest choice in more than a third of a track's single-choice
  questions.

Run: ``.venv/bin/python -m pytest tests/test_course_quality.py -q``
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

COURSE = Path(__file__).resolve().parent.parent / "course_src"

# Words that belong to the classroom and must stay inside facilitator blocks.
CLASSROOM_WORDS = [
    r"participants?",
    r"the\s+groups?",
    r"flip\s*-?\s*charts?",
    r"sticky\s+notes?",
    r"in\s+pairs",
    r"ask\s+the\s+trainers?",
    r"small\s+groups?",
    r"facilitators?",
]
# Words of the training room that a home visitor studying alone should not meet either. Not
# applied to TRAINER_TRACKS, whose learners are trainers: there these words are the subject.
HOME_VISITOR_WORDS = [
    r"mini\s*-?\s*lectures?",
    r"trainers?",
    r"slides",
    r"read\s+aloud",
    r"read\s+out",
    r"call(?:s|ed|ing)?\s+out",
]
TRAINER_TRACKS = {"general-overview"}


def _words_re(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)


CLASSROOM_RE = _words_re(CLASSROOM_WORDS)
HOME_VISITOR_RE = _words_re(CLASSROOM_WORDS + HOME_VISITOR_WORDS)

# An activity heading (``## Activity N: Name (X min)``) whose name starts with a classroom format.
ACTIVITY_RE = re.compile(r"^##\s+Activity\s+\d+\s*:\s*(.*?)\s*(?:\(\s*\d+\s*min\s*\))?\s*$", re.IGNORECASE)
CLASSROOM_FORMAT_RE = re.compile(
    r"^(?:mini\s*-?\s*lecture|warm\s*-?\s*up|group\s+work|role\s*-?\s*plays?|circle|"
    r"brainstorm|demonstration|plenary|buzz\s+groups?|ball\s+game|the\s+ball\s+game)\b",
    re.IGNORECASE,
)

ADMONITION_RE = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s+([\w-]+)")
FENCE_OPEN_RE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w-]*)")
H2_RE = re.compile(r"^##(?!#)\s")
# Front-matter keys whose text the learner sees; other keys (materials, duration, id) are guide-only.
LEARNER_FRONT_MATTER = {"title", "objectives", "description"}


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


@dataclass
class Block:
    """A fenced ``quiz`` or ``reflection`` block."""

    kind: str
    line: int  # 1-based line of the opening fence
    data: object
    error: str | None = None


@dataclass
class Case:
    line: int
    title: str


@dataclass
class Doc:
    path: Path
    rel: str
    lines: list[str]
    checked: list[bool] = field(default_factory=list)  # line is learner-facing text
    blocks: list[Block] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    h2: list[int] = field(default_factory=list)  # 1-based lines of level-2 headings
    in_facilitator: list[bool] = field(default_factory=list)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def parse_markdown(text: str, rel: str = "<text>", path: Path | None = None) -> Doc:
    lines = text.splitlines()
    n = len(lines)
    doc = Doc(path=path or Path(rel), rel=rel, lines=lines)
    checked = [True] * n
    in_fac = [False] * n

    # Front matter: only the learner-visible keys are checked.
    start = 0
    i = 0
    while i < n and not lines[i].strip():
        i += 1
    if i < n and lines[i].strip() == "---":
        j = i + 1
        while j < n and lines[j].strip() != "---":
            j += 1
        if j < n:
            key_visible = False
            checked[i] = False
            checked[j] = False
            for k in range(i + 1, j):
                m = re.match(r"^([A-Za-z_][\w-]*)\s*:", lines[k])
                if m:
                    key_visible = m.group(1) in LEARNER_FRONT_MATTER
                checked[k] = key_visible
            start = j + 1
    for k in range(0, start):
        if k < i:
            checked[k] = False

    # HTML comments are not shown to anyone.
    k = start
    while k < n:
        if "<!--" in lines[k]:
            end = k
            while end < n and "-->" not in lines[end]:
                end += 1
            for x in range(k, min(end, n - 1) + 1):
                checked[x] = False
            k = end + 1
        else:
            k += 1

    # Admonitions (facilitator blocks, cases), fenced blocks, headings.
    open_adm: list[tuple[int, str]] = []  # stack of (indent of marker, kind)
    k = start
    while k < n:
        line = lines[k]
        stripped = line.strip()
        if stripped:
            ind = _indent(line)
            while open_adm and ind <= open_adm[-1][0]:
                open_adm.pop()
        inside_fac = any(kind == "facilitator" for _, kind in open_adm)
        m = ADMONITION_RE.match(line)
        fm = FENCE_OPEN_RE.match(line)
        if m:
            kind = m.group(2).lower()
            in_fac[k] = inside_fac or kind == "facilitator"
            if in_fac[k]:
                checked[k] = False
            if kind == "case" and not inside_fac:
                title = re.sub(r'^[^"]*"?|"\s*$', "", line.strip()) or line.strip()
                doc.cases.append(Case(line=k + 1, title=title))
            open_adm.append((_indent(line), kind))
            k += 1
            continue
        if fm:
            fence_ind = len(fm.group(1))
            fence = fm.group(2)
            info = fm.group(3).lower()
            end = k + 1
            close_re = re.compile(r"^\s*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
            while end < n and not close_re.match(lines[end]):
                end += 1
            for x in range(k, min(end, n - 1) + 1):
                in_fac[x] = inside_fac
                if inside_fac:
                    checked[x] = False
            checked[k] = False
            if end < n:
                checked[end] = False
            if info in ("quiz", "reflection"):
                body = "\n".join(
                    ln[fence_ind:] if ln[:fence_ind].strip() == "" else ln for ln in lines[k + 1 : end]
                )
                try:
                    data = yaml.safe_load(body)
                    doc.blocks.append(Block(kind=info, line=k + 1, data=data))
                except yaml.YAMLError as exc:
                    doc.blocks.append(Block(kind=info, line=k + 1, data=None, error=str(exc).splitlines()[0]))
            k = end + 1
            continue
        if inside_fac:
            in_fac[k] = True
            checked[k] = False
        if H2_RE.match(line) and not open_adm:
            doc.h2.append(k + 1)
        k += 1

    doc.checked = checked
    doc.in_facilitator = in_fac
    return doc


def classroom_words(doc: Doc, pattern: re.Pattern[str] = CLASSROOM_RE) -> list[tuple[int, str]]:
    """(line, word) for each word of ``pattern`` in learner-facing text, also across a line break."""
    found: list[tuple[int, str]] = []
    lines = doc.lines
    for idx, line in enumerate(lines):
        if not doc.checked[idx]:
            continue
        for m in pattern.finditer(line):
            found.append((idx + 1, m.group(0)))
        # A phrase wrapped over two lines ("in\npairs").
        nxt = idx + 1
        if nxt < len(lines) and doc.checked[nxt] and lines[nxt].strip():
            head = line.rstrip()
            joined = head + " " + lines[nxt].lstrip()
            for m in pattern.finditer(joined):
                if m.start() < len(head) < m.end():
                    found.append((idx + 1, " ".join(m.group(0).split())))
    return found


def _questions(doc: Doc):
    """(block, question dict) for every quiz question of a document."""
    for block in doc.blocks:
        if block.kind != "quiz" or not isinstance(block.data, dict):
            continue
        for q in block.data.get("questions") or []:
            if isinstance(q, dict):
                yield block, q


def _question_line(doc: Doc, block: Block, prompt: str) -> int:
    """Best-effort line of a question's prompt inside its quiz block."""
    needle = " ".join(str(prompt).split())[:40]
    for idx in range(block.line, len(doc.lines)):
        if needle and needle[:25] in " ".join(doc.lines[idx].split()):
            return idx + 1
    return block.line


def _choice(c) -> tuple[str, bool]:
    if isinstance(c, dict):
        return str(c.get("text", "")), bool(c.get("correct"))
    return str(c), False


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split()).rstrip(" ?.!:")


# --------------------------------------------------------------------------------------------
# Loading the course
# --------------------------------------------------------------------------------------------


def _tracks() -> dict[str, list[Doc]]:
    tracks: dict[str, list[Doc]] = {}
    for track_yml in sorted(COURSE.glob("*/track.yml")):
        tdir = track_yml.parent
        docs = []
        for path in sorted(tdir.rglob("*.md")):
            rel = path.relative_to(COURSE).as_posix()
            docs.append(parse_markdown(path.read_text(encoding="utf-8"), rel, path))
        for path in sorted(list(tdir.rglob("track.yml")) + list(tdir.rglob("module.yml"))):
            rel = path.relative_to(COURSE).as_posix()
            text = path.read_text(encoding="utf-8")
            d = Doc(path=path, rel=rel, lines=text.splitlines())
            d.checked = [True] * len(d.lines)
            d.in_facilitator = [False] * len(d.lines)
            docs.append(d)
        tracks[tdir.name] = docs
    return tracks


@pytest.fixture(scope="module")
def tracks() -> dict[str, list[Doc]]:
    found = _tracks()
    assert found, f"no track (folder with track.yml) found in {COURSE}"
    return found


def _report(title: str, offenders: dict[str, list[str]], footer: str = "") -> str:
    out = [title]
    for rel in sorted(offenders):
        out.append(f"  {rel}:")
        out.extend(f"    {item}" for item in offenders[rel])
    if footer:
        out.append(footer)
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# The rules, applied to course_src/
# --------------------------------------------------------------------------------------------


def test_course_has_sessions_with_quizzes(tracks):
    sessions = [d for docs in tracks.values() for d in docs if re.match(r"\d+-", d.path.name)]
    assert len(sessions) >= 10, f"only {len(sessions)} session files found under {COURSE}"
    assert any(b.kind == "quiz" for d in sessions for b in d.blocks), "no quiz parsed from the course"


def classroom_formats(doc: Doc) -> list[tuple[int, str]]:
    """(line, name) for each activity named after a classroom format rather than its content."""
    found = []
    for idx, line in enumerate(doc.lines):
        m = ACTIVITY_RE.match(line)
        if m and doc.checked[idx] and CLASSROOM_FORMAT_RE.match(m.group(1)):
            found.append((idx + 1, m.group(1)))
    return found


def test_no_classroom_words_outside_facilitator_blocks(tracks):
    offenders: dict[str, list[str]] = defaultdict(list)
    for track, docs in tracks.items():
        pattern = CLASSROOM_RE if track in TRAINER_TRACKS else HOME_VISITOR_RE
        for doc in docs:
            for line, word in classroom_words(doc, pattern):
                offenders[doc.rel].append(f"line {line}: {word!r}")
    total = sum(len(v) for v in offenders.values())
    if offenders:
        pytest.fail(
            _report(
                f"{total} classroom word(s) outside a `!!! facilitator` block (move the instruction "
                "into the facilitator block, or reword it for a learner studying alone):",
                offenders,
            ),
            pytrace=False,
        )


def test_activities_named_for_what_the_learner_does(tracks):
    offenders: dict[str, list[str]] = defaultdict(list)
    for docs in tracks.values():
        for doc in docs:
            for line, name in classroom_formats(doc):
                offenders[doc.rel].append(f"line {line}: {name!r}")
    if offenders:
        pytest.fail(
            _report(
                "activities named after a classroom format (name them for what the learner does or "
                "learns, e.g. 'Key ideas: ...', 'Try it: ...', 'Practice: ...'; say how to run it in "
                "the facilitator block):",
                offenders,
            ),
            pytrace=False,
        )


def cases_without_model_answer(doc: Doc) -> list[tuple[int, str]]:
    """(line, message) for each case with no reflection + model_answer before the next ## heading."""
    out = []
    for case in doc.cases:
        next_h2 = min([h for h in doc.h2 if h > case.line], default=len(doc.lines) + 1)
        refl = [b for b in doc.blocks if b.kind == "reflection" and case.line < b.line < next_h2]
        good = [
            b for b in refl
            if isinstance(b.data, dict) and str(b.data.get("model_answer") or "").strip()
        ]
        if not good:
            why = "a reflection without model_answer" if refl else "no reflection"
            out.append((case.line, f"case {case.title!r}: {why} before the next ## heading"))
    return out


def test_every_case_is_followed_by_a_reflection_with_model_answer(tracks):
    offenders: dict[str, list[str]] = defaultdict(list)
    for docs in tracks.values():
        for doc in docs:
            for line, msg in cases_without_model_answer(doc):
                offenders[doc.rel].append(f"line {line}: {msg}")
    if offenders:
        pytest.fail(
            _report(
                "case studies not followed (before the next `##` heading) by a ```reflection``` "
                "with a model_answer:",
                offenders,
            ),
            pytrace=False,
        )


def test_quiz_and_reflection_yaml_readable(tracks):
    offenders: dict[str, list[str]] = defaultdict(list)
    for docs in tracks.values():
        for doc in docs:
            for b in doc.blocks:
                if b.error or not isinstance(b.data, dict):
                    offenders[doc.rel].append(f"line {b.line}: {b.kind} block: {b.error or 'not a mapping'}")
    if offenders:
        pytest.fail(_report("quiz/reflection blocks whose YAML cannot be read:", offenders), pytrace=False)


def repeated_prompts(docs: list[Doc]) -> dict[str, list[str]]:
    """Offenders, by file, for quiz prompts used more than once among ``docs`` (one track)."""
    offenders: dict[str, list[str]] = defaultdict(list)
    seen: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for doc in docs:
        for block, q in _questions(doc):
            prompt = q.get("prompt")
            if not prompt:
                continue
            seen[_norm(prompt)].append((doc.rel, _question_line(doc, block, prompt)))
    for prompt, places in seen.items():
        if len(places) > 1:
            where = ", ".join(f"{rel}:{line}" for rel, line in places)
            for rel, line in places:
                offenders[rel].append(f"line {line}: prompt {prompt[:70]!r} also at {where}")
    return offenders


def true_false_balance(docs: list[Doc]) -> tuple[int, int, dict[str, list[str]]]:
    """(true answers, true/false questions, every item by file) among ``docs`` (one track)."""
    items: dict[str, list[str]] = defaultdict(list)
    n_true = n_all = 0
    for doc in docs:
        for block, q in _questions(doc):
            if q.get("type") != "true-false":
                continue
            n_all += 1
            ans = q.get("answer") is True
            n_true += ans
            items[doc.rel].append(
                f"line {_question_line(doc, block, q.get('prompt', ''))}: "
                f"{'TRUE ' if ans else 'FALSE'} {str(q.get('prompt', ''))[:70]!r}"
            )
    return n_true, n_all, items


def longest_right(docs: list[Doc]) -> tuple[int, int, dict[str, list[str]]]:
    """(questions whose right answer is strictly the longest choice, single-choice questions,
    the offenders by file) among ``docs`` (one track)."""
    items: dict[str, list[str]] = defaultdict(list)
    n_single = n_longest = 0
    for doc in docs:
        for block, q in _questions(doc):
            if q.get("type") != "single":
                continue
            choices = [_choice(c) for c in q.get("choices") or []]
            right = [len(t.strip()) for t, ok in choices if ok]
            wrong = [len(t.strip()) for t, ok in choices if not ok]
            if len(right) != 1 or not wrong:
                continue
            n_single += 1
            if right[0] > max(wrong):
                n_longest += 1
                items[doc.rel].append(
                    f"line {_question_line(doc, block, q.get('prompt', ''))}: "
                    f"{str(q.get('prompt', ''))[:70]!r}"
                )
    return n_longest, n_single, items


def test_no_question_prompt_repeated_in_a_track(tracks):
    offenders: dict[str, list[str]] = defaultdict(list)
    for docs in tracks.values():
        for rel, found in repeated_prompts(docs).items():
            offenders[rel].extend(found)
    if offenders:
        pytest.fail(_report("question prompts used more than once in the same track:", offenders), pytrace=False)


def test_true_false_balance_per_track(tracks):
    problems = []
    for track, docs in tracks.items():
        n_true, n_all, items = true_false_balance(docs)
        if n_all and not (0.4 <= n_true / n_all <= 0.6):
            problems.append(
                _report(
                    f"track {track!r}: {n_true} of {n_all} true/false answers are true "
                    f"({100 * n_true / n_all:.0f}%; must be 40-60%):",
                    items,
                )
            )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_right_answer_not_longest_choice_too_often(tracks):
    problems = []
    for track, docs in tracks.items():
        n_longest, n_single, items = longest_right(docs)
        if n_single and n_longest * 3 > n_single:
            problems.append(
                _report(
                    f"track {track!r}: the right answer is the longest choice in {n_longest} of "
                    f"{n_single} single-choice questions (at most {n_single // 3} allowed):",
                    items,
                )
            )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# --------------------------------------------------------------------------------------------
# The checker itself, on small texts (so a rule cannot silently stop working)
# --------------------------------------------------------------------------------------------

SAMPLE = """---
title: A sample
duration: 10
objectives:
  - Work with participants
materials: [Flipchart, sticky notes]
---
Intro for the learner.

!!! facilitator "Facilitator notes"
    Put participants in pairs and use the flipchart.

    Still the facilitator block: ask the group.

Back to the learner: discuss it in
pairs with a colleague.

## Activity 1: Case (10 min)

!!! case "Case study: Ana"
    Ana is tired.

```reflection
prompt: What do you notice?
model_answer: |
  Ana's tiredness.
```

!!! case "Case study: Boris"
    Boris is busy.

```quiz
questions:
  - {type: single, prompt: "Ask the trainer?", choices: [a, {text: b, correct: true}]}
```

## Next page
"""


def test_checker_finds_words_outside_facilitator_blocks_only():
    doc = parse_markdown(SAMPLE)
    hits = classroom_words(doc)
    assert (5, "participants") in hits  # objectives are shown to the learner
    assert (15, "in pairs") in hits  # wrapped over two lines
    assert (34, "Ask the trainer") in hits  # quiz text
    assert all(line not in (6, 10, 11, 12, 13) for line, _ in hits), hits  # materials, facilitator block


def test_checker_pairs_cases_with_reflections():
    doc = parse_markdown(SAMPLE)
    assert [c.line for c in doc.cases] == [20, 29]
    assert doc.h2 == [18, 37]
    assert [b.line for b in doc.blocks if b.kind == "reflection"] == [23]
    missing = cases_without_model_answer(doc)
    assert [line for line, _ in missing] == [29] and "no reflection" in missing[0][1]


def test_norm_treats_case_spacing_and_final_punctuation_alike():
    assert _norm("What  is it?") == _norm("what is it")


QUIZ_A = """## Quiz

```quiz
questions:
  - {type: true-false, prompt: "Babies need water in summer.", answer: false}
  - {type: true-false, prompt: "Responding to a baby does not spoil her.", answer: true}
  - type: single
    prompt: "What  is the best first step?"
    choices:
      - {text: "Listen to the mother and ask what she has noticed", correct: true}
      - Give advice
      - Leave
```
"""

QUIZ_B = """```quiz
questions:
  - {type: true-false, prompt: "A checklist is a screening test.", answer: false}
  - type: single
    prompt: "what is the best first step"
    choices:
      - {text: "Ask", correct: true}
      - "Tell the family what to do at once"
```
"""


def test_track_rules_count_and_locate_offenders():
    docs = [parse_markdown(QUIZ_A, "t/01-a.md"), parse_markdown(QUIZ_B, "t/02-b.md")]
    # the same prompt, differing only in case, spacing and final punctuation, in two files
    rep = repeated_prompts(docs)
    assert sorted(rep) == ["t/01-a.md", "t/02-b.md"]
    assert rep["t/01-a.md"][0].startswith("line 8:") and "t/02-b.md:5" in rep["t/01-a.md"][0]
    # one true of three
    n_true, n_all, items = true_false_balance(docs)
    assert (n_true, n_all) == (1, 3) and len(items["t/01-a.md"]) == 2
    # the right answer is the longest in one of the two single-choice questions
    n_longest, n_single, items = longest_right(docs)
    assert (n_longest, n_single) == (1, 2) and list(items) == ["t/01-a.md"]
    assert not repeated_prompts(docs[:1])


HOME_SAMPLE = """---
title: Another sample
duration: 15
---
## Activity 1: Mini-lecture: serve and return (5 min)

The trainer shows the slides. Participants call
out ideas.

!!! facilitator "How to run it"
    Run it as a mini-lecture with slides; read aloud the case and let the trainer call out.

Now read out your notes, or read
aloud to a colleague.

## Activity 2: Key ideas: serve and return (5 min)

A slide in the park; a trainer-led course is not our topic.

## Activity 3: Warm-up circle (5 min)
"""


def test_checker_finds_home_visitor_words_and_classroom_formats():
    doc = parse_markdown(HOME_SAMPLE)
    hits = classroom_words(doc, HOME_VISITOR_RE)
    words = {(line, " ".join(w.lower().split())) for line, w in hits}
    assert {(5, "mini-lecture"), (7, "trainer"), (7, "slides"), (7, "participants"), (7, "call out"),
            (13, "read out"), (13, "read aloud")} <= words, words
    assert all(line not in (10, 11, 18) for line, _ in hits), hits  # facilitator block, 'a slide', 'trainer-led'
    # the general list alone does not know the trainer's words
    assert {w.lower() for _, w in classroom_words(doc)} == {"participants"}
    assert classroom_formats(doc) == [
        (5, "Mini-lecture: serve and return"),
        (20, "Warm-up circle"),
    ]
