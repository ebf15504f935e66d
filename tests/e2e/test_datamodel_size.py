"""The build-time estimate of Moodle's tracking request (builder/datamodel.py) against what the
player really writes, in headless Chromium with scorm-again.

Moodle 4.3 keeps every element the SCO sets and sends all of them, as multipart/form-data, with
each Commit and with Terminate / LMSFinish; during the page's unload that is a sendBeacon request,
which Chromium refuses above 64 KiB. These tests rebuild that request from the SetValue calls of a
real attempt (the last value of each element; 1.2 cmi.comments as Moodle concatenates it) and check
that the estimate is an upper bound, and not a vacuous one.
"""
from __future__ import annotations

import json
import os
import re

import pytest

from builder import datamodel as dm

from .checks import check_clean_run
from .harness import FILL_ALL_JS, ROOT, LmsSession, build, require_shipped_course, shipped_tracks, wrong_answer

FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "every-type"
# ordinary prose with the odd accented name and line break, as a learner writes it
PROSE = ("I noticed that Zoë waited for the baby to answer before she spoke again; next week I will "
         "try the same pause with the families I visit.\n")


def prose(n: int) -> str:
    return (PROSE * (n // len(PROSE) + 1))[:n]


def moodle_request(result: dict, version: str) -> tuple[int, int]:
    """(bytes, parts) of the request Moodle would send at the end of this attempt."""
    last: dict[str, str] = {}
    comments = ""
    for c in result["calls"]:
        if c["fn"] not in ("SetValue", "LMSSetValue") or c["result"] != "true":
            continue
        element, value = c["args"][0], str(c["args"][1])
        if element == "cmi.comments":  # Moodle's 1.2 run-time appends every value it is given
            comments += value
            continue
        last[element] = value
    if comments:
        last["cmi.comments"] = comments
    last["cmi.core.total_time" if version == "1.2" else "cmi.total_time"] = (
        "0000:00:00.00" if version == "1.2" else "PT0H0M0S")
    own = {"id": "123", "a": "45", "sesskey": "abcdefghij", "attempt": "1", "scoid": "678", "unloading": "1"}
    parts = [dm.part_bytes(k, v) for k, v in {**own, **last}.items()]
    return sum(parts) + dm.CLOSING, len(parts)


def fill_longest(run: LmsSession) -> dict:
    """Every page, every attempt of every quiz used with the longest answers, every reflection typed
    past its cap (the player keeps what it allows)."""
    data = run.data()
    values = {}
    for quiz in data["quizzes"].values():
        for q in quiz["questions"]:
            t = q["type"]
            if t == "fill-in":
                values[q["key"]] = prose(dm.FILL_IN_MAX).replace("\n", " ")
            elif t == "numeric":
                values[q["key"]] = "-1234567890.123456789"
            elif t == "multiple":
                values[q["key"]] = "".join(c["id"] for c in q["choices"])
            else:
                values[q["key"]] = wrong_answer(q)
    texts = {k: prose(4500) for k in data["reflections"]}
    run.js(FILL_ALL_JS, values, texts)
    return data


def test_the_multipart_size_is_what_chromium_sends(driver, server):
    driver.get(f"{server.url}/lms/lms.html")
    fields = [["id", "12"], ["cmi__interactions__0__learner_response", "Zoë ¶ пауза 家"],
              ["cmi__suspend_data", '{"v":2,"a":[[0,1,"b"]]}' * 40], ["unloading", "1"]]
    size = driver.execute_async_script("""
        var done = arguments[arguments.length - 1], fd = new FormData();
        arguments[0].forEach(function (f) { fd.append(f[0], f[1]); });
        new Response(fd).blob().then(function (b) { done(b.size); });""", fields)
    assert size == sum(dm.part_bytes(k.replace("__", "."), v) for k, v in fields) + dm.CLOSING


@pytest.fixture(scope="module")
def fixture_packages(e2e_root):
    return {name: build(FIXTURE, e2e_root / "pkg", f"dm-{name}", version, layout)
            for name, (version, layout) in {"2004": ("2004-4th", "single-sco"), "1.2": ("1.2", "single-sco")}.items()}


@pytest.mark.parametrize("version", ["2004", "1.2"])
def test_the_estimate_bounds_the_longest_attempt(driver, server, fixture_packages, version):
    pkg = fixture_packages[version]
    sco = pkg.scos[0]
    est = dm.estimate_sco(sco.data)
    run = LmsSession(driver, server, pkg).launch(sco)
    # the player lets a learner type exactly as much as the estimate assumes
    caps = run.js("return Array.prototype.map.call(document.querySelectorAll('.cp-reflection-box textarea'),"
                  " function (t) { return t.maxLength; })")
    assert caps and set(caps) == {est.reflection_cap}, (caps, est.reflection_cap)
    fill_longest(run)
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    measured, parts = moodle_request(result, pkg.version)
    assert measured <= est.bytes, (measured, est.bytes, est.parts)
    assert measured >= 0.7 * est.bytes, (measured, est.bytes, est.parts)  # a bound, not a guess far above
    assert parts <= est.fields


@pytest.mark.parametrize("track", shipped_tracks())
def test_each_shipped_2004_package_fits_moodles_unload_request(driver, server, e2e_root, track):
    """Each shipped SCORM 2004 package (a track, or one module of a track with `split: module`), with
    the longest answers and every reflection at the player's limit: the request Moodle would send
    when the learner leaves stays under the estimate and under Chromium's 64 KiB. The sizes are
    written to $COURSEPACK_DATAMODEL_OUT (JSON lines) when that is set."""
    require_shipped_course(track)
    pkg = build(ROOT / "course_src", e2e_root / "pkg", f"dm-track-{track}", "2004-4th", "single-sco", track=track)
    sco = pkg.scos[0]
    est = dm.estimate_sco(sco.data)
    run = LmsSession(driver, server, pkg).launch(sco)
    fill_longest(run)
    run.unload()
    result = run.result()
    check_clean_run(result, driver)
    measured, parts = moodle_request(result, "2004")
    interactions = {c["args"][0].split(".")[2] for c in result["calls"]
                    if c["fn"] == "SetValue" and re.match(r"cmi\.interactions\.\d+\.id$", c["args"][0])}
    out = os.environ.get("COURSEPACK_DATAMODEL_OUT")
    if out:
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"package": track, "measured_bytes": measured, "parts": parts,
                                 "estimate_bytes": est.bytes, "interactions": est.interactions,
                                 "reflection_cap": est.reflection_cap, "beacon_limit": dm.BEACON_LIMIT,
                                 "threshold": dm.THRESHOLD}) + "\n")
    assert len(interactions) == est.interactions, (len(interactions), est.interactions)
    assert measured <= est.bytes, (track, measured, est.bytes)
    assert measured < dm.BEACON_LIMIT, (track, measured, "Moodle's unload request would be refused")
