"""One source, two audiences (issue 12): what the learner's package holds and what the
facilitator's guide holds, built from the same session plans."""
from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path

import pytest

from builder.audience import count_words, learner_html, study_minutes, without_blocks
from builder.build import build_packages
from builder.diagnostics import CourseError
from builder.loader import contrast_with_white

from .conftest import FIXTURES, make_course, run_cli

V2 = FIXTURES / "valid" / "two-audiences"
V1 = FIXTURES / "valid" / "every-type"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("v2")
    results, report = build_packages(V2, out, scorm=["1.2", "2004-4th"], guide=True)
    files = {}
    for r in results:
        if r.kind == "scorm":
            with zipfile.ZipFile(r.path) as zf:
                files[r.version] = {n: zf.read(n) for n in zf.namelist()}
    guide = (out / "visits-facilitator-guide.html").read_text(encoding="utf-8")
    return files, guide, report


def _player_data(page: bytes) -> dict:
    m = re.search(rb'<script type="application/json" id="cp-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def _visible(page: bytes) -> str:
    """The page's HTML without the player data (which the learner never reads as text)."""
    return html.unescape(re.sub(rb'<script type="application/json".*?</script>', b"", page, flags=re.S).decode())


# ---- the split itself ----------------------------------------------------------------------

def test_without_blocks_removes_nested_facilitator_blocks_and_keeps_the_rest():
    html = ('<p>before</p>\n<div class="admonition facilitator"><p class="admonition-title">Notes</p>'
            '<div class="inner"><p>deep</p></div></div>\n<p>middle</p>'
            '<div class="admonition learner"><p>solo</p></div><div class="admonition facilitator tip">'
            '<p>two</p></div><p>after</p>')
    out = learner_html(html)
    assert "deep" not in out and "Notes" not in out and "two" not in out
    assert out == '<p>before</p>\n<p>middle</p><div class="admonition learner"><p>solo</p></div><p>after</p>'
    assert "solo" not in without_blocks(html, "learner") and "deep" in without_blocks(html, "learner")


def test_a_word_facilitator_in_prose_is_not_a_block():
    html = '<p>The facilitator role</p><div class="facilitator-box"><p>kept</p></div>'
    assert learner_html(html) == html


def test_study_time_grows_with_what_the_learner_does():
    assert study_minutes(0, 0, []) == 1
    assert study_minutes(1000, 0, []) == 5  # 200 words a minute
    assert study_minutes(1000, 5, []) == 10
    assert study_minutes(1000, 5, [60]) == 20  # 6 writing minutes: 16, rounded up to 5-minute steps
    assert count_words("<p>one <b>two</b></p><p>three</p>") == 3


# ---- the learner's package -----------------------------------------------------------------

@pytest.mark.parametrize("version", ["1.2", "2004-4th"])
def test_learner_pages_hold_no_trainer_material(built, version):
    files, _, _ = built
    pages = {n: _visible(b) for n, b in files[version].items() if n.endswith(".html") and not n.startswith("page-")}
    assert pages
    text = "\n".join(pages.values())
    for trainer_only in ("How to run it", "Invite everyone to stand", "MODEL-ANSWER-IN-FACILITATOR-NOTES",
                         "Facilitator notes", "Flipchart and markers", "Sticky notes", "(10 min)", "(20 min)",
                         "Activity 1:", "Session plan", "cp-plan"):
        assert trainer_only not in text, trainer_only
    assert "On your own" in text and "one thing that did not" in text  # the self-study path is there
    assert "In this session you will…" in text and "Plan the opening minutes of a first visit" in text
    assert "Time to study: about" in text
    assert ">Opening circle</h2>" in text and ">Case study</h2>" in text  # activity name only


def test_learner_page_titles_in_contents_and_player_data_show_names_only(built):
    files, _, _ = built
    data = _player_data(files["1.2"]["sco-first-visit.html"])
    assert [p["title"] for p in data["sessions"][0]["pages"]] == ["The first visit", "Opening circle", "Case study"]
    assert data["sessions"][0]["minutes"] >= 1
    assert data["nextTitle"] == "How are you doing?"
    assert _player_data(files["1.2"]["sco-self-check.html"])["nextTitle"] is None
    assert _player_data(files["2004-4th"]["index.html"])["nextTitle"] is None
    assert not any(k.startswith("guide_") for k in data["messages"])


def test_model_answer_record_and_shuffle_reach_the_player(built):
    files, _, _ = built
    data = _player_data(files["2004-4th"]["index.html"])
    refl = next(iter(data["reflections"].values()))
    assert "you came to see them" in refl["modelAnswer"] and "<strong>" in refl["modelAnswer"]
    quizzes = {q["title"]: q for q in data["quizzes"].values()}
    assert quizzes["Check your understanding"]["record"] is True
    assert quizzes["Check your understanding"]["shuffle"] is True  # the default since v2
    assert quizzes["Self-check: energy"]["record"] is False
    assert quizzes["Self-check: energy"]["shuffle"] is False


def test_a_self_check_is_not_a_scored_question_and_sets_no_mastery(built):
    files, _, _ = built
    manifest = files["1.2"]["imsmanifest.xml"].decode()
    # the first session's SCO has a mastery score; the self-check SCO has no scored question
    first = re.search(r'<item identifier="[^"]*first-visit[^"]*".*?</item>', manifest, re.S).group(0)
    check = re.search(r'<item identifier="[^"]*self-check[^"]*".*?</item>', manifest, re.S).group(0)
    assert "masteryscore" in first and "masteryscore" not in check


def test_theme_accent_and_logo_are_in_the_package(built):
    files, _, _ = built
    page = files["1.2"]["sco-first-visit.html"].decode()
    assert "--cp-accent: #0b5cad" in page
    assert 'src="assets/assets/logo.svg"' in page and "assets/assets/logo.svg" in files["1.2"]


# ---- the facilitator's guide ---------------------------------------------------------------

def test_guide_holds_the_whole_plan(built):
    guide = html.unescape(built[1])
    for expected in ("Facilitator's guide", "Version 2.0", "Flipchart and markers", "Sticky notes in two colours",
                     "Invite everyone to stand", "MODEL-ANSWER-IN-FACILITATOR-NOTES", "Activity 1: Opening circle (10 min)",
                     "Self-study path (shown only to learners in the LMS)", "one thing that did not",
                     "Model answer", "you came to see them", "Plan the opening minutes of a first visit",
                     "Self-check: answers stay with the learner", "Scored quiz: answers are recorded",
                     "Attempts allowed: 2", "Appendix 1: Handout: visit checklist", "Greet every person",
                     "Case study: Mira and baby Sol"):
        assert expected in guide, expected
    # the right choice is marked in words, not only by colour, with its feedback
    right = re.search(r'<li class="g-right">(.*?)</li>', guide, re.S).group(1)
    assert "Thank her for letting you in" in right and "(correct)" in right and "it names why you are there" in right
    assert "Correct answer:</span> False" in guide and "Correct answer:</span> True" in guide
    # the activities table, with its minutes and total
    assert re.search(r"<td>Opening circle</td><td>10</td>", guide)
    assert re.search(r"Total</th><td>30</td>", guide)


def test_guide_is_self_contained_and_scriptless(built):
    _, guide, _ = built
    assert "<script" not in guide.lower()
    refs = re.findall(r'\b(?:src|href)="([^"]*)"', guide)
    assert refs and all(r.startswith(("data:", "#")) for r in refs), [r for r in refs if not r.startswith(("data:", "#"))]
    assert 'src="data:image/svg+xml;base64,' in guide
    assert 'href="#appendix-' in guide  # the handout link points at its appendix
    assert "@media print" in guide and "break-before: page" in guide


def test_guide_bytes_are_reproducible(tmp_path):
    a, _ = build_packages(V2, tmp_path / "a", scorm=["1.2"], guide=True)
    b, _ = build_packages(V2, tmp_path / "b", scorm=["1.2"], guide=True)
    ga, gb = (next(r.path for r in rs if r.kind == "guide") for rs in (a, b))
    assert ga.read_bytes() == gb.read_bytes()


def test_cli_writes_a_guide_per_track_unless_told_not_to(tmp_path):
    out = tmp_path / "out"
    r = run_cli("build", V2, "--out", out)
    assert r.returncode == 0, r.stderr
    assert "facilitator's guide" in r.stdout
    assert (out / "visits-facilitator-guide.html").is_file()
    out2 = tmp_path / "out2"
    r = run_cli("build", V2, "--out", out2, "--no-guide")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out2.iterdir()) == ["visits-scorm12.zip", "visits-scorm2004-4th.zip"]


