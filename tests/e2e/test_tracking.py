"""What the LMS records: status, score, interactions, reflections, bookmark and resume.

Every case runs the built fixture course (every question type, a reflection) in headless
Chromium against scorm-again, for SCORM 1.2 and 2004 4th Edition, in both layouts.
"""
from __future__ import annotations

import re

import pytest

from .checks import (
    by_key, check_clean_run, check_finished, check_question_interaction, check_status_lifecycle, summary,
)
from .conftest import CONFIGS
from .harness import LmsSession, complete_sco, right_answer, wrong_answer

ALL = list(CONFIGS)
REFLECTION = "I noticed warmth, patience and a calm routine."


def scored_questions(data: dict) -> list[dict]:
    return [q for quiz in data["quizzes"].values() for q in quiz["questions"] if q["scored"]]


def all_questions(data: dict) -> list[dict]:
    return [q for quiz in data["quizzes"].values() for q in quiz["questions"]]


def commits(result: dict) -> int:
    return sum(1 for c in result["calls"] if c["fn"] in ("Commit", "LMSCommit"))


def one_line(text: str, version: str) -> str:
    """What the player sends for a reflection: 1.2 on one line with " ¶ " for line breaks; 2004
    reversibly, each line break as "¶" (a typed "¶" as "¶" + U+2060), a leading "{" or space
    behind one added space."""
    if version == "1.2":
        return re.sub(r"\s*[\r\n\u2028\u2029]+\s*", " \u00b6 ", text).strip()
    out = text.replace("\u00b6", "\u00b6\u2060").replace("\n", "\u00b6")
    return " " + out if out[:1] in ("{", " ") else out


def check_reflections(result: dict, version: str, data: dict, text: str):
    recs = by_key(result, version)
    flat = result["flat"]
    for key, refl in data["reflections"].items():
        rec = recs[refl["interaction"]]
        if version == "1.2":
            assert rec["type"] == "fill-in" and rec["result"] == "neutral", rec
            assert rec["student_response"] == one_line(text, version)[:255], rec
            entries = [c["args"][1] for c in result["calls"] if c["fn"] == "LMSSetValue" and c["args"][0] == "cmi.comments"]
            entries = entries or [flat.get("cmi.comments", "")]  # sent in an earlier launch
            assert any(e.lstrip("\n").startswith(f"[{key}") and text.strip().split()[-1] in e for e in entries), entries
        else:
            assert rec["type"] == "long-fill-in" and rec["result"] == "neutral", rec
            assert rec["learner_response"] == one_line(text, version), rec
            assert not any(k.startswith("cmi.comments_from_learner.") and v for k, v in flat.items()
                           if isinstance(v, str)), "2004 keeps each reflection once, in its interaction"


@pytest.mark.parametrize("name", ALL)
def test_all_right_is_completed_passed_100(driver, server, packages, name):
    pkg = packages[name]
    for sco in pkg.scos:
        run = LmsSession(driver, server, pkg).launch(sco)
        actions = complete_sco(run, "right", reflection=REFLECTION)
        assert run.status()["complete"]
        assert run.js("return document.getElementById('cp-status').textContent").strip()
        run.unload()
        result = run.result()
        check_clean_run(result, driver)
        has_score = bool(scored_questions(sco.data))
        check_finished(result, pkg.version, 100 if has_score else None, True if has_score else None)
        check_status_lifecycle(result, pkg.version)
        recs = by_key(result, pkg.version)
        for q in all_questions(sco.data):
            check_question_interaction(pkg.version, q, recs[q["key"]], True)
        assert len(recs) == len(all_questions(sco.data)) + len(sco.data["reflections"])
        check_reflections(result, pkg.version, sco.data, REFLECTION)
        # one commit per learner action (plus the one at launch), never one per SetValue
        assert commits(result) <= actions + 1, (commits(result), actions)


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_all_wrong_is_failed_with_score_0_and_reveals_answers(driver, server, packages, name):
    pkg = packages[name]
    for sco in pkg.scos:
        run = LmsSession(driver, server, pkg).launch(sco)
        complete_sco(run, "wrong", reflection=None)
        for quiz in sco.data["quizzes"].values():
            if quiz["attempts"]:  # after the last attempt the right answers are shown
                assert run.quiz_closed(quiz["key"])
                shown = run.js("return document.querySelectorAll('.cp-quiz-box[data-quiz=\"' + arguments[0] + '\"] .cp-reveal').length",
                               quiz["key"])
                assert shown == sum(1 for q in quiz["questions"] if q["scored"])
        run.unload()
        result = run.result()
        check_clean_run(result, driver)
        has_score = bool(scored_questions(sco.data))
        check_finished(result, pkg.version, 0 if has_score else None, False if has_score else None)
        recs = by_key(result, pkg.version)
        for q in all_questions(sco.data):
            check_question_interaction(pkg.version, q, recs[q["key"]], False)


