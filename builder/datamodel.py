"""How much SCORM run-time data a SCO can hold, estimated at build time, as Moodle 4.3 sends it.

Moodle's SCORM player keeps the whole data model of a SCO in the browser and sends all of it
(every element with a value, not only what changed) with every Commit and with
Terminate / LMSFinish. When that happens while the page unloads (the learner presses "Exit
activity", closes the tab, or Moodle moves to another SCO), Moodle sends it with
``navigator.sendBeacon`` as ``multipart/form-data``: one part per element, about 90 bytes of
boundary and headers each, plus the element's name (``cmi__interactions__12__learner_response``)
and its value in UTF-8. Chromium queues at most 64 KiB of such requests; a bigger one is refused,
Moodle answers "false" with error 101 and stores nothing of that request, not even
``cmi.total_time`` (measured: the Extended track's 2004 package in Moodle 4.3, issue 13).

This module adds up, for every SCO of a package, the request Moodle would send at the end of a
complete attempt, with everything the learner types at the longest the player accepts. It follows
the player's own conventions (``templates/player/js/``: what is written for each question and
reflection, the caps on typed text, the shape of ``suspend_data``); keep the two in step
(``tests/e2e/test_datamodel_size.py`` compares the estimate with what the player really writes).

The estimate is an upper bound for ordinary prose in the track's language: typed text is counted
at its cap with a number of bytes per character that depends on the script (``text_bytes``).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from . import models as m
from .diagnostics import Report
from .render import Sco, plan_scos, player_data

BEACON_LIMIT = 64 * 1024  # Chromium's cap on the body of queued keep-alive requests (sendBeacon)
THRESHOLD = 48 * 1024  # warn above this: well under the cap, for Moodle's own fields and other browsers
PART = 87  # bytes of one multipart part besides its name and value (Chromium's boundary is 38 characters)
CLOSING = 44  # the closing boundary
# what Moodle adds to every request: its own ids, the session key and, at unload, "unloading=1"
MOODLE_FIELDS = {"id": 10, "a": 10, "sesskey": 10, "attempt": 4, "scoid": 10, "unloading": 1}

# the player's caps on what the learner types (templates/player/js/60-questions.js, 70-reflections.js)
FILL_IN_MAX = 200  # <input maxlength> of a fill-in answer
NUMERIC_MAX = 40  # <input maxlength> of a numeric answer (the recorded value is at most 19 characters)
SUSPEND_BUDGET = {"1.2": 4000, "2004": 60000}  # SUSPEND_LIMIT in 10-util.js
DATA_MODEL_BUDGET = 48 * 1024  # DATA_MODEL_BUDGET in 10-util.js (the player's own 2004 budget)
DURATION_2004 = 17  # PT9999H59M59.99S
TIMESPAN_12 = 13  # 9999:59:59.99
TIME_12 = 8  # 10:00:00
TYPE = {"single": "choice", "multiple": "choice", "true-false": "true-false", "fill-in": "fill-in",
        "matching": "matching", "ordering": "sequencing", "numeric": "numeric", "likert": "likert"}

# languages the player treats as written in the Latin alphabet (reflectionCap in 30-state.js)
LATIN = re.compile(r"^(en|fr|de|es|it|pt|nl|ro|pl|cs|sk|sl|hr|sv|da|nb|nn|no|fi|et|lv|lt|hu|tr|id|ms|sw)\b", re.I)
# scripts of three bytes a character in UTF-8 (Han, Kana, Hangul, Thai, the Indic scripts, Georgian…)
THREE_BYTES = {"zh", "ja", "ko", "th", "lo", "km", "my", "hi", "bn", "pa", "gu", "or", "ta", "te", "kn", "ml",
               "mr", "ne", "si", "am", "ti", "ka", "bo", "dz"}


@dataclass
class Estimate:
    """The largest request Moodle would send for one SCO, and what it is made of."""

    sco: str
    version: str  # "1.2" or "2004"
    bytes: int = 0  # multipart body, as sendBeacon sends it
    fields: int = 0  # parts (data-model elements and Moodle's own fields)
    interactions: int = 0
    reflection_cap: int = 0  # characters the player lets a learner type into one reflection
    parts: dict[str, int] = field(default_factory=dict)  # bytes by kind: questions, reflections, state, moodle

    def add(self, kind: str, name: str, value_bytes: float) -> None:
        n = PART + len(moodle_name(name)) + math.ceil(value_bytes)
        self.bytes += n
        self.fields += 1
        self.parts[kind] = self.parts.get(kind, 0) + n


def moodle_name(element: str) -> str:
    """The form-field name Moodle gives an element: dots become double underscores."""
    return element.replace(".", "__")


def part_bytes(name: str, value: str) -> int:
    """Bytes of one multipart part holding ``value`` under Moodle's name for ``name``."""
    return PART + len(moodle_name(name).encode()) + len(value.encode())


