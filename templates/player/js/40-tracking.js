// ---- scoring -------------------------------------------------------------------------------
function isAnswered(q, resp) {
  if (!resp) return false;
  if (q.type === "matching") return resp.indexOf("-") < 0 && resp.length === q.pairs.length;
  if (q.type === "numeric") return parseNumber(resp) !== null;
  if (q.type === "fill-in") return resp.trim() !== "";
  return true;
}
function isRight(q, resp) {
  switch (q.type) {
    case "single": return q.choices.some(function (c) { return c.correct && c.id === resp; });
    case "multiple":
      var want = q.choices.filter(function (c) { return c.correct; }).map(function (c) { return c.id; }).sort().join("");
      return resp.split("").sort().join("") === want;
    case "true-false": return (resp === "t") === !!q.answer && (resp === "t" || resp === "f");
    case "fill-in":
      var got = normText(resp);
      return got !== "" && (q.answers || []).some(function (a) { return normText(a) === got; });
    case "numeric":
      var n = parseNumber(resp);
      return n !== null && Math.abs(n - Number(q.answer)) <= Number(q.tolerance || 0) + 1e-9;
    case "matching": return resp === q.pairs.map(function (p) { return p.id; }).join("");
    case "ordering": return resp === q.items.map(function (i) { return i.id; }).join("");
    default: return false;
  }
}
function quizClosed(quiz) {
  var tries = S.tries[quiz.key] || 0;
  if (!tries) return false;
  if (quiz.attempts && tries >= quiz.attempts) return true;
  return quiz.questions.every(function (q) { return !q.scored || ansOf(q.key).ok === 1; });
}
function quizDone(quiz) { // counts for completion and the score
  return quizClosed(quiz) || (!quiz.attempts && (S.tries[quiz.key] || 0) > 0);
}
function evaluate() {
  var seen = 0;
  for (var i = 0; i < pages.length; i++) if (S.seen[i]) seen++;
  var quizzesLeft = quizList.filter(function (q) { return !quizDone(q); }).length;
  var scored = questions.filter(function (q) { return q.scored; });
  var right = scored.filter(function (q) { return ansOf(q.key).ok === 1; }).length;
  var complete = seen === pages.length && quizzesLeft === 0;
  var score = scored.length ? Math.round(100 * right / scored.length) : null;
  var mastery = lmsInfo.mastery !== null ? lmsInfo.mastery : Number(D.mastery || 0);
  return {
    seen: seen, pagesLeft: pages.length - seen, quizzesLeft: quizzesLeft, complete: complete,
    score: complete ? score : null, passed: complete && score !== null ? score >= mastery : null,
    mastery: mastery, right: right, scored: scored.length
  };
}

// ---- recording in the LMS ------------------------------------------------------------------------
function is12() { return V === "1.2"; }
function writeStatus(ev) {
  if (!lms || reviewMode) return;
  if (ev.complete) {
    if (ev.score !== null) {
      if (is12()) {
        lms.set("cmi.core.score.raw", ev.score);
        lms.set("cmi.core.score.min", 0);
        lms.set("cmi.core.score.max", 100);
        lms.set("cmi.core.lesson_status", ev.passed ? "passed" : "failed");
      } else {
        lms.set("cmi.score.raw", ev.score);
        lms.set("cmi.score.min", 0);
        lms.set("cmi.score.max", 100);
        lms.set("cmi.score.scaled", decimal(Math.round(ev.score * 100) / 10000));
        lms.set("cmi.completion_status", "completed");
        lms.set("cmi.success_status", ev.passed ? "passed" : "failed");
      }
    } else if (is12()) {
      lms.set("cmi.core.lesson_status", "completed");
    } else {
      lms.set("cmi.completion_status", "completed");
    }
    lms.set(is12() ? "cmi.core.exit" : "cmi.exit", is12() ? "" : "normal");
  } else {
    lms.set(is12() ? "cmi.core.exit" : "cmi.exit", "suspend");
  }
}
function locationOf(g) {
  var p = pages[g];
  return p ? D.sessions[p.s].key + "/" + p.key : "";
}
function pageFromLocation(loc) {
  if (!loc) return -1;
  var parts = String(loc).split("/");
  for (var g = 0; g < pages.length; g++) {
    var p = pages[g];
    if (parts.length === 2 ? D.sessions[p.s].key === parts[0] && p.key === parts[1] : p.key === parts[0]) return g;
  }
  return -1;
}
function writeProgress() {
  if (!lms) return;
  var ms = now() - startedAt;
  if (is12()) {
    lms.set("cmi.core.lesson_location", locationOf(S.cur));
    lms.set("cmi.suspend_data", suspendData(SUSPEND_LIMIT["1.2"], true));
    if (!lms.closed) lms.set("cmi.core.session_time", timespan12(ms));
  } else {
    lms.set("cmi.location", locationOf(S.cur));
    lms.set("cmi.suspend_data", suspendData(SUSPEND_LIMIT["2004"], false));
    if (!lms.closed) lms.set("cmi.session_time", duration2004(ms)); // counted at Terminate already
  }
}

