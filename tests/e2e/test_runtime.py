"""The run-time around the player: no LMS, a late API, an LMS that says no, frames and windows,
leaving the page, narrow screens and print."""
from __future__ import annotations

import json
import textwrap

import pytest

from .checks import by_key, check_clean_run, check_finished, summary
from .harness import DirectSession, LmsSession, browser_errors, build, complete_sco, right_answer, wait_until


def message(data: dict, key: str) -> str:
    return data["messages"][key]


@pytest.mark.parametrize("name,where", [("s12-multi", "web server"), ("s2004-single", "disk")])
def test_standalone_without_an_lms_works_and_keeps_progress_in_local_storage(driver, server, packages, name, where):
    pkg = packages[name]
    sco = pkg.scos[-1]
    data = sco.data
    run = DirectSession(driver, server, pkg).open(sco, from_disk=where == "disk")
    try:
        assert run.js("return document.getElementById('cp-notice').textContent") == message(data, "standalone")
        quiz = next(iter(data["quizzes"].values()))
        page = run.js("""var pages = Array.prototype.slice.call(document.querySelectorAll('.cp-page'));
                         return pages.indexOf(document.querySelector('.cp-quiz-box').closest('.cp-page'));""")
        run.go(page)
        for q in quiz["questions"]:
            run.answer(q, right_answer(q))
        run.submit(quiz["key"])
        assert run.quiz_closed(quiz["key"])
        key = next(iter(data["reflections"]), None)
        if key:
            run.write_reflection(key, "Kept in this browser.")
        stored = run.js("return localStorage.getItem(arguments[0])", data["storageKey"])
        assert stored and json.loads(stored)["location"]
        before = run.current_page()

        run.reload()
        assert run.current_page() == before
        assert run.quiz_closed(quiz["key"])
        if key:
            assert run.reflection_text(key) == "Kept in this browser."
        complete_sco(run, "right", reflection=None)
        st = run.status()
        assert st["complete"] and st["mode"] == "local" and st["score"] == 100
        assert run.js("return document.getElementById('cp-status').textContent").strip()
        assert not browser_errors(driver)
    finally:
        run.js("localStorage.clear()")


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_an_api_that_appears_late_is_found(driver, server, packages, name):
    pkg = packages[name]
    sco = pkg.scos[0]
    run = LmsSession(driver, server, pkg).launch(sco, late_ms=1500, wait_mode=None)
    wait_until(lambda: run.js("return window.coursepack && window.coursepack.mode") == "pending", message="pending")
    run.in_sco = False
    run.wait_mode("lms", timeout=10)
    complete_sco(run, "right", reflection="Late but recorded.")
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    assert [c["fn"] for c in result["calls"]].count("Initialize" if pkg.version == "2004" else "LMSInitialize") == 1
    check_finished(result, pkg.version, 100, True)


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_an_lms_that_returns_false_is_logged_and_the_player_keeps_working(driver, server, packages, name):
    pkg = packages[name]
    sco = pkg.scos[0]
    run = LmsSession(driver, server, pkg).launch(sco, fail_set=".", fail_commit=True)
    complete_sco(run, "right", reflection="Still here.")
    st = run.status()
    assert st["complete"] and st["score"] == 100 and st["mode"] == "lms"
    assert st["errors"] and all("returned false: error" in e for e in st["errors"])
    assert any("101" in e or "351" in e or "391" in e for e in st["errors"])
    notice = run.js("return document.getElementById('cp-notice').textContent")
    assert notice and notice != message(sco.data, "standalone")
    assert not browser_errors(driver)
    run.unload()
    result = run.result()
    quiet = result["quietCalls"]
    assert quiet.get("GetLastError" if pkg.version == "2004" else "LMSGetLastError", 0) >= len(st["errors"])


def test_only_commit_failing_keeps_every_value(driver, server, packages):
    pkg = packages["s2004-single"]
    run = LmsSession(driver, server, pkg).launch(pkg.scos[0], fail_commit=True)
    complete_sco(run, "right", reflection="Commit said no.")
    run.unload()
    result = run.result()
    check_finished(result, pkg.version, 100, True)
    assert all(c["error"] in ("0", "391", "403") for c in result["calls"]), [c for c in result["calls"] if c["error"] != "0"]


def test_api_is_found_past_a_cross_origin_frame(driver, server, packages):
    pkg = packages["s2004-single"]
    run = LmsSession(driver, server, pkg).launch(pkg.scos[0], wrapper=True)
    complete_sco(run, "right", reflection="Through a frame.")
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    check_finished(result, pkg.version, 100, True)


