"""The player under a failing LMS (issue 16): SetValue and Commit answering false, calls that
throw, an API that vanishes and comes back, a failing Terminate at unload, damaged
suspend_data, and a page restored from the back/forward cache. Faults are injected into
scorm-again through LMS.fault() / LMS.renew() of the test LMS page (tests/e2e/lms/lms.js).
Whatever happens, the learner keeps working, nothing is lost and nothing throws."""
from __future__ import annotations

import json
import time

import pytest

from .checks import by_key, check_finished, check_question_interaction
from .harness import LmsSession, browser_errors, complete_sco, right_answer, wait_until

TEXT = "What I saw: patience, warmth and a plan for next week."
HEARD = "return window.cpHeard || []"
LISTEN = """window.cpHeard = [];
new MutationObserver(function () { var t = document.getElementById('cp-live').textContent; if (t) window.cpHeard.push(t); })
  .observe(document.getElementById('cp-live'), {childList: true, characterData: true, subtree: true});"""
NOTICE = "return document.getElementById('cp-notice').textContent"


def sco_with_everything(pkg):
    return next(s for s in pkg.scos if s.data["reflections"] and s.data["quizzes"])


def unsent(run, sco):
    raw = run.js("return localStorage.getItem(arguments[0])", sco.data["storageKey"] + ":unsent")
    return json.loads(raw) if raw else None


def check_everything_recorded(result, version, sco, text=TEXT):
    """Every recorded question right, every reflection's text in its interaction."""
    recs = by_key(result, version)
    for quiz in sco.data["quizzes"].values():
        if quiz.get("record") is False:
            continue
        for q in quiz["questions"]:
            assert q["key"] in recs, (q["key"], sorted(recs))
            check_question_interaction(version, q, recs[q["key"]], True)
    resp = "student_response" if version == "1.2" else "learner_response"
    for refl in sco.data["reflections"].values():
        rec = recs[refl["interaction"]]
        assert rec[resp].strip() == text, rec
    if version == "1.2":
        assert result["flat"].get("cmi.comments", "").count(text) == 1, result["flat"].get("cmi.comments")


pytestmark = pytest.mark.usefixtures("clean_storage")  # see conftest.py


FAULTS = {
    "false": {"set": ".", "commit": True},                # SetValue and Commit say no
    "set-only": {"set": ".", "error": "101"},             # SetValue says no, Commit says yes
    "error-only-commit": {"commit": True, "error": "391"},  # values accepted, never committed
    "throws": {"throws": True},                           # every call throws
    "gone": {"gone": True},                               # window.API removed, the object dead
    "unclear": {"answer": "", "set": ".", "commit": True},  # neither true nor false: GetLastError says no
}


