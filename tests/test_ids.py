"""Default session ids are unique by construction, stable, short and readable; explicit ids are checked,
and every duplicate-id error points at the line that holds the id."""
from __future__ import annotations

import zipfile

import pytest

from builder import models as m
from builder.build import build_packages, check
from builder.diagnostics import CourseError
from builder.loader import _default_ids
from tests.conftest import make_course

SESSION = """\
---
{extra}title: {title}
duration: 20
objectives: [One thing, Another thing]
---
Text of {title}.

```quiz
questions:
  - {{type: true-false, prompt: True?, answer: true}}
```
"""


def plan(title: str, extra: str = "") -> str:
    return SESSION.format(title=title, extra=extra)


def session_keys(course_root) -> dict[str, str]:
    course, _ = check(course_root)
    return {s.source_path: s.key for t in course.tracks for s in t.sessions}


def errors_of(course_root) -> list:
    with pytest.raises(CourseError) as exc:
        check(course_root)
    return exc.value.report.errors


def test_every_day_can_open_with_a_welcome(tmp_path):
    root = make_course(tmp_path, {"t/01-first.md": None, "t/day-1/01-welcome.md": plan("Welcome 1"),
                                  "t/day-2/01-welcome.md": plan("Welcome 2")})
    assert session_keys(root) == {"t/day-1/01-welcome.md": "day-1-welcome", "t/day-2/01-welcome.md": "day-2-welcome"}
    results, _ = build_packages(root, tmp_path / "out", scorm=["1.2"])
    with zipfile.ZipFile(results[0].path) as zf:
        names = set(zf.namelist())
        manifest = zf.read("imsmanifest.xml").decode()
    assert {"sco-day-1-welcome.html", "sco-day-2-welcome.html"} <= names
    assert 'identifier="item-day-1-welcome"' in manifest and 'identifier="item-day-2-welcome"' in manifest


def test_a_track_without_modules_keeps_the_file_slug(tmp_path):
    root = make_course(tmp_path, {"t/02-home-visits.md": plan("Visits")})
    assert session_keys(root) == {"t/01-first.md": "first", "t/02-home-visits.md": "home-visits"}


def test_long_names_that_share_48_characters_stay_apart_and_are_stable(tmp_path):
    stem = "supporting-families-through-difficult-circumstances-and-"
    files = {"t/01-first.md": None, f"t/01-{stem}crises.md": plan("A"), f"t/02-{stem}change.md": plan("B"),
             f"t/03-{stem}transitions.md": plan("C")}
    root = make_course(tmp_path, files)
    first, second = session_keys(root), session_keys(root)
    assert first == second  # the same files give the same ids in every build
    keys = list(first.values())
    assert len(set(keys)) == 3
    for k in keys:
        assert len(k) <= 48 and m.ID_RE.match(k)
        assert k.startswith("supporting-families-through-difficult")  # still readable
    build_packages(root, tmp_path / "out", scorm=["1.2", "2004-4th"])


def test_same_name_after_the_number_in_one_module_stays_apart(tmp_path):
    root = make_course(tmp_path, {"t/01-first.md": None, "t/m/01-welcome.md": plan("A"),
                                  "t/m/02-welcome.md": plan("B"), "t/m/03-a_b.md": plan("C"),
                                  "t/m/04-a-b.md": plan("D")})
    keys = session_keys(root)
    assert len(set(keys.values())) == 4
    assert all(k.startswith(("m-welcome-", "m-a-b-")) and len(k) <= 48 for k in keys.values())


def test_a_generated_course_of_a_thousand_long_names_has_no_collisions():
    words = "supporting-families-for-nurturing-care-at-home-with-the-home-visitor-session"
    rels = [f"m{i // 20:03d}/{i % 20 + 1:02d}-{words}-{i}.md" for i in range(1000)]
    rels += [f"{i:02d}-{words}-{i % 7}.md" for i in range(1, 60)]  # no module, names repeat after the number
    ids = _default_ids(rels)
    assert len(set(ids.values())) == len(rels)
    assert all(len(v) <= 48 and m.ID_RE.match(v) for v in ids.values())
    assert _default_ids(list(reversed(rels))) == ids  # independent of the order files are listed in


def test_an_explicit_id_wins_and_is_still_checked(tmp_path):
    root = make_course(tmp_path, {"t/day-1/01-welcome.md": plan("A", "id: opening\n")})
    assert session_keys(root)["t/day-1/01-welcome.md"] == "opening"
    root = make_course(tmp_path / "dup", {"t/02-second.md": plan("B", "\nid: first\n")})
    [err] = [e for e in errors_of(root) if e.code == "duplicate-id"]
    # the clash is reported on the `id:` line of the file that chose the id, whichever loads first
    assert (err.path, err.line) == ("t/02-second.md", 3)
    assert "t/01-first.md" in err.message


def test_a_duplicate_question_id_is_reported_on_its_id_line(tmp_path):
    body = """\
        ---
        title: Q
        duration: 5
        objectives: [A, B]
        ---
        ```quiz
        questions:
          - type: true-false
            prompt: One?
            answer: true
            id: same
          - type: true-false
            prompt: Two?
            answer: false
            id: same
        ```
        """
    root = make_course(tmp_path, {"t/01-first.md": body})
    [err] = [e for e in errors_of(root) if e.code == "duplicate-id"]
    assert err.line == 15
    assert "first on line 11" in err.message


def test_duplicate_track_ids_are_reported_on_the_id_line(tmp_path):
    root = make_course(tmp_path, {"u/track.yml": "title: Other\n# a comment\nid: t\n", "u/01-one.md": plan("One")})
    [err] = [e for e in errors_of(root) if e.code == "duplicate-id"]
    assert (err.path, err.line) == ("u/track.yml", 3)


def test_a_track_id_from_the_folder_name_is_reported_on_line_1(tmp_path):
    root = make_course(tmp_path, {"t_/track.yml": "title: Other\n", "t_/01-one.md": plan("One")})
    [err] = [e for e in errors_of(root) if e.code == "duplicate-id"]
    assert (err.path, err.line) == ("t_/track.yml", 1)