def mixed_answers(data: dict) -> tuple[dict, int]:
    """Every other scored question wrong: the answers and the score they earn."""
    answers, right = {}, 0
    scored = scored_questions(data)
    for i, q in enumerate(scored):
        answers[q["key"]] = wrong_answer(q) if i % 2 == 0 else right_answer(q)
        right += i % 2
    return answers, round(100 * right / len(scored)) if scored else None


@pytest.mark.parametrize("name", ALL)
def test_some_wrong_fails_with_the_right_score(driver, server, packages, name):
    pkg = packages[name]
    for sco in pkg.scos:
        answers, score = mixed_answers(sco.data)
        run = LmsSession(driver, server, pkg).launch(sco)
        complete_sco(run, answers, reflection=REFLECTION)
        run.unload()
        result = run.result()
        check_clean_run(result, driver)
        check_finished(result, pkg.version, score, None if score is None else score >= sco.data["mastery"])
        recs = by_key(result, pkg.version)
        for q in scored_questions(sco.data):
            check_question_interaction(pkg.version, q, recs[q["key"]], answers[q["key"]] == right_answer(q))


@pytest.mark.parametrize("name", ["s12-single", "s2004-single"])
def test_the_lms_mastery_score_wins_over_the_built_in_one(driver, server, packages, name):
    pkg = packages[name]
    sco = pkg.scos[0]
    answers, score = mixed_answers(sco.data)
    assert score < sco.data["mastery"]
    init = ({"cmi.student_data.mastery_score": str(score - 5)} if pkg.version == "1.2"
            else {"cmi.scaled_passing_score": str((score - 5) / 100)})
    run = LmsSession(driver, server, pkg).launch(sco, init=init)
    complete_sco(run, answers, reflection=None)
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    check_finished(result, pkg.version, score, True)


def control_state(run: LmsSession, quiz_key: str) -> dict:
    return run.js("""
        var box = document.querySelector('.cp-quiz-box[data-quiz="' + arguments[0] + '"]');
        var out = {summary: box.querySelector('.cp-quiz-summary').textContent, questions: {}};
        Array.prototype.forEach.call(box.querySelectorAll('fieldset.cp-question'), function (fs) {
          var v = [];
          Array.prototype.forEach.call(fs.querySelectorAll('input, select'), function (c) {
            v.push(c.type === 'radio' || c.type === 'checkbox' ? (c.checked ? c.value : '') : c.value);
          });
          Array.prototype.forEach.call(fs.querySelectorAll('ol.cp-order li'), function (li) { v.push(li.dataset.id); });
          out.questions[fs.dataset.key] = {values: v.join('|'), locked: fs.classList.contains('cp-locked'),
                                           feedback: fs.querySelector('.cp-feedback').textContent};
        });
        return out;""", quiz_key)


def page_of(run: LmsSession, selector: str) -> int:
    return run.js("""
        var pages = Array.prototype.slice.call(document.querySelectorAll('.cp-page'));
        var hit = document.querySelector(arguments[0]);
        return hit ? pages.indexOf(hit.closest('.cp-page')) : -1;""", selector)