def text_bytes(language: str) -> float:
    """UTF-8 bytes a typed character takes, for ordinary prose in ``language`` (an upper bound)."""
    code = language.split("-")[0].lower()
    if code == "en":
        return 1.1  # the odd typographic quote, dash or accented name
    if LATIN.match(code):
        return 1.3  # letters with diacritics take two bytes
    if code in THREE_BYTES:
        return 3.0
    return 2.0  # Cyrillic, Greek, Armenian, Hebrew, Arabic…


# ---- the player's value formats (40-tracking.js, 10-util.js) ----------------------------------------

def decimal(n: float) -> str:
    """The player's ``decimal()``: a SCORM real with at most 7 decimals, no trailing zeros."""
    n = max(-9999999999, min(9999999999, float(n)))
    s = f"{n:.7f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _one_line(text: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", str(text))
    return re.sub(r"\s*[\r\n\u2028\u2029]+\s*", " \u00b6 ", text).strip()


def _lang_safe(text: str, limit: int) -> str:
    s = _one_line(text)
    if s.startswith("{"):
        s = " " + s
    return s[:limit]


def correct_patterns(q: dict, v12: bool) -> list[str]:
    """``correctPatterns()`` of the player, from the question's player data."""
    sep = "," if v12 else "[,]"
    t = q["type"]
    if t in ("single", "multiple"):
        return [sep.join(c["id"] for c in q["choices"] if c["correct"])]
    if t == "true-false":
        return [("t" if q["answer"] else "f") if v12 else ("true" if q["answer"] else "false")]
    if t == "fill-in":
        out = []
        for a in list(q.get("answers") or [])[:5]:
            s = re.sub(r"\[[,.:]\]", " ", _one_line(str(a)))
            out.append(s[:255] if v12 else _lang_safe(s, 250))
        return out
    if t == "numeric":
        a, tol = float(q["answer"]), float(q.get("tolerance") or 0)
        return [decimal(a) if v12 else decimal(a - tol) + "[:]" + decimal(a + tol)]
    if t == "matching":
        return [sep.join(p["id"] + ("." if v12 else "[.]") + p["id"] for p in q["pairs"])]
    if t == "ordering":
        return [sep.join(i["id"] for i in q["items"])]
    return []


def response_chars(q: dict, v12: bool) -> tuple[int, bool]:
    """The longest response the player records for ``q``: (characters, typed by the learner?)."""
    t = q["type"]
    if t in ("single", "likert"):
        return 1, False
    if t == "multiple":
        n = len(q["choices"])
        return n + (n - 1) * (1 if v12 else 3), False
    if t == "true-false":
        return (1 if v12 else 5), False
    if t == "fill-in":
        return min(255 if v12 else 250, FILL_IN_MAX + 1), True
    if t == "numeric":
        return 19, False  # -9999999999.9999999
    if t == "matching":
        n = len(q["pairs"])
        return n * (3 if v12 else 5) + (n - 1) * (1 if v12 else 3), False
    if t == "ordering":
        n = len(q["items"])
        return n + (n - 1) * (1 if v12 else 3), False
    return 255, True


def state_chars(q: dict) -> tuple[int, bool]:
    """The longest response in the player's own short form, as ``suspend_data`` keeps it."""
    t = q["type"]
    if t in ("single", "likert", "true-false"):
        return 1, False
    if t == "multiple":
        return len(q["choices"]), False
    if t == "fill-in":
        return FILL_IN_MAX, True
    if t == "numeric":
        return NUMERIC_MAX, False
    if t == "matching":
        return len(q["pairs"]), False
    if t == "ordering":
        return len(q["items"]), False
    return FILL_IN_MAX, True


