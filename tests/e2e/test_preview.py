"""`coursepack preview` in headless Chromium: a learner's answers reach the simulator's data
model, a relaunch resumes, the version and the view switch, and a save reloads the SCO."""
from __future__ import annotations

import shutil
import time

import pytest

from ..test_preview import FIXTURE, SESSION, PreviewProcess
from .harness import ANSWER_JS, FILL_ALL_JS, browser_errors, right_answer, wait_until, wrong_answer


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    src = tmp_path_factory.mktemp("preview") / "course"
    shutil.copytree(FIXTURE, src)
    p = PreviewProcess(src)
    p.src = src
    yield p
    assert p.stop() == 0


def _open(driver, preview, fragment: str = "", player: bool = True):
    driver.switch_to.default_content()
    driver.get(preview.url + "/" + (("#" + fragment) if fragment else ""))
    if fragment:
        driver.refresh()  # a new fragment alone does not load the page again
    if player:
        _wait_launched(driver)
    else:
        wait_until(lambda: driver.execute_script("return !!(window.CPPreview && CPPreview.ready)"),
                   message="preview page")


def _wait_launched(driver, mode: str = "lms"):
    driver.switch_to.default_content()
    wait_until(lambda: driver.execute_script("return !!(window.CPPreview && CPPreview.ready)"), message="preview page")
    driver.switch_to.frame(driver.find_element("id", "sco"))
    wait_until(lambda: driver.execute_script("return window.coursepack && window.coursepack.mode") == mode,
               timeout=30, message=f"player in mode {mode}")
    driver.switch_to.default_content()


def _answer_first_quiz(driver, right: bool = True) -> dict:
    """In the SCO: open the first quiz's page, answer every question and submit."""
    driver.switch_to.frame(driver.find_element("id", "sco"))
    data = driver.execute_script("return JSON.parse(document.getElementById('cp-data').textContent)")
    quiz = next(iter(data["quizzes"].values()))
    driver.execute_script("""
        var box = document.querySelector('.cp-quiz-box[data-quiz="' + arguments[0] + '"]');
        var pages = Array.prototype.slice.call(document.querySelectorAll('.cp-page'));
        document.querySelectorAll('.cp-toc a[data-s]')[pages.indexOf(box.closest('.cp-page'))].click();""",
                          quiz["key"])
    for q in quiz["questions"]:
        driver.execute_script(ANSWER_JS, q["key"], q["type"], right_answer(q) if right else wrong_answer(q))
    driver.execute_script("document.querySelector('.cp-quiz-box[data-quiz=\"' + arguments[0] + '\"] .cp-submit')"
                          ".click()", quiz["key"])
    driver.switch_to.default_content()
    return quiz


def _summary(driver) -> dict:
    driver.switch_to.default_content()
    return driver.execute_script("return CPSim.summary()")


def _select(driver, element_id: str, value: str):
    driver.switch_to.default_content()
    driver.execute_script("var s = document.getElementById(arguments[0]); s.value = arguments[1];"
                          "s.dispatchEvent(new Event('change'));", element_id, value)


def test_an_answer_is_recorded_in_the_simulator_and_resumes(driver, preview):
    _open(driver, preview, "track=demo&version=1.2&layout=multi-sco&view=learner&sco=0:0")
    quiz = _answer_first_quiz(driver)
    wait_until(lambda: len(_summary(driver)["interactions"]) == len(quiz["questions"]), message="interactions")
    s = _summary(driver)
    assert s["version"] == "1.2" and s["entry"] == "ab-initio" and s["exit"] == "suspend"
    assert [i["id"] for i in s["interactions"]] == [q["key"] for q in quiz["questions"]]
    assert all(i["result"] == "correct" for i in s["interactions"])
    assert s["suspendLength"] > 0 and not s["uncommitted"]
    # the panel shows it too
    assert driver.find_element("id", "dm-icount").text == str(len(quiz["questions"]))
    assert driver.find_element("id", "dm-status").text == "incomplete"
    assert "of 4,096 characters" in driver.find_element("id", "dm-suspend").text
    rows = driver.find_elements("css selector", "#dm-interactions tbody tr")
    assert rows[0].text.split()[1] == quiz["questions"][0]["key"]
    # every API call is in the log with its value, result and error code
    calls = driver.execute_script("return CPSim.calls")
    assert calls[0]["fn"] == "LMSInitialize" and calls[0]["result"] == "true" and calls[0]["error"] == "0"
    assert any(c["fn"] == "LMSSetValue" and c["args"][0] == "cmi.interactions.0.id" for c in calls)
    assert any(c["fn"] == "LMSCommit" for c in calls)
    assert not [c for c in calls if c["error"] != "0"], [c for c in calls if c["error"] != "0"][:5]
    assert len(driver.find_elements("css selector", "#log tbody tr")) == len(calls)

    # relaunch: the SCO gets entry=resume and the stored data model, and shows the quiz as answered
    driver.find_element("id", "btn-relaunch").click()
    wait_until(lambda: _summary(driver)["launches"] == 2 and _summary(driver)["state"] == "running",
               message="second launch")
    _wait_launched(driver)
    s = _summary(driver)
    assert s["entry"] == "resume" and len(s["interactions"]) == len(quiz["questions"])
    calls = driver.execute_script("return CPSim.calls")
    assert any(c["fn"] == "LMSFinish" and c["result"] == "true" for c in calls)
    driver.switch_to.frame(driver.find_element("id", "sco"))
    closed = driver.execute_script("return document.querySelector('.cp-quiz-box[data-quiz=\"' + arguments[0] + "
                                   "'\"] .cp-submit').hidden", quiz["key"])
    driver.switch_to.default_content()
    assert closed, "after a relaunch the finished quiz should stay finished"

    # reset: a fresh attempt
    driver.find_element("id", "btn-reset").click()
    wait_until(lambda: _summary(driver)["launches"] == 1 and _summary(driver)["state"] == "running",
               message="fresh launch")
    s = _summary(driver)
    assert s["entry"] == "ab-initio" and s["interactions"] == []
    assert browser_errors(driver) == []


