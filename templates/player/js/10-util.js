/*
 * coursepack player: pages, quizzes, reflections and SCORM 1.2 / 2004 tracking.
 *
 * Plain ES2017, no dependencies, no network. Reads the player data from
 * <script type="application/json" id="cp-data"> (see docs/player.md) and records what the
 * learner does in the LMS run-time (see docs/tracking.md), or in localStorage when no LMS
 * is found.
 *
 * The files of this folder are joined in name order inside one "use strict" function and
 * minified into the package's single player/player.js at build time (Renderer.player_files).
 * Part 10: small helpers, messages, SCORM value formats.
 */
document.documentElement.classList.add("cp-js");

var LOG = "[coursepack]";
var SUSPEND_LIMIT = { "1.2": 4000, "2004": 60000, local: 1000000 };
var DATA_MODEL_BUDGET = 48 * 1024; // SCORM 2004: Moodle sends the whole data model in one 64 KiB beacon at unload
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
function oneLine(text) { // scorm-again and strict LMSs reject line breaks in these strings
  return String(text || "").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .replace(/\s*[\r\n\u2028\u2029]+\s*/g, " \u00b6 ").replace(/^\s+|\s+$/g, "");
}
function cut(text, max) { // at most max UTF-16 units, never half of an emoji (a surrogate pair)
  var s = String(text);
  if (s.length <= max) return s;
  var c = s.charCodeAt(max - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}
function wellFormed(text) { // half a surrogate pair makes an LMS's encodeURIComponent throw: never send one
  var s = String(text);
  if (!/[\ud800-\udfff]/.test(s)) return s;
  var out = "";
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { out += s.slice(i, i + 2); i++; }
    else out += c >= 0xd800 && c <= 0xdfff ? "\ufffd" : s.charAt(i);
  }
  return out;
}
function langSafe(text, max) { // a SCORM 2004 localized string must not start with "{"
  var s = oneLine(text);
  if (s.charAt(0) === "{") s = " " + s;
  return cut(s, max);
}
function typedText(text) { // what a reflection may hold: no control characters, plain line breaks
  return String(text || "").replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u241e]/g, "");
}
function longText(text) { // SCORM 2004 long-fill-in on one line, reversible: a line break is "\u00b6"
  var s = String(text).replace(/\u00b6/g, "\u00b6\u2060").replace(/\n/g, "\u00b6");
  return /^[{ ]/.test(s) ? " " + s : s;
}
function fromLongText(s) {
  s = String(s || "");
  if (s.charAt(0) === " ") s = s.slice(1);
  return s.replace(/\u00b6(?!\u2060)/g, "\n").replace(/\u00b6\u2060/g, "\u00b6");
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
