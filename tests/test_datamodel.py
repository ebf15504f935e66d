"""The build-time estimate of the tracking data Moodle sends for a SCO (builder/datamodel.py) and
the `datamodel-size` warning. tests/e2e/test_datamodel_size.py checks the estimate against what the
player really writes in a browser."""
from __future__ import annotations

import pytest

from builder import datamodel as dm
from builder.build import build_packages, check
from builder.diagnostics import CourseError

from .conftest import make_course

QUIZ = """\
```quiz
id: quiz-{n}
questions:
  - {{type: single, id: pick, prompt: "Which of these helps a baby settle after feed {n}?", choices: [{{text: "Holding the baby upright", correct: true}}, "Loud music", "A bright light in the eyes"]}}
  - {{type: multiple, id: several, prompt: "Which are responsive caregiving, case {n}?", choices: [{{text: Noticing cues, correct: true}}, {{text: Answering cues, correct: true}}, Ignoring cues]}}
  - {{type: true-false, id: tf, prompt: "Babies learn through play, case {n}.", answer: {tf}}}
  - {{type: fill-in, id: word, prompt: "Name the first food besides milk, case {n}.", answers: [porridge, cereal]}}
  - {{type: numeric, id: months, prompt: "From how many months may solid food start, case {n}?", answer: 6, tolerance: 0}}
  - type: ordering
    id: order
    prompt: Put visit {n} in order.
    items: [Greet, Observe, Discuss, Plan]
```
"""


def session(n: int, quiz: bool = True, record: bool = True) -> str:
    body = QUIZ.format(n=n, tf="true" if n % 2 else "false")
    if not record:
        body = body.replace("questions:", "record: false\nquestions:", 1)
    return (f"---\ntitle: Session {n}\nduration: 30\nobjectives: [Listen well, Plan a visit]\n---\n"
            f"Introduction {n}.\n\n## Activity 1: Quiz (10 min)\n\n" + (body if quiz else "Read this.\n") +
            f"\n## Activity 2: Reflect (10 min)\n\n```reflection\nid: first\nprompt: What did you notice in session {n}?\n```\n\n"
            f"## Activity 3: Reflect again (10 min)\n\n```reflection\nid: second\nprompt: What will you try after session {n}?\n```\n")


def course(tmp_path, sessions: int, record: bool = True, language: str = "en"):
    files = {"course.yml": f"title: Size test\nlanguage: {language}\n", "t/track.yml": "title: Many sessions\n",
             "t/01-first.md": None}
    for n in range(1, sessions + 1):
        files[f"t/{n:02d}-session-{n}.md"] = session(n, record=record)
    return make_course(tmp_path, files)


def warnings(report):
    return [d for d in report.items if d.code == "datamodel-size"]


def test_a_small_course_fits_and_its_size_is_reported(tmp_path):
    results, report = build_packages(course(tmp_path, 1), tmp_path / "out", scorm=["1.2", "2004-4th"])
    assert not warnings(report)
    for r in results:
        # a session with 6 questions and 2 reflections: tens of elements, some KiB each way
        assert 4 * 1024 < r.datamodel_bytes < dm.THRESHOLD, (r.version, r.datamodel_bytes)


def test_a_big_single_sco_track_is_warned_about_and_its_multi_sco_package_is_not(tmp_path):
    src = course(tmp_path, 12)
    results, report = build_packages(src, tmp_path / "out", scorm=["1.2", "2004-4th"])
    by_version = {r.version: r for r in results}
    assert by_version["2004-4th"].layout == "single-sco" and by_version["2004-4th"].datamodel_bytes > dm.THRESHOLD
    assert by_version["1.2"].layout == "multi-sco" and by_version["1.2"].datamodel_bytes < dm.THRESHOLD
    found = warnings(report)
    assert len(found) == 1, [d.message for d in found]
    w = found[0]
    assert w.severity == "warning" and w.path == "t/track.yml"
    assert "SCORM 2004-4th single-sco" in w.message and "96 interactions" in w.message and "64 KiB" in w.message
    assert "multi-sco" in w.hint and "split the track" in w.hint


def test_the_threshold_is_crossed_between_a_small_and_a_big_track(tmp_path):
    course_obj, _ = check(course(tmp_path, 12))
    track = course_obj.tracks[0]
    sizes = []
    for n in (1, 4, 8, 12):
        small = track.model_copy(update={"modules": [track.modules[0].model_copy(
            update={"sessions": track.modules[0].sessions[:n]})]})
        sizes.append(dm.estimate_package(small, "2004-4th", "single-sco")[0].bytes)
    assert sizes == sorted(sizes) and len(set(sizes)) == 4  # more sessions, more data
    assert sizes[0] < dm.THRESHOLD < sizes[-1]


def test_strict_builds_stop_at_the_warning(tmp_path):
    with pytest.raises(CourseError) as exc:
        build_packages(course(tmp_path, 12), tmp_path / "out", scorm=["2004-4th"], strict=True)
    assert [d.code for d in exc.value.report.items] == ["datamodel-size"]
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.zip"))


