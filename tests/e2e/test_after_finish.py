"""After Terminate / LMSFinish the LMS refuses every value (Moodle 4.3: SCORM 1.2 error 301,
2004 errors 132/133), so a learner who goes back and edits would lose the edit. The player keeps
the inputs usable, says once (notice and live region) that the attempt is finished and where a
change goes, sends nothing more to the finished session, keeps each change in the outbox in
localStorage, and sends it at the next launch of the same attempt (entry not ab-initio).

SCORM 2004 after exit "normal" (complete): a conforming LMS (Moodle too) starts the next launch
as a new attempt, so the player says the change is not recorded unless the platform reopens the
attempt; scorm-again here is given entry "" to show what a lenient LMS gets."""
from __future__ import annotations

import json

import pytest

from .checks import by_key, check_clean_run, check_finished, check_question_interaction
from .harness import LmsSession, api_errors, browser_errors, complete_sco, wait_until

FIRST = "What I saw: patience, warmth and a plan for next week."
EDIT = "Second thoughts: the plan needs a date and a name."
DRAFT = "Third thoughts, typed and never saved: ask the midwife first."
HEARD = "return window.cpHeard || []"
LISTEN = """window.cpHeard = [];
new MutationObserver(function () { var t = document.getElementById('cp-live').textContent; if (t) window.cpHeard.push(t); })
  .observe(document.getElementById('cp-live'), {childList: true, characterData: true, subtree: true});"""
NOTICE = "return document.getElementById('cp-notice').textContent"
FINISH = ("var b = Array.prototype.filter.call(document.querySelectorAll('.cp-end .cp-primary'),"
          " function (x) { return x.offsetParent !== null; }); b[b.length - 1].click();")


pytestmark = pytest.mark.usefixtures("clean_storage")  # see conftest.py


def sco_with_a_reflection(pkg):
    return next(s for s in pkg.scos if s.data["reflections"] and s.data["quizzes"])


def unsent(run, sco):
    raw = run.js("return localStorage.getItem(arguments[0])", sco.data["storageKey"] + ":unsent")
    return json.loads(raw) if raw else None


def after_terminate(result) -> list[dict]:
    """The API calls made after the first Terminate / LMSFinish (GetLastError and friends aside)."""
    fns = [c["fn"] for c in result["calls"]]
    at = next(i for i, f in enumerate(fns) if f in ("Terminate", "LMSFinish"))
    return result["calls"][at + 1:]


def reflection_page(run, key) -> int:
    return run.js("""var pages = Array.prototype.slice.call(document.querySelectorAll('.cp-page'));
        return pages.indexOf(document.getElementById('cp-r-' + arguments[0] + '-text').closest('.cp-page'));""", key)


def responses(result, version, sco) -> dict[str, str]:
    recs = by_key(result, version)
    resp = "student_response" if version == "1.2" else "learner_response"
    return {r["key"]: recs[r["interaction"]][resp] for r in sco.data["reflections"].values()}


def later_message(pkg, sco, complete=True) -> str:
    """What the learner is told at the first change after finishing."""
    closed = pkg.version == "2004" and complete  # cmi.exit "normal": the LMS starts a new attempt next
    return sco.data["messages"]["after_finish_closed" if closed else "after_finish"]


def finished_learner(driver, server, pkg, sco) -> LmsSession:
    """A learner who did everything and pressed "Save and finish" (unless the end page finished already)."""
    run = LmsSession(driver, server, pkg).launch(sco)
    complete_sco(run, "right", reflection=FIRST)
    if run.status()["mode"] != "ended":
        run.js(FINISH)
    assert run.status()["mode"] == "ended"
    assert run.lms("return LMS.calledFinish()")
    assert run.js(NOTICE) == sco.data["messages"]["finished_saved"]
    return run