def reflection_cap(data: dict, version: str) -> int:
    """``reflectionCap()`` of the player (30-state.js): the most one reflection may hold."""
    quizzes = [z for z in data["quizzes"].values() if z.get("record") is not False]
    questions = sum(len(z["questions"]) for z in quizzes)
    n = len(data["reflections"])
    pages = sum(len(s["pages"]) for s in data["sessions"])
    if not n:
        return 4000
    if version != "1.2" and data.get("reflectionCap"):  # set by the build (fitting_reflection_cap)
        return int(data["reflectionCap"])
    if version == "1.2":  # every reflection at its cap still fits in suspend_data with every answer
        head = 44 + math.ceil(pages / 4) + 4 * len(quizzes) + 8 * n
        for q in (q for z in quizzes for q in z["questions"]):
            head += 14 + (30 if q["type"] == "fill-in" else 10 if q["type"] == "numeric"
                          else len(q.get("choices") or q.get("items") or q.get("pairs") or [1]))
        return max(20, min(4000, (SUSPEND_BUDGET["1.2"] - head) // n - 1))
    per_char = 1.1 if LATIN.match(data.get("lang") or "") else 3.1
    others = 3500 + 720 * questions + 500 * n + 2 * pages
    floor = max([300] + [8 * (r.get("minWords") or 0) for r in data["reflections"].values()])
    return max(floor, min(3999, math.floor((DATA_MODEL_BUDGET - others) / n / per_char)))


def _digits(n: int) -> int:
    return len(str(max(0, n)))


def _suspend_data_bytes(data: dict, version: str, tb: float, cap: int) -> float:
    """The longest ``suspend_data`` (30-state.js, format version 2), capped at the player's budget."""
    quizzes = [z for z in data["quizzes"].values() if z.get("record") is not False]
    questions = (q for z in quizzes for q in z["questions"])  # made one at a time (render.LazyQuestions)
    pages = sum(len(s["pages"]) for s in data["sessions"])
    refl = len(data["reflections"])
    items = sum(len(z["questions"]) for z in quizzes) + refl
    size = len('{"v":2,"h":"abcdefg","c":,"s":"","t":[],"a":[],"r":[]}') + _digits(pages) + math.ceil(pages / 4)
    size += sum(_digits(z.get("attempts") or 999) + 1 for z in quizzes)
    for i, q in enumerate(questions):  # [index, result, "response", changed]
        chars, typed = state_chars(q)
        size += _digits(items) + 11 + chars * (tb if typed else 1)
    size += refl * (_digits(items) + 6)  # [index, flags]
    if version == "1.2":  # the reflections' text follows the JSON, each after a one-character mark
        size += refl * (3 + cap * tb)
    return min(size, SUSPEND_BUDGET[version] * tb)


def estimate_sco(data: dict, cap: int | None = None) -> Estimate:
    """The largest request Moodle sends for the SCO whose player data is ``data`` (with reflections
    of at most ``cap`` characters; by default the player's own cap)."""
    version = "1.2" if data["scorm"] == "1.2" else "2004"
    v12 = version == "1.2"
    tb = text_bytes(data.get("lang") or "en")
    cap = reflection_cap(data, version) if cap is None else cap
    est = Estimate(sco=data["sco"], version=version, reflection_cap=cap)
    for name, size in MOODLE_FIELDS.items():
        est.add("moodle", name, size)
    ix = 0
    for quiz in data["quizzes"].values():
        if quiz.get("record") is False:  # a self-check never reaches the LMS
            continue
        for q in quiz["questions"]:
            base = f"cmi.interactions.{ix}."
            ix += 1
            est.add("questions", base + "id", len(q["key"].encode()))
            est.add("questions", base + "type", len(TYPE.get(q["type"], "other")))
            for k, p in enumerate(correct_patterns(q, v12)):
                est.add("questions", f"{base}correct_responses.{k}.pattern", len(p.encode()))
            if v12 and q.get("scored", q["type"] != "likert"):  # 2004: no weighting (a smaller data model)
                est.add("questions", base + "weighting", 1)
            chars, typed = response_chars(q, v12)
            est.add("questions", base + ("student_response" if v12 else "learner_response"),
                    chars * (tb if typed else 1))
            est.add("questions", base + "result", 9 if not v12 else 7)
            if v12:  # 2004: no latency, no timestamp
                est.add("questions", base + "latency", TIMESPAN_12)
                est.add("questions", base + "time", TIME_12)
    for r in data["reflections"].values():
        base = f"cmi.interactions.{ix}."
        ix += 1
        est.add("reflections", base + "id", len((r.get("interaction") or r["key"]).encode()))
        est.add("reflections", base + "type", len("fill-in" if v12 else "long-fill-in"))
        if v12:
            est.add("reflections", base + "student_response", min(255, cap) * tb)
            est.add("reflections", base + "result", 7)
            est.add("reflections", base + "time", TIME_12)
        else:  # a line break travels as a two-byte pilcrow, a leading "{" or space gets one more space
            est.add("reflections", base + "learner_response", min(4000, cap + 1) * tb)
            est.add("reflections", base + "result", 7)
    est.interactions = ix
    pages = [f'{s["key"]}/{p["key"]}' for s in data["sessions"] for p in s["pages"]]
    location = max((len(p.encode()) for p in pages), default=0)
    sd = _suspend_data_bytes(data, version, tb, cap)
    if v12:
        for name, size in (("cmi.core.lesson_location", location), ("cmi.core.lesson_status", 10),
                           ("cmi.core.score.raw", 3), ("cmi.core.score.min", 1), ("cmi.core.score.max", 3),
                           ("cmi.core.exit", 7), ("cmi.core.session_time", TIMESPAN_12),
                           ("cmi.core.total_time", TIMESPAN_12), ("cmi.suspend_data", sd)):
            est.add("state", name, size)
        if data["reflections"]:  # Moodle keeps every entry appended to cmi.comments
            est.add("reflections", "cmi.comments", 4096 * tb)
    else:
        for name, size in (("cmi.location", location), ("cmi.completion_status", 10),
                           ("cmi.success_status", 6), ("cmi.score.raw", 3), ("cmi.score.min", 1),
                           ("cmi.score.max", 3), ("cmi.score.scaled", 4), ("cmi.exit", 7),
                           ("cmi.session_time", DURATION_2004), ("cmi.total_time", DURATION_2004),
                           ("cmi.suspend_data", sd),
                           # Moodle fills in the manifest's primary objective (scorm.py: obj-<sco>)
                           ("cmi.objectives.0.id", len(f"obj-{data['sco']}".encode()))):
            est.add("state", name, size)
    est.bytes += CLOSING
    return est


def fitting_reflection_cap(data: dict, threshold: int = THRESHOLD) -> int:
    """The longest reflection (in characters) that keeps a SCORM 2004 SCO's request under ``threshold``,
    between the player's floor (300 characters, or 8 per word of ``min_words``) and 3,999. For SCORM 1.2
    the player's own cap (set by ``suspend_data``, not by this request)."""
    if data["scorm"] == "1.2" or not data["reflections"]:
        return reflection_cap(data, "1.2" if data["scorm"] == "1.2" else "2004")
    lo = max([300] + [8 * (r.get("minWords") or 0) for r in data["reflections"].values()])
    hi = 3999
    if estimate_sco(data, lo).bytes > threshold:
        return lo
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if estimate_sco(data, mid).bytes <= threshold:
            lo = mid
        else:
            hi = mid - 1
    return lo


def estimate_package(track: m.Track, version: str, layout: str) -> list[Estimate]:
    """One estimate per SCO of the package ``track`` × ``version`` × ``layout``."""
    scos: list[Sco] = plan_scos(track, layout)
    return [estimate_sco(player_data(track, sco, version, {}, lazy=True)) for sco in scos]


def check_datamodel(track: m.Track, version: str, layout: str, report: Report,
                    threshold: int = THRESHOLD) -> int:
    """Warn (``datamodel-size``) when a SCO of the package may send more than ``threshold`` bytes;
    return the largest estimate, in bytes."""
    ests = estimate_package(track, version, layout)
    big = max(ests, key=lambda e: e.bytes)
    if big.bytes > threshold:
        where = "the package" if len(ests) == 1 else f"its largest SCO ({big.sco})"
        report.warning(
            "datamodel-size",
            f"{track.id}: SCORM {version} {layout}: {where} may hold about {big.bytes / 1024:.0f} KiB of tracking data "
            f"({big.interactions} interactions, {big.fields} elements); Moodle sends it all in one request when the "
            f"learner leaves, and a request over 64 KiB is refused (the attempt then loses its time and last answers); "
            f"the limit coursepack sets is {threshold // 1024} KiB",
            path=f"{track.folder}/track.yml",
            hint="give the track `split: module` in track.yml (one package per module), split the track into smaller "
                 "tracks, or build SCORM 1.2 with the multi-sco layout (one SCO per session), or record fewer "
                 "questions and reflections (a self-check quiz, record: false, sends nothing)",
        )
    return big.bytes


def summary(ests: list[Estimate]) -> str:
    """One line per SCO, for debugging and the docs."""
    return "\n".join(json.dumps({"sco": e.sco, "bytes": e.bytes, "fields": e.fields, "interactions": e.interactions,
                                 "reflection_cap": e.reflection_cap, "parts": e.parts}) for e in ests)