def test_self_check_quizzes_add_nothing(tmp_path):
    recorded, _ = check(course(tmp_path / "a", 3))
    self_only, _ = check(course(tmp_path / "b", 3, record=False))
    a = dm.estimate_package(recorded.tracks[0], "2004-4th", "single-sco")[0]
    b = dm.estimate_package(self_only.tracks[0], "2004-4th", "single-sco")[0]
    assert a.interactions == 3 * (6 + 2) and b.interactions == 3 * 2  # only the reflections remain
    assert b.parts.get("questions", 0) == 0 and a.parts["questions"] > 6 * 3 * 5 * dm.PART


def test_every_element_costs_a_multipart_part(tmp_path):
    """One more question adds one part per element the player writes for it (2004: id, type, correct
    pattern, response, result), each the part overhead plus its name and value."""
    one, _ = check(course(tmp_path, 1))
    track = one.tracks[0]
    data = dm.player_data(track, dm.plan_scos(track, "single-sco")[0], "2004-4th", {})
    base = dm.estimate_sco(data)
    quiz = next(iter(data["quizzes"].values()))
    extra = dict(quiz["questions"][2], key="quiz-1_tf-again")  # a true-false question
    quiz["questions"].append(extra)
    more = dm.estimate_sco(data)
    assert more.fields - base.fields == 5 and more.interactions == base.interactions + 1
    names = ["id", "type", "correct_responses.0.pattern", "learner_response", "result"]
    values = [extra["key"], "true-false", "true", "false", "incorrect"]
    # the new question takes index 6, so the reflections move from 6, 7 to 7, 8: same name lengths
    exact = sum(dm.part_bytes(f"cmi.interactions.6.{n}", v) for n, v in zip(names, values))
    grown = more.bytes - base.bytes
    suspend_growth = more.parts["state"] - base.parts["state"]
    assert grown - suspend_growth == exact
    assert 0 < suspend_growth < 20  # one more [index,result,"t",1] in suspend_data


def test_the_multipart_part_matches_moodles_field_names():
    assert dm.moodle_name("cmi.interactions.12.learner_response") == "cmi__interactions__12__learner_response"
    assert dm.part_bytes("cmi.location", "s1/p2") == dm.PART + len("cmi__location") + 5
    assert dm.part_bytes("cmi.location", "ä") == dm.PART + len("cmi__location") + 2  # UTF-8 bytes, not characters


def test_typed_text_is_counted_in_the_bytes_of_the_tracks_script(tmp_path):
    assert dm.text_bytes("en") < dm.text_bytes("fr") < dm.text_bytes("ru") < dm.text_bytes("zh-Hant")
    en, _ = check(course(tmp_path / "en", 2))
    ru, _ = check(course(tmp_path / "ru", 2, language="ru"))
    e = dm.estimate_package(en.tracks[0], "2004-4th", "single-sco")[0]
    r = dm.estimate_package(ru.tracks[0], "2004-4th", "single-sco")[0]
    # the player allows fewer characters per reflection in a non-Latin script, each of two bytes
    assert r.reflection_cap < e.reflection_cap
    assert r.fields == e.fields


def test_value_formats_follow_the_player():
    assert dm.decimal(6) == "6" and dm.decimal(-0.5) == "-0.5" and dm.decimal(1 / 3) == "0.3333333"
    q = {"type": "numeric", "answer": 6, "tolerance": 0.5}
    assert dm.correct_patterns(q, v12=False) == ["5.5[:]6.5"] and dm.correct_patterns(q, v12=True) == ["6"]
    m = {"type": "matching", "pairs": [{"id": "a"}, {"id": "b"}]}
    assert dm.correct_patterns(m, v12=False) == ["a[.]a[,]b[.]b"]
    assert dm.response_chars(m, v12=False) == (len("a[.]b[,]b[.]a"), False)
    f = {"type": "fill-in", "answers": ["{x}", "a[,]b"]}
    assert dm.correct_patterns(f, v12=False) == [" {x}", "a b"]


def test_the_fitting_reflection_cap_is_the_longest_under_the_threshold(tmp_path):
    small, _ = check(course(tmp_path / "s", 4))
    track = small.tracks[0]
    data = dm.player_data(track, dm.plan_scos(track, "single-sco")[0], "2004-4th", {})
    cap = dm.fitting_reflection_cap(data)
    assert 300 < cap < 3999
    assert dm.estimate_sco(data, cap).bytes <= dm.THRESHOLD < dm.estimate_sco(data, cap + 1).bytes
    # a track too big for any cap gets the player's floor (and the build warns about it)
    big, _ = check(course(tmp_path / "b", 12))
    data = dm.player_data(big.tracks[0], dm.plan_scos(big.tracks[0], "single-sco")[0], "2004-4th", {})
    assert dm.fitting_reflection_cap(data) == 300 and dm.estimate_sco(data, 300).bytes > dm.THRESHOLD


def test_a_cap_given_in_the_player_data_is_the_one_estimated(tmp_path):
    small, _ = check(course(tmp_path, 4))
    track = small.tracks[0]
    data = dm.player_data(track, dm.plan_scos(track, "single-sco")[0], "2004-4th", {})
    fitting = dm.fitting_reflection_cap(data)
    data["reflectionCap"] = fitting
    est = dm.estimate_sco(data)
    assert est.reflection_cap == fitting and est.bytes <= dm.THRESHOLD
