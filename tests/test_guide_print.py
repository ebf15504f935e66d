"""The facilitator's guide on paper, checked in its HTML: the running clock of the plan, the
running headers (named pages), appendix references where a reader of paper cannot follow a link,
and who each block is for said in words. tests/e2e/test_guide.py prints it in Chromium."""
from __future__ import annotations

import html
import re

import pytest

from builder import models as m
from builder.build import build_packages, check
from builder.guide import clocked, css_content, css_string, short

from .conftest import ROOT, make_course

V2 = ROOT / "tests" / "fixtures" / "valid" / "two-audiences"


def _guide(results) -> str:
    return next(r.path for r in results if r.kind == "guide").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def visits(tmp_path_factory):
    results, report = build_packages(V2, tmp_path_factory.mktemp("g") / "out", scorm=["1.2"], guide=True)
    assert not report.errors
    return _guide(results)


def test_the_clock_runs_from_the_start_of_the_session():
    acts = [m.Activity(number=i + 1, name=f"A{i}", minutes=n, line=1) for i, n in enumerate([10, 45, 20, 5])]
    got = [(a.start, a.end) for a in clocked(acts)]
    assert got == [("0:00", "0:10"), ("0:10", "0:55"), ("0:55", "1:15"), ("1:15", "1:20")]
    assert clocked([]) == []


