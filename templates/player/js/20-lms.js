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
  this.cache = {}; // the last value the LMS accepted, per element
  this.todo = {};  // values not yet committed, in the order first written; ok[element] once accepted
  this.ok = {};
  this.refused = {};
  this.failures = 0;
  this.lost = false; // a call threw: the API may have gone, look for it again before the next commit
}
Lms.prototype.raw = function (fn, args) {
  try { return this.api[this.fn[fn]].apply(this.api, args); } catch (e) {
    if (!this.lost) console.warn(LOG, this.fn[fn] + " threw", e);
    this.lost = true;
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
Lms.prototype.yes = function (r) { // an LMS that answers neither true nor false: its error code decides
  return r === true || String(r) === "true" || r !== null && r !== false && String(r) !== "false" && this.lastError().code === "0";
};
Lms.prototype.init = function () {
  var r = this.raw("init", [""]);
  if (!this.yes(r)) {
    var e = this.lastError();
    // already initialised
    if (!(e.code === "103" || e.code === "101" && this.v === "1.2" && /already/i.test(e.text))) {
      this.fail(this.fn.init + '("")');
      return false;
    }
  }
  this.lost = false;
  outboxReplay(this);
  return true;
};
Lms.prototype.get = function (element) {
  var r = this.raw("get", [element]);
  return r === null || r === undefined ? "" : String(r);
};
Lms.prototype.send = function (element, value) {
  // the API threw: everything waits for the next commit; after Terminate / LMSFinish (closed) the
  // LMS refuses every value: it waits in the outbox for the next launch, never sent to this session
  if (this.lost || this.closed) return false;
  if (this.review) return true; // see set()
  var r = this.raw("set", [element, value]);
  if (this.yes(r)) { this.cache[element] = value; this.ok[element] = true; return true; }
  if (!this.lost) this.fail(this.fn.set + '("' + element + '", ' + JSON.stringify(value.slice(0, 60)) + ")");
  delete this.cache[element];
  return false;
};
Lms.prototype.set = function (element, value) {
  // review mode (a finished attempt opened to look at): Moodle would store what is sent into the
  // finished attempt, over the learner's own state (2004 even hands over an empty one): send nothing
  if (this.review) return true;
  value = wellFormed(value);
  var waiting = element in this.todo;
  if (waiting ? this.todo[element] === value && this.ok[element] : this.cache[element] === value) return true;
  // SCORM 1.2 comments are entries the LMS appends: the ones not committed yet go out together
  if (waiting && !this.ok[element] && element === "cmi.comments") value = cut(this.todo[element] + value, 4096);
  this.todo[element] = value;
  this.ok[element] = false;
  return this.send(element, value);
};
// everything not yet accepted goes out again (after the API came back, or once more after a refusal)
Lms.prototype.resend = function () {
  if (this.lost) {
    this.lost = false;
    var api = findApi(this.v);
    if (api && api !== this.api) { // the LMS made a new API object: a new session, sent what it lacks
      this.api = api;
      this.ok = {};
      if (!this.init()) { this.lost = true; return; }
    }
  }
  var misses = 0, no = [];
  for (var el in this.todo) {
    if (this.ok[el]) continue;
    if (this.send(el, this.todo[el])) misses = 0;
    else if (this.lost || ++misses > 2) break; // the LMS refuses everything: try again at the next change
    else no.push(el);
  }
  // refused while the LMS takes other values: counted, see settle()
  if (this.took()) no.forEach(function (k) { this.refused[k] = (this.refused[k] || 0) + 1; }, this);
};
Lms.prototype.took = function () { for (var k in this.ok) if (this.ok[k]) return true; return false; };
Lms.prototype.settle = function (done) {
  var took = this.took();
  if (done) {
    for (var el in this.todo) {
      // committed; a value the working LMS refused five times is given up (it is logged)
      if (this.ok[el] || this.refused[el] >= 5) { delete this.todo[el]; delete this.ok[el]; delete this.refused[el]; }
    }
  }
  if (!done) this.ok = {};
  var left = Object.keys(this.todo).length;
  saving(done && (!left || took)); // one value refused by a working LMS: lms_error has said so
  outboxWrite(left ? this.todo : null);
  return done && !left; // true only when everything is saved
};
Lms.prototype.commit = function () {
  STATUS.commits++;
  this.resend();
  if (this.review) return this.settle(true); // nothing was sent: nothing to commit (see set())
  var r = this.lost ? false : this.raw("commit", [""]);
  if (!this.yes(r) && !this.lost) this.fail(this.fn.commit + '("")');
  return this.settle(this.yes(r));
};
Lms.prototype.finish = function () {
  this.resend();
  // SCORM 2004 in review mode: Moodle 4.3 stores a total time at Terminate even then, computed from
  // nothing (it handed the review launch none of the attempt), which blanks the finished attempt's
  // time; a review is recorded nowhere, so it is left without Terminate
  var skip = this.review && this.v !== "1.2";
  var r = this.lost ? false : skip ? "true" : this.raw("finish", [""]);
  if (!this.yes(r) && !this.lost) this.fail(this.fn.finish + '("")');
  this.closed = true;
  return this.settle(this.yes(r));
};

// ---- standalone storage -------------------------------------------------------------------
function Local(key) { this.key = key; }
Local.prototype.load = function () {
  try {
    var s = window.localStorage.getItem(this.key), o = s ? JSON.parse(s) : null;
    return o && typeof o === "object" ? o : null;
  } catch (e) { return null; }
};
Local.prototype.save = function (record) {
  try {
    if (record === null) window.localStorage.removeItem(this.key);
    else window.localStorage.setItem(this.key, JSON.stringify(record));
    return true;
  } catch (e) {
    console.warn(LOG, "cannot write localStorage", e);
    return false;
  }
};
