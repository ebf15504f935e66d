// ---- connecting -----------------------------------------------------------------------------
function connect(api) {
  var candidate = new Lms(api, V);
  if (!candidate.init()) {
    if (!S.touched) loadLocal();
    renderAll();
    goLocal();
    return;
  }
  lms = candidate;
  mode = "lms";
  STATUS.mode = mode;
  var hadState = S.touched;
  var entry, status, loc = "", sd = "", modeValue, mastery;
  if (is12()) {
    entry = lms.get("cmi.core.entry");
    status = lms.get("cmi.core.lesson_status");
    modeValue = lms.get("cmi.core.lesson_mode");
    if (entry !== "ab-initio") {
      loc = lms.get("cmi.core.lesson_location");
      sd = lms.get("cmi.suspend_data");
    }
    mastery = lms.get("cmi.student_data.mastery_score");
    if (mastery !== "" && isFinite(Number(mastery))) lmsInfo.mastery = Number(mastery);
  } else {
    entry = lms.get("cmi.entry");
    status = lms.get("cmi.completion_status");
    modeValue = lms.get("cmi.mode");
    if (entry !== "ab-initio") {
      loc = lms.get("cmi.location");
      sd = lms.get("cmi.suspend_data");
    }
    mastery = lms.get("cmi.scaled_passing_score");
    if (mastery !== "" && isFinite(Number(mastery))) lmsInfo.mastery = Math.max(0, Number(mastery) * 100);
  }
  reviewMode = modeValue === "review" || modeValue === "browse";
  var count = parseInt(lms.get("cmi.interactions._count"), 10) || 0;
  lmsInfo.nextIx = count;
  lmsInfo.status = status;
  if (!is12()) {
    for (var i = 0; i < count; i++) {
      var id = lms.get("cmi.interactions." + i + ".id");
      if (id) lmsInfo.ids[id] = i;
    }
    var cc = parseInt(lms.get("cmi.comments_from_learner._count"), 10) || 0;
    lmsInfo.commentCount = cc;
    for (var c = 0; c < cc; c++) {
      var where = lms.get("cmi.comments_from_learner." + c + ".location");
      if (where) lmsInfo.comments[where] = c;
    }
  }
  if (sd || loc) {
    resetState();
    var restored = decodeState(sd);
    var g = pageFromLocation(loc);
    if (g >= 0) S.cur = g;
    if (!restored) S.seen[S.cur] = true;
    if (is12()) recoverFromComments(lms.get("cmi.comments"));
    else recoverFromComments2004();
    renderAll();
  } else if (!hadState) {
    resetState();
    renderAll();
  }
  // interactions the LMS no longer has are recorded again
  questions.forEach(function (q) { var a = S.ans[q.key]; if (a && a.ix >= count) { a.ix = -1; a.meta = false; } });
  reflList.forEach(function (r) { var x = S.refl[r.key]; if (x && x.ix >= count) { x.ix = -1; x.meta = false; } });
  questions.forEach(function (q) { var a = S.ans[q.key]; if (a && a.ix >= 0) a.meta = true; });
  reflList.forEach(function (r) { var x = S.refl[r.key]; if (x && x.ix >= 0) x.meta = true; });
  S.seen[S.cur] = true;
  if (!reviewMode && (status === "not attempted" || status === "unknown" || status === "")) {
    lms.set(is12() ? "cmi.core.lesson_status" : "cmi.completion_status", "incomplete");
  }
  if (hadState && !sd) {
    // the learner acted before the LMS appeared: record those answers now
    questions.forEach(function (q) {
      var a = S.ans[q.key];
      if (a && a.ok !== -1) recordQuestion(q, a.resp, a.ok === 1, 0);
    });
    reflList.forEach(function (r) { if (S.refl[r.key] && S.refl[r.key].text.trim()) recordReflection(r); });
  }
  save();
  STATUS.version = V;
}
function recoverFromComments(text) {
  if (!text) return;
  var parts = String(text).split(/(?:^|\n\n)\[([a-z0-9_-]+)\] /);
  for (var i = 1; i + 1 < parts.length; i += 2) {
    var key = parts[i], body = parts[i + 1];
    var r = reflList.filter(function (x) { return x.key === key; })[0];
    if (!r) continue;
    var st = reflOf(key);
    if (st.trunc && body.replace(/\u2026$/, "").length > st.text.length) {
      st.text = body.replace(/\u2026$/, "");
      st.sent = st.text;
    }
  }
}
function recoverFromComments2004() { // a reflection shortened in suspend_data is whole in its comment
  reflList.forEach(function (r) {
    var st = S.refl[r.key], n = lmsInfo.comments[r.key];
    if (!st || !st.trunc || n === undefined) return;
    var text = lms.get("cmi.comments_from_learner." + n + ".comment").replace(/^ (?=\{)/, "").replace(/ \u00b6 /g, "\n");
    if (text.length > st.text.length) { st.text = text; st.sent = text; }
  });
}
function goLocal() {
  mode = "local";
  STATUS.mode = mode;
  var n = $("#cp-notice");
  if (n && !n.textContent) n.textContent = msg("standalone");
  save();
}
function loadLocal() {
  var rec = local.load();
  if (!rec) return;
  var restored = decodeState(rec.suspend);
  var g = pageFromLocation(rec.location);
  if (g >= 0) S.cur = g;
  if (restored || g >= 0) S.touched = false;
}
function resetState() {
  S.cur = 0; S.seen = pages.map(function () { return false; }); S.tries = {}; S.ans = {}; S.refl = {};
}
