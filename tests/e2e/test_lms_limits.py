"""Issue 13: what Moodle 4.3 does with what the player sends.

- SCORM 1.2 ``cmi.comments``: Moodle appends every value it is given, so the player sends each
  reflection once per change, only what is new, and never rebuilds a learner's text from it.
- SCORM 1.2 reflections: each one is limited while the learner types (``maxlength`` and an
  "n of N characters" note) so that ``suspend_data`` (4,096 characters) always gives the text
  back exactly; at, over and far over that limit the box keeps exactly what it said.
- SCORM 2004: the whole data model, as Moodle sends it in the beacon at unload (multipart form
  data, capped at 64 KiB), stays under 48 KiB for every shipped 2004 package after a full attempt
  with the longest reflections the player allows; reflections are stored once and come back exact.
"""
from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from .checks import by_key, check_clean_run, summary
from .harness import (
    FILL_ALL_JS, ROOT, LmsSession, build, require_shipped_course, right_answer, shipped_tracks,
)
from .test_limits import long_text, stress_course

BUDGET = 48 * 1024  # the player's target; Moodle's unload beacon is capped at 64 KiB
SEP = "\u241e"

# elements Moodle's SCORM 2004 run-time never sends back (read-only ones and counters)
READ_ONLY_2004 = re.compile(r"^cmi\.(_version|_children|credit|entry|mode|learner_id|learner_name|launch_data|"
                            r"scaled_passing_score|completion_threshold|max_time_allowed|time_limit_action|"
                            r"total_time|comments_from_lms\..*|.*\._count|.*\._children)$")


def stored(flat: dict):
    """The elements Moodle's 2004 run-time sends back: writable ones with a value."""
    for k, v in flat.items():
        if isinstance(v, (str, int, float)) and v != "" and not READ_ONLY_2004.match(k):
            yield k.replace(".", "__"), str(v)


def moodle_data_size(flat: dict) -> int:
    """Bytes of the request Moodle's 2004 run-time sends with the beacon at unload (the one capped
    at 64 KiB): multipart form data, one part per element (about 87 bytes of boundary and headers,
    the name, the value in UTF-8), plus Moodle's own fields (ids, session key, cmi.total_time)."""
    moodle = [("id", "1" * 10), ("a", "1" * 10), ("sesskey", "x" * 10), ("attempt", "1" * 4), ("scoid", "1" * 10),
              ("unloading", "1"), ("cmi__total_time", "PT9999H59M59.99S")]
    return 44 + sum(87 + len(name) + len(value.encode("utf-8")) for name, value in list(stored(flat)) + moodle)


def urlencoded_size(flat: dict) -> int:
    """The same data model as Moodle's ordinary (not unload) request sends it, URL-encoded."""
    return 200 + sum(len("&" + n + "=" + quote(v, safe="-_.!~*'()")) for n, v in stored(flat))


def english_text(n: int, seed: int) -> str:
    """What a learner of an English track writes: words, commas, full stops and new paragraphs."""
    words = ["The", "mother", "noticed,", "the", "baby", "smiled", "and", "I", "asked", "her", "what", "helped.",
             "\n\nNext", "time", "I", "will", "listen", "first."]
    out, i = [], seed
    while sum(len(w) + 1 for w in out) < n:
        out.append(words[i % len(words)])
        i += 5
    return " ".join(out)[:n]


def comment_writes(result: dict) -> list[str]:
    return [c["args"][1] for c in result["calls"] if c["fn"] == "LMSSetValue" and c["args"][0] == "cmi.comments"]


def suspend_writes(result: dict) -> list[str]:
    return [c["args"][1] for c in result["calls"]
            if c["fn"] in ("SetValue", "LMSSetValue") and c["args"][0] == "cmi.suspend_data"]


def reflection_page(run: LmsSession, key: str) -> int:
    return run.js("""var pages = Array.prototype.slice.call(document.querySelectorAll('.cp-page'));
        return pages.indexOf(document.querySelector('.cp-reflection-box[data-reflection="' + arguments[0] + '"]').closest('.cp-page'));""",
                  key)


# ---- SCORM 1.2 comments ----------------------------------------------------------------------------

def test_scorm12_comments_get_each_change_once_and_never_the_whole_text_again(driver, server, packages):
    pkg = packages["s12-multi"]
    sco = next(s for s in pkg.scos if s.data["reflections"])
    key = next(iter(sco.data["reflections"]))
    run = LmsSession(driver, server, pkg).launch(sco)
    run.go(reflection_page(run, key))
    run.write_reflection(key, "First thoughts.")
    run.write_reflection(key, "First thoughts.")  # saved again unchanged: nothing new to send
    run.write_reflection(key, "First thoughts. Then a second idea.")
    run.unload()
    first = run.result()
    check_clean_run(first, driver)
    sent = comment_writes(first)
    assert sent == [f"[{key}] First thoughts.", f"\n\n[{key} +] Then a second idea."], sent

    # Moodle hands back what it concatenated; the player must not rebuild the text from it
    init = run.relaunch_data(first)
    init["cmi.comments"] = "".join(sent)
    run = LmsSession(driver, server, pkg).launch(sco, init=init, entry="resume")
    assert run.reflection_text(key) == "First thoughts. Then a second idea."
    run.write_reflection(key, "A different answer, rewritten.")
    run.unload()
    second = run.result()
    check_clean_run(second, driver)
    later = comment_writes(second)
    assert later == [f"\n\n[{key} \u270e] A different answer, rewritten."], later
    moodle = "".join(sent + later)  # what the teacher reads in Moodle
    for version in ("First thoughts.", "Then a second idea.", "A different answer, rewritten."):
        assert moodle.count(version) == 1, moodle
    rec = by_key(second, "1.2")[sco.data["reflections"][key]["interaction"]]
    assert rec["student_response"] == "A different answer, rewritten."  # the interaction keeps the latest