@pytest.mark.parametrize("name", ALL)
def test_partial_attempt_resumes_where_it_stopped(driver, server, packages, name):
    pkg = packages[name]
    for sco in pkg.scos:
        data = sco.data
        run = LmsSession(driver, server, pkg).launch(sco)
        quiz = next(iter(data["quizzes"].values()))
        quiz_page = page_of(run, f'.cp-quiz-box[data-quiz="{quiz["key"]}"]')
        for _ in range(quiz_page):
            run.next()
        # first question wrong, the rest right; submitted once when attempts are limited (the quiz
        # stays open with attempts left), left as unsubmitted answers when they are not
        for i, q in enumerate(quiz["questions"]):
            run.answer(q, wrong_answer(q) if i == 0 else right_answer(q))
        if quiz["attempts"] and quiz["attempts"] > 1:
            run.submit(quiz["key"])
            first = quiz["questions"][0]
            run.answer(first, right_answer(first))  # a changed answer, not submitted yet
        refl_text = None
        for key in data["reflections"]:
            run.go(page_of(run, f'.cp-reflection-box[data-reflection="{key}"]'))
            run.write_reflection(key, "First thoughts.")
            refl_text = "First thoughts.\nAnd a second line, {braces} included."
            run.write_reflection(key, refl_text, save=False)  # unsaved: kept by the exit commit
        bookmark = 1 if run.page_count() > 1 else 0
        run.go(bookmark)
        before_page = run.current_page()
        before = control_state(run, quiz["key"])
        run.unload()
        result = run.result()
        check_clean_run(result, driver)
        s = summary(result, pkg.version)
        assert s["exit"] == "suspend" and s["location"], s
        assert s["status" if pkg.version == "1.2" else "completion"] == "incomplete", s
        assert not s["raw"], s
        if pkg.version == "1.2":
            assert len(s["suspend"]) <= 4096

        # relaunch: a new API instance loaded with what the LMS stored
        run = LmsSession(driver, server, pkg).launch(sco, init=run.relaunch_data(result), entry="resume")
        assert run.current_page() == before_page
        after = control_state(run, quiz["key"])
        assert after["summary"] == before["summary"]
        for key, st in before["questions"].items():
            assert after["questions"][key]["values"] == st["values"], key
            assert after["questions"][key]["locked"] == st["locked"], key
            assert after["questions"][key]["feedback"] == st["feedback"], key
        for key in data["reflections"]:
            assert run.reflection_text(key) == refl_text
        # and it can be finished from there
        complete_sco(run, "right", reflection=None)
        run.unload()
        result2 = run.result()
        check_clean_run(result2, driver)
        has_score = bool(scored_questions(data))
        expected_right = has_score
        check_finished(result2, pkg.version, 100 if has_score else None, expected_right if has_score else None)
        recs = by_key(result2, pkg.version)
        assert len(recs) == len(all_questions(data)) + len(data["reflections"])
        if data["reflections"]:
            check_reflections(result2, pkg.version, data, refl_text)


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_reflection_text_reaches_the_lms_as_typed(driver, server, packages, name):
    pkg = packages[name]
    sco = next(s for s in pkg.scos if s.data["reflections"])
    key, refl = next(iter(sco.data["reflections"].items()))
    text = "{Starts with a brace} Родители — партнёры.\n\nSecond paragraph: 100% [,] [.] ok " + "word " * 80
    run = LmsSession(driver, server, pkg).launch(sco)
    run.go(run.js("""var pages = Array.prototype.slice.call(document.querySelectorAll('.cp-page'));
                     return pages.indexOf(document.querySelector('.cp-reflection-box').closest('.cp-page'));"""))
    run.write_reflection(key, text)
    assert str(len(text.split())) in run.js("return document.getElementById('cp-r-' + arguments[0] + '-words').textContent", key)
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    check_reflections(result, pkg.version, sco.data, text)
    sent = one_line(text, pkg.version)
    assert ("\u00b6 Second paragraph" if pkg.version == "1.2" else "\u00b6\u00b6Second paragraph") in sent
    if pkg.version != "1.2":
        assert sent.startswith(" {")  # a leading "{" would read as a delimiter and be rejected


NO_SCORE_COURSE = {
    "course.yml": "title: Reading only\n",
    "t/track.yml": "title: Reading track\n",
    "t/01-read.md": "---\ntitle: Just reading\nduration: 10\nobjectives: [Read, Think]\n---\nA page.\n\n## Key messages\n\nAnother page.\n",
    "t/02-survey.md": ("---\ntitle: A survey\nduration: 10\nobjectives: [Say how you feel, Reflect]\n---\nIntro.\n\n"
                       "```quiz\nquestions:\n  - {type: likert, id: feel, prompt: How do you feel?, scale: [Bad, OK, Good]}\n```\n"),
}


@pytest.mark.parametrize("version,layout", [("1.2", "multi-sco"), ("2004-4th", "single-sco")])
def test_sessions_without_scored_questions_complete_without_success_status(driver, server, e2e_root, tmp_path,
                                                                          version, layout):
    from .harness import build

    src = tmp_path / "course"
    for rel, text in NO_SCORE_COURSE.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    pkg = build(src, e2e_root / "pkg", f"noscore-{version}-{layout}", version, layout)
    for sco in pkg.scos:
        run = LmsSession(driver, server, pkg).launch(sco)
        complete_sco(run, "right", reflection=None)
        run.unload()
        result = run.result()
        check_clean_run(result, driver)
        check_finished(result, pkg.version, None, None)
        for q in all_questions(sco.data):
            check_question_interaction(pkg.version, q, by_key(result, pkg.version)[q["key"]], None)