function responseFor(q, resp) {
  var ids = resp.split("");
  switch (q.type) {
    case "single": case "likert": return resp;
    case "multiple": return ids.sort().join(is12() ? "," : "[,]");
    case "true-false": return is12() ? resp : (resp === "t" ? "true" : "false");
    case "fill-in":
      var text = oneLine(resp).replace(/\[[,.:]\]/g, " ");
      return is12() ? cut(text, 255) : langSafe(text, 250);
    case "numeric": var n = parseNumber(resp); return n === null ? "0" : decimal(n);
    case "matching":
      return q.pairs.map(function (p, i) { return p.id + (is12() ? "." : "[.]") + ids[i]; }).join(is12() ? "," : "[,]");
    case "ordering": return ids.join(is12() ? "," : "[,]");
    default: return oneLine(resp);
  }
}
function correctPatterns(q) {
  var sep = is12() ? "," : "[,]";
  switch (q.type) {
    case "single": case "multiple":
      return [q.choices.filter(function (c) { return c.correct; }).map(function (c) { return c.id; }).join(sep)];
    case "true-false": return [is12() ? (q.answer ? "t" : "f") : (q.answer ? "true" : "false")];
    case "fill-in":
      return (q.answers || []).slice(0, 5).map(function (a) {
        var t = oneLine(a).replace(/\[[,.:]\]/g, " ");
        return is12() ? cut(t, 255) : langSafe(t, 250);
      });
    case "numeric":
      var a = Number(q.answer), tol = Number(q.tolerance || 0);
      return [is12() ? decimal(a) : decimal(a - tol) + "[:]" + decimal(a + tol)];
    case "matching":
      return [q.pairs.map(function (p) { return p.id + (is12() ? "." : "[.]") + p.id; }).join(sep)];
    case "ordering": return [q.items.map(function (i) { return i.id; }).join(sep)];
    default: return [];
  }
}
var TYPE12 = { single: "choice", multiple: "choice", "true-false": "true-false", "fill-in": "fill-in", matching: "matching",
               ordering: "sequencing", numeric: "numeric", likert: "likert" };
