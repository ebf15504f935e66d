"""`coursepack new course|track|session PATH`: commented starting files that pass `check --strict`.

The texts teach the format by example: every key a new author needs appears once, with a comment
that says what it does. Nothing is ever overwritten.
"""
from __future__ import annotations

import re
from pathlib import Path

SESSION_NAME_RE = re.compile(r"^(\d+)[-_][a-z0-9][a-z0-9-]*\.md$")


class ScaffoldError(Exception):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


COURSE_YML = """\
# course.yml: settings for the whole course. Every track inherits them; a track.yml may override
# language, version, mastery_score, scorm and layout. See docs/authoring.md for every key.
title: "{title}"
description: "What the course is about and who it is for, in one or two sentences."
language: en              # the interface language of the packages (en and ru ship)
version: "1.0"            # quoted, so that 1.10 stays 1.10
mastery_score: 80         # percent of quiz points a learner needs to pass
scorm: ["1.2", "2004-4th"]  # one zip per version for each track
tracks: [{track}]  # the order of the tracks; each is a folder with a track.yml
"""

TRACK_YML = """\
# track.yml: one track becomes one SCORM package per version. Session plans are the files named
# like 01-welcome.md in this folder (or in module folders inside it, each with a module.yml).
# The track's id is the folder name; add `id: other-id` to choose another.
title: "{title}"
description: "Who this track is for and what they will be able to do afterwards."
"""

SESSION_MD = """\
---
# The front matter: data about the session plan. The facilitator's guide shows all of it;
# learners see the title and the objectives ("In this session you will…").
title: "{title}"
duration: 30          # minutes; the activity minutes below must add up to it
objectives:           # 2 to 5, each one thing a learner will be able to do
  - Name the three things this session is about
  - Try them out in a short quiz
materials:            # optional: what the facilitator prepares
  - Flipchart and markers
---
Write the introduction here in Markdown. Everything outside a `!!! learner` or
`!!! facilitator` block is for everyone.

## Activity 1: Think first (10 min)

Each `## Activity N: Name (M min)` heading starts a new page and a timed activity. Learners see
only the name ("Think first"); the facilitator's guide shows the number and the minutes too.

!!! learner "On your own"
    Only learners see this block (the self-study path): the solo version of a group activity.
    Write down two things you already know about the topic.

!!! facilitator "How to run it"
    Only the facilitator's guide shows this block: instructions for the trainer.
    Ask the group what they already know and write every answer on the flipchart.

## Activity 2: Check your understanding (10 min)

```quiz
title: "Check your understanding"
questions:
  - type: single          # exactly one right choice
    prompt: "{single_prompt}"
    choices:
{choices}  - type: true-false
    prompt: "{tf_prompt}"
    answer: {tf_answer}
  - type: fill-in         # accepted answers; case and extra spaces do not matter
    prompt: "{fill_prompt}"
    answers: ["course.yml"]
```

## Activity 3: Reflection (10 min)

```reflection
prompt: "What will you do differently after this session, and why?"
min_words: 20         # the learner writes at least this many words before comparing
model_answer: |
  A good answer names one concrete change ("I will ask before I advise") and the reason for
  it ("parents then tell me what they have already tried").
```
"""


CHOICES = [
    ('"02-first-steps.md"', True, "Yes: a number, a dash, then words, ending in .md."),
    ('"first steps.md"', False, "Spaces are not allowed, and a session plan starts with a number."),
    ('"02-first-steps.txt"', False, "Session plans end in .md."),
]


def session_md(title: str, number: int = 1, name: str = "") -> str:
    """A session plan; ``number`` moves the right choice and flips the true/false answer, and ``name``
    makes the prompts unique, so that new sessions never trigger the quiz-quality warnings."""
    shift = (number - 1) % len(CHOICES)
    rotated = CHOICES[-shift:] + CHOICES[:-shift] if shift else CHOICES
    lines = []
    for text, correct, feedback in rotated:
        lines.append(f"      - text: {text}")
        if correct:
            lines.append("        correct: true")
        lines.append(f'        feedback: "{feedback}"')
    tag = f" ({name})" if name else ""
    even = number % 2 == 0
    return SESSION_MD.format(
        title=title, choices="\n".join(lines) + "\n",
        single_prompt=f"Which of these is a session plan file name?{tag}",
        tf_prompt=(f"Activity minutes may add up to more than the duration.{tag}" if even
                   else f"The activity minutes must add up to the session's duration.{tag}"),
        tf_answer="false" if even else "true",
        fill_prompt=f"Which file holds the settings for the whole course?{tag}")


