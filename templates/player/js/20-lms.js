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
