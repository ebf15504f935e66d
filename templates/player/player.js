/*
 * coursepack player: pages, quizzes, reflections and SCORM 1.2 / 2004 tracking.
 *
 * Plain ES2017, no dependencies, no network. Reads the player data from
 * <script type="application/json" id="cp-data"> (see docs/player.md) and records what the
 * learner does in the LMS run-time (see docs/tracking.md), or in localStorage when no LMS
 * is found.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("cp-js");

  var LOG = "[coursepack]";
  var SUSPEND_LIMIT = { "1.2": 4000, "2004": 60000, local: 1000000 };
  var API_WAIT_MS = 3000;
  var API_POLL_MS = 250;

  // ---- small helpers -------------------------------------------------------------------
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "html") e.innerHTML = v;
        else if (k === "text") e.textContent = v;
        else if (k === "className") e.className = v;
        else e.setAttribute(k, v === true ? "" : String(v));
      });
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function htmlText(html) {
    var t = document.createElement("template");
    t.innerHTML = html || "";
    return (t.content.textContent || "").replace(/\s+/g, " ").trim();
  }
  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
  function hash(str) { // FNV-1a, 32 bit
    var h = 0x811c9dc5;
    for (var i = 0; i < str.length; i++) { h ^= str.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function rng(seed) { // mulberry32
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffled(list, seedText) {
    var out = list.slice(), r = rng(hash(seedText));
    for (var i = out.length - 1; i > 0; i--) { var j = Math.floor(r() * (i + 1)); var x = out[i]; out[i] = out[j]; out[j] = x; }
    return out;
  }
  function now() { return Date.now(); }

  // ---- messages ------------------------------------------------------------------------
  var M = {}, LANG = "en", pluralRules = null;
  function fmt(s, vars) {
    return String(s).replace(/\{(\w+)\}/g, function (m, k) { return vars && vars[k] !== undefined ? vars[k] : m; });
  }
  function msg(key, vars) { return fmt(M[key] !== undefined ? M[key] : key, vars); }
  function plural(key, n, vars) {
    var cat = "other";
    try { cat = pluralRules ? pluralRules.select(n) : (n === 1 ? "one" : "other"); } catch (e) { cat = n === 1 ? "one" : "other"; }
    var k = M[key + "_" + cat] !== undefined ? key + "_" + cat : (M[key + "_other"] !== undefined ? key + "_other" : key);
    var v = Object.assign({ n: n }, vars || {});
    return msg(k, v);
  }
  function words(text) { var m = String(text || "").trim().match(/\S+/g); return m ? m.length : 0; }

  // ---- SCORM value formats ---------------------------------------------------------------
  function timespan12(ms) { // CMITimespan HHHH:MM:SS.SS
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, f = cs % 100;
    if (h > 9999) { h = 9999; m = 59; s = 59; f = 99; }
    return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(f, 2);
  }
  function duration2004(ms) { // ISO 8601 duration, seconds with at most 2 decimals
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, f = cs % 100;
    var out = "PT";
    if (h) out += h + "H";
    if (m) out += m + "M";
    out += s + (f ? "." + pad(f, 2).replace(/0$/, "") : "") + "S";
    return out;
  }
  function time12(d) { return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2); }
  function timestamp2004(d) { // fractional seconds are required before the zone designator
    return d.toISOString().replace(/\.(\d)\d*Z$/, ".$1Z");
  }
  function oneLine(text) { // scorm-again and strict LMSs reject line breaks in these strings
    return String(text || "").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
      .replace(/\s*[\r\n\u2028\u2029]+\s*/g, " \u00b6 ").replace(/^\s+|\s+$/g, "");
  }
  function langSafe(text, max) { // a SCORM 2004 localized string must not start with "{"
    var s = oneLine(text);
    if (s.charAt(0) === "{") s = " " + s;
    return s.length > max ? s.slice(0, max) : s;
  }
  function decimal(n) { // SCORM real(10,7): at most 10 digits before the point, 7 after
    if (!isFinite(n)) return "0";
    n = Math.max(-9999999999, Math.min(9999999999, n));
    var s = n.toFixed(7).replace(/0+$/, "").replace(/\.$/, "");
    return s === "-0" ? "0" : s;
  }
  function parseNumber(text) {
    var s = String(text || "").trim().replace(/\s+/g, "").replace(",", ".").replace(/^\u2212/, "-");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
    var n = parseFloat(s);
    return isFinite(n) ? n : null;
  }
  function normText(s) { return String(s || "").normalize("NFC").toLocaleLowerCase().replace(/\s+/g, ""); }

  // ---- the LMS run-time -------------------------------------------------------------------
  var API_NAMES = { "1.2": "API", "2004": "API_1484_11" };
  var FN = {
    "1.2": { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish",
             err: "LMSGetLastError", str: "LMSGetErrorString" },
    "2004": { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate",
              err: "GetLastError", str: "GetErrorString" }
  };

  function apiIn(win, name) {
    for (var depth = 0; win && depth < 16; depth++) {
      try {
        var api = win[name];
        if (api && typeof api[FN[name === "API" ? "1.2" : "2004"].init] === "function") return api;
      } catch (e) { /* a cross-origin frame: keep climbing */ }
      var parent = null;
      try { parent = win.parent; } catch (e) { parent = null; }
      if (!parent || parent === win) break;
      win = parent;
    }
    return null;
  }
  function findApi(version) {
    var name = API_NAMES[version];
    var api = apiIn(window, name);
    if (api) return api;
    try { if (window.opener) api = apiIn(window.opener, name); } catch (e) { api = null; }
    if (api) return api;
    try { if (window.top && window.top !== window && window.top.opener) api = apiIn(window.top.opener, name); } catch (e) { api = null; }
    return api || null;
  }

  function Lms(api, version) {
    this.api = api;
    this.v = version;
    this.fn = FN[version];
    this.cache = {};
    this.failures = 0;
  }
  Lms.prototype.raw = function (fn, args) {
    try { return this.api[this.fn[fn]].apply(this.api, args); } catch (e) {
      console.warn(LOG, this.fn[fn] + " threw", e);
      return null;
    }
  };
  Lms.prototype.lastError = function () {
    var code = "0", text = "";
    try { code = String(this.api[this.fn.err]()); } catch (e) { code = "?"; }
    try { text = String(this.api[this.fn.str](code)); } catch (e) { text = ""; }
    return { code: code, text: text };
  };
  Lms.prototype.fail = function (what) {
    var e = this.lastError();
    this.failures++;
    var line = what + " returned false: error " + e.code + (e.text ? " (" + e.text + ")" : "");
    console.warn(LOG, line);
    STATUS.errors.push(line);
    if (STATUS.errors.length > 200) STATUS.errors.shift();
    lmsTrouble(e.code);
  };
  Lms.prototype.ok = function (r) { return r === true || String(r) === "true"; };
  Lms.prototype.init = function () {
    var r = this.raw("init", [""]);
    if (this.ok(r)) return true;
    var e = this.lastError();
    if (e.code === "103" || e.code === "101" && this.v === "1.2" && /already/i.test(e.text)) return true; // already initialised
    this.fail(this.fn.init + '("")');
    return false;
  };
  Lms.prototype.get = function (element) {
    var r = this.raw("get", [element]);
    return r === null || r === undefined ? "" : String(r);
  };
  Lms.prototype.set = function (element, value) {
    value = String(value);
    if (this.cache[element] === value) return true;
    var r = this.raw("set", [element, value]);
    if (!this.ok(r)) { this.fail(this.fn.set + '("' + element + '", ' + JSON.stringify(value.slice(0, 60)) + ")"); return false; }
    this.cache[element] = value;
    return true;
  };
  Lms.prototype.commit = function () {
    STATUS.commits++;
    var r = this.raw("commit", [""]);
    if (!this.ok(r)) { this.fail(this.fn.commit + '("")'); return false; }
    return true;
  };
  Lms.prototype.finish = function () {
    var r = this.raw("finish", [""]);
    if (!this.ok(r)) { this.fail(this.fn.finish + '("")'); return false; }
    return true;
  };

  // ---- standalone storage -------------------------------------------------------------------
  function Local(key) { this.key = key; }
  Local.prototype.load = function () {
    try { var s = window.localStorage.getItem(this.key); return s ? JSON.parse(s) : null; } catch (e) { return null; }
  };
  Local.prototype.save = function (record) {
    try { window.localStorage.setItem(this.key, JSON.stringify(record)); return true; } catch (e) {
      console.warn(LOG, "cannot write localStorage", e);
      return false;
    }
  };

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
      lms.set("cmi.suspend_data", suspendData(SUSPEND_LIMIT["1.2"]));
      lms.set("cmi.core.session_time", timespan12(ms));
    } else {
      lms.set("cmi.location", locationOf(S.cur));
      lms.set("cmi.suspend_data", suspendData(SUSPEND_LIMIT["2004"]));
      lms.set("cmi.session_time", duration2004(ms));
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
        return is12() ? text.slice(0, 255) : langSafe(text, 250);
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
          return is12() ? t.slice(0, 255) : langSafe(t, 250);
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
    if (!lms || reviewMode) return;
    var st = ansOf(q.key);
    var at = interactionIndex(q.key, st);
    var base = "cmi.interactions." + at.ix + ".";
    var d = new Date();
    if (at.fresh || !st.meta) {
      lms.set(base + "id", q.key);
      lms.set(base + "type", TYPE12[q.type] || "other");
      if (!is12() && q.description) lms.set(base + "description", langSafe(q.description, 250));
      if (at.fresh) correctPatterns(q).forEach(function (p, k) { lms.set(base + "correct_responses." + k + ".pattern", p); });
      if (q.scored) lms.set(base + "weighting", 1);
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
      lms.set(base + "latency", duration2004(latencyMs));
      lms.set(base + "timestamp", timestamp2004(d));
    }
  }
  function commentsText12() {
    var blocks = reflList.map(function (r) {
      var x = S.refl[r.key];
      return x && x.text.trim() ? { key: r.key, text: x.text.trim() } : null;
    }).filter(Boolean);
    if (!blocks.length) return "";
    var budget = 4096 - blocks.reduce(function (n, b) { return n + b.key.length + 3; }, 0) - 2 * (blocks.length - 1);
    var cap = Math.max(0, Math.floor(budget / blocks.length));
    // give unused room of short texts to the long ones
    var spare = 0;
    blocks.forEach(function (b) { if (b.text.length < cap) spare += cap - b.text.length; });
    var longOnes = blocks.filter(function (b) { return b.text.length > cap; }).length;
    var longCap = longOnes ? cap + Math.floor(spare / longOnes) : cap;
    return blocks.map(function (b) {
      return "[" + b.key + "] " + (b.text.length > longCap ? b.text.slice(0, Math.max(0, longCap - 1)) + "\u2026" : b.text);
    }).join("\n\n").slice(0, 4096);
  }
  function recordReflection(r) {
    if (!lms || reviewMode) return;
    var st = reflOf(r.key);
    var text = st.text.trim();
    if (!text) return;
    var id = r.interaction || r.key;
    var at = interactionIndex(id, st);
    var base = "cmi.interactions." + at.ix + ".";
    var d = new Date();
    if (at.fresh || !st.meta) {
      lms.set(base + "id", id);
      lms.set(base + "type", is12() ? "fill-in" : "long-fill-in");
      if (!is12() && (r.description || r.prompt)) lms.set(base + "description", langSafe(r.description || htmlText(r.prompt), 250));
      st.meta = true;
    }
    st.ix = at.ix;
    if (is12()) {
      lms.set(base + "student_response", oneLine(text).slice(0, 255));
      lms.set(base + "result", "neutral");
      lms.set(base + "time", time12(d));
      lms.set("cmi.comments", commentsText12());
    } else {
      lms.set(base + "learner_response", langSafe(text, 4000));
      lms.set(base + "result", "neutral");
      lms.set(base + "timestamp", timestamp2004(d));
      var n = lmsInfo.comments[r.key];
      if (n === undefined) { n = lmsInfo.commentCount++; lmsInfo.comments[r.key] = n; }
      var cb = "cmi.comments_from_learner." + n + ".";
      lms.set(cb + "comment", langSafe(text, 4000));
      lms.set(cb + "location", r.key);
      lms.set(cb + "timestamp", timestamp2004(d));
    }
    st.sent = st.text;
  }

  // one call per learner action: write what changed, then commit once
  function save() {
    S.dirty = false;
    var ev = evaluate();
    updateStatus(ev);
    if (mode === "lms" && lms) {
      writeProgress();
      writeStatus(ev);
      lms.commit();
    } else if (mode === "local" || mode === "pending") {
      local.save({ v: 1, location: locationOf(S.cur), suspend: suspendData(SUSPEND_LIMIT.local),
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
    } else if (mode === "local") {
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

  // ---- rendering: navigation ---------------------------------------------------------------------
  var ui = {};
  function buildPages() {
    $all(".cp-page").forEach(function (node) {
      var s = parseInt(node.getAttribute("data-s"), 10), p = parseInt(node.getAttribute("data-p"), 10);
      var sd = D.sessions[s] || { pages: [] };
      var pd = sd.pages[p] || { key: node.id, title: node.getAttribute("data-title") || "" };
      pages.push({ s: s, p: p, key: pd.key, title: pd.title, node: node, session: node.closest(".cp-session") });
    });
    S.seen = pages.map(function () { return false; });
    ui.toc = {};
    $all(".cp-toc a[data-s]").forEach(function (a) {
      var g = globalIndex(parseInt(a.getAttribute("data-s"), 10), parseInt(a.getAttribute("data-p"), 10));
      if (g < 0) return;
      ui.toc[g] = a;
      var mark = el("span", { className: "cp-vh cp-toc-state" });
      a.appendChild(mark);
      a.addEventListener("click", function (e) { e.preventDefault(); goTo(g, true); closeTocOnSmallScreens(); });
    });
    ui.back = $("#cp-back"); ui.next = $("#cp-next"); ui.position = $("#cp-position");
    ui.bar = $("#cp-progress-bar"); ui.barText = $("#cp-progress-text");
    if (ui.back) ui.back.addEventListener("click", function () { if (S.cur > 0) goTo(S.cur - 1, true); });
    if (ui.next) ui.next.addEventListener("click", function () { if (S.cur < pages.length - 1) goTo(S.cur + 1, true); });
    var pager = $("#cp-pager"); if (pager) pager.hidden = false;
    var prog = $("#cp-progress"); if (prog) prog.hidden = false;
    if (ui.bar) ui.bar.max = pages.length;
    var box = $(".cp-toc-box");
    if (box && window.matchMedia && !window.matchMedia("(min-width: 60em)").matches) box.open = false;
    // links inside a page (footnotes) go to their target on the same page, even when another
    // session of a single-SCO track has an element with the same id
    var main = $("#cp-main");
    if (main) main.addEventListener("click", function (e) {
      var a = e.target && e.target.closest ? e.target.closest("a[href^='#']") : null;
      if (!a || !pages[S.cur]) return;
      var id = decodeURIComponent(a.getAttribute("href").slice(1));
      if (!id) return;
      var target = null;
      $all("[id]", pages[S.cur].node).forEach(function (n) { if (!target && n.id === id) target = n; });
      if (!target) return;
      e.preventDefault();
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
      if (target.scrollIntoView) target.scrollIntoView({ block: "center" });
    });
  }
  function fixLinks() {
    // a link that would replace the SCO would end the LMS session: every other page opens in a new tab
    $all("main a[href]").forEach(function (a) {
      var href = a.getAttribute("href") || "";
      if (href.charAt(0) === "#" || /^(mailto|tel):/i.test(href)) return;
      if (!a.target) { a.target = "_blank"; a.rel = "noopener"; }
      if (a.target === "_blank" && !$(".cp-vh", a)) a.appendChild(el("span", { className: "cp-vh", text: " " + msg("new_tab") }));
    });
  }
  function closeTocOnSmallScreens() {
    var box = $(".cp-toc-box");
    if (box && window.matchMedia && !window.matchMedia("(min-width: 60em)").matches) box.open = false;
  }
  function globalIndex(s, p) {
    for (var g = 0; g < pages.length; g++) if (pages[g].s === s && pages[g].p === p) return g;
    return -1;
  }
  function showPage(g) {
    pages.forEach(function (pg, i) { pg.node.hidden = i !== g; });
    var current = pages[g];
    $all(".cp-session").forEach(function (sNode) { sNode.hidden = !current || sNode !== current.session; });
    Object.keys(ui.toc).forEach(function (k) {
      var a = ui.toc[k], i = Number(k);
      if (i === g) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
      a.classList.toggle("cp-seen", !!S.seen[i]);
      var mark = $(".cp-toc-state", a);
      if (mark) mark.textContent = i === g ? " " + msg("toc_current") : S.seen[i] ? " " + msg("toc_seen") : "";
    });
    if (ui.back) ui.back.disabled = g <= 0;
    if (ui.next) ui.next.disabled = g >= pages.length - 1;
    if (ui.position) ui.position.textContent = msg("page_of", { n: g + 1, total: pages.length });
    var docTitle = current ? current.title : "";
    if (current && D.sessions.length > 1) docTitle = docTitle === D.sessions[current.s].title ? docTitle : docTitle + " – " + D.sessions[current.s].title;
    if (docTitle) document.title = docTitle + " – " + ($(".cp-track") ? $(".cp-track").textContent : "");
    markQuizShown(g);
  }
  function markQuizShown(g) {
    var pg = pages[g];
    if (!pg) return;
    $all(".cp-quiz-box", pg.node).forEach(function (box) {
      var key = box.getAttribute("data-quiz");
      if (!quizShownAt[key]) quizShownAt[key] = now();
    });
  }
  function pageHeading(g) {
    var pg = pages[g];
    var h = $(".cp-content h1, .cp-content h2, .cp-content h3", pg.node);
    if (!h || pg.p === 0) h = $(".cp-session-title", pg.session) || h;
    return h;
  }
  function goTo(g, focus) {
    if (g < 0 || g >= pages.length) return;
    flushDrafts();
    S.cur = g;
    S.seen[g] = true;
    S.touched = true;
    showPage(g);
    if (focus) {
      var h = pageHeading(g);
      if (h) {
        h.setAttribute("tabindex", "-1");
        try { h.focus({ preventScroll: true }); } catch (e) { h.focus(); }
      }
      window.scrollTo(0, 0);
      var main = $("#cp-main"); if (main) main.scrollTop = 0;
    }
    save();
  }
  function updateStatus(ev) {
    STATUS.complete = ev.complete; STATUS.score = ev.score; STATUS.success = ev.passed;
    if (ui.bar) { ui.bar.value = ev.seen; }
    if (ui.barText) ui.barText.textContent = msg("pages_seen_of", { seen: ev.seen, total: pages.length });
    var text;
    if (ev.complete) {
      text = ev.score === null ? msg("status_completed")
        : msg(ev.passed ? "status_passed" : "status_failed", { score: ev.score, mastery: ev.mastery });
    } else {
      var items = [];
      if (ev.pagesLeft) items.push(plural("todo_pages", ev.pagesLeft));
      if (ev.quizzesLeft) items.push(plural("todo_quizzes", ev.quizzesLeft));
      text = msg("status_todo", { items: items.join(", ") });
    }
    var st = $("#cp-status");
    if (st && text !== lastStatusText) {
      st.textContent = text;
      if (ev.complete && lastStatusText) announce(text);
      lastStatusText = text;
    }
    Object.keys(ui.toc || {}).forEach(function (k) { ui.toc[k].classList.toggle("cp-seen", !!S.seen[Number(k)]); });
  }
  function announce(text) {
    var live = $("#cp-live");
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  // ---- rendering: quizzes ----------------------------------------------------------------------
  var qui = {}; // per question key: {fieldset, feedback, controls...}
  function idFor(key, suffix) { return "cp-q-" + key + (suffix ? "-" + suffix : ""); }

  function buildQuizzes() {
    $all(".cp-quiz[data-quiz]").forEach(function (holder) {
      var quiz = D.quizzes[holder.getAttribute("data-quiz")];
      if (!quiz) return;
      var hid = "cp-quiz-" + quiz.key + "-title";
      var form = el("form", { className: "cp-quiz-form", novalidate: true });
      var box = el("section", { className: "cp-quiz-box", "data-quiz": quiz.key, "aria-labelledby": hid }, [
        el("h3", { id: hid, text: quiz.title || msg("quiz") }),
        quiz.attempts ? el("p", { className: "cp-quiz-info", text: plural("attempts_total", quiz.attempts) }) : null,
        form
      ]);
      quiz.questions.forEach(function (q, i) { form.appendChild(buildQuestion(quiz, q, i)); });
      var submit = el("button", { type: "submit", className: "cp-button cp-primary cp-submit", text: msg("submit") });
      var summary = el("div", { className: "cp-quiz-summary", role: "status", "aria-live": "polite", tabindex: "-1",
                                id: "cp-quiz-" + quiz.key + "-summary" });
      form.appendChild(el("div", { className: "cp-quiz-actions" }, [submit]));
      form.appendChild(summary);
      form.addEventListener("submit", function (e) { e.preventDefault(); submitQuiz(quiz); });
      qui[quiz.key] = { box: box, submit: submit, summary: summary };
      holder.appendChild(box);
    });
  }

  function buildQuestion(quiz, q, i) {
    var legendId = idFor(q.key, "n"), promptId = idFor(q.key, "prompt");
    var fs = el("fieldset", { className: "cp-question cp-type-" + q.type, id: idFor(q.key), "data-key": q.key,
                              "aria-labelledby": legendId + " " + promptId });
    fs.appendChild(el("legend", { id: legendId, text: msg("question_of", { n: i + 1, total: quiz.questions.length }) }));
    fs.appendChild(el("div", { className: "cp-prompt", id: promptId, html: q.prompt }));
    var ctl = { fs: fs, type: q.type, quiz: quiz };
    qui[q.key] = ctl;
    var name = idFor(q.key, "c");
    var onChange = function () { answerChanged(q); };
    if (q.type === "single" || q.type === "multiple" || q.type === "likert" || q.type === "true-false") {
      var choices = q.type === "true-false"
        ? [{ id: "t", html: msg("true") }, { id: "f", html: msg("false") }]
        : q.choices.slice();
      if (quiz.shuffle && (q.type === "single" || q.type === "multiple")) choices = shuffled(choices, D.storageKey + "|" + q.key);
      var list = el("ul", { className: "cp-options" });
      ctl.options = {};
      choices.forEach(function (c) {
        var inputId = idFor(q.key, "c-" + c.id);
        var input = el("input", { type: q.type === "multiple" ? "checkbox" : "radio", name: name, id: inputId, value: c.id });
        input.addEventListener("change", onChange);
        var mark = el("span", { className: "cp-mark", "aria-hidden": "true" });
        var label = el("label", { for: inputId }, [input, el("span", { className: "cp-choice-text", html: c.html }), mark]);
        var fb = el("div", { className: "cp-choice-feedback", id: inputId + "-fb" });
        var li = el("li", { className: "cp-option" }, [label, fb]);
        list.appendChild(li);
        ctl.options[c.id] = { input: input, li: li, fb: fb, mark: mark, data: c };
      });
      fs.appendChild(list);
      if (q.type === "likert") fs.appendChild(el("p", { className: "cp-quiz-info", text: msg("likert_note") }));
    } else if (q.type === "fill-in" || q.type === "numeric") {
      var inId = idFor(q.key, "input");
      var errId = idFor(q.key, "error");
      ctl.input = el("input", { type: "text", id: inId, name: inId, autocomplete: "off", spellcheck: "false",
                                maxlength: q.type === "numeric" ? 40 : 200, inputmode: q.type === "numeric" ? "decimal" : null,
                                "aria-describedby": promptId + " " + errId });
      ctl.input.addEventListener("input", onChange);
      ctl.error = el("p", { className: "cp-error", id: errId, hidden: true });
      fs.appendChild(el("div", { className: "cp-field" }, [
        el("label", { for: inId, text: msg(q.type === "numeric" ? "your_number" : "your_answer") }), ctl.input]));
      fs.appendChild(ctl.error);
    } else if (q.type === "matching") {
      var targets = shuffled(q.targets, D.storageKey + "|" + q.key + "|targets");
      var ul = el("ul", { className: "cp-match" });
      ctl.selects = [];
      q.pairs.forEach(function (p) {
        var leftId = idFor(q.key, "l-" + p.id), selId = idFor(q.key, "m-" + p.id);
        var sel = el("select", { id: selId, name: selId, "aria-labelledby": leftId });
        sel.appendChild(el("option", { value: "", text: msg("choose") }));
        targets.forEach(function (t) { sel.appendChild(el("option", { value: t.id, text: htmlText(t.html) })); });
        sel.addEventListener("change", onChange);
        ul.appendChild(el("li", null, [el("span", { className: "cp-left", id: leftId, html: p.html }), sel]));
        ctl.selects.push(sel);
      });
      fs.appendChild(el("p", { className: "cp-quiz-info", text: msg("matching_help") }));
      fs.appendChild(ul);
    } else if (q.type === "ordering") {
      var helpId = idFor(q.key, "help");
      fs.appendChild(el("p", { className: "cp-quiz-info", id: helpId, text: msg("ordering_help") }));
      var order = shuffled(q.items, D.storageKey + "|" + q.key + "|order");
      if (order.map(function (x) { return x.id; }).join("") === q.items.map(function (x) { return x.id; }).join("")) {
        order.push(order.shift()); // never start in the right order
      }
      var ol = el("ol", { className: "cp-order", "aria-describedby": helpId });
      ctl.list = ol;
      ctl.rows = {};
      order.forEach(function (it) {
        var text = htmlText(it.html);
        var up = el("button", { type: "button", className: "cp-button cp-small cp-up", "aria-label": msg("move_up", { item: text }) }, ["\u2191"]);
        var down = el("button", { type: "button", className: "cp-button cp-small cp-down", "aria-label": msg("move_down", { item: text }) }, ["\u2193"]);
        var li = el("li", { "data-id": it.id }, [el("div", { className: "cp-order-row" }, [
          el("span", { className: "cp-order-text", html: it.html }),
          el("span", { className: "cp-order-buttons" }, [up, down])])]);
        up.addEventListener("click", function () { moveItem(q, li, -1, up); });
        down.addEventListener("click", function () { moveItem(q, li, 1, down); });
        ol.appendChild(li);
        ctl.rows[it.id] = { li: li, up: up, down: down, text: text };
      });
      fs.appendChild(ol);
      refreshOrderButtons(ctl);
    }
    ctl.feedback = el("div", { className: "cp-feedback", id: idFor(q.key, "fb") });
    fs.appendChild(ctl.feedback);
    return fs;
  }
  function refreshOrderButtons(ctl) {
    var items = $all("li", ctl.list);
    items.forEach(function (li, i) {
      var row = ctl.rows[li.getAttribute("data-id")];
      if (ctl.locked) return;
      row.up.setAttribute("aria-disabled", i === 0 ? "true" : "false");
      row.down.setAttribute("aria-disabled", i === items.length - 1 ? "true" : "false");
    });
  }
  function moveItem(q, li, delta, button) {
    var ctl = qui[q.key];
    if (ctl.locked) return;
    var items = $all("li", ctl.list), i = items.indexOf(li), j = i + delta;
    if (j < 0 || j >= items.length) return;
    if (delta < 0) ctl.list.insertBefore(li, items[j]); else ctl.list.insertBefore(items[j], li);
    refreshOrderButtons(ctl);
    button.focus();
    announce(msg("moved_to", { item: ctl.rows[li.getAttribute("data-id")].text, n: j + 1, total: items.length }));
    answerChanged(q);
  }
  function readResponse(q) {
    var ctl = qui[q.key];
    switch (q.type) {
      case "single": case "likert": case "true-false":
        var picked = Object.keys(ctl.options).filter(function (id) { return ctl.options[id].input.checked; });
        return picked[0] || "";
      case "multiple":
        return Object.keys(ctl.options).filter(function (id) { return ctl.options[id].input.checked; }).sort().join("");
      case "fill-in": case "numeric": return ctl.input.value;
      case "matching": return ctl.selects.map(function (s) { return s.value || "-"; }).join("");
      case "ordering": return $all("li", ctl.list).map(function (li) { return li.getAttribute("data-id"); }).join("");
      default: return "";
    }
  }
  function applyResponse(q, resp) {
    var ctl = qui[q.key];
    if (!ctl) return;
    switch (q.type) {
      case "single": case "likert": case "true-false": case "multiple":
        Object.keys(ctl.options).forEach(function (id) { ctl.options[id].input.checked = resp.indexOf(id) >= 0 && id.length === 1; });
        break;
      case "fill-in": case "numeric": ctl.input.value = resp; break;
      case "matching":
        ctl.selects.forEach(function (s, i) { var v = resp.charAt(i); s.value = v && v !== "-" ? v : ""; });
        break;
      case "ordering":
        if (resp.length === q.items.length) {
          resp.split("").forEach(function (id) { if (ctl.rows[id]) ctl.list.appendChild(ctl.rows[id].li); });
          refreshOrderButtons(ctl);
        }
        break;
    }
  }
  function answerChanged(q) {
    var st = ansOf(q.key);
    st.resp = readResponse(q);
    if (st.ok !== -1) st.changed = true;
    S.touched = true;
    S.dirty = true;
    var ctl = qui[q.key];
    if (ctl.feedback.textContent && !ctl.locked) { clearQuestionFeedback(q); }
    if (ctl.error) { ctl.error.hidden = true; ctl.error.textContent = ""; }
  }
  function clearQuestionFeedback(q) {
    var ctl = qui[q.key];
    ctl.feedback.innerHTML = "";
    ctl.feedback.className = "cp-feedback";
    if (ctl.options) Object.keys(ctl.options).forEach(function (id) {
      var o = ctl.options[id];
      o.fb.innerHTML = ""; o.mark.textContent = ""; o.li.classList.remove("cp-is-correct", "cp-is-wrong");
      o.input.removeAttribute("aria-describedby");
    });
  }
  function lockQuestion(q, locked) {
    var ctl = qui[q.key];
    ctl.locked = locked;
    ctl.fs.classList.toggle("cp-locked", !!locked);
    if (ctl.options) Object.keys(ctl.options).forEach(function (id) { ctl.options[id].input.disabled = locked; });
    if (ctl.input) ctl.input.readOnly = locked;
    if (ctl.selects) ctl.selects.forEach(function (s) { s.disabled = locked; });
    if (ctl.rows) Object.keys(ctl.rows).forEach(function (id) {
      var r = ctl.rows[id];
      r.up.hidden = locked; r.down.hidden = locked;
    });
    if (!locked && ctl.rows) refreshOrderButtons(ctl);
  }
  function correctText(q) {
    switch (q.type) {
      case "single": case "multiple":
        var list = q.choices.filter(function (c) { return c.correct; }).map(function (c) { return htmlText(c.html); });
        return msg(list.length > 1 ? "correct_answers" : "correct_answer", { answer: list.join("; ") });
      case "true-false": return msg("correct_answer", { answer: msg(q.answer ? "true" : "false") });
      case "fill-in": return msg((q.answers || []).length > 1 ? "correct_answers" : "correct_answer", { answer: (q.answers || []).join("; ") });
      case "numeric":
        var a = decimal(Number(q.answer)), tol = Number(q.tolerance || 0);
        return msg("correct_answer", { answer: tol ? a + " \u00b1 " + decimal(tol) : a });
      case "matching":
        return msg("correct_answers", { answer: q.pairs.map(function (p, i) { return htmlText(p.html) + " \u2192 " + htmlText(q.targets[i].html); }).join("; ") });
      case "ordering": return msg("correct_answer", { answer: q.items.map(function (i) { return htmlText(i.html); }).join(" \u2192 ") });
      default: return "";
    }
  }
  function showQuestionFeedback(q, ok, reveal) {
    var ctl = qui[q.key];
    clearQuestionFeedback(q);
    var resp = ansOf(q.key).resp;
    var parts = [];
    if (!q.scored) {
      parts.push(el("p", { className: "cp-verdict", text: msg("recorded") }));
      ctl.feedback.className = "cp-feedback";
    } else {
      parts.push(el("p", { className: "cp-verdict", text: msg(ok ? "correct" : "incorrect") }));
      ctl.feedback.className = "cp-feedback " + (ok ? "cp-good" : "cp-bad");
    }
    var fbHtml = q.feedback ? (ok || !q.scored ? q.feedback.correct : q.feedback.incorrect) : null;
    if (fbHtml) parts.push(el("div", { html: fbHtml }));
    if (reveal && q.scored && !ok) parts.push(el("p", { className: "cp-reveal", text: correctText(q) }));
    parts.forEach(function (p) { ctl.feedback.appendChild(p); });
    if (ctl.options) {
      Object.keys(ctl.options).forEach(function (id) {
        var o = ctl.options[id], chosen = resp.indexOf(id) >= 0, right = !!o.data.correct;
        if (q.type === "true-false") right = (id === "t") === !!q.answer;
        if (chosen && o.data.feedback) { o.fb.innerHTML = o.data.feedback; o.input.setAttribute("aria-describedby", o.fb.id); }
        if (q.scored && chosen) {
          o.li.classList.add(right ? "cp-is-correct" : "cp-is-wrong");
          o.mark.textContent = right ? "\u2713" : "\u2717";
          o.mark.className = "cp-mark " + (right ? "cp-good" : "cp-bad");
        }
        if (q.scored && reveal && !ok && right && !chosen) {
          o.li.classList.add("cp-is-correct");
          o.mark.textContent = "\u2713";
          o.mark.className = "cp-mark cp-good";
        }
      });
    }
  }
  function submitQuiz(quiz) {
    var ui2 = qui[quiz.key];
    if (quizClosed(quiz)) return;
    var open = quiz.questions.filter(function (q) { return !qui[q.key].locked; });
    var missing = open.filter(function (q) { return !isAnswered(q, readResponse(q)); });
    if (missing.length) {
      missing.forEach(function (q) {
        var c = qui[q.key];
        if (q.type === "numeric" && c.error && c.input.value.trim()) { c.error.textContent = msg("not_a_number"); c.error.hidden = false; }
      });
      ui2.summary.innerHTML = "";
      ui2.summary.appendChild(el("p", { text: plural("answer_all", missing.length) }));
      var first = qui[missing[0].key];
      var target = first.input || (first.selects && first.selects.filter(function (s) { return !s.value; })[0]) ||
        (first.options && first.options[Object.keys(first.options)[0]].input) || first.fs;
      if (target && target.focus) target.focus();
      return;
    }
    var startedAtQuiz = quizShownAt[quiz.key] || startedAt;
    var latency = now() - startedAtQuiz;
    S.tries[quiz.key] = (S.tries[quiz.key] || 0) + 1;
    S.touched = true;
    open.forEach(function (q) {
      var resp = readResponse(q), st = ansOf(q.key);
      st.resp = resp;
      st.changed = false;
      var ok = q.scored ? isRight(q, resp) : false;
      st.ok = q.scored ? (ok ? 1 : 0) : 2;
      recordQuestion(q, resp, ok, latency);
    });
    quizShownAt[quiz.key] = now();
    renderQuizState(quiz, true);
    save();
  }
  function renderQuizState(quiz, justSubmitted) {
    var ui2 = qui[quiz.key];
    if (!ui2) return;
    var tries = S.tries[quiz.key] || 0;
    var closed = quizClosed(quiz);
    quiz.questions.forEach(function (q) {
      var st = ansOf(q.key);
      applyResponse(q, st.resp);
      clearQuestionFeedback(q);
      if (tries && st.ok !== -1) {
        if (closed || !st.changed) showQuestionFeedback(q, st.ok === 1, closed);
        lockQuestion(q, closed || st.ok === 1 || st.ok === 2);
      } else {
        lockQuestion(q, closed);
        if (closed && q.scored) showQuestionFeedback(q, false, true);
      }
    });
    ui2.summary.innerHTML = "";
    if (tries) {
      var scored = quiz.questions.filter(function (q) { return q.scored; });
      var right = scored.filter(function (q) { return ansOf(q.key).ok === 1; }).length;
      if (scored.length) ui2.summary.appendChild(el("p", { text: msg("quiz_result", { right: right, total: scored.length }) }));
      if (closed) {
        ui2.summary.appendChild(el("p", { text: msg("quiz_finished") }));
        if (right < scored.length) ui2.summary.appendChild(el("p", { text: msg("answers_revealed") }));
      } else if (quiz.attempts) {
        ui2.summary.appendChild(el("p", { text: plural("attempts_left", quiz.attempts - tries) }));
      } else {
        ui2.summary.appendChild(el("p", { text: msg("attempts_unlimited") }));
      }
    }
    ui2.submit.hidden = closed;
    if (justSubmitted && closed) { try { ui2.summary.focus(); } catch (e) { /* ignore */ } }
  }

  // ---- rendering: reflections ---------------------------------------------------------------------
  var rui = {};
  function buildReflections() {
    $all(".cp-reflection[data-reflection]").forEach(function (holder) {
      var r = D.reflections[holder.getAttribute("data-reflection")];
      if (!r) return;
      var base = "cp-r-" + r.key;
      var ta = el("textarea", { id: base + "-text", name: base + "-text", rows: 8, maxlength: 4000,
                                "aria-describedby": base + "-prompt " + base + "-words" });
      var count = el("p", { className: "cp-words", id: base + "-words" });
      var saveBtn = el("button", { type: "button", className: "cp-button cp-primary", text: msg("save_reflection") });
      var saved = el("p", { className: "cp-saved", role: "status", id: base + "-saved" });
      var box = el("section", { className: "cp-reflection-box", "aria-labelledby": base + "-title", "data-reflection": r.key }, [
        el("h3", { id: base + "-title", text: msg("reflection") }),
        el("div", { className: "cp-reflection-prompt", id: base + "-prompt", html: r.prompt }),
        el("label", { for: ta.id, text: msg("reflection_label") }),
        ta, count,
        el("div", { className: "cp-reflection-actions" }, [saveBtn, saved])
      ]);
      holder.appendChild(box);
      rui[r.key] = { ta: ta, count: count, saved: saved, data: r };
      ta.addEventListener("input", function () {
        var st = reflOf(r.key);
        st.text = ta.value;
        st.trunc = false;
        S.touched = true;
        S.dirty = true;
        updateWordCount(r);
        saved.textContent = "";
      });
      ta.addEventListener("change", function () { saveReflection(r, false); });
      saveBtn.addEventListener("click", function () { saveReflection(r, true); });
    });
  }
  function updateWordCount(r) {
    var u = rui[r.key];
    var n = words(u.ta.value);
    var text = plural("words", n);
    if (r.minWords) text += " " + plural("min_words", r.minWords);
    u.count.textContent = text;
    u.count.classList.toggle("cp-short", !!r.minWords && n < r.minWords);
  }
  function saveReflection(r, explicit) {
    var u = rui[r.key], st = reflOf(r.key);
    st.text = u.ta.value;
    if (st.text !== st.sent) {
      recordReflection(r);
      st.sent = st.text;
      save();
    } else if (!explicit) {
      return;
    }
    u.saved.textContent = msg("reflection_saved");
  }
  function flushDrafts() { // unsaved reflection text goes to the LMS with the next commit
    reflList.forEach(function (r) {
      var st = S.refl[r.key];
      if (st && st.text !== st.sent) { recordReflection(r); st.sent = st.text; }
    });
  }
  function renderReflections() {
    reflList.forEach(function (r) {
      var u = rui[r.key];
      if (!u) return;
      var st = S.refl[r.key];
      u.ta.value = st ? st.text : "";
      updateWordCount(r);
      u.saved.textContent = st && st.text && st.text === st.sent ? msg("reflection_saved") : "";
    });
  }

  function renderAll() {
    quizList.forEach(function (q) { renderQuizState(q, false); });
    renderReflections();
    S.seen[S.cur] = true;
    showPage(S.cur);
    updateStatus(evaluate());
  }

  // ---- start -------------------------------------------------------------------------------------
  function start() {
    var dataNode = document.getElementById("cp-data");
    if (!dataNode) return;
    D = JSON.parse(dataNode.textContent);
    V = D.scorm === "1.2" ? "1.2" : "2004";
    M = D.messages || {};
    LANG = D.lang || document.documentElement.lang || "en";
    try { pluralRules = new Intl.PluralRules(LANG); } catch (e) { pluralRules = null; }
    STATUS.version = V;
    window.coursepack = STATUS;

    Object.keys(D.quizzes || {}).forEach(function (k) {
      var quiz = D.quizzes[k];
      quizList.push(quiz);
      quiz.questions.forEach(function (q) { questions.push(q); });
    });
    Object.keys(D.reflections || {}).forEach(function (k) { reflList.push(D.reflections[k]); });
    buildPages();
    structure = (hash(pages.map(function (p) { return p.s + ":" + p.key; }).join(",") + "|" +
                 questions.map(function (q) { return q.key + ":" + q.type; }).join(",") + "|" +
                 reflList.map(function (r) { return r.key; }).join(",")) >>> 0).toString(36);
    buildQuizzes();
    buildReflections();
    fixLinks();
    local = new Local(D.storageKey || "coursepack");

    var api = findApi(V);
    if (api) {
      connect(api);
      if (mode !== "lms") renderAll();
    } else {
      mode = "pending";
      STATUS.mode = mode;
      loadLocal();
      renderAll();
      var waited = 0;
      var timer = window.setInterval(function () {
        waited += API_POLL_MS;
        var late = findApi(V);
        if (late) { window.clearInterval(timer); connect(late); return; }
        if (waited >= API_WAIT_MS) { window.clearInterval(timer); goLocal(); }
      }, API_POLL_MS);
    }

    // commit as the learner goes; on the way out only what is still unsaved, then Terminate/LMSFinish
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && S.dirty && (mode === "lms" || mode === "local")) { flushDrafts(); save(); }
    });
    window.addEventListener("pagehide", terminate);
    window.addEventListener("unload", terminate);
  }

  function boot() {
    try { start(); } catch (e) {
      console.error(LOG, "the player could not start; every page is shown", e);
      document.documentElement.classList.remove("cp-js");
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