def _title_from(path: Path) -> str:
    stem = path.stem if path.suffix == ".md" else path.name
    stem = re.sub(r"^\d+[-_]", "", stem)
    words = re.sub(r"[-_]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if any(c.isalnum() for c in words) else "New session"


def _slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s if s and s[0].isalpha() else ("t-" + s if s else "track")


def _q(text: str) -> str:
    """A title inside double quotes in YAML (--title is checked: a title check would refuse is refused now)."""
    text = " ".join(text.split())
    bad = re.search(r"[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]", text)
    if bad:
        raise ScaffoldError(f"--title contains the invisible control character U+{ord(bad.group()):04X}",
                            hint="type the title again without it")
    if not any(c.isalnum() for c in text):
        raise ScaffoldError(f"--title '{text}' has no letters or digits", hint='give a title, e.g. --title "Home visits"')
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _write_new(files: dict[Path, str]) -> list[Path]:
    existing = [p for p in files if p.exists()]
    if existing:
        raise ScaffoldError(f"'{existing[0]}' already exists; coursepack new never overwrites files",
                            hint="choose another PATH, or move the existing files away first")
    written = []
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as fh:  # "x": fail rather than overwrite
            fh.write(text)
        written.append(path)
    return written


def _list_track(course_yml: Path, track_id: str) -> None:
    """Append the new track to a one-line `tracks: [...]` in course.yml (the only edit `new` makes)."""
    text = course_yml.read_text(encoding="utf-8")
    m = re.search(r"^tracks:[ \t]*\[([^\]\n]*)\]", text, re.M)
    if not m:
        return  # no list (every track is built) or a block list: the author adds it
    items = [x.strip() for x in m.group(1).split(",") if x.strip()]
    if track_id in items:
        return
    new = "tracks: [" + ", ".join(items + [track_id]) + "]"
    course_yml.write_text(text[:m.start()] + new + text[m.end():], encoding="utf-8")


def scaffold(kind: str, path: Path, title: str | None = None) -> list[Path]:
    if kind == "course":
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise ScaffoldError(f"'{path}' already exists and is not an empty folder; coursepack new never "
                                "overwrites files", hint="choose a new folder name")
        track = "first-track"
        return _write_new({
            path / "course.yml": COURSE_YML.format(title=_q(title or _title_from(path)), track=track),
            path / track / "track.yml": TRACK_YML.format(title="First track"),
            path / track / "01-welcome.md": session_md("Welcome"),
        })
    if kind == "track":
        parent = path.parent
        if not (parent / "course.yml").is_file():
            raise ScaffoldError(f"'{parent}' is not a course folder (it has no course.yml)",
                                hint="a track is a folder inside a course: coursepack new track my_course/new-track")
        if path.exists():
            raise ScaffoldError(f"'{path}' already exists; coursepack new never overwrites files",
                                hint="choose another folder name")
        if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", path.name):
            raise ScaffoldError(f"'{path.name}' is not a good track folder name",
                                hint="use letters, digits and '-', e.g. home-visits")
        written = _write_new({
            path / "track.yml": TRACK_YML.format(title=_q(title or _title_from(path))),
            path / "01-welcome.md": session_md("Welcome", 1, f"{_slug(path.name)}-01"),
        })
        _list_track(parent / "course.yml", _slug(path.name))
        return written
    # session: PATH is a file name, or a track/module folder (the next free number is chosen)
    if path.is_dir():
        numbers = [int(m.group(1)) for f in path.iterdir() if (m := SESSION_NAME_RE.match(f.name))]
        width = max([len(m.group(1)) for f in path.iterdir() if (m := SESSION_NAME_RE.match(f.name))] or [2])
        path = path / f"{max(numbers, default=0) + 1:0{width}d}-new-session.md"
    if not SESSION_NAME_RE.match(path.name):
        raise ScaffoldError(f"'{path.name}' is not a session plan file name",
                            hint="name it like 02-first-steps.md: a number, '-', lower-case words and '-', then .md")
    folder = path.parent
    if not ((folder / "track.yml").is_file() or (folder / "module.yml").is_file()
            or (folder.parent / "track.yml").is_file()):
        raise ScaffoldError(f"'{folder}' is not a track or module folder (no track.yml)",
                            hint="create the track first: coursepack new track my_course/my-track")
    number = int(SESSION_NAME_RE.match(path.name).group(1))
    return _write_new({path: session_md(_q(title or _title_from(path)), number, path.stem)})