def test_scorm_2004_facilitator_view_and_reload_on_save(driver, preview):
    _open(driver, preview, "track=demo&version=1.2&layout=multi-sco&view=learner&sco=0:0")
    _select(driver, "pick-version", "2004-4th")
    wait_until(lambda: (_summary(driver) or {}).get("version") == "2004", message="2004 launch")
    _wait_launched(driver)
    assert driver.execute_script("return CPPreview.pick.layout") == "single-sco"
    quiz = _answer_first_quiz(driver, right=False)
    wait_until(lambda: len(_summary(driver)["interactions"]) == len(quiz["questions"]), message="2004 interactions")
    s = _summary(driver)
    assert {i["result"] for i in s["interactions"]} == {"incorrect"}
    flat = driver.execute_script("return CPSim.flat()")
    assert flat["cmi.interactions.0.learner_response"] and "cmi.core.lesson_status" not in flat
    calls = driver.execute_script("return CPSim.calls")
    calls = [c for c in calls if c["launch"] == calls[-1]["launch"]]  # this launch only
    assert calls[0]["fn"] == "Initialize" and calls[0]["result"] == "true"
    assert not [c for c in calls if c["error"] not in ("0", "403")]

    # the facilitator's view is the guide
    _select(driver, "pick-view", "facilitator")
    wait_until(lambda: "/guide/demo" in driver.execute_script("return document.getElementById('sco').src"),
               message="guide")
    driver.switch_to.frame(driver.find_element("id", "sco"))
    wait_until(lambda: driver.execute_script("return document.readyState") == "complete" and
               "Choices and facts" in driver.execute_script("return document.body.textContent"),
               message="guide text")
    driver.switch_to.default_content()
    _select(driver, "pick-view", "learner")
    _wait_launched(driver)

    # a save: the server rebuilds and the page relaunches the SCO with the new text
    reloads = driver.execute_script("return CPPreview.reloads")
    f = preview.src / SESSION
    text = f.read_text(encoding="utf-8")
    start = time.monotonic()
    f.write_text(text.replace("Choices and facts", "Choices and freshly saved facts"), encoding="utf-8")
    try:
        wait_until(lambda: driver.execute_script("return CPPreview.reloads") > reloads, timeout=30,
                   message="reload after the save")
        _wait_launched(driver)
        took = time.monotonic() - start
        driver.switch_to.frame(driver.find_element("id", "sco"))
        assert "Choices and freshly saved facts" in driver.execute_script("return document.body.textContent")
        driver.switch_to.default_content()
        print(f"save -> SCO relaunched with the new text in {took * 1000:.0f} ms")
        # the data model survived the reload (it is a relaunch)
        assert len(_summary(driver)["interactions"]) == len(quiz["questions"])
    finally:
        f.write_text(text, encoding="utf-8")