def test_css_strings_cannot_leave_their_rule_or_the_style_element():
    s = css_string('a "b" \\ c\n</style><script>')
    assert s.startswith('"') and s.endswith('"')
    inner = s[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner and "\n" not in inner
    assert "\\22 b\\22 " in inner and "\\5c " in inner and "\\a " in inner
    assert css_content("Page {n} of {total}", n="counter(page)", total="counter(pages)") == \
        '"Page " counter(page) " of " counter(pages)'
    assert css_content("{n}/{total}", n="counter(page)", total="counter(pages)") == 'counter(page) "/" counter(pages)'


def test_running_header_titles_are_cut_at_a_word():
    assert short("Short title") == "Short title"
    cut = short("Fair and inclusive support: minority families, discrimination and parents", 46)
    assert cut == "Fair and inclusive support: minority families…" and len(cut) <= 46


def test_the_plan_has_a_running_clock_and_each_activity_heading_its_time(visits):
    assert '<th scope="col">Time</th>' in visits
    rows = re.findall(r'<td class="g-clock">([^<]*)</td><td>(\d*)</td><td>([^<]*)</td><td>(\d+)</td>', visits)
    assert ("0:00–0:10", "1", "Opening circle", "10") in rows and ("0:10–0:30", "2", "Case study", "20") in rows
    assert re.search(r'<span class="g-page-clock">0:10–0:30</span> Activity 2: Case study \(20 min\)', visits)
    assert "Times run from the start of the session" in visits


def test_every_session_and_appendix_has_its_running_header_and_pages_are_numbered(visits):
    style = re.search(r"<style>(.*?)</style>", visits, re.S).group(1)
    assert re.search(r'@page \{ @bottom-left \{ content: "Home visits: one source for learners and trainers '
                     r"– Facilitator's guide\"; \} @bottom-right \{ content: \"Page \" counter\(page\) \" of \" "
                     r"counter\(pages\); \} \}", style)
    assert re.search(r'@page g-session-1 \{ @top-left \{ content: "[^"]+"; \} @top-right \{ content: '
                     r'"Session 1 · The first visit"; \} \}', style)
    assert '@top-right { content: "Session 2 · How are you doing?"; }' in style
    # a handout is copied for learners: its pages do not say "facilitator's guide"
    assert re.search(r'@page g-appendix-1 \{[^\n]*"Appendix 1 · Handout: visit checklist"[^\n]*@bottom-left \{ content: none; \}',
                     style)
    assert '<article class="g-session" id="session-' in visits
    assert visits.count('style="page: g-session-') == 2 and visits.count('style="page: g-appendix-') == 1
    assert 'style="page: g-cover"' in visits


def test_links_to_handouts_name_their_appendix_and_open_no_tab(visits):
    link = re.search(r'<a href="#appendix-[^"]*"[^>]*>Handout: visit checklist</a>( <span class="g-ref">\(Appendix 1\)</span>)',
                     visits)
    assert link, "the handout link should say which appendix it is"
    assert not re.search(r'<a href="#[^"]*"[^>]*target=', visits)


def test_who_a_block_is_for_is_said_in_words(visits):
    text = html.unescape(visits)
    assert text.count("For the trainer only (learners never see this)") == visits.count('class="admonition facilitator')
    assert text.count("Self-study path (shown only to learners in the LMS)") >= 1
    assert "How to read this guide" in text and "2 sessions · 45 min face to face" in text


def test_a_material_that_is_a_handout_names_its_appendix_and_tick_boxes_have_no_bullet(tmp_path):
    src = make_course(tmp_path, {
        "t/01-first.md": """\
            ---
            title: First
            duration: 20
            objectives: [Say hello]
            materials: ["Handout: Visit planner", Flipchart]
            ---
            Intro.

            ## Activity 1: Talk (20 min)

            See [the planner](handouts/planner.md) and the [about page](about.md).
            """,
        "t/about.md": "# About\n\nAbout the track.\n",
        "t/handouts/planner.md": "# Handout: Visit planner\n\n- ☐ Ask first\n- ☐ Listen\n- a plain item\n",
    })
    results, report = build_packages(src, tmp_path / "o", scorm=["1.2"], guide=True)
    assert not report.errors, report
    guide = _guide(results)
    assert '<li>Handout: Visit planner <span class="g-ref">(Appendix 1)</span></li>' in guide
    assert "<li>Flipchart</li>" in guide
    assert re.search(r'>the planner</a> <span class="g-ref">\(Appendix 1\)</span>', guide)
    assert '<a href="#about">about page</a>' in guide and 'id="about"' in guide
    assert guide.count('<li class="g-tick">☐') == 2 and "<li>a plain item</li>" in guide


def test_a_russian_guide_has_russian_words_for_what_is_new(tmp_path):
    src = make_course(tmp_path, {"course.yml": "title: Курс\nlanguage: ru\n"})
    results, report = build_packages(src, tmp_path / "o", scorm=["1.2"], guide=True)
    assert not report.errors, report
    guide = html.unescape(_guide(results))
    assert '<th scope="col">Время</th>' in guide and "Только для ведущего" not in guide  # no facilitator block
    assert "Как читать это руководство" in guide and '"Занятие 1 · First"' in guide
    assert "Time" not in re.sub(r"<style>.*?</style>", "", guide, flags=re.S).split("<main>")[1]


def test_recorded_questions_and_reflections_show_the_ids_and_letters_the_lms_reports_use(tmp_path):
    """A teacher reads Moodle's reports as ids and choice letters (b, a[,]c): the guide gives both,
    since each learner saw the choices shuffled."""
    results, report = build_packages(V2, tmp_path / "out", scorm=["1.2"], guide=True)
    assert not report.errors
    guide = _guide(results)
    course, _ = check(V2)
    track = course.tracks[0]
    recorded = [i for s in track.sessions for q in s.quizzes if q.record for i in q.questions]
    self_check = [i for s in track.sessions for q in s.quizzes if not q.record for i in q.questions]
    assert recorded
    for item in recorded:
        assert f"In the LMS reports: {item.key}</p>" in guide, item.key
    for item in self_check:  # never reaches the LMS: no id to look for
        assert f"In the LMS reports: {item.key}</p>" not in guide, item.key
    for r in (r for s in track.sessions for r in s.reflections):
        assert f"In the LMS reports: {r.key}</p>" in guide, r.key
    for item in (i for i in recorded if i.source.type in ("single", "multiple")):
        # this question's own choice list, lettered in the author's order as the reports give them
        block = guide.split(f"In the LMS reports: {item.key}</p>", 1)[1].split("</ul>", 1)[0]
        letters = re.findall(r'<span class="g-letter">([a-z])</span> (.*?)(?:<div|</li>| <strong)', block)
        assert [x[0] for x in letters] == list("abcdefghij"[:len(item.choices_html)]), item.key
        assert [x[1] for x in letters] == [c["html"] for c in item.choices_html], item.key
