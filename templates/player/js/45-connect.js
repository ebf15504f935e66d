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
  lms.review = reviewMode; // from here on nothing is sent (what the outbox held went out at Initialize)
  if (reviewMode) tell(msg("review_mode"));
  applyShuffle(lms.get(is12() ? "cmi.core.student_id" : "cmi.learner_id"));
  if (is12()) lmsInfo.commented = lms.get("cmi.comments") !== "";
  var count = parseInt(lms.get("cmi.interactions._count"), 10) || 0;
  lmsInfo.nextIx = count;
  lmsInfo.status = status;
  if (!is12()) {
    for (var i = 0; i < count; i++) {
      var id = lms.get("cmi.interactions." + i + ".id");
      if (id) lmsInfo.ids[id] = i;
    }
  }
  if (sd || loc) {
    resetState();
    var restored = decodeState(sd);
    var g = pageFromLocation(loc);
    if (g >= 0) S.cur = g;
    if (!restored) S.seen[S.cur] = true;
    if (!is12()) textsFromInteractions();
    // what the LMS has already been sent (never read back from cmi.comments, which Moodle concatenates)
    reflList.forEach(function (r) { var x = S.refl[r.key]; if (x) x.posted = x.text; });
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
function textsFromInteractions() { // SCORM 2004 keeps a reflection once: in its interaction
  reflList.forEach(function (r) {
    var st = reflOf(r.key), id = r.interaction || r.key;
    var ix = st.ix >= 0 ? st.ix : lmsInfo.ids[id];
    if (ix === undefined || ix < 0 || st.cleared || st.fromState) return;
    if (lms.get("cmi.interactions." + ix + ".id") !== id) return;
    st.ix = ix;
    st.text = st.sent = fromLongText(lms.get("cmi.interactions." + ix + ".learner_response"));
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
  loadSelf();
}