def test_a_broken_save_shows_in_the_page(driver, preview):
    _open(driver, preview, "track=demo&version=1.2&layout=multi-sco&view=learner&sco=0:0")
    f = preview.src / SESSION
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("duration:", "duraton:", 1), encoding="utf-8")
    try:
        wait_until(lambda: driver.execute_script("return !document.getElementById('diagnostics').hidden && "
                                                 "CPPreview.state && !CPPreview.state.ok"),
                   timeout=30, message="diagnostics in the page")
        box = driver.find_element("id", "diagnostics").text
        assert "demo/day-1/01-choices.md" in box and "duraton" in box and "last good build" in box
        assert "error" in driver.find_element("id", "build-status").text
        # the last good build still plays
        driver.switch_to.frame(driver.find_element("id", "sco"))
        assert driver.execute_script("return window.coursepack && window.coursepack.mode") == "lms"
        driver.switch_to.default_content()
    finally:
        f.write_text(text, encoding="utf-8")
    wait_until(lambda: driver.execute_script("return CPPreview.state && CPPreview.state.ok && "
                                             "document.getElementById('diagnostics').hidden"),
               timeout=30, message="diagnostics cleared after the fix")


@pytest.mark.parametrize("version,runtime", [("1.2", "1.2"), ("2004-4th", "2004")])
def test_a_whole_track_completes_in_the_simulator_without_an_api_error(driver, preview, version, runtime):
    _open(driver, preview, f"track=demo&version={version}&layout=single-sco&view=learner&sco=0:0")
    driver.find_element("id", "btn-reset").click()
    wait_until(lambda: (_summary(driver) or {}).get("version") == runtime and _summary(driver)["launches"] == 1
               and _summary(driver)["state"] == "running", message="fresh launch")
    _wait_launched(driver)
    driver.switch_to.frame(driver.find_element("id", "sco"))
    data = driver.execute_script("return JSON.parse(document.getElementById('cp-data').textContent)")
    answers = {q["key"]: right_answer(q) for quiz in data["quizzes"].values() for q in quiz["questions"]}
    texts = {k: "I would ask the family first, then agree one small step with them." for k in data["reflections"]}
    driver.execute_script(FILL_ALL_JS, answers, texts)
    driver.switch_to.default_content()
    wait_until(lambda: _summary(driver)["status"] == ("passed" if runtime == "1.2" else "completed"),
               message="completion")
    s = _summary(driver)
    assert s["score"] == "100"
    if runtime == "2004":
        assert s["success"] == "passed"
    questions = sum(len(q["questions"]) for q in data["quizzes"].values())
    assert len(s["interactions"]) == questions + len(texts)
    calls = driver.execute_script("return CPSim.calls")
    calls = [c for c in calls if c["launch"] == calls[-1]["launch"]]
    bad = [c for c in calls if c["error"] not in ("0", "403" if runtime == "2004" else "0")]
    assert not bad, bad[:5]
    assert browser_errors(driver) == []


SIM_12_JS = """
var S = window.CPSim, out = {};
S.begin("1.2", new S.Model("1.2", {"cmi.core.student_id": "x", "cmi.core.student_name": "X"}));
var A = window.API;
function call(name, fn) { var r = fn(); out[name] = [String(r), A.LMSGetLastError()]; }
call("get before init", function () { return A.LMSGetValue("cmi.core.lesson_status"); });
call("init", function () { return A.LMSInitialize(""); });
call("init twice", function () { return A.LMSInitialize(""); });
call("entry", function () { return A.LMSGetValue("cmi.core.entry"); });
call("set read-only", function () { return A.LMSSetValue("cmi.core.student_id", "y"); });
call("get write-only", function () { return A.LMSGetValue("cmi.core.exit"); });
call("unknown", function () { return A.LMSGetValue("cmi.core.nothing"); });
call("bad status", function () { return A.LMSSetValue("cmi.core.lesson_status", "done"); });
call("bad time", function () { return A.LMSSetValue("cmi.core.session_time", "PT5S"); });
call("too long", function () { return A.LMSSetValue("cmi.suspend_data", new Array(4098).join("x")); });
call("fits", function () { return A.LMSSetValue("cmi.suspend_data", new Array(4097).join("x")); });
call("skip index", function () { return A.LMSSetValue("cmi.interactions.1.id", "q1"); });
call("new index", function () { return A.LMSSetValue("cmi.interactions.0.id", "q0"); });
call("count", function () { return A.LMSGetValue("cmi.interactions._count"); });
call("set count", function () { return A.LMSSetValue("cmi.interactions._count", "3"); });
call("comment", function () { return A.LMSSetValue("cmi.comments", "[a] first"); });
call("comment again", function () { return A.LMSSetValue("cmi.comments", "\\n\\n[b] second"); });
call("comments", function () { return A.LMSGetValue("cmi.comments"); });
call("commit", function () { return A.LMSCommit(""); });
call("finish", function () { return A.LMSFinish(""); });
call("set after finish", function () { return A.LMSSetValue("cmi.core.lesson_location", "x"); });
out.logged = S.calls.filter(function (c) { return c.launch === S.launchCount; }).length;
out.errorString = A.LMSGetErrorString("403");
return out;
"""