def test_guide_escapes_titles(tmp_path):
    src = make_course(tmp_path, {"t/track.yml": 'title: "Tom & <Jerry>"\n'})
    results, _ = build_packages(src, tmp_path / "o", scorm=["1.2"], guide=True)
    guide = next(r.path for r in results if r.kind == "guide").read_text(encoding="utf-8")
    assert "Tom &amp; &lt;Jerry&gt;" in guide and "<Jerry>" not in guide


# ---- v1 courses and diagnostics --------------------------------------------------------------

def test_a_v1_course_still_builds_and_its_facilitator_notes_leave_the_learner_view(tmp_path):
    results, report = build_packages(V1, tmp_path / "fixture", scorm=["1.2"])
    assert results and not report.errors  # its manifests are compared with tests/golden/demo-*.xml
    # a version 1 session plan: no v2 key, a facilitator block holding the answer to a case
    src = make_course(tmp_path, {"t/01-first.md": """\
        ---
        title: First
        duration: 20
        objectives: [Say hello, Say goodbye]
        materials: [Flipchart]
        ---
        ## Activity 1: Case (20 min)

        !!! case "Case"
            A mother worries.

        !!! facilitator "Facilitator notes"
            V1-ANSWER: praise what she already does.
        """})
    results, report = build_packages(src, tmp_path / "v1", scorm=["1.2"], guide=True)
    assert not report.errors
    with zipfile.ZipFile(next(r.path for r in results if r.kind == "scorm")) as zf:
        page = _visible(zf.read("sco-first.html"))
    assert "A mother worries." in page and "V1-ANSWER" not in page and "Flipchart" not in page
    assert ">Case</h2>" in page  # the activity's name only
    guide = next(r.path for r in results if r.kind == "guide").read_text(encoding="utf-8")
    assert "V1-ANSWER" in guide and "Flipchart" in guide and "Activity 1: Case (20 min)" in guide