@pytest.mark.parametrize("name,review", [("s12-multi", False), ("s12-multi", True), ("s2004-single", False)])
def test_an_edit_after_finishing_is_kept_and_sent_at_the_next_launch(driver, server, packages, name, review):
    """review: Moodle opens a completed SCORM 1.2 attempt again in review mode (entry "", the same
    attempt, whose values it still stores)."""
    pkg = packages[name]
    sco = sco_with_a_reflection(pkg)
    messages = sco.data["messages"]
    told = later_message(pkg, sco)
    key = next(iter(sco.data["reflections"]))
    run = finished_learner(driver, server, pkg, sco)
    run.js(LISTEN)

    # only looking around after finishing: nothing said, at most the bookmark kept
    run.go(reflection_page(run, key))
    assert run.js(NOTICE) == messages["finished_saved"]
    looked = unsent(run, sco)
    assert looked is None or [k for k, _ in looked["e"]] == [
        "cmi.core.lesson_location" if pkg.version == "1.2" else "cmi.location"], looked

    saved = "return document.getElementById('cp-r-' + arguments[0] + '-saved').textContent"
    run.js("document.getElementById('cp-r-' + arguments[0] + '-text').closest('.cp-reflection-box')"
           ".querySelector('button').click()", key)  # Save pressed again, nothing changed: it is in the LMS
    assert run.js(saved, key) == messages["reflection_saved"]
    assert unsent(run, sco) == looked and run.js(NOTICE) == messages["finished_saved"]

    # the learner edits: the box stays usable, the player says once where the change goes
    assert run.js("var t = document.getElementById('cp-r-' + arguments[0] + '-text'); return !t.readOnly && !t.disabled", key)
    run.write_reflection(key, EDIT)
    assert run.reflection_text(key) == EDIT
    assert run.js(saved, key) == messages["reflection_kept"]
    assert run.js(NOTICE) == told
    wait_until(lambda: told in run.js(HEARD), message="the change after finishing announced")
    box = unsent(run, sco)
    assert box and box["who"] == "learner-1", box
    assert any(EDIT in str(v) for _, v in box["e"]), box
    # a second change, typed and not saved, then the learner leaves: kept too, said no more
    run.write_reflection(key, DRAFT, save=False)
    run.go(0)
    assert run.js(HEARD).count(told) == 1
    run.unload()
    first = run.result()
    # the finished session was never sent anything: no SetValue, Commit or second Terminate, no error
    assert [c["fn"] for c in after_terminate(first)] == [], after_terminate(first)
    check_clean_run(first, driver)
    assert not [e for e in first["log"] if e["level"] >= 4], first["log"]
    assert responses(first, pkg.version, sco)[key].replace("\u00b6", "\n").strip() == FIRST
    kept = unsent(run, sco)
    assert kept and any(DRAFT in str(v) for _, v in kept["e"]), kept
    if pkg.version == "1.2":
        assert not any(k.endswith("session_time") for k, _ in kept["e"]), kept  # counted at LMSFinish already

    # the next launch of the same attempt: the change reaches the LMS and shows in the box
    init = run.relaunch_data(first)
    if review:
        init["cmi.core.lesson_mode"] = "review"
    again = LmsSession(driver, server, pkg).launch(sco, init=init)
    assert again.reflection_text(key) == DRAFT
    assert unsent(again, sco) is None
    assert again.js(NOTICE) != messages["save_failed"]
    assert responses(again.result(), pkg.version, sco)[key].strip() == DRAFT
    again.unload()
    second = again.result()
    check_clean_run(second, driver)
    assert responses(second, pkg.version, sco)[key].strip() == DRAFT
    if pkg.version == "1.2":
        assert DRAFT in second["flat"]["cmi.comments"], second["flat"]["cmi.comments"]
    st = second["flat"]
    assert (st.get("cmi.core.lesson_status") if pkg.version == "1.2" else st.get("cmi.completion_status")) in (
        "passed", "completed"), st


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_save_and_finish_pressed_again_after_an_edit_sends_nothing_and_says_where_it_is(driver, server, packages, name):
    pkg = packages[name]
    sco = sco_with_a_reflection(pkg)
    key = next(iter(sco.data["reflections"]))
    run = finished_learner(driver, server, pkg, sco)
    calls = len(run.result()["calls"])
    run.write_reflection(key, EDIT)
    run.go(run.page_count() - 1)
    run.js(FINISH)
    assert run.js(NOTICE) == later_message(pkg, sco)
    assert run.status()["mode"] == "ended"
    result = run.result()
    assert len(result["calls"]) == calls, result["calls"][calls:]
    assert not api_errors(result) and not browser_errors(driver)
    assert any(EDIT in str(v) for _, v in unsent(run, sco)["e"])


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_quizzes_done_after_an_early_save_and_finish_reach_the_resumed_attempt(driver, server, packages, name):
    """Save and finish before the SCO is complete (exit suspend): the learner goes back, answers
    every quiz and writes the reflection; the LMS gets all of it at the next launch (entry resume)."""
    pkg = packages[name]
    sco = sco_with_a_reflection(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    for _ in range(run.page_count() - 1):
        run.next()
    run.js(FINISH)
    assert run.status()["mode"] == "ended" and not run.status()["complete"]
    assert run.js(NOTICE) == sco.data["messages"]["finished_saved"]
    run.js(LISTEN)
    complete_sco(run, "right", reflection=FIRST)
    assert run.status()["complete"] and run.status()["mode"] == "ended"
    told = later_message(pkg, sco, complete=False)
    assert run.js(NOTICE) == told
    assert run.js(HEARD).count(told) == 1
    run.unload()
    first = run.result()
    assert [c["fn"] for c in after_terminate(first)] == []
    check_clean_run(first, driver)
    exit_el = "cmi.core.exit" if pkg.version == "1.2" else "cmi.exit"
    assert first["flat"][exit_el] == "suspend"
    questions = [q for z in sco.data["quizzes"].values() if z.get("record") is not False for q in z["questions"]]
    assert not set(by_key(first, pkg.version)) & {q["key"] for q in questions}  # nothing reached the finished session

    again = LmsSession(driver, server, pkg).launch(sco, init=run.relaunch_data(first))
    assert all(again.quiz_closed(k) for k, z in sco.data["quizzes"].items() if z.get("record") is not False)
    assert again.reflection_text(next(iter(sco.data["reflections"]))) == FIRST
    assert again.status()["complete"] and again.status()["score"] == 100
    assert unsent(again, sco) is None
    again.unload()
    second = again.result()
    check_clean_run(second, driver)
    check_finished(second, pkg.version, 100, True)
    recs = by_key(second, pkg.version)
    for q in questions:
        check_question_interaction(pkg.version, q, recs[q["key"]], True)
    assert responses(second, pkg.version, sco) == {k: FIRST for k in sco.data["reflections"]}


def test_a_new_attempt_does_not_take_the_finished_attempts_edit(driver, server, packages):
    """An LMS that starts a new attempt (entry ab-initio) gets nothing of the old one."""
    pkg = packages["s2004-single"]
    sco = sco_with_a_reflection(pkg)
    key = next(iter(sco.data["reflections"]))
    run = finished_learner(driver, server, pkg, sco)
    run.write_reflection(key, EDIT)
    run.unload()
    assert unsent(run, sco)
    fresh = LmsSession(driver, server, pkg).launch(sco)  # ab-initio, empty data model
    assert fresh.reflection_text(key) == ""
    assert unsent(fresh, sco) is None
    result = fresh.result()
    assert not any(EDIT in str(v) for v in result["flat"].values())
    check_clean_run(result, driver)


HIDE = "window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}));"
SHOW = "window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}));"


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_back_from_the_cache_an_edit_after_finishing_goes_out_once(driver, server, packages, name):
    """An LMS that opens a new session (Moodle 1.2 accepts a second LMSInitialize): the change made
    after finishing is recorded at once, and a SCORM 1.2 comment entry is not written twice."""
    pkg = packages[name]
    sco = sco_with_a_reflection(pkg)
    key = next(iter(sco.data["reflections"]))
    run = finished_learner(driver, server, pkg, sco)
    run.write_reflection(key, EDIT)
    run.js(HIDE)
    assert unsent(run, sco)
    run.lms("return LMS.renew()")
    run.js(SHOW)  # (on the end page with everything done, the player may finish again at once)
    result = run.result()
    assert [c["fn"] for c in result["calls"]].count("LMSInitialize" if pkg.version == "1.2" else "Initialize") == 2
    assert unsent(run, sco) is None
    result = run.result()
    assert responses(result, pkg.version, sco)[key].strip() == EDIT
    if pkg.version == "1.2":  # Moodle appends each value written to cmi.comments (scorm-again replaces it)
        sets = [c for c in result["calls"] if c["fn"] == "LMSSetValue" and c["args"][0] == "cmi.comments"
                and "Second thoughts" in c["args"][1]]
        assert len(sets) == 1, sets
    run.unload()
    check_clean_run(run.result(), driver)


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_back_from_the_cache_when_the_lms_refuses_a_new_session_the_work_reaches_the_next_launch(
        driver, server, packages, name):
    """The page left mid-course (Terminate at pagehide) and shown again from the cache; scorm-again
    refuses a second Initialize. The learner does everything; the next launch records all of it."""
    pkg = packages[name]
    sco = sco_with_a_reflection(pkg)
    messages = sco.data["messages"]
    run = LmsSession(driver, server, pkg).launch(sco)
    run.next()
    run.js(HIDE)
    run.js(LISTEN)
    run.js(SHOW)
    assert run.status()["mode"] == "ended"
    assert run.js(NOTICE) == messages["reconnect_failed"]
    calls = len(run.result()["calls"])
    complete_sco(run, "right", reflection=FIRST)
    assert run.status()["complete"]
    assert run.js(NOTICE) == messages["reconnect_failed"]  # said once; no second notice at the first change
    assert not [h for h in run.js(HEARD) if h in (messages["after_finish"], messages["after_finish_closed"])]
    run.unload()
    first = run.result()
    assert first["calls"][calls:] == []  # nothing more was sent to the closed session
    assert not browser_errors(driver)
    again = LmsSession(driver, server, pkg).launch(sco, init=run.relaunch_data(first))  # exit was suspend
    assert again.status()["complete"] and again.status()["score"] == 100
    again.unload()
    second = again.result()
    check_clean_run(second, driver)
    check_finished(second, pkg.version, 100, True)
    recs = by_key(second, pkg.version)
    for z in sco.data["quizzes"].values():
        for q in z["questions"] if z.get("record") is not False else []:
            check_question_interaction(pkg.version, q, recs[q["key"]], True)
    assert responses(second, pkg.version, sco) == {k: FIRST for k in sco.data["reflections"]}


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_a_review_launch_sends_nothing_and_tells_the_learner(driver, server, packages, name):
    """Moodle opens a finished attempt in review mode and still stores what the SCO sends, over the
    learner's own record (measured: a 2004 review launch is handed an empty data model, and its
    suspend_data and time replaced the finished attempt's). In review mode the player sends nothing."""
    pkg = packages[name]
    sco = sco_with_a_reflection(pkg)
    key = next(iter(sco.data["reflections"]))
    run = finished_learner(driver, server, pkg, sco)
    run.unload()
    first = run.result()
    if pkg.version == "1.2":  # the same attempt, handed back whole
        init = run.relaunch_data(first)
        init["cmi.core.lesson_mode"] = "review"
        entry = ""
    else:  # after exit "normal" Moodle 4.3 hands a review launch nothing of the attempt
        init, entry = {"cmi.mode": "review"}, "ab-initio"
    again = LmsSession(driver, server, pkg).launch(sco, init=init, entry=entry)
    assert again.js(NOTICE) == sco.data["messages"]["review_mode"]
    again.go(reflection_page(again, key))
    again.write_reflection(key, "Changed while only looking back.")
    saved = again.js("return document.getElementById('cp-r-' + arguments[0] + '-saved').textContent", key)
    assert saved == sco.data["messages"]["review_not_saved"]
    again.go(again.page_count() - 1)
    again.js(FINISH)
    assert again.js(NOTICE) == sco.data["messages"]["review_mode"]
    # back from the back/forward cache into a new session: still a review, still nothing sent
    again.js(HIDE)
    again.lms("return LMS.renew()")
    again.js(SHOW)
    again.write_reflection(key, "Changed again after coming back.")
    again.go(0)
    if pkg.version == "1.2":
        again.unload()
    else:  # the LMS unloads the SCO; no Terminate is waited for (see below)
        again.lms("return LMS.unload()")
    second = again.result()
    check_clean_run(second, driver)
    sets = [c for c in second["calls"] if c["fn"] in ("SetValue", "LMSSetValue", "Commit", "LMSCommit")]
    assert sets == [], sets[:5]  # not a value, not a commit
    finish = [c for c in second["calls"] if c["fn"] in ("Terminate", "LMSFinish")]
    # 1.2: LMSFinish closes each of the two sessions; 2004: Moodle would store a total time at
    # Terminate even in review mode (computed from nothing, it blanks the attempt's time): none
    assert len(finish) == (2 if pkg.version == "1.2" else 0), finish
