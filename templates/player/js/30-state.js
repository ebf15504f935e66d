// ---- state --------------------------------------------------------------------------------
var D, V, pages = [], quizList = [], questions = [], reflList = [], structure = "";
var S = { cur: 0, seen: [], tries: {}, ans: {}, refl: {} };
var STATUS = { mode: "starting", errors: [], commits: 0, version: null, complete: false, score: null, success: null };
var mode = "starting"; // starting | pending | lms | local | ended
var lms = null, local = null, startedAt = now(), reviewMode = false;
var lmsInfo = { mastery: null, nextIx: 0, ids: {}, comments: {}, commentCount: 0, status: "" };
var quizShownAt = {}, lastStatusText = "", troubleShown = false;

function ansOf(key) {
  if (!S.ans[key]) S.ans[key] = { resp: "", ok: -1, ix: -1 };
  return S.ans[key];
}
function reflOf(key) {
  if (!S.refl[key]) S.refl[key] = { text: "", ix: -1, sent: "", trunc: false };
  return S.refl[key];
}

// suspend_data: compact JSON, see docs/tracking.md
function seenHex() {
  var out = "";
  for (var i = 0; i < pages.length; i += 4) {
    var v = 0;
    for (var b = 0; b < 4; b++) if (S.seen[i + b]) v |= 1 << b;
    out += v.toString(16);
  }
  return out;
}
function encodeState(limit, reflCap, level) {
  var o = { v: 1, h: structure, c: S.cur };
  if (level < 3) o.s = seenHex();
  o.t = quizList.map(function (q) { return S.tries[q.key] || 0; });
  o.a = questions.map(function (q) {
    var a = S.ans[q.key];
    if (!a || (a.resp === "" && a.ok === -1 && a.ix === -1)) return 0;
    if (level >= 2) return [a.ix, a.ok];
    return a.changed ? [a.ix, a.ok, a.resp, 1] : [a.ix, a.ok, a.resp];
  });
  o.r = reflList.map(function (r) {
    var x = S.refl[r.key];
    if (!x || (x.text === "" && x.ix === -1)) return 0;
    var text = x.text, cut = x.trunc;
    if (reflCap !== null && text.length > reflCap) { text = text.slice(0, reflCap); cut = true; }
    return cut ? [x.ix, text, 1] : [x.ix, text];
  });
  return JSON.stringify(o);
}
function suspendData(limit) {
  try {
    var full = encodeState(limit, null, 0);
    if (full.length <= limit) return full;
    // 1. shorten the reflections (their full text is in the interactions and comments)
    var longest = 0;
    reflList.forEach(function (r) { var x = S.refl[r.key]; if (x) longest = Math.max(longest, x.text.length); });
    var lo = 0, hi = longest, best = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, s = encodeState(limit, mid, 0);
      if (s.length <= limit) { best = s; lo = mid + 1; } else hi = mid - 1;
    }
    if (best) return best;
    // 2. keep results and attempts but not the answers' text; 3. drop the pages-seen map
    for (var level = 2; level <= 3; level++) {
      var s2 = encodeState(limit, 0, level);
      if (s2.length <= limit) return s2;
    }
    var minimal = JSON.stringify({ v: 1, h: structure, c: S.cur });
    return minimal.length <= limit ? minimal : "";
  } catch (e) {
    console.warn(LOG, "suspend_data not written", e);
    return "";
  }
}
function decodeState(text) {
  if (!text) return false;
  var o;
  try { o = JSON.parse(text); } catch (e) { console.warn(LOG, "unreadable suspend_data ignored"); return false; }
  if (!o || o.v !== 1 || o.h !== structure) return false;
  try {
    if (typeof o.c === "number" && o.c >= 0 && o.c < pages.length) S.cur = o.c;
    if (typeof o.s === "string") {
      for (var i = 0; i < o.s.length; i++) {
        var v = parseInt(o.s.charAt(i), 16) || 0;
        for (var b = 0; b < 4; b++) if (v & (1 << b) && i * 4 + b < pages.length) S.seen[i * 4 + b] = true;
      }
    } else {
      for (var j = 0; j <= S.cur; j++) S.seen[j] = true;
    }
    (o.t || []).forEach(function (n, k) { if (quizList[k] && typeof n === "number") S.tries[quizList[k].key] = n; });
    (o.a || []).forEach(function (a, k) {
      if (!a || !questions[k]) return;
      var st = ansOf(questions[k].key);
      st.ix = typeof a[0] === "number" ? a[0] : -1;
      st.ok = typeof a[1] === "number" ? a[1] : -1;
      st.resp = typeof a[2] === "string" ? a[2] : "";
      st.changed = !!a[3];
    });
    (o.r || []).forEach(function (r, k) {
      if (!r || !reflList[k]) return;
      var st = reflOf(reflList[k].key);
      st.ix = typeof r[0] === "number" ? r[0] : -1;
      st.text = typeof r[1] === "string" ? r[1] : "";
      st.sent = st.text;
      st.trunc = !!r[2];
    });
    return true;
  } catch (e) {
    console.warn(LOG, "suspend_data partly ignored", e);
    return true;
  }
}
