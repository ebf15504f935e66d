"""The shipped course (course_src/) is complete: the checks from the course issue."""
import re
from pathlib import Path

import pytest
from lxml import etree, html as lxml_html

from builder.build import check
from builder.models import QUESTION_TYPES

from .conftest import ROOT

SRC = ROOT / "course_src"


@pytest.fixture(scope="module")
def course():
    course, report = check(SRC, strict=True)  # raises with every problem if anything is wrong
    return course


def test_three_tracks_with_the_fixed_ids(course):
    assert [t.id for t in course.tracks] == ["general-overview", "foundational", "extended"]


def test_track_shapes(course):
    tracks = {t.id: t for t in course.tracks}
    go = tracks["general-overview"]
    assert [m.key for m in go.modules] == [""] and 5 <= len(go.sessions) <= 7
    for tid, days in (("foundational", 5), ("extended", 3)):
        mods = tracks[tid].modules
        assert len(mods) == days, tid
        for n, mod in enumerate(mods, 1):
            assert 4 <= len(mod.sessions) <= 6, (tid, mod.key)
            assert mod.title.startswith("Day " + ["I", "II", "III", "IV", "V"][n - 1] + ":"), mod.title


def sessions(course):
    return [(t, s) for t in course.tracks for s in t.sessions]


def test_every_session_plan_is_complete(course):
    problems = []
    for track, s in sessions(course):
        where = s.source_path
        if not 2 <= len(s.objectives) <= 5:
            problems.append(f"{where}: {len(s.objectives)} objectives")
        if not s.materials:
            problems.append(f"{where}: no materials")
        if not s.activities or sum(a.minutes for a in s.activities) != s.duration:
            problems.append(f"{where}: activity minutes do not add up to the duration")
        if not s.reflections:
            problems.append(f"{where}: no reflection")
        if not any(sum(q.source.type != "likert" for q in quiz.questions) >= 3 for quiz in s.quizzes):
            problems.append(f"{where}: no quiz with 3+ scored questions")
        for quiz in s.quizzes:
            for q in quiz.questions:
                if q.source.type == "likert":
                    continue
                fb = q.feedback_html
                if not (fb.get("correct") and fb.get("incorrect")):
                    problems.append(f"{where}: question {q.key} lacks teaching feedback")
        body = "".join(p.html for p in s.pages)
        for kind in ("key", "case"):
            if f'class="admonition {kind}"' not in body:
                problems.append(f"{where}: no '!!! {kind}' block")
    assert not problems, "\n".join(problems)


def test_every_question_type_is_used(course):
    used = {q.source.type for _, s in sessions(course) for quiz in s.quizzes for q in quiz.questions}
    assert used == set(QUESTION_TYPES)


def test_no_placeholder_text():
    bad = []
    for path in SRC.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".yml", ".svg"):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"\b(todo|tbd|lorem|xxx)\b", line, re.I):
                    bad.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not bad, "\n".join(bad)


def test_every_image_has_alt_text_and_every_svg_a_title(course):
    missing = []
    for track in course.tracks:
        docs = [(s.source_path, p.html) for s in track.sessions for p in s.pages]
        docs += [(p.source_path, p.html) for p in track.pages]
        for where, html in docs:
            if "<img" not in html:
                continue
            for img in lxml_html.fragment_fromstring(html, create_parent="div").iter("img"):
                if not (img.get("alt") or "").strip():
                    missing.append(f"{where}: {img.get('src')}")
    assert not missing, missing
    for svg in SRC.rglob("*.svg"):
        root = etree.parse(str(svg)).getroot()
        assert root.find("{http://www.w3.org/2000/svg}title") is not None, svg


def test_each_track_has_an_about_page_that_states_the_design(course):
    for track in course.tracks:
        assert track.about_href, track.id
        about = next(p for p in track.pages if p.href == track.about_href)
        text = " ".join(lxml_html.fragment_fromstring(about.html, create_parent="div").text_content().lower().split())
        assert "own design" in text, track.id
        assert "issa" in text and "unicef" in text, track.id


@pytest.mark.parametrize("layout", ["multi-sco", "single-sco"])
def test_every_shipped_package_passes_the_shared_validator(tmp_path, validator, layout):
    from builder.build import build_packages, check, module_units

    from .conftest import assert_valid

    results, _ = build_packages(SRC, tmp_path, scorm=["1.2", "2004-3rd", "2004-4th"], layout=layout)
    course, _ = check(SRC)
    # one package per track and version; single-SCO packages of a `split: module` track, one per module
    per_version = sum(len(module_units(t)) if layout == "single-sco" and t.split == "module" else 1
                      for t in course.tracks)
    assert len(results) == 3 * per_version and per_version >= 3
    for r in results:
        assert_valid(validator, r.path)
