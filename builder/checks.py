"""Rules across the whole course, run after every file has loaded.

Each rule reports every offender (with its file and line), never just the first.
"""
from __future__ import annotations

from . import models as m
from .diagnostics import Report


def check_course(course: m.Course, report: Report) -> None:
    for track in course.tracks:
        _unique_sessions(track, report)
        for s in track.sessions:
            _activities(s, report)
            _objectives(s, report)
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
