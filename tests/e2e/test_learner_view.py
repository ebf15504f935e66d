"""Issue 12, the learner's side of the player, in headless Chromium against scorm-again:
model answers, self-checks that never reach the LMS, choices shuffled per learner, unanswered
questions marked, the end of each session, the sticky bar never hiding the focus, the contents
panel at full height, the theme's accent colour, and axe-core on all of it."""
from __future__ import annotations

import json
import textwrap

import pytest

from .checks import by_key, check_clean_run
from .harness import LmsSession, build, complete_sco, make_driver
from .test_accessibility import no_violations

SESSION_1 = """\
    ---
    title: Listening first
    duration: 30
    objectives: [Notice cues, Respond]
    ---
    A first page to read.

    ## Activity 1: Think it through (10 min)

    ```reflection
    id: cues
    prompt: "What cues did the baby give?"
    min_words: 3
    model_answer: |
      The baby **looked away** and then smiled again.
    ```

    ## Activity 2: How are you? (5 min)

    ```quiz
    record: false
    title: "Self-check: how are you doing?"
    questions:
      - {type: likert, id: tired, prompt: "I feel tired before the day begins.", scale: [Never, Sometimes, Often]}
      - type: single
        id: private
        prompt: Which is true for you?
        choices: [{text: First, correct: true}, Second, Third]
    ```

    ## Activity 3: Check (10 min)

    ```quiz
    questions:
      - type: single
        id: pick
        prompt: Which one is right?
        choices: [One, Two, Three, Four, {text: Five, correct: true}, Six]
      - type: multiple
        id: many
        prompt: Which ones are right?
        choices: [{text: A, correct: true}, B, {text: C, correct: true}, D, E, F, G]
      - type: single
        id: fixed
        prompt: And this one?
        choices: [Alpha, Beta, {text: Gamma, correct: true}, Delta, Epsilon]
    ```
    """