SIM_2004_JS = """
var S = window.CPSim, out = {};
S.begin("2004", new S.Model("2004", {"cmi.learner_id": "x", "cmi.learner_name": "X"}));
var A = window.API_1484_11;
function call(name, fn) { var r = fn(); out[name] = [String(r), A.GetLastError()]; }
call("set before init", function () { return A.SetValue("cmi.location", "a"); });
call("init", function () { return A.Initialize(""); });
call("unset", function () { return A.GetValue("cmi.location"); });
call("status", function () { return A.GetValue("cmi.completion_status"); });
call("read-only", function () { return A.SetValue("cmi.learner_id", "y"); });
call("write-only", function () { return A.GetValue("cmi.session_time"); });
call("unknown", function () { return A.GetValue("cmi.core.lesson_status"); });
call("type", function () { return A.SetValue("cmi.success_status", "yes"); });
call("range", function () { return A.SetValue("cmi.score.scaled", "1.5"); });
call("no id first", function () { return A.SetValue("cmi.interactions.0.type", "choice"); });
call("id", function () { return A.SetValue("cmi.interactions.0.id", "q0"); });
call("pattern before type", function () { return A.SetValue("cmi.interactions.0.correct_responses.0.pattern", "a"); });
call("type now", function () { return A.SetValue("cmi.interactions.0.type", "choice"); });
call("pattern", function () { return A.SetValue("cmi.interactions.0.correct_responses.0.pattern", "a"); });
call("read id", function () { return A.GetValue("cmi.interactions.0.id"); });
call("terminate", function () { return A.Terminate(""); });
call("get after", function () { return A.GetValue("cmi.location"); });
call("commit after", function () { return A.Commit(""); });
call("terminate again", function () { return A.Terminate(""); });
out.errorString = A.GetErrorString("408");
return out;
"""


def test_the_simulator_answers_misuse_with_the_spec_error_codes(driver, preview):
    _open(driver, preview, "track=demo&version=1.2&layout=multi-sco&view=facilitator&sco=0:0", player=False)
    r = driver.execute_script(SIM_12_JS)
    assert r["get before init"] == ["", "301"]
    assert r["init"] == ["true", "0"] and r["init twice"] == ["false", "101"]
    assert r["entry"] == ["ab-initio", "0"]
    assert r["set read-only"] == ["false", "403"] and r["get write-only"] == ["", "404"]
    assert r["unknown"] == ["", "201"] and r["bad status"] == ["false", "405"] and r["bad time"] == ["false", "405"]
    assert r["too long"] == ["false", "405"] and r["fits"] == ["true", "0"]
    assert r["skip index"] == ["false", "201"] and r["new index"] == ["true", "0"] and r["count"] == ["1", "0"]
    assert r["set count"] == ["false", "402"]
    # as in Moodle, each value written to cmi.comments is added to the comments already stored
    assert r["comment"] == ["true", "0"] and r["comment again"] == ["true", "0"]
    assert r["comments"] == ["[a] first\n\n[b] second", "0"]
    assert r["commit"] == ["true", "0"] and r["finish"] == ["true", "0"]
    assert r["set after finish"] == ["false", "301"]
    assert r["logged"] == 21  # every call except the error queries
    assert r["errorString"] == "Element is read only"

    r = driver.execute_script(SIM_2004_JS)
    assert r["set before init"] == ["false", "132"] and r["init"] == ["true", "0"]
    assert r["unset"] == ["", "403"] and r["status"] == ["unknown", "0"]
    assert r["read-only"] == ["false", "404"] and r["write-only"] == ["", "405"] and r["unknown"] == ["", "401"]
    assert r["type"] == ["false", "406"] and r["range"] == ["false", "407"]
    assert r["no id first"] == ["false", "408"] and r["id"] == ["true", "0"]
    assert r["pattern before type"] == ["false", "408"] and r["type now"] == ["true", "0"]
    assert r["pattern"] == ["true", "0"] and r["read id"] == ["q0", "0"]
    assert r["terminate"] == ["true", "0"] and r["get after"] == ["", "123"]
    assert r["commit after"] == ["false", "143"] and r["terminate again"] == ["false", "113"]
    assert r["errorString"] == "Data model dependency not established"
    # the log in the page shows the failed calls in red, with their codes
    rows = driver.find_elements("css selector", "#log tbody tr.err")
    assert any("408" in row.text for row in rows) and any("403" in row.text for row in rows)
