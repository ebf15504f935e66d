"""suspend_data stays under SCORM 1.2's 4,096 characters in every case: a stress course with
long answers and very long reflections, and every shipped track of course_src as one SCO.
Past the limit the player degrades (reflection text first) and never fails."""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from .checks import by_key, check_clean_run, summary
from .harness import FILL_ALL_JS, ROOT, LmsSession, build, require_shipped_course, shipped_tracks, wrong_answer

SESSIONS = 12


def stress_course(root: Path) -> Path:
    src = root / "stress"
    (src / "t").mkdir(parents=True)
    (src / "course.yml").write_text("title: Stress\nlanguage: ru\nmastery_score: 80\n", encoding="utf-8")
    (src / "t" / "track.yml").write_text("title: Many sessions\n", encoding="utf-8")
    for n in range(1, SESSIONS + 1):
        (src / "t" / f"{n:02d}-session-number-{n}.md").write_text(textwrap.dedent(f"""\
            ---
            title: Session {n}
            duration: 30
            objectives: [Write a lot, Answer everything]
            ---
            Introduction {n}.

            ## Activity 1: Quiz (10 min)

            ```quiz
            attempts: 3
            questions:
              - {{type: fill-in, id: long-answer, prompt: "Type anything.", answers: [maybe]}}
              - {{type: numeric, id: number, prompt: "A number?", answer: 7, tolerance: 0.5}}
              - type: single
                id: pick
                prompt: Pick one.
                choices: [{{text: A, correct: true}}, B, C]
              - type: ordering
                id: order
                prompt: Order them.
                items: [one, two, three, four, five, six]
            ```

            ## Activity 2: Reflect (10 min)

            ```reflection
            id: first
            prompt: Write at length.
            ```

            ## Activity 3: Reflect again (10 min)

            ```reflection
            id: second
            prompt: And more.
            ```
            """), encoding="utf-8")
    return src


def long_text(n: int, seed: int) -> str:
    words = ["семья", "ребёнок", "визит", "поддержка", "наблюдение", "doubt", "progress", "\n"]
    out, i = [], seed
    while sum(len(w) + 1 for w in out) < n:
        out.append(words[i % len(words)])
        i += 3
    return " ".join(out)[:n]


def fill_everything(run: LmsSession, reflection_chars: int, answers: str):
    """Visit every page, answer every quiz (using up its attempts) and write every reflection."""
    data = run.data()
    values = {}
    for i, quiz in enumerate(data["quizzes"].values()):
        for q in quiz["questions"]:
            if answers == "longest" and q["type"] == "fill-in":
                values[q["key"]] = long_text(200, i).replace("\n", " ")
            elif answers == "longest" and q["type"] == "numeric":
                values[q["key"]] = "-1234567890.123456789"
            else:
                values[q["key"]] = wrong_answer(q)
    texts = {k: long_text(reflection_chars, i) for i, k in enumerate(data["reflections"])}
    run.js(FILL_ALL_JS, values, texts)


def suspend_writes(result: dict) -> list[str]:
    return [c["args"][1] for c in result["calls"]
            if c["fn"] in ("SetValue", "LMSSetValue") and c["args"][0] == "cmi.suspend_data"]


@pytest.fixture(scope="module")
def stress_packages(e2e_root, tmp_path_factory):
    src = stress_course(tmp_path_factory.mktemp("stress"))
    return {v: build(src, e2e_root / "pkg", f"stress-{v}", v, "single-sco") for v in ("1.2", "2004-4th")}


@pytest.mark.parametrize("version", ["1.2", "2004-4th"])
def test_long_reflections_degrade_gracefully_within_the_limit(driver, server, stress_packages, version):
    pkg = stress_packages[version]
    sco = pkg.scos[0]
    limit = 4096 if pkg.version == "1.2" else 64000
    run = LmsSession(driver, server, pkg).launch(sco)
    fill_everything(run, 3900, "longest")
    state = {k: run.js("return document.getElementById('cp-r-' + arguments[0] + '-text').value", k)
             for k in sco.data["reflections"]}
    locked = run.js("return Array.prototype.map.call(document.querySelectorAll('fieldset.cp-question'), function (f) { return f.classList.contains('cp-locked'); })")
    summaries = run.js("return Array.prototype.map.call(document.querySelectorAll('.cp-quiz-summary'), function (s) { return s.textContent; })")
    # the bookmark follows the learner to page 4: before finishing it is sent at once; after finishing
    # (everything done on the end page) it waits in the outbox for the next launch of the attempt
    bookmark = run.js("return document.querySelectorAll('.cp-page')[3].id")
    run.go(3)
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    writes = suspend_writes(result)
    assert writes and max(len(w) for w in writes) <= limit, max(len(w) for w in writes)
    # the reflections reach the LMS even when suspend_data cannot hold them
    recs = by_key(result, pkg.version)
    for key, refl in sco.data["reflections"].items():
        sent = recs[refl["interaction"]]["student_response" if pkg.version == "1.2" else "learner_response"]
        assert sent and state[key].replace("\n", " ").split()[0] in sent
    if pkg.version == "1.2":
        assert 0 < len(result["flat"]["cmi.comments"]) <= 4096
    s = summary(result, pkg.version)
    assert s["raw"] == "0"  # finished, all wrong

    # relaunch: the page, every result and attempt are back; reflections keep what fitted
    run = LmsSession(driver, server, pkg).launch(sco, init=run.relaunch_data(result), entry="resume")
    assert run.current_page()["id"] == bookmark
    assert run.js("return Array.prototype.map.call(document.querySelectorAll('fieldset.cp-question'), function (f) { return f.classList.contains('cp-locked'); })") == locked
    assert run.js("return Array.prototype.map.call(document.querySelectorAll('.cp-quiz-summary'), function (s) { return s.textContent; })") == summaries
    for key, text in state.items():  # the box kept what fitted within its limit; exactly that comes back
        assert text and run.reflection_text(key) == text, (key, len(text), len(run.reflection_text(key)))
    run.unload()
    check_clean_run(run.result(), driver)


@pytest.mark.parametrize("track", shipped_tracks())
def test_every_shipped_track_fits_in_one_scorm12_sco(driver, server, e2e_root, track):
    require_shipped_course(track)
    pkg = build(ROOT / "course_src", e2e_root / "pkg", f"track-{track}", "1.2", "single-sco", track=track)
    sco = pkg.scos[0]
    run = LmsSession(driver, server, pkg).launch(sco)
    # a thorough learner: every page, every attempt used, a paragraph per reflection
    fill_everything(run, 600, "wrong")
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    writes = suspend_writes(result)
    assert max(len(w) for w in writes) <= 4096, max(len(w) for w in writes)
    state, *texts = writes[-1].split("\u241e")
    state = json.loads(state)
    assert all(isinstance(a, list) and len(a) == 3 for a in state["a"]), "every answer kept"
    assert len(texts) == len(state["r"]) and all(texts), "every reflection kept, within its limit"
    # an extreme learner: the longest answers and 4,000-character reflections everywhere
    run = LmsSession(driver, server, pkg).launch(sco)
    fill_everything(run, 4000, "longest")
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    writes = suspend_writes(result)
    assert max(len(w) for w in writes) <= 4096, max(len(w) for w in writes)
    state = json.loads(writes[-1].split("\u241e")[0])
    assert len(state["t"]) == len([q for q in sco.data["quizzes"].values() if q.get("record", True)]) and "c" in state