function interactionIndex(id, st) {
  if (st.ix >= 0) return { ix: st.ix, fresh: false };
  if (!is12() && lmsInfo.ids[id] !== undefined) return { ix: lmsInfo.ids[id], fresh: false };
  var ix = lmsInfo.nextIx++;
  lmsInfo.ids[id] = ix;
  return { ix: ix, fresh: true };
}
function recordQuestion(q, resp, ok, latencyMs) {
  if (!lms || reviewMode || q.self) return;
  var st = ansOf(q.key);
  var at = interactionIndex(q.key, st);
  var base = "cmi.interactions." + at.ix + ".";
  var d = new Date();
  if (at.fresh || !st.meta) {
    lms.set(base + "id", q.key);
    lms.set(base + "type", TYPE12[q.type] || "other");
    if (at.fresh) correctPatterns(q).forEach(function (p, k) { lms.set(base + "correct_responses." + k + ".pattern", p); });
    if (q.scored && is12()) lms.set(base + "weighting", 1);
    st.meta = true;
  }
  st.ix = at.ix;
  var result = !q.scored ? "neutral" : ok ? "correct" : (is12() ? "wrong" : "incorrect");
  if (is12()) {
    lms.set(base + "student_response", responseFor(q, resp));
    lms.set(base + "result", result);
    lms.set(base + "latency", timespan12(latencyMs));
    lms.set(base + "time", time12(d));
  } else {
    lms.set(base + "learner_response", responseFor(q, resp));
    lms.set(base + "result", result);
  }
}
// SCORM 1.2: Moodle appends every value written to cmi.comments, so each entry is only what is new
function commentEntry12(key, before, now) {
  if (!before) return "[" + key + "] " + now;
  if (now.indexOf(before) === 0) return "[" + key + " +] " + now.slice(before.length).replace(/^\s+/, "");
  return "[" + key + " \u270e] " + now;
}
function recordReflection(r) {
  if (!lms || reviewMode) return;
  var st = reflOf(r.key);
  var text = st.text.replace(/\s+$/, "");
  var before = (st.posted || "").replace(/\s+$/, "");
  if (!text.trim() || text === before) return;
  var id = r.interaction || r.key;
  var at = interactionIndex(id, st);
  var base = "cmi.interactions." + at.ix + ".";
  var d = new Date();
  if (at.fresh || !st.meta) {
    lms.set(base + "id", id);
    lms.set(base + "type", is12() ? "fill-in" : "long-fill-in");
    st.meta = true;
  }
  st.ix = at.ix;
  if (is12()) {
    lms.set(base + "student_response", cut(oneLine(text), 255));
    lms.set(base + "result", "neutral");
    lms.set(base + "time", time12(d));
    var entry = commentEntry12(r.key, before, text);
    delete lms.cache["cmi.comments"]; // the same words again are a new entry
    lms.set("cmi.comments", cut((lmsInfo.commented ? "\n\n" : "") + entry, 4096));
    lmsInfo.commented = true;
  } else {
    lms.set(base + "learner_response", cut(longText(st.text), 4000)); // exact: restored from here
    lms.set(base + "result", "neutral");
  }
  st.posted = text;
  st.sent = st.text;
}

// the learner is done (the end of the SCO, or "Save and finish"): everything goes out now,
// then Terminate / LMSFinish, long before the page unloads
function pageDone(g) { // every reflection of the page saved with some text
  return $all(".cp-reflection-box", pages[g].node).every(function (box) {
    var st = S.refl[box.getAttribute("data-reflection")];
    return st && st.text.trim() && st.text === st.sent;
  });
}
function finishAttempt() {
  if (mode === "lms" && lms) terminate();
  else { flushDrafts(); save(); }
  tell(reviewMode ? msg("review_mode") : later ? laterText() : msg("finished_saved"));
}

// one call per learner action: write what changed, then commit once
function save() {
  S.dirty = false;
  var ev = evaluate();
  updateStatus(ev);
  if (mode === "lms" && lms) {
    writeProgress();
    writeStatus(ev);
    var committed = lms.commit();
    // on the SCO's last page with everything done (and saved): finish now, not during the unload
    if (committed && acted && S.cur === ui.endPage && ev.complete && !reviewMode && pageDone(S.cur)) finishAttempt();
  } else if (mode === "ended") { // after finishing: what changes is kept for the next launch
    writeProgress();
    writeStatus(ev);
    outboxWrite(Object.keys(lms.todo).length ? lms.todo : null);
  } else if (mode === "local" || mode === "pending") {
    local.save({ v: 1, location: locationOf(S.cur), suspend: suspendData(SUSPEND_LIMIT.local, true),
                 complete: ev.complete, score: ev.score, passed: ev.passed });
  }
}
function terminate() {
  if (mode === "lms" && lms) {
    flushDrafts();
    var ev = evaluate();
    writeProgress();
    writeStatus(ev);
    lms.finish();
    mode = "ended";
    STATUS.mode = mode;
  } else if (mode === "local" || mode === "ended") {
    flushDrafts();
    save();
  }
}

function lmsTrouble(code) {
  if (troubleShown) return;
  troubleShown = true;
  var n = $("#cp-notice");
  if (n) n.textContent = msg("lms_error", { code: code });
}