SESSION_2 = """\
    ---
    title: Planning the visit
    duration: 20
    objectives: [Plan]
    ---
    The second session.

    ## Activity 1: Plan (10 min)

    Write a plan in your notebook.
    """


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    src = tmp_path_factory.mktemp("learner") / "course"
    (src / "t").mkdir(parents=True)
    (src / "course.yml").write_text("title: Learner view\nmastery_score: 80\n", encoding="utf-8")
    (src / "t" / "track.yml").write_text("title: Learner track\n", encoding="utf-8")
    (src / "t" / "01-listening.md").write_text(textwrap.dedent(SESSION_1), encoding="utf-8")
    (src / "t" / "02-planning.md").write_text(textwrap.dedent(SESSION_2), encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def pkgs(course, e2e_root):
    return {"12-multi": build(course, e2e_root / "pkg", "lv-12-multi", "1.2", "multi-sco"),
            "12-single": build(course, e2e_root / "pkg", "lv-12-single", "1.2", "single-sco"),
            "2004": build(course, e2e_root / "pkg", "lv-2004", "2004-4th", "single-sco")}


def goto_box(run: LmsSession, selector: str) -> int:
    g = run.js("""var pages = Array.prototype.slice.call(document.querySelectorAll('.cp-page'));
                  return pages.indexOf(document.querySelector(arguments[0]).closest('.cp-page'));""", selector)
    run.go(g)
    return g


def suspend_writes(result: dict) -> list[str]:
    return [c["args"][1] for c in result["calls"]
            if c["fn"] in ("SetValue", "LMSSetValue") and c["args"][0] == "cmi.suspend_data"]


# ---- model answers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["12-multi", "2004"])
def test_model_answer_only_after_writing_and_still_shown_after_resume(driver, server, pkgs, name):
    pkg = pkgs[name]
    sco = pkg.scos[0]
    key = next(k for k, r in sco.data["reflections"].items() if r.get("modelAnswer"))
    state_js = """var b = document.querySelector('#cp-r-' + arguments[0] + '-model');
        var btn = b.closest('.cp-reflection-box').querySelector('.cp-reflection-actions .cp-button:not(.cp-primary)');
        return {shown: !b.hidden && b.offsetHeight > 0, text: b.textContent, disabled: btn.disabled, hidden: btn.hidden,
                hint: document.getElementById('cp-r-' + arguments[0] + '-mhint').textContent};"""
    run = LmsSession(driver, server, pkg).launch(sco)
    goto_box(run, f'.cp-reflection-box[data-reflection="{key}"]')
    st = run.js(state_js, key)
    assert not st["shown"] and st["disabled"] and "3 words" in st["hint"], st
    run.write_reflection(key, "Two words", save=False)
    assert run.js(state_js, key)["disabled"]
    run.write_reflection(key, "She looked away.", save=False)
    st = run.js(state_js, key)
    assert not st["disabled"] and not st["shown"] and st["hint"] == "", st
    run.js("document.getElementById('cp-r-' + arguments[0] + '-model').closest('.cp-reflection-box')"
           ".querySelector('.cp-reflection-actions .cp-button:not(.cp-primary)').click()", key)
    st = run.js(state_js, key)
    assert st["shown"] and "looked away" in st["text"] and st["hidden"], st
    assert run.js("return document.activeElement.id") == f"cp-r-{key}-model"
    no_violations(run.run_axe(), f"{name}: model answer shown")
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    run = LmsSession(driver, server, pkg).launch(sco, init=run.relaunch_data(result), entry="resume")
    goto_box(run, f'.cp-reflection-box[data-reflection="{key}"]')
    st = run.js(state_js, key)
    assert st["shown"] and st["hidden"], st
    assert run.reflection_text(key) == "She looked away."
    run.unload()


# ---- self-checks -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["12-multi", "2004"])
def test_a_self_check_leaves_no_trace_in_the_lms_and_never_counts(driver, server, pkgs, name):
    pkg = pkgs[name]
    sco = pkg.scos[0]
    quizzes = sco.data["quizzes"]
    self_quiz = next(q for q in quizzes.values() if q.get("record") is False)
    self_keys = [q["key"] for q in self_quiz["questions"]]
    run = LmsSession(driver, server, pkg).launch(sco)
    run.js("localStorage.clear()")
    note = run.js("return document.querySelector('.cp-quiz-box[data-quiz=\"' + arguments[0] + '\"] .cp-self-note').textContent",
                  self_quiz["key"])
    assert "not sent" in note and "do not count" in note, note
    # everything but the self-check: completed, passed, 100
    complete_sco(run, {k: "c" for k in self_keys}, reflection="I noticed the baby smiled.")  # the self-check too
    s = run.status()
    assert s["complete"] and s["score"] == 100, s  # the wrong self-check answer does not count
    if not run.lms("return LMS.calledFinish()"):
        run.unload()
    result = run.result()
    check_clean_run(result, driver)
    sent = json.dumps([c["args"] for c in result["calls"] if c["fn"] in ("SetValue", "LMSSetValue")])
    for k in self_keys:
        assert k not in sent, k
    assert self_quiz["key"] not in sent
    recs = by_key(result, pkg.version)
    assert not set(self_keys) & set(recs)
    flat = result["flat"]
    assert flat.get("cmi.core.score.raw" if pkg.version == "1.2" else "cmi.score.raw") == "100"
    stored = run.js("return localStorage.getItem(arguments[0] + '|self')", sco.data["storageKey"])
    assert stored and all(k in stored for k in self_keys)
    # the answers come back from this browser, not from the LMS
    run = LmsSession(driver, server, pkg).launch(sco, init=run.relaunch_data(result), entry="resume")
    assert run.js("return document.getElementById('cp-q-' + arguments[0] + '-c-c').checked", self_keys[0])
    run.unload()


# ---- shuffled choices -----------------------------------------------------------------------------------------

ORDER_JS = ("return Array.prototype.map.call(document.querySelectorAll('#cp-q-' + arguments[0] + ' input'),"
            " function (i) { return i.value; }).join('')")


@pytest.mark.parametrize("name", ["12-multi", "2004"])
def test_choices_are_shuffled_per_learner_stable_on_resume_and_recorded_by_id(driver, server, pkgs, name):
    pkg = pkgs[name]
    sco = pkg.scos[0]
    keys = [q["key"] for quiz in sco.data["quizzes"].values() if quiz.get("record", True)
            for q in quiz["questions"]]
    orders = {}
    for learner in ("learner-1", "learner-2", "learner-3"):
        idkey = "cmi.core.student_id" if pkg.version == "1.2" else "cmi.learner_id"
        run = LmsSession(driver, server, pkg).launch(sco, init={idkey: learner})
        orders[learner] = {k: run.js(ORDER_JS, k) for k in keys}
        if learner == "learner-1":
            complete_sco(run, "right", reflection="Some words here.")
            run.unload()
            result = run.result()
            check_clean_run(result, driver)
            recs = by_key(result, pkg.version)
            resp = "student_response" if pkg.version == "1.2" else "learner_response"
            q = {q["key"]: q for quiz in sco.data["quizzes"].values() for q in quiz["questions"]}
            for k in keys:  # the ids of the right choices, whatever order they were shown in
                right = [c["id"] for c in q[k]["choices"] if c["correct"]]
                assert recs[k][resp] == ("," if pkg.version == "1.2" else "[,]").join(right), (k, recs[k])
                assert recs[k]["result"] == "correct"
            init = run.relaunch_data(result)
            again = LmsSession(driver, server, pkg).launch(sco, init={**init, idkey: learner}, entry="resume")
            assert {k: again.js(ORDER_JS, k) for k in keys} == orders[learner]  # resume keeps the order
            again.unload()
        else:
            run.unload()
    for o in orders.values():
        assert all(sorted(v) == sorted(next(iter(orders.values()))[k]) for k, v in o.items())
    assert len({json.dumps(o, sort_keys=True) for o in orders.values()}) > 1, orders  # learners differ
    assert any(v != "".join(sorted(v)) for v in orders["learner-1"].values())  # not the author's order


# ---- unanswered questions ---------------------------------------------------------------------------------------

def test_submitting_too_early_marks_each_unanswered_question(driver, server, pkgs):
    pkg = pkgs["12-multi"]
    sco = pkg.scos[0]
    quiz = next(q for q in sco.data["quizzes"].values() if q.get("record", True))
    run = LmsSession(driver, server, pkg).launch(sco)
    goto_box(run, f'.cp-quiz-box[data-quiz="{quiz["key"]}"]')
    first = quiz["questions"][0]
    run.answer(first, next(c["id"] for c in first["choices"] if c["correct"]))
    run.submit(quiz["key"])
    marks = run.js("""return Array.prototype.map.call(document.querySelectorAll('.cp-quiz-box[data-quiz="' + arguments[0] + '"] fieldset'),
        function (f) { return {missing: f.classList.contains('cp-missing'), legend: f.querySelector('legend').textContent}; });""",
                   quiz["key"])
    assert [m["missing"] for m in marks] == [False, True, True], marks
    assert "not answered yet" in marks[1]["legend"] and "not answered" not in marks[0]["legend"]
    summary = run.js("return document.getElementById('cp-quiz-' + arguments[0] + '-summary').textContent", quiz["key"])
    assert "2 questions are unanswered" in summary and "question 2, 3" in summary, summary
    assert run.js("return document.activeElement.closest('fieldset').id") == f"cp-q-{quiz['questions'][1]['key']}"
    no_violations(run.run_axe(), "unanswered questions marked")
    second = quiz["questions"][1]
    run.answer(second, second["choices"][0]["id"])
    assert not run.js("return document.getElementById('cp-q-' + arguments[0]).classList.contains('cp-missing')", second["key"])
    run.unload()


# ---- the end of a session -----------------------------------------------------------------------------------------

def test_single_sco_session_end_leads_to_the_next_session_and_the_last_one_finishes(driver, server, pkgs):
    pkg = pkgs["12-single"]
    sco = pkg.scos[0]
    run = LmsSession(driver, server, pkg).launch(sco)
    goto_box(run, '.cp-session-end[data-s="0"]')
    end = run.js("var e = document.querySelector('.cp-session-end[data-s=\"0\"]'); return {text: e.textContent, buttons: e.querySelectorAll('button').length};")
    assert "You have finished this session." in end["text"] and "Next session: Planning the visit" in end["text"], end
    run.js("document.querySelector('.cp-session-end[data-s=\"0\"] button').click()")
    assert run.current_page()["s"] == 1 and run.current_page()["id"].endswith("p1")
    assert run.js("return document.activeElement.classList.contains('cp-session-title')")
    goto_box(run, '.cp-session-end[data-s="1"]')
    text = run.js("return document.querySelector('.cp-session-end[data-s=\"1\"]').textContent")
    assert "last session" in text, text
    no_violations(run.run_axe(), "session end")
    assert not run.lms("return LMS.calledFinish()")
    run.js("document.querySelector('.cp-session-end[data-s=\"1\"] button').click()")
    assert run.lms("return LMS.calledFinish()")  # LMSFinish now, not at the unload
    assert run.status()["mode"] == "ended"
    assert "saved" in run.js("return document.getElementById('cp-notice').textContent")
    result = run.result()
    check_clean_run(result, driver)
    assert result["flat"]["cmi.core.session_time"]


@pytest.mark.parametrize("name", ["12-multi", "2004"])
def test_completing_the_last_page_terminates_before_the_unload(driver, server, pkgs, name):
    pkg = pkgs[name]
    for i, sco in enumerate(pkg.scos):
        run = LmsSession(driver, server, pkg).launch(sco)
        complete_sco(run, "right", reflection="I noticed the baby smiled.")
        text = run.js("var e = document.querySelectorAll('.cp-session-end'); return e[e.length - 1].textContent")
        if name == "12-multi" and i == 0:
            assert "Next: Planning the visit. Return to the course page" in text, text
        else:
            assert "last session" in text, text
        assert run.lms("return LMS.calledFinish()"), "Terminate / LMSFinish when the learner reached the end"
        result = run.result()
        check_clean_run(result, driver)
        fin = [c for c in result["calls"] if c["fn"] in ("Terminate", "LMSFinish")]
        assert len(fin) == 1 and fin[0]["result"] == "true"
        run.unload()


# ---- layout: focus, contents panel, accent ------------------------------------------------------------------------

def test_the_sticky_bar_never_hides_the_focused_control(server, pkgs):
    drv = make_driver(width=900, height=420)
    try:
        pkg = pkgs["12-single"]
        run = LmsSession(drv, server, pkg).launch(pkg.scos[0])
        checked = 0
        for g in range(run.page_count()):
            run.go(g)
            run.js("window.scrollTo(0, 0)")
            n = run.js("""return Array.prototype.filter.call(document.querySelectorAll('main a[href], main button, main input, main textarea, main select, main summary'),
                function (e) { return !e.disabled && e.offsetParent !== null; }).length""")
            for i in range(n):
                run.sco()
                hidden = drv.execute_async_script("""var done = arguments[arguments.length - 1];
                  var els = Array.prototype.filter.call(document.querySelectorAll('main a[href], main button, main input, main textarea, main select, main summary'),
                    function (e) { return !e.disabled && e.offsetParent !== null; });
                  var e = els[arguments[0]]; e.focus();
                  requestAnimationFrame(function () { requestAnimationFrame(function () {
                    var r = e.getBoundingClientRect(), bar = document.getElementById('cp-pager').getBoundingClientRect();
                    done(r.height < bar.top && r.bottom > bar.top + 1 ? e.outerHTML.slice(0, 80) : null); }); });""", i)
                assert hidden is None, f"page {g + 1}: focused control under the sticky bar: {hidden}"
                checked += 1
        assert checked > 10
    finally:
        drv.quit()


def test_contents_panel_runs_the_full_height_and_the_accent_colour_is_themable(driver, server, pkgs):
    pkg = pkgs["12-single"]
    run = LmsSession(driver, server, pkg).launch(pkg.scos[0])
    for g in (0, run.page_count() - 1):
        run.go(g)
        h = run.js("""var toc = document.getElementById('cp-toc').getBoundingClientRect();
                      var lay = document.querySelector('.cp-layout').getBoundingClientRect();
                      return {toc: toc.height, layout: lay.height, view: window.innerHeight};""")
        assert h["toc"] >= h["layout"] - 1, h
        assert h["layout"] >= h["view"] * 0.75, h
    run.go(0)  # "Next" is enabled there
    colour = run.js("""document.documentElement.style.setProperty('--cp-accent', '#0b5cad');
                       return getComputedStyle(document.getElementById('cp-next')).backgroundColor;""")
    assert colour == "rgb(11, 92, 173)", colour
    run.unload()


def test_axe_finds_nothing_on_the_self_check_and_the_reflection(driver, server, pkgs):
    pkg = pkgs["2004"]
    sco = pkg.scos[0]
    run = LmsSession(driver, server, pkg).launch(sco)
    self_quiz = next(q for q in sco.data["quizzes"].values() if q.get("record") is False)
    goto_box(run, f'.cp-quiz-box[data-quiz="{self_quiz["key"]}"]')
    for q in self_quiz["questions"]:
        run.answer(q, "a")
    run.submit(self_quiz["key"])
    no_violations(run.run_axe(), "self-check answered")
    run.unload()