# ---- reflection limits and exact restore ---------------------------------------------------------------

TRICKY = 'Line one "quoted" \\ back-slash\n\n{braces} и кириллица ¶ pilcrow\ttab\n'


@pytest.fixture(scope="module")
def stress12(e2e_root, tmp_path_factory):
    src = stress_course(tmp_path_factory.mktemp("stress12"))
    return {"single": build(src, e2e_root / "pkg", "stress12-single", "1.2", "single-sco"),
            "2004": build(src, e2e_root / "pkg", "stress2004-single", "2004-4th", "single-sco")}


@pytest.mark.parametrize("which", ["s12-multi", "single", "2004"])
def test_reflections_at_over_and_far_over_the_limit_come_back_exactly_as_the_box_showed(
        driver, server, packages, stress12, which):
    pkg = packages[which] if which in packages else stress12[which]
    sco = next(s for s in pkg.scos if s.data["reflections"])
    keys = list(sco.data["reflections"])
    run = LmsSession(driver, server, pkg).launch(sco)
    cap = run.js("return document.querySelector('.cp-reflection-box textarea').maxLength")
    assert 20 <= cap <= 4000
    wanted = [cap, cap + 1, 3 * cap + 5000]  # at, just over, far over
    shown = {}
    for i, key in enumerate(keys[:3] if len(keys) >= 3 else keys * 3):
        text = (TRICKY * (wanted[i] // len(TRICKY) + 1))[:wanted[i]]
        run.go(reflection_page(run, key))
        run.write_reflection(key, text)
        box = run.reflection_text(key)
        note = run.js("return document.getElementById('cp-r-' + arguments[0] + '-chars').textContent", key)
        expect = text.replace("\r", "")[:cap]
        assert box == expect, (i, len(box), cap)  # cut exactly at the limit the box announces
        assert re.fullmatch(rf"\D*{len(expect)}\D+{cap}\D*", note), note  # "n of N characters" (en), "n из N знаков" (ru)
        shown[key] = box
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    if pkg.version == "1.2":
        writes = suspend_writes(result)
        assert max(len(w) for w in writes) <= 4096
        assert all(len(w) <= 4096 for w in comment_writes(result))
    run = LmsSession(driver, server, pkg).launch(sco, init=run.relaunch_data(result), entry="resume")
    for key, text in shown.items():
        assert run.reflection_text(key) == text, (key, len(run.reflection_text(key)), len(text))
    run.unload()
    check_clean_run(run.result(), driver)


# ---- SCORM 2004 data model size of every shipped track ------------------------------------------------------

@pytest.mark.parametrize("track", shipped_tracks())
def test_scorm2004_data_model_of_every_shipped_track_stays_under_48_kib(driver, server, e2e_root, track,
                                                                        record_property):
    require_shipped_course(track)
    pkg = build(ROOT / "course_src", e2e_root / "pkg", f"budget-{track}", "2004-4th", "single-sco", track=track)
    sco = pkg.scos[0]
    data = sco.data
    run = LmsSession(driver, server, pkg).launch(sco)
    values = {q["key"]: right_answer(q) for quiz in data["quizzes"].values() for q in quiz["questions"]}
    texts = {k: english_text(6000, i) for i, k in enumerate(data["reflections"])}  # far over every limit
    run.js(FILL_ALL_JS, values, texts)
    cap = run.js("return document.querySelector('.cp-reflection-box textarea').maxLength")
    finished = run.lms("return LMS.calledFinish()")
    if not finished:
        run.unload()
    result = run.result()
    check_clean_run(result, driver)
    size = moodle_data_size(result["flat"])
    print(f"\n{track}: SCORM 2004 data model {size} bytes in Moodle's unload beacon, "
          f"{urlencoded_size(result['flat'])} URL-encoded ({len(data['reflections'])} reflections of {cap} characters, "
          f"{len(values)} questions)")
    record_property("data_model_bytes", size)
    assert size <= BUDGET, f"{track}: {size} bytes > {BUDGET}"
    s = summary(result, "2004")
    assert s["completion"] == "completed" and s["raw"] == "100", s
    recs = by_key(result, "2004")
    for k, refl in data["reflections"].items():  # stored once, in the interaction, whole up to the limit
        assert len(recs[refl["interaction"]]["learner_response"]) >= cap - 1, k
    assert not any(k.startswith("cmi.comments_from_learner.") and k.endswith(".comment") for k in result["flat"])
    assert all(SEP not in w and len(w) < 8000 for w in suspend_writes(result))
