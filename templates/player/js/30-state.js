// ---- state --------------------------------------------------------------------------------
var D, V, pages = [], quizList = [], questions = [], reflList = [], selfList = [], structure = "";
var S = { cur: 0, seen: [], tries: {}, ans: {}, refl: {} };
var STATUS = { mode: "starting", errors: [], commits: 0, version: null, complete: false, score: null, success: null };
var mode = "starting"; // starting | pending | lms | local | ended
var lms = null, local = null, startedAt = now(), reviewMode = false;
var lmsInfo = { mastery: null, nextIx: 0, ids: {}, commented: false, status: "" };
var quizShownAt = {}, lastStatusText = "", troubleShown = false;
var acted = false; // the learner did something in this launch (a page, a submission, a saved reflection)

function ansOf(key) {
  if (!S.ans[key]) S.ans[key] = { resp: "", ok: -1, ix: -1 };
  return S.ans[key];
}
function reflOf(key) {
  if (!S.refl[key]) S.refl[key] = { text: "", ix: -1, sent: "", trunc: false, model: false };
  return S.refl[key];
}

// suspend_data: compact JSON, then (version 2) the reflections' own text, see docs/tracking.md
var SEP = "\u241e"; // a reflection's text follows this mark; the player strips it from what is typed
function seenHex() {
  var out = "";
  for (var i = 0; i < pages.length; i += 4) {
    var v = 0;
    for (var b = 0; b < 4; b++) if (S.seen[i + b]) v |= 1 << b;
    out += v.toString(16);
  }
  return out;
}
// texts: false = leave the reflections' text out (SCORM 2004: it is in the interactions)
function encodeState(reflCap, level, texts) {
  var o = { v: 2, h: structure, c: S.cur };
  if (level < 3) o.s = seenHex();
  o.t = quizList.map(function (q) { return S.tries[q.key] || 0; });
  o.a = questions.map(function (q) {
    var a = S.ans[q.key];
    if (!a || (a.resp === "" && a.ok === -1 && a.ix === -1)) return 0;
    if (level >= 2) return [a.ix, a.ok];
    return a.changed ? [a.ix, a.ok, a.resp, 1] : [a.ix, a.ok, a.resp];
  });
  var tail = "";
  o.r = reflList.map(function (r) {
    var x = S.refl[r.key], text = x ? x.text : "";
    var flags = (x && x.model ? 2 : 0) | (x && x.ix >= 0 && !text ? 4 : 0);
    if (reflCap !== null && text.length > reflCap) { text = cut(text, reflCap); flags |= 1; }
    if (texts) tail += SEP + text;
    return !x || (!x.text && x.ix === -1 && !flags) ? 0 : [x.ix, flags];
  });
  return JSON.stringify(o).replace(/\u241e/g, "\\u241e") + (texts && tail.replace(new RegExp(SEP, "g"), "") ? tail : "");
}
function suspendData(limit, texts) {
  try {
    var full = encodeState(null, 0, texts);
    if (full.length <= limit) return full;
    // 1. keep results and attempts but not the answers' text; 2. drop the pages-seen map
    for (var level = 2; level <= 3; level++) {
      var s2 = encodeState(null, level, texts);
      if (s2.length <= limit) return s2;
    }
    // 3. only when the learner's text is longer than the limits the player set (an older state)
    var longest = 0;
    reflList.forEach(function (r) { var x = S.refl[r.key]; if (x) longest = Math.max(longest, x.text.length); });
    var lo = 0, hi = longest, best = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, s = encodeState(mid, 3, texts);
      if (s.length <= limit) { best = s; lo = mid + 1; } else hi = mid - 1;
    }
    if (best) return best;
    var minimal = JSON.stringify({ v: 2, h: structure, c: S.cur });
    return minimal.length <= limit ? minimal : "";
  } catch (e) {
    console.warn(LOG, "suspend_data not written", e);
    return "";
  }
}
function decodeState(text) {
  if (!text) return false;
  var o, parts = String(text).split(SEP);
  try { o = JSON.parse(parts[0]); } catch (e) { console.warn(LOG, "unreadable suspend_data ignored"); return false; }
  if (!o || (o.v !== 1 && o.v !== 2) || o.h !== structure) return false;
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
      if (!reflList[k]) return;
      var st = reflOf(reflList[k].key), body = parts[k + 1];
      if (o.v === 1) { // [index, text, shortened?]
        if (!r) return;
        st.ix = typeof r[0] === "number" ? r[0] : -1;
        st.text = typeof r[1] === "string" ? r[1] : "";
        st.trunc = !!r[2];
        st.fromState = true;
      } else {
        if (r) { st.ix = typeof r[0] === "number" ? r[0] : -1; st.trunc = !!(r[1] & 1); st.model = !!(r[1] & 2); st.cleared = !!(r[1] & 4); }
        if (typeof body === "string") { st.text = body; st.fromState = true; }
      }
      st.sent = st.text;
    });
    return true;
  } catch (e) {
    console.warn(LOG, "suspend_data partly ignored", e);
    return true;
  }
}

// the most a reflection may hold in this package, so that the state and the data model always fit
var reflCap = 4000;
function reflectionCap() {
  var n = reflList.length;
  if (!n) return 4000;
  if (V === "1.2") { // every reflection at its limit still fits in suspend_data, with every result
    var head = 44 + Math.ceil(pages.length / 4) + 4 * quizList.length + 8 * n;
    questions.forEach(function (q) { // room for each answer too (a long typed answer may still be dropped)
      head += 14 + (q.type === "fill-in" ? 30 : q.type === "numeric" ? 10 : (q.choices || q.items || q.pairs || [1]).length);
    });
    return Math.max(20, Math.min(4000, Math.floor((SUSPEND_LIMIT["1.2"] - head) / n) - 1));
  }
  // SCORM 2004: the build may have fitted the limit to this package (player data reflectionCap)
  if (D.reflectionCap > 0) return Math.max(20, Math.min(3999, Math.floor(D.reflectionCap)));
  // otherwise: the whole data model, as Moodle's unload beacon sends it (multipart: about 125
  // bytes a part besides the value; text in UTF-8, in the course's language), stays under
  // DATA_MODEL_BUDGET; but never so short that min_words cannot be met
  var perChar = /^(en|fr|de|es|it|pt|nl|ro|pl|cs|sk|sl|hr|sv|da|nb|nn|no|fi|et|lv|lt|hu|tr|id|ms|sw)\b/i.test(LANG) ? 1.1 : 3.1;
  var others = 3500 + 720 * questions.length + 500 * n + 2 * pages.length;
  var floor = 300;
  reflList.forEach(function (r) { floor = Math.max(floor, 8 * (r.minWords || 0)); });
  return Math.max(floor, Math.min(3999, Math.floor((DATA_MODEL_BUDGET - others) / n / perChar)));
}