def test_missing_objectives_is_a_warning_and_an_error_with_strict(tmp_path):
    src = make_course(tmp_path, {"t/01-first.md": "---\ntitle: First\nduration: 5\n---\nText.\n"})
    r = run_cli("check", src)
    assert r.returncode == 0 and "[no-objectives]" in r.stderr and "01-first.md:1" in r.stderr
    assert run_cli("check", src, "--strict").returncode == 1


@pytest.mark.parametrize("colour,ok", [("#0b5cad", True), ("#767676", True), ("#ffcc00", False), ("#888888", False)])
def test_accent_colour_needs_contrast_with_white_text(tmp_path, colour, ok):
    assert (contrast_with_white(colour) >= 4.5) is ok
    src = make_course(tmp_path, {"course.yml": f'title: T\ntheme:\n  accent: "{colour}"\n'})
    r = run_cli("check", src)
    if ok:
        assert r.returncode == 0, r.stderr
    else:
        assert r.returncode == 1
        assert "course.yml:3:11: error:" in r.stderr and "[theme-contrast]" in r.stderr


def test_a_logo_outside_the_course_or_not_an_image_is_refused(tmp_path):
    src = make_course(tmp_path, {"course.yml": "title: T\ntheme: {logo: ../secret.svg}\n", "notes.txt": "x"})
    r = run_cli("check", src)
    assert r.returncode == 1 and "[theme-logo]" in r.stderr and "course.yml:2" in r.stderr
    src2 = make_course(tmp_path / "b", {"course.yml": "title: T\ntheme: {logo: notes.txt}\n", "notes.txt": "x"})
    r = run_cli("check", src2)
    assert r.returncode == 1 and "is not an image" in r.stderr


def test_model_answer_and_record_are_checked_like_every_key(tmp_path):
    src = make_course(tmp_path, {"t/01-first.md": """\
        ---
        title: First
        duration: 5
        objectives: [One, Two]
        ---
        ```quiz
        record: maybe
        questions:
          - {type: true-false, prompt: Sky is blue., answer: true}
        ```

        ```reflection
        prompt: Why?
        model_answr: Because.
        ```
        """})
    r = run_cli("check", src)
    assert r.returncode == 1
    assert "01-first.md:7" in r.stderr and "record" in r.stderr
    assert "unknown key 'model_answr'" in r.stderr and "did you mean 'model_answer'?" in r.stderr


def test_misspelt_or_empty_audience_blocks_are_errors_with_their_line(tmp_path):
    src = make_course(tmp_path, {"t/01-first.md": """\
        ---
        title: First
        duration: 5
        objectives: [One, Two]
        ---
        Intro.

        !!! facilitater "Notes"
            Secret for trainers.

        !!! Facilitator "Notes"
        Not indented, so not in the block.

        ```markdown
        !!! facilitor (inside a code block: only an example)
        ```
        """})
    r = run_cli("check", src)
    assert r.returncode == 1
    assert "01-first.md:8: error: '!!! facilitater' is not a block type" in r.stderr
    assert "did you mean 'facilitator'?" in r.stderr
    assert "01-first.md:11: error: the facilitator block has no text indented under it" in r.stderr
    assert "facilitor" not in r.stderr


def test_an_untitled_learner_block_has_no_title(tmp_path):
    src = make_course(tmp_path, {"t/01-first.md": """\
        ---
        title: First
        duration: 5
        objectives: [One, Two]
        ---
        !!! learner
            Write one line.
        """})
    results, _ = build_packages(src, tmp_path / "o", scorm=["1.2"])
    with zipfile.ZipFile(results[0].path) as zf:
        page = zf.read("sco-first.html").decode()
    assert '<div class="admonition learner">\n<p>Write one line.</p>' in page
    assert "admonition-title" not in page


@pytest.mark.parametrize("fmt,ok", [(1, True), (2, True), (3, False)])
def test_course_may_name_its_source_format(tmp_path, fmt, ok):
    src = make_course(tmp_path, {"course.yml": f"format: {fmt}\ntitle: T\n"})
    r = run_cli("check", src)
    assert (r.returncode == 0) is ok, r.stderr
    if not ok:
        assert "course.yml:1:9" in r.stderr and "reads source format 1 and 2, not 3" in r.stderr
