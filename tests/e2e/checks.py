"""What a well-formed record looks like in each SCORM version (used by several test modules)."""
from __future__ import annotations

import re

from .harness import api_errors, browser_errors, interactions

TIMESPAN_12 = re.compile(r"^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$")
TIME_12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
DURATION_2004 = re.compile(r"^PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S$")
STAMP_2004 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,2}Z$")
ID12 = "[0-9a-z]"

TYPES = {
    "1.2": {"single": "choice", "multiple": "choice", "true-false": "true-false", "fill-in": "fill-in",
            "matching": "matching", "ordering": "sequencing", "numeric": "numeric", "likert": "likert"},
    "2004": {"single": "choice", "multiple": "choice", "true-false": "true-false", "fill-in": "fill-in",
             "matching": "matching", "ordering": "sequencing", "numeric": "numeric", "likert": "likert"},
}


def response_format(version: str, qtype: str) -> re.Pattern:
    if version == "1.2":
        return re.compile({
            "single": rf"^{ID12}$", "likert": rf"^{ID12}$", "multiple": rf"^{ID12}(,{ID12})*$",
            "true-false": r"^[tf]$", "fill-in": r"^.{0,255}$", "numeric": r"^-?\d+(\.\d+)?$",
            "matching": rf"^{ID12}\.{ID12}(,{ID12}\.{ID12})*$", "ordering": rf"^{ID12}(,{ID12})*$",
        }[qtype])
    return re.compile({
        "single": rf"^{ID12}$", "likert": rf"^{ID12}$", "multiple": rf"^{ID12}(\[,\]{ID12})*$",
        "true-false": r"^(true|false)$", "fill-in": r"^(?!\{).{0,250}$", "numeric": r"^-?\d+(\.\d+)?$",
        "matching": rf"^{ID12}\[\.\]{ID12}(\[,\]{ID12}\[\.\]{ID12})*$", "ordering": rf"^{ID12}(\[,\]{ID12})*$",
    }[qtype])


def expected_pattern(version: str, q: dict) -> str | None:
    sep = "," if version == "1.2" else "[,]"
    dot = "." if version == "1.2" else "[.]"
    t = q["type"]
    if t in ("single", "multiple"):
        return sep.join(c["id"] for c in q["choices"] if c["correct"])
    if t == "true-false":
        return ("t" if q["answer"] else "f") if version == "1.2" else ("true" if q["answer"] else "false")
    if t == "fill-in":
        return q["answers"][0]
    if t == "numeric":
        a, tol = q["answer"], q.get("tolerance", 0)
        fmt = lambda x: ("%.7f" % x).rstrip("0").rstrip(".")  # noqa: E731
        return fmt(a) if version == "1.2" else f"{fmt(a - tol)}[:]{fmt(a + tol)}"
    if t == "matching":
        return sep.join(f"{p['id']}{dot}{p['id']}" for p in q["pairs"])
    if t == "ordering":
        return sep.join(i["id"] for i in q["items"])
    return None


def check_question_interaction(version: str, q: dict, rec: dict, right: bool | None):
    where = f"interaction {q['key']} ({q['type']})"
    assert rec.get("type") == TYPES[version][q["type"]], (where, rec)
    resp_key = "student_response" if version == "1.2" else "learner_response"
    assert response_format(version, q["type"]).match(rec.get(resp_key, "")), (where, rec.get(resp_key))
    pattern = expected_pattern(version, q)
    if pattern is not None:
        assert rec.get("correct_responses.0.pattern") == pattern, (where, rec)
    else:
        assert not rec.get("correct_responses.0.pattern"), (where, rec)
    if not q["scored"]:
        assert rec.get("result") == "neutral", (where, rec)
    elif right is not None:
        want = "correct" if right else ("wrong" if version == "1.2" else "incorrect")
        assert rec.get("result") == want, (where, rec)
    if version == "1.2":
        assert TIMESPAN_12.match(rec.get("latency", "")), (where, rec)
        assert TIME_12.match(rec.get("time", "")), (where, rec)
    else:
        # the 2004 data model stays small (Moodle's unload beacon): no latency, timestamp, description, weighting
        assert not rec.get("latency") and not rec.get("timestamp") and not rec.get("description"), (where, rec)
        assert not rec.get("weighting"), (where, rec)
        assert not rec.get(resp_key, "").startswith("{")


def check_clean_run(result: dict, driver=None):
    """No API error (but the spec-legal 403 of an unset GetValue), no browser error."""
    errors = api_errors(result)
    assert not errors, f"scorm-again reported errors: {errors}"
    if driver is not None:
        assert not browser_errors(driver), browser_errors(driver)
    # the SCO only uses its own version's data model
    prefix_wrong = "cmi.core." if "cmi.completion_status" in (result["flat"] or {}) else None
    for c in result["calls"]:
        if c["fn"] in ("SetValue", "GetValue") and prefix_wrong:
            assert not str(c["args"][0]).startswith(prefix_wrong), c


def summary(result: dict, version: str) -> dict:
    f = result["flat"]
    if version == "1.2":
        return {"status": f.get("cmi.core.lesson_status"), "raw": f.get("cmi.core.score.raw"),
                "min": f.get("cmi.core.score.min"), "max": f.get("cmi.core.score.max"),
                "exit": f.get("cmi.core.exit"), "location": f.get("cmi.core.lesson_location"),
                "suspend": f.get("cmi.suspend_data", ""), "session_time": f.get("cmi.core.session_time"),
                "comments": f.get("cmi.comments", "")}
    return {"completion": f.get("cmi.completion_status"), "success": f.get("cmi.success_status"),
            "raw": f.get("cmi.score.raw"), "min": f.get("cmi.score.min"), "max": f.get("cmi.score.max"),
            "scaled": f.get("cmi.score.scaled"), "exit": f.get("cmi.exit"), "location": f.get("cmi.location"),
            "suspend": f.get("cmi.suspend_data", ""), "session_time": f.get("cmi.session_time")}


def check_finished(result: dict, version: str, score: int | None, passed: bool | None):
    s = summary(result, version)
    if version == "1.2":
        assert TIMESPAN_12.match(s["session_time"] or ""), s
        assert len(s["suspend"]) <= 4096, len(s["suspend"])
        assert s["exit"] == "", s
        if score is None:
            assert s["status"] == "completed" and not s["raw"], s
        else:
            assert s["status"] == ("passed" if passed else "failed"), s
            assert (s["raw"], s["min"], s["max"]) == (str(score), "0", "100"), s
    else:
        assert DURATION_2004.match(s["session_time"] or ""), s
        assert s["completion"] == "completed" and s["exit"] == "normal", s
        if score is None:
            assert s["success"] == "unknown" and not s["raw"], s
        else:
            assert s["success"] == ("passed" if passed else "failed"), s
            assert (s["raw"], s["min"], s["max"]) == (str(score), "0", "100"), s
            assert float(s["scaled"]) == score / 100, s


def check_status_lifecycle(result: dict, version: str):
    """incomplete is the first status written; passed/failed/completed only after it."""
    el = "cmi.core.lesson_status" if version == "1.2" else "cmi.completion_status"
    statuses = [c["args"][1] for c in result["calls"] if c["fn"] in ("SetValue", "LMSSetValue") and c["args"][0] == el]
    assert statuses and statuses[0] == "incomplete", statuses


def by_key(result: dict, version: str) -> dict[str, dict]:
    recs = interactions(result, version)
    ids = [r.get("id") for r in recs]
    assert len(ids) == len(set(ids)), f"interaction ids repeat: {ids}"
    return {r.get("id"): r for r in recs}
