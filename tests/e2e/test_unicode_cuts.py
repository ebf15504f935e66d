"""Text the player shortens never ends in half a character.

An emoji (and any character outside the Basic Multilingual Plane) is two UTF-16 units in
JavaScript. Cut between them, half a character is left; Moodle's run-time then cannot encode the
data model (``encodeURIComponent`` throws in its ``LMSCommit``/``Commit``) and nothing more of the
attempt is saved. Measured in Moodle 4.3 (docs/moodle.md). So every value the player sends must be
well-formed UTF-16: it must encode as UTF-8.
"""
from __future__ import annotations

from .checks import by_key, check_clean_run
from .harness import LmsSession
from .test_lms_limits import reflection_page

EMOJI = "\U0001F600"  # two UTF-16 units


def sent_values(result: dict) -> list[tuple[str, str]]:
    return [(c["args"][0], c["args"][1]) for c in result["calls"]
            if c["fn"] in ("SetValue", "LMSSetValue") and len(c["args"]) > 1]


def assert_all_encodable(result: dict) -> None:
    bad = []
    for element, value in sent_values(result):
        try:
            str(value).encode("utf-8")
        except UnicodeEncodeError:
            bad.append((element, ascii(value)[-40:]))
    assert not bad, bad


def first_reflection(pkg):
    sco = next(s for s in pkg.scos if s.data["reflections"])
    return sco, next(iter(sco.data["reflections"]))


def test_scorm12_interaction_is_cut_before_an_emoji_not_through_it(driver, server, packages):
    pkg = packages["s12-multi"]
    sco, key = first_reflection(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    run.go(reflection_page(run, key))
    text = "a" * 254 + EMOJI + " and the rest of the thought."  # unit 255 is the emoji's first half
    run.write_reflection(key, text)
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    assert_all_encodable(result)
    rec = by_key(result, "1.2")[sco.data["reflections"][key]["interaction"]]
    assert rec["student_response"] == "a" * 254  # 255 units would end in half the emoji
    comments = [v for e, v in sent_values(result) if e == "cmi.comments"]
    assert comments and comments[0].endswith(EMOJI + " and the rest of the thought.")  # the whole text


def test_half_a_character_in_the_box_reaches_the_lms_as_a_replacement_character(driver, server, packages):
    pkg = packages["s2004-single"]
    sco, key = first_reflection(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    run.go(reflection_page(run, key))
    # a lone half (as some paste paths and older input methods leave) in the middle of the text
    run.js("""var ta = document.getElementById('cp-r-' + arguments[0] + '-text');
              ta.value = 'before ' + String.fromCharCode(0xd83d) + ' after';
              ta.dispatchEvent(new Event('input', {bubbles: true}));
              ta.closest('.cp-reflection-box').querySelector('button').click();""", key)
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    assert_all_encodable(result)
    rec = by_key(result, "2004")[sco.data["reflections"][key]["interaction"]]
    assert rec["learner_response"] == "before \ufffd after"


def test_a_paste_past_the_reflection_limit_keeps_whole_characters(driver, server, packages):
    pkg = packages["s2004-single"]
    sco, key = first_reflection(pkg)
    run = LmsSession(driver, server, pkg).launch(sco)
    run.go(reflection_page(run, key))
    cap = run.js("return Number(document.getElementById('cp-r-' + arguments[0] + '-text').maxLength)", key)
    assert cap > 1
    run.write_reflection(key, "b" * (cap - 1) + EMOJI + "c" * 50)  # the limit falls inside the emoji
    kept = run.reflection_text(key)
    assert kept == "b" * (cap - 1), (len(kept), ascii(kept[-3:]))
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    assert_all_encodable(result)