def finish_and_check(run, driver, pkg, sco) -> None:
    """The learner leaves: the attempt is finished with full marks, every answer and the
    reflection are recorded, and the page never threw."""
    run.unload()
    result = run.result()
    check_finished(result, pkg.version, 100, True)
    check_everything_recorded(result, pkg.version, sco)
    assert not browser_errors(driver)


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_an_lms_failing_for_a_while_loses_nothing(driver, server, packages, name, fault):
    pkg = packages[name]
    sco = sco_with_everything(pkg)
    messages = sco.data["messages"]
    run = LmsSession(driver, server, pkg).launch(sco)
    run.js(LISTEN)
    run.lms("return LMS.fault(arguments[0])", FAULTS[fault])
    complete_sco(run, "right", reflection=TEXT)
    st = run.status()
    assert st["complete"] and st["score"] == 100 and st["mode"] == "lms", st
    # told once, visibly and through the live region; the state waits in localStorage
    assert run.js(NOTICE) == messages["save_failed"]
    wait_until(lambda: messages["save_failed"] in run.js(HEARD), message="save_failed announced")
    assert run.js(HEARD).count(messages["save_failed"]) == 1
    box = unsent(run, sco)
    assert box and box["who"] == "learner-1"
    elements = dict(box["e"])
    assert any(k.endswith("suspend_data") for k in elements), sorted(elements)
    assert any(TEXT in v for v in elements.values())
    assert not browser_errors(driver)

    # the LMS answers again: the next learner action sends everything
    run.lms("return LMS.fault({})")
    run.go(0)
    assert run.js(NOTICE) == messages["save_resumed"]
    wait_until(lambda: messages["save_resumed"] in run.js(HEARD), message="save_resumed announced")
    assert unsent(run, sco) is None
    result = run.result()
    check_everything_recorded(result, pkg.version, sco)
    finish_and_check(run, driver, pkg, sco)


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_a_new_api_object_from_the_lms_gets_the_whole_state(driver, server, packages, name):
    pkg = packages[name]
    sco = sco_with_everything(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    run.lms("return LMS.fault({gone: true})")
    complete_sco(run, "right", reflection=TEXT)
    assert run.status()["complete"]
    # the LMS builds a new API object with what it had stored: the player initialises it and sends the rest
    run.lms("return LMS.renew()")
    run.go(0)
    result = run.result()
    init = "LMSInitialize" if pkg.version == "1.2" else "Initialize"
    assert [c["fn"] for c in result["calls"]].count(init) == 2
    check_everything_recorded(result, pkg.version, sco)
    finish_and_check(run, driver, pkg, sco)


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_a_failing_unload_is_sent_at_the_next_launch(driver, server, packages, name):
    pkg = packages[name]
    sco = sco_with_everything(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    run.next()  # one good commit: the LMS has an attempt to resume
    run.lms("return LMS.fault({set: '.', commit: true, finish: true})")
    complete_sco(run, "right", reflection=TEXT)
    run.unload()
    stored = run.result()
    refused = [c for c in stored["calls"] if c["fn"] in ("Terminate", "LMSFinish")]
    assert refused and refused[-1]["result"] == "false"
    assert not any(TEXT in str(v) for v in stored["flat"].values()), "the fault did not hold"

    again = LmsSession(driver, server, pkg).launch(sco, init=run.relaunch_data(stored))
    assert again.status()["complete"], "the unsent state was not restored"
    assert unsent(again, sco) is None
    finish_and_check(again, driver, pkg, sco)


def test_unsent_values_of_another_learner_are_left_alone(driver, server, packages):
    pkg = packages["s2004-single"]
    sco = sco_with_everything(pkg)
    run = LmsSession(driver, server, pkg).launch(sco, wait_mode=None)
    run.wait_mode("lms")
    key = sco.data["storageKey"] + ":unsent"
    planted = {"who": "someone-else", "e": [["cmi.location", "planted"]]}
    run.js("localStorage.setItem(arguments[0], JSON.stringify(arguments[1]))", key, planted)
    again = LmsSession(driver, server, pkg).launch(sco, entry="resume")
    again.next()
    result = again.result()
    assert result["flat"]["cmi.location"] != "planted"
    assert unsent(again, sco) == planted
    assert not browser_errors(driver)


def test_answers_neither_true_nor_false_with_error_0_count_as_saved(driver, server, packages):
    pkg = packages["s2004-single"]
    sco = sco_with_everything(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    run.lms("return LMS.fault({answer: ''})")
    complete_sco(run, "right", reflection=TEXT)
    assert run.js(NOTICE) != sco.data["messages"]["save_failed"]
    assert not run.status()["errors"] and unsent(run, sco) is None
    finish_and_check(run, driver, pkg, sco)


# ---- suspend_data that cannot be used as it is ------------------------------------------------------

def first_state(run, pkg, sco):
    """A real suspend_data and bookmark, from a learner on the second page with a quiz answered."""
    data = sco.data
    quiz = next(q for q in data["quizzes"].values() if q.get("record") is not False)
    page = run.js("""var pages = Array.prototype.slice.call(document.querySelectorAll('.cp-page'));
                     return pages.indexOf(document.querySelector('.cp-quiz-box[data-quiz="' + arguments[0] + '"]').closest('.cp-page'));""",
                  quiz["key"])
    run.go(page)
    for q in quiz["questions"]:
        run.answer(q, right_answer(q))
    run.submit(quiz["key"])
    run.unload()
    return run.relaunch_data(), page, quiz["key"]


def damaged(kind: str, good: str, limit: int) -> str:
    head = good.split("\u241e")[0]
    o = json.loads(head)
    if kind == "not-json":
        return "lesson=3;answers=b,c"
    if kind == "corrupt":
        return head[: len(head) // 2] + "\x00\ufffd}}" + head[len(head) // 2:]
    if kind == "truncated":  # cut at the LMS's limit, inside the JSON
        padded = json.dumps(dict(o, pad="x" * limit))
        return padded[:limit]
    if kind == "other-version":
        return json.dumps(dict(o, h="0other"))
    if kind == "future-format":
        return json.dumps(dict(o, v=99))
    if kind == "wrong-shapes":  # this course's hash, but every field of the wrong type or out of range
        return json.dumps({"v": o["v"], "h": o["h"], "c": 10 ** 9, "s": {"x": 1}, "t": "many",
                           "a": [[-7, 9, 12345, "x"], "b", None, [None, None, ["nested"]]] * 20, "r": [[1e99, "t"], 5]})
    raise AssertionError(kind)


KINDS = ["not-json", "corrupt", "truncated", "other-version", "future-format", "wrong-shapes"]


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_damaged_suspend_data_starts_clean_keeps_the_bookmark_and_never_throws(driver, server, packages, name):
    pkg = packages[name]
    sco = sco_with_everything(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    init, page, quiz = first_state(run, pkg, sco)
    good = init["cmi.suspend_data"]
    loc_key = "cmi.core.lesson_location" if pkg.version == "1.2" else "cmi.location"
    assert init[loc_key] and page > 0
    limit = 4096 if pkg.version == "1.2" else 64000
    for kind in KINDS:
        bad = dict(init, **{"cmi.suspend_data": damaged(kind, good, limit)})
        again = LmsSession(driver, server, pkg).launch(sco, init=bad)
        st = again.status()
        assert st["mode"] == "lms", (kind, st)
        if kind != "wrong-shapes":
            # what it can keep: the page from the bookmark; the answers start clean
            at = again.js("return Array.prototype.indexOf.call(document.querySelectorAll('.cp-page'), "
                          "document.getElementById(arguments[0]))", again.current_page()["id"])
            assert at == page, kind
            assert not again.quiz_closed(quiz), kind
        assert not browser_errors(driver), kind
        # the learner can go on and finish, and the new state is whole again
        complete_sco(again, "right", reflection=TEXT)
        assert again.status()["complete"], kind
        again.unload()
        result = again.result()
        check_finished(result, pkg.version, 100, True)
        new = result["flat"]["cmi.suspend_data"]
        assert json.loads(new.split("\u241e")[0])["h"] == json.loads(good.split("\u241e")[0])["h"], kind
        assert not browser_errors(driver), kind


# ---- back/forward cache ----------------------------------------------------------------------------

HIDE = "window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}));"
SHOW = "window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}));"


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_restored_from_the_back_forward_cache_after_terminate_it_says_it_cannot_save(driver, server, packages, name):
    pkg = packages[name]
    sco = sco_with_everything(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    run.next()
    run.js(HIDE)
    assert run.status()["mode"] == "ended"
    run.js(LISTEN)
    run.js(SHOW)  # scorm-again refuses a second Initialize after Terminate
    st = run.status()
    assert st["mode"] == "ended", st  # the session stays closed: changes wait in the outbox
    assert run.js(NOTICE) == sco.data["messages"]["reconnect_failed"]
    wait_until(lambda: sco.data["messages"]["reconnect_failed"] in run.js(HEARD), message="announced")
    complete_sco(run, "right", reflection=TEXT)  # the learner keeps working, kept in this browser
    assert run.status()["complete"]
    assert TEXT in json.dumps(unsent(run, sco), ensure_ascii=False)  # sent at the next launch
    assert not browser_errors(driver)


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_restored_from_the_back_forward_cache_it_reconnects_when_the_lms_allows(driver, server, packages, name):
    pkg = packages[name]
    sco = sco_with_everything(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    run.next()
    run.js(HIDE)
    assert run.status()["mode"] == "ended"
    run.lms("return LMS.renew()")  # the LMS offers a new session
    run.js(SHOW)
    assert run.status()["mode"] == "lms"
    complete_sco(run, "right", reflection=TEXT)
    run.unload()
    result = run.result()
    init = "LMSInitialize" if pkg.version == "1.2" else "Initialize"
    assert [c["fn"] for c in result["calls"]].count(init) == 2
    check_finished(result, pkg.version, 100, True)
    check_everything_recorded(result, pkg.version, sco)
    assert not browser_errors(driver)


def test_a_page_shown_from_the_cache_before_terminate_changes_nothing(driver, server, packages):
    pkg = packages["s2004-single"]
    sco = sco_with_everything(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    run.js(SHOW)
    time.sleep(0.1)
    assert run.status()["mode"] == "lms"
    assert [c["fn"] for c in run.result()["calls"]].count("Initialize") == 1


# ---- what this browser keeps, damaged ---------------------------------------------------------------

GARBAGE = ['{"v":1,"location":', '"just a string"', "[1, 2, 3]", "null", '{"suspend": 5, "location": {"a": 1}}',
           '{"v": 1, "location": "nowhere/p9", "suspend": "{\\"v\\":2,\\"h\\":0}"}']


def test_damaged_local_storage_is_ignored_without_an_lms(driver, server, packages):
    from .harness import DirectSession

    pkg = packages["s12-multi"]
    sco = pkg.scos[-1]
    run = DirectSession(driver, server, pkg).open(sco)
    try:
        for text in GARBAGE:
            driver.get(f"{server.url}/lms/lms.html")  # the player saves when it is left: plant the damage after that
            driver.execute_script("localStorage.setItem(arguments[0], arguments[1])", sco.data["storageKey"], text)
            run.open(sco)
            assert run.status()["mode"] == "local", text
            assert run.current_page()["id"] == run.js("return document.querySelector('.cp-page').id"), text
            run.next()  # and it saves over the damage
            assert json.loads(run.js("return localStorage.getItem(arguments[0])", sco.data["storageKey"]))["location"]
            assert not browser_errors(driver), text
    finally:
        run.js("localStorage.clear()")


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_damaged_or_stale_unsent_values_do_not_stop_saving(driver, server, packages, name):
    pkg = packages[name]
    sco = sco_with_everything(pkg)
    key = sco.data["storageKey"] + ":unsent"
    loc = "cmi.core.lesson_location" if pkg.version == "1.2" else "cmi.location"
    first = LmsSession(driver, server, pkg).launch(sco)
    first.next()
    first.unload()
    init = first.relaunch_data()
    for text in GARBAGE + [json.dumps({"who": "learner-1", "e": [1, [2], ["cmi.no.such.element", "x"],
                                                                  ["cmi.interactions.77.id", "far-away"]]})]:
        run = LmsSession(driver, server, pkg).launch(sco, init=init, wait_mode=None)
        run.js("localStorage.setItem(arguments[0], arguments[1])", key, text)
        run = LmsSession(driver, server, pkg).launch(sco, init=init)
        run.next()
        assert run.js(NOTICE) != sco.data["messages"]["save_failed"], text
        assert run.result()["flat"][loc], text
        assert not browser_errors(driver), text
        run.unload()