def test_api_is_found_on_the_opener_window(driver, server, packages):
    pkg = packages["s12-multi"]
    run = LmsSession(driver, server, pkg).launch(pkg.scos[0], window=True)
    try:
        complete_sco(run, "right")
        run.unload()
        result = run.result()
    finally:
        run.top()
    check_clean_run(result, driver)
    check_finished(result, pkg.version, 100, True)


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_hiding_the_page_commits_unsaved_work(driver, server, packages, name):
    pkg = packages[name]
    sco = next(s for s in pkg.scos if s.data["reflections"])
    key, refl = next(iter(sco.data["reflections"].items()))
    run = LmsSession(driver, server, pkg).launch(sco)
    run.write_reflection(key, "Typed, never saved.", save=False)
    before = sum(1 for c in run.result()["calls"] if c["fn"] in ("Commit", "LMSCommit"))
    run.js("""Object.defineProperty(document, 'visibilityState', {configurable: true, get: function () { return 'hidden'; }});
              document.dispatchEvent(new Event('visibilitychange'));""")
    result = run.result()
    after = sum(1 for c in result["calls"] if c["fn"] in ("Commit", "LMSCommit"))
    assert after == before + 1
    assert not any(c["fn"] in ("Terminate", "LMSFinish") for c in result["calls"])
    rec = by_key(result, pkg.version)[refl["interaction"]]
    assert rec["student_response" if pkg.version == "1.2" else "learner_response"] == "Typed, never saved."
    # a second hide with nothing new does not commit again
    run.js("document.dispatchEvent(new Event('visibilitychange'));")
    assert sum(1 for c in run.result()["calls"] if c["fn"] in ("Commit", "LMSCommit")) == after
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    s = summary(result, pkg.version)
    assert s["exit"] == "suspend"


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_every_page_fits_320_px(driver, server, packages, name):
    pkg = packages[name]
    for sco in pkg.scos:
        run = LmsSession(driver, server, pkg).launch(sco, width="320px")
        assert run.js("return window.innerWidth") == 320
        for g in range(run.page_count()):
            run.go(g)
            for qk in run.js("return Array.prototype.map.call(document.querySelectorAll('.cp-page:not([hidden]) .cp-quiz-box'), function (b) { return b.dataset.quiz; })"):
                run.submit(qk)  # shows the "answer every question" message
            over = run.js("""
                var w = document.documentElement.clientWidth, bad = [];
                document.querySelectorAll('body *').forEach(function (el) {
                  var r = el.getBoundingClientRect();
                  if (r.width && (r.right > w + 1 || r.left < -1) && !el.closest('.cp-vh, table, pre, .cp-skip')) bad.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
                });
                return {scroll: document.documentElement.scrollWidth, width: w, bad: bad.slice(0, 5)};""")
            assert over["scroll"] <= over["width"] and not over["bad"], (sco.href, g, over)
        run.unload()


def test_print_shows_every_page_and_hides_the_controls(driver, server, packages):
    pkg = packages["s2004-single"]
    run = LmsSession(driver, server, pkg).launch(pkg.scos[0])
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = run.js("""
            var vis = function (el) { return getComputedStyle(el).display !== 'none'; };
            return {pages: Array.prototype.map.call(document.querySelectorAll('.cp-page, .cp-session'), vis),
                    plan: Array.prototype.map.call(document.querySelectorAll('.cp-intro'), vis),
                    toc: vis(document.querySelector('.cp-toc')), pager: vis(document.querySelector('.cp-pager'))};""")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert all(shown["pages"]) and all(shown["plan"]) and len(shown["plan"]) == len(pkg.scos[0].data["sessions"])
    assert not shown["toc"] and not shown["pager"]
    run.unload()


def test_shuffled_choices_keep_their_ids_and_their_order_across_launches(driver, server, e2e_root, tmp_path):
    src = tmp_path / "course"
    (src / "t").mkdir(parents=True)
    (src / "course.yml").write_text("title: Shuffle\n", encoding="utf-8")
    (src / "t" / "track.yml").write_text("title: Shuffle track\n", encoding="utf-8")
    (src / "t" / "01-mix.md").write_text(textwrap.dedent("""\
        ---
        title: Mixed up
        duration: 10
        objectives: [Pick, Pick again]
        ---
        ```quiz
        shuffle: true
        questions:
          - type: single
            id: six
            prompt: Which one?
            choices: [One, Two, Three, Four, {text: Five, correct: true}, Six]
          - type: multiple
            id: many
            prompt: Which ones?
            choices: [{text: A, correct: true}, B, {text: C, correct: true}, D, E, F, G]
        ```
        """), encoding="utf-8")
    pkg = build(src, e2e_root / "pkg", "shuffle", "1.2", "multi-sco")
    sco = pkg.scos[0]
    order_js = "return Array.prototype.map.call(document.querySelectorAll('#cp-q-' + arguments[0] + ' input'), function (i) { return i.value; }).join('')"
    run = LmsSession(driver, server, pkg).launch(sco)
    first = {k: run.js(order_js, k) for k in ("mix_six", "mix_many")}
    assert first["mix_six"] != "abcdef" or first["mix_many"] != "abcdefg"
    assert sorted(first["mix_six"]) == list("abcdef")
    complete_sco(run, "right", reflection=None)
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    check_finished(result, "1.2", 100, True)
    recs = by_key(result, "1.2")
    assert recs["mix_six"]["student_response"] == "e" and recs["mix_many"]["student_response"] == "a,c"
    again = LmsSession(driver, server, pkg).launch(sco)
    assert {k: again.js(order_js, k) for k in first} == first
    again.unload()
