/*
 * coursepack's LMS simulator: a SCORM 1.2 (window.API) and SCORM 2004 (window.API_1484_11)
 * run-time of its own, for `coursepack preview`. It keeps one data model per SCO, checks every
 * call against the data model's rules (read-only, write-only, vocabularies, formats, lengths,
 * array order) and logs each call with its arguments, result and error code.
 *
 * It is a preview tool, not a certified LMS: the packages' own tests run against scorm-again.
 */
(function () {
  "use strict";

  // ---- value checks -------------------------------------------------------------------------
  function str(max) { return function (v) { return v.length <= max ? 0 : "long"; }; }
  function vocab(list) { return function (v) { return list.indexOf(v) >= 0 ? 0 : "type"; }; }
  function real(lo, hi) {
    return function (v) {
      if (!/^-?\d+(\.\d+)?$/.test(v)) return "type";
      var n = Number(v);
      return (lo !== null && n < lo) || (hi !== null && n > hi) ? "range" : 0;
    };
  }
  function re(rx) { return function (v) { return rx.test(v) ? 0 : "type"; }; }
  function either(a, b) { return function (v) { return a(v) === 0 || b(v) === 0 ? 0 : "type"; }; }
  function score12(v) { return v === "" ? 0 : real(0, 100)(v); }

  var TIME12 = re(/^\d{2}:\d{2}:\d{2}(\.\d{1,2})?$/);
  var SPAN12 = re(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
  var SPAN2004 = function (v) {
    return /^P(?=.)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/.test(v) ? 0 : "type";
  };
  var TIME2004 = re(/^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,2})?)?)?)?)?)?(Z|[+-]\d{2}(:\d{2})?)?$/);
  var TYPES12 = ["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"];
  var TYPES2004 = TYPES12.concat(["long-fill-in", "other"]);

  // element pattern (numbers replaced by n) -> [access, check]; access: r, w, rw
  var MODEL = {
    "1.2": {
      "cmi.core._children": ["r"], "cmi.core.student_id": ["r"], "cmi.core.student_name": ["r"],
      "cmi.core.lesson_location": ["rw", str(255)], "cmi.core.credit": ["r"],
      "cmi.core.lesson_status": ["rw", vocab(["passed", "completed", "failed", "incomplete", "browsed"])],
      "cmi.core.entry": ["r"], "cmi.core.score._children": ["r"],
      "cmi.core.score.raw": ["rw", score12], "cmi.core.score.min": ["rw", score12],
      "cmi.core.score.max": ["rw", score12], "cmi.core.total_time": ["r"], "cmi.core.lesson_mode": ["r"],
      "cmi.core.exit": ["w", vocab(["time-out", "suspend", "logout", ""])], "cmi.core.session_time": ["w", SPAN12],
      "cmi.suspend_data": ["rw", str(4096)], "cmi.launch_data": ["r"], "cmi.comments": ["rw", str(4096)],
      "cmi.comments_from_lms": ["r"],
      "cmi.objectives._children": ["r"], "cmi.objectives._count": ["r"], "cmi.objectives.n.id": ["rw", str(255)],
      "cmi.objectives.n.score._children": ["r"], "cmi.objectives.n.score.raw": ["rw", score12],
      "cmi.objectives.n.score.min": ["rw", score12], "cmi.objectives.n.score.max": ["rw", score12],
      "cmi.objectives.n.status": ["rw", vocab(["passed", "completed", "failed", "incomplete", "browsed", "not attempted"])],
      "cmi.student_data._children": ["r"], "cmi.student_data.mastery_score": ["r"],
      "cmi.student_data.max_time_allowed": ["r"], "cmi.student_data.time_limit_action": ["r"],
      "cmi.student_preference._children": ["r"], "cmi.student_preference.audio": ["rw", real(-1, 100)],
      "cmi.student_preference.language": ["rw", str(255)], "cmi.student_preference.speed": ["rw", real(-100, 100)],
      "cmi.student_preference.text": ["rw", real(-1, 1)],
      "cmi.interactions._children": ["r"], "cmi.interactions._count": ["r"],
      "cmi.interactions.n.id": ["w", re(/^\S{1,255}$/)], "cmi.interactions.n.objectives._count": ["r"],
      "cmi.interactions.n.objectives.n.id": ["w", str(255)], "cmi.interactions.n.time": ["w", TIME12],
      "cmi.interactions.n.type": ["w", vocab(TYPES12)], "cmi.interactions.n.correct_responses._count": ["r"],
      "cmi.interactions.n.correct_responses.n.pattern": ["w", str(255)],
      "cmi.interactions.n.weighting": ["w", real(null, null)], "cmi.interactions.n.student_response": ["w", str(255)],
      "cmi.interactions.n.result": ["w", either(vocab(["correct", "wrong", "unanticipated", "neutral"]), real(null, null))],
      "cmi.interactions.n.latency": ["w", SPAN12]
    },
    "2004": {
      "cmi._version": ["r"], "cmi.learner_id": ["r"], "cmi.learner_name": ["r"], "cmi.credit": ["r"],
      "cmi.entry": ["r"], "cmi.mode": ["r"], "cmi.launch_data": ["r"], "cmi.total_time": ["r"],
      "cmi.scaled_passing_score": ["r"], "cmi.completion_threshold": ["r"], "cmi.max_time_allowed": ["r"],
      "cmi.time_limit_action": ["r"],
      "cmi.completion_status": ["rw", vocab(["completed", "incomplete", "not attempted", "unknown"])],
      "cmi.success_status": ["rw", vocab(["passed", "failed", "unknown"])],
      "cmi.score._children": ["r"], "cmi.score.scaled": ["rw", real(-1, 1)], "cmi.score.raw": ["rw", real(null, null)],
      "cmi.score.min": ["rw", real(null, null)], "cmi.score.max": ["rw", real(null, null)],
      "cmi.progress_measure": ["rw", real(0, 1)], "cmi.location": ["rw", str(1000)],
      "cmi.suspend_data": ["rw", str(64000)],
      "cmi.exit": ["w", vocab(["time-out", "suspend", "logout", "normal", ""])], "cmi.session_time": ["w", SPAN2004],
      "cmi.learner_preference._children": ["r"], "cmi.learner_preference.audio_level": ["rw", real(0, null)],
      "cmi.learner_preference.language": ["rw", str(250)], "cmi.learner_preference.delivery_speed": ["rw", real(0, null)],
      "cmi.learner_preference.audio_captioning": ["rw", vocab(["-1", "0", "1"])],
      "cmi.comments_from_learner._children": ["r"], "cmi.comments_from_learner._count": ["r"],
      "cmi.comments_from_learner.n.comment": ["rw", str(4000)],
      "cmi.comments_from_learner.n.location": ["rw", str(250)],
      "cmi.comments_from_learner.n.timestamp": ["rw", TIME2004],
      "cmi.comments_from_lms._children": ["r"], "cmi.comments_from_lms._count": ["r"],
      "cmi.objectives._children": ["r"], "cmi.objectives._count": ["r"], "cmi.objectives.n.id": ["rw", str(4000)],
      "cmi.objectives.n.success_status": ["rw", vocab(["passed", "failed", "unknown"])],
      "cmi.objectives.n.completion_status": ["rw", vocab(["completed", "incomplete", "not attempted", "unknown"])],
      "cmi.objectives.n.score.scaled": ["rw", real(-1, 1)], "cmi.objectives.n.score.raw": ["rw", real(null, null)],
      "cmi.objectives.n.score.min": ["rw", real(null, null)], "cmi.objectives.n.score.max": ["rw", real(null, null)],
      "cmi.objectives.n.progress_measure": ["rw", real(0, 1)], "cmi.objectives.n.description": ["rw", str(250)],
      "cmi.interactions._children": ["r"], "cmi.interactions._count": ["r"],
      "cmi.interactions.n.id": ["rw", re(/^\S{1,4000}$/)], "cmi.interactions.n.type": ["rw", vocab(TYPES2004)],
      "cmi.interactions.n.timestamp": ["rw", TIME2004], "cmi.interactions.n.weighting": ["rw", real(null, null)],
      "cmi.interactions.n.learner_response": ["rw", str(4000)],
      "cmi.interactions.n.result": ["rw", either(vocab(["correct", "incorrect", "unanticipated", "neutral"]), real(null, null))],
      "cmi.interactions.n.latency": ["rw", SPAN2004], "cmi.interactions.n.description": ["rw", str(250)],
      "cmi.interactions.n.objectives._count": ["r"], "cmi.interactions.n.objectives.n.id": ["rw", str(4000)],
      "cmi.interactions.n.correct_responses._count": ["r"],
      "cmi.interactions.n.correct_responses.n.pattern": ["rw", str(4000)]
    }
  };
  var CHILDREN = {
    "cmi.core._children": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score._children": "raw,min,max", "cmi.objectives.n.score._children": "raw,min,max",
    "cmi.student_data._children": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference._children": "audio,language,speed,text",
    "cmi.score._children": "scaled,raw,min,max",
    "cmi.learner_preference._children": "audio_level,language,delivery_speed,audio_captioning",
    "cmi.comments_from_learner._children": "comment,location,timestamp",
    "cmi.comments_from_lms._children": "comment,location,timestamp"
  };
  CHILDREN["1.2 cmi.interactions._children"] = "id,objectives,time,type,correct_responses,weighting,student_response,result,latency";
  CHILDREN["1.2 cmi.objectives._children"] = "id,score,status";
  CHILDREN["2004 cmi.interactions._children"] = "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description";
  CHILDREN["2004 cmi.objectives._children"] = "id,score,success_status,completion_status,progress_measure,description";

  var ERRORS = {
    "1.2": { "0": "No error", "101": "General exception", "201": "Invalid argument error",
             "202": "Element cannot have children", "203": "Element not an array - cannot have count",
             "301": "Not initialized", "401": "Not implemented error", "402": "Invalid set value, element is a keyword",
             "403": "Element is read only", "404": "Element is write only", "405": "Incorrect data type" },
    "2004": { "0": "No error", "101": "General exception", "102": "General initialization failure",
              "103": "Already initialized", "104": "Content instance terminated", "111": "General termination failure",
              "112": "Termination before initialization", "113": "Termination after termination",
              "122": "Retrieve data before initialization", "123": "Retrieve data after termination",
              "132": "Store data before initialization", "133": "Store data after termination",
              "142": "Commit before initialization", "143": "Commit after termination",
              "201": "General argument error", "301": "General get failure", "351": "General set failure",
              "391": "General commit failure", "401": "Undefined data model element",
              "402": "Unimplemented data model element", "403": "Data model element value not initialized",
              "404": "Data model element is read only", "405": "Data model element is write only",
              "406": "Data model element type mismatch", "407": "Data model element value out of range",
              "408": "Data model dependency not established" }
  };

  function pattern(el) { return el.replace(/\.\d+(?=\.|$)/g, ".n"); }

  // ---- one SCO's data model --------------------------------------------------------------------
  function Model(version, init) {
    this.version = version;
    this.values = {};      // element -> string, what the SCO set or the LMS gave
    this.stored = null;    // what the last commit (or finish) kept: the LMS's copy
    this.launches = 0;
    this.init = init || {};
  }

  /* The simulator: the API objects, the log, the models. */
  var Sim = {
    version: "1.2", model: null, state: "idle", lastError: "0", lastDiag: "", calls: [], listeners: [],
    launchCount: 0, dirty: false,

    on: function (fn) { this.listeners.push(fn); },
    emit: function (what) { var self = this; this.listeners.forEach(function (fn) { fn(what, self); }); },

    /* Begin a launch: the SCO will find the API of `version`, backed by `model`. */
    begin: function (version, model, entry) {
      this.version = version;
      this.model = model;
      this.state = "not-initialized";
      this.lastError = "0";
      this.dirty = false;
      this.launchCount++;
      model.launches++;
      var v = model.values, is12 = version === "1.2";
      var keep = {};
      if (model.stored) {
        Object.keys(model.stored).forEach(function (k) { keep[k] = model.stored[k]; });
      }
      var exitKey = is12 ? "cmi.core.exit" : "cmi.exit";
      var suspended = keep[exitKey] === "suspend";
      delete keep[exitKey];
      delete keep[is12 ? "cmi.core.session_time" : "cmi.session_time"];
      model.values = keep;
      v = model.values;
      Object.keys(model.init).forEach(function (k) { if (!(k in v)) v[k] = model.init[k]; });
      var e = entry || (model.stored ? (suspended ? "resume" : "") : "ab-initio");
      if (is12) {
        v["cmi.core.entry"] = e;
        if (!v["cmi.core.lesson_status"]) v["cmi.core.lesson_status"] = "not attempted";
        if (!v["cmi.core.lesson_mode"]) v["cmi.core.lesson_mode"] = "normal";
        if (!v["cmi.core.credit"]) v["cmi.core.credit"] = "credit";
        if (!("cmi.core.total_time" in v)) v["cmi.core.total_time"] = "0000:00:00.00";
      } else {
        v["cmi.entry"] = e;
        if (!v["cmi.completion_status"]) v["cmi.completion_status"] = "unknown";
        if (!v["cmi.success_status"]) v["cmi.success_status"] = "unknown";
        if (!v["cmi.mode"]) v["cmi.mode"] = "normal";
        if (!v["cmi.credit"]) v["cmi.credit"] = "credit";
        if (!("cmi.total_time" in v)) v["cmi.total_time"] = "PT0S";
      }
      this.install();
      this.emit("launch");
    },

    install: function () {
      delete window.API;
      delete window.API_1484_11;
      if (this.version === "1.2") window.API = this.api12; else window.API_1484_11 = this.api2004;
    },

    reset: function () { this.state = "idle"; this.emit("reset"); },

    // -- the log
    log: function (fn, args, result) {
      var call = { n: this.calls.length + 1, t: Date.now(), fn: fn, args: args, result: String(result),
                   error: this.lastError, sco: this.model ? this.model.key : null, launch: this.launchCount };
      this.calls.push(call);
      this.emit(call);
      return result;
    },
    fail: function (code, diag) { this.lastError = String(code); this.lastDiag = diag || ""; },
    ok: function () { this.lastError = "0"; this.lastDiag = ""; },

    // -- arrays
    count: function (prefix) {
      var n = 0, v = this.model.values;
      while (v[prefix + "." + n + ".__exists"] === "1") n++;
      return n;
    },

    /* The checks shared by both versions: returns [ok, spec] (spec: the element's rule). */
    lookup: function (el) {
      return MODEL[this.version][pattern(el)] || null;
    },

    getValue: function (el) {
      var is12 = this.version === "1.2";
      if (this.state !== "running") {
        this.fail(is12 ? 301 : (this.state === "terminated" ? 123 : 122));
        return "";
      }
      el = String(el);
      if (!el) { this.fail(is12 ? 201 : 301, "no element"); return ""; }
      var m = /^(.*)\._count$/.exec(el);
      if (m) {
        if (!this.lookup(el)) { this.fail(is12 ? 203 : 401); return ""; }
        this.ok();
        return String(this.count(m[1]));
      }
      if (/\._children$/.test(el)) {
        var kids = CHILDREN[this.version + " " + el] || CHILDREN[pattern(el)];
        if (!kids) { this.fail(is12 ? 202 : 401); return ""; }
        this.ok();
        return kids;
      }
      if (el === "cmi._version") { this.ok(); return "1.0"; }
      var spec = this.lookup(el);
      if (!spec) { this.fail(is12 ? 201 : 401, "not in the data model: " + el); return ""; }
      if (spec[0] === "w") { this.fail(is12 ? 404 : 405); return ""; }
      var idx = this.arrayIndex(el);
      if (idx && idx.index >= this.count(idx.prefix)) { this.fail(is12 ? 201 : 301, "no such index"); return ""; }
      var v = this.model.values[el];
      if (v === undefined) {
        if (is12) { this.ok(); return ""; }
        this.fail(403);
        return "";
      }
      this.ok();
      return v;
    },

    /* The innermost array index of an element: {prefix, index}, or null. */
    arrayIndex: function (el) {
      var m = /^(.*)\.(\d+)\.[a-z_]+(\.[a-z_]+)?$/.exec(el);
      if (!m) return null;
      return { prefix: m[1], index: Number(m[2]) };
    },

    setValue: function (el, value) {
      var is12 = this.version === "1.2";
      if (this.state !== "running") {
        this.fail(is12 ? 301 : (this.state === "terminated" ? 133 : 132));
        return "false";
      }
      el = String(el);
      value = value === undefined || value === null ? "" : String(value);
      if (/\._(count|children|version)$/.test(el)) {
        this.fail(is12 ? 402 : 404);
        return "false";
      }
      var spec = this.lookup(el);
      if (!spec) { this.fail(is12 ? 201 : 401, "not in the data model: " + el); return "false"; }
      if (spec[0] === "r") { this.fail(is12 ? 403 : 404); return "false"; }
      // arrays: an index may be the next one (a new entry) or an existing one, never beyond
      var parts = el.split("."), prefixes = [];
      for (var i = 0; i < parts.length; i++) {
        if (/^\d+$/.test(parts[i])) prefixes.push({ prefix: parts.slice(0, i).join("."), index: Number(parts[i]) });
      }
      for (var j = 0; j < prefixes.length; j++) {
        var c = this.count(prefixes[j].prefix);
        if (prefixes[j].index > c) {
          this.fail(is12 ? 201 : 351, "index " + prefixes[j].index + " skips ahead of _count " + c);
          return "false";
        }
        if (prefixes[j].index === c && j < prefixes.length - 1) {
          this.fail(is12 ? 201 : 351, "the outer entry does not exist yet");
          return "false";
        }
      }
      var bad = spec[1] ? spec[1](value) : 0;
      if (bad) {
        this.fail(is12 ? 405 : (bad === "range" ? 407 : 406), "the value does not fit " + pattern(el));
        return "false";
      }
      if (!is12 && prefixes.length) {
        var last = prefixes[prefixes.length - 1];
        var isNew = last.index === this.count(last.prefix);
        var field = el.slice(last.prefix.length + String(last.index).length + 2);
        var needsId = /^cmi\.(interactions|objectives)$/.test(last.prefix) ||
                      /^cmi\.interactions\.\d+\.objectives$/.test(last.prefix);
        if (isNew && needsId && field !== "id") {
          this.fail(408, "set " + last.prefix + "." + last.index + ".id first");
          return "false";
        }
        var cr = /^cmi\.interactions\.(\d+)\.correct_responses$/.exec(last.prefix);
        if (cr) {
          var ix = cr[1];
          if (this.model.values["cmi.interactions." + ix + ".type"] === undefined) {
            this.fail(408, "set cmi.interactions." + ix + ".type before its correct_responses");
            return "false";
          }
        }
      }
      var v = this.model.values;
      prefixes.forEach(function (p) { v[p.prefix + "." + p.index + ".__exists"] = "1"; });
      // Moodle keeps every SCORM 1.2 comment: a value written to cmi.comments is added to what is there
      v[el] = is12 && el === "cmi.comments" ? (v[el] || "") + value : value;
      this.dirty = true;
      this.ok();
      return "true";
    },

    commit: function () {
      var is12 = this.version === "1.2";
      if (this.state !== "running") { this.fail(is12 ? 301 : (this.state === "terminated" ? 143 : 142)); return "false"; }
      this.store();
      this.ok();
      return "true";
    },
    store: function () {
      var copy = {};
      var v = this.model.values;
      Object.keys(v).forEach(function (k) { copy[k] = v[k]; });
      this.model.stored = copy;
      this.dirty = false;
    },
    initialize: function (arg) {
      var is12 = this.version === "1.2";
      if (arg !== "" && arg !== undefined) { this.fail(is12 ? 201 : 201, "the argument must be \"\""); return "false"; }
      if (this.state === "running") { this.fail(is12 ? 101 : 103); return "false"; }
      if (this.state === "terminated") { this.fail(is12 ? 101 : 104); return "false"; }
      if (this.state !== "not-initialized") { this.fail(is12 ? 101 : 102, "no SCO is being launched"); return "false"; }
      this.state = "running";
      this.ok();
      return "true";
    },
    terminate: function (arg) {
      var is12 = this.version === "1.2";
      if (arg !== "" && arg !== undefined) { this.fail(201, "the argument must be \"\""); return "false"; }
      if (this.state === "not-initialized" || this.state === "idle") { this.fail(is12 ? 301 : 112); return "false"; }
      if (this.state === "terminated") { this.fail(is12 ? 101 : 113); return "false"; }
      this.store();
      this.state = "terminated";
      this.ok();
      this.emit("terminated");
      return "true";
    },

    /* The summary the panel shows (and the tests read). */
    summary: function () {
      var m = this.model;
      if (!m) return null;
      var is12 = this.version === "1.2", v = m.values;
      var out = {
        version: this.version, sco: m.key, state: this.state, launches: m.launches, uncommitted: this.dirty,
        entry: v[is12 ? "cmi.core.entry" : "cmi.entry"] || "",
        status: is12 ? (v["cmi.core.lesson_status"] || "") : (v["cmi.completion_status"] || ""),
        success: is12 ? null : (v["cmi.success_status"] || ""),
        score: v[is12 ? "cmi.core.score.raw" : "cmi.score.raw"] || "",
        exit: v[is12 ? "cmi.core.exit" : "cmi.exit"] || "",
        location: v[is12 ? "cmi.core.lesson_location" : "cmi.location"] || "",
        sessionTime: v[is12 ? "cmi.core.session_time" : "cmi.session_time"] || "",
        suspendData: v["cmi.suspend_data"] || "",
        suspendLength: (v["cmi.suspend_data"] || "").length,
        interactions: [], comments: []
      };
      var n = this.count("cmi.interactions");
      for (var i = 0; i < n; i++) {
        var p = "cmi.interactions." + i + ".";
        out.interactions.push({
          index: i, id: v[p + "id"] || "", type: v[p + "type"] || "",
          response: v[p + (is12 ? "student_response" : "learner_response")] || "",
          result: v[p + "result"] || "", correct: v[p + "correct_responses.0.pattern"] || ""
        });
      }
      if (is12) {
        if (v["cmi.comments"]) out.comments.push(v["cmi.comments"]);
      } else {
        var k = this.count("cmi.comments_from_learner");
        for (var j = 0; j < k; j++) out.comments.push(v["cmi.comments_from_learner." + j + ".comment"] || "");
      }
      return out;
    },

    /* The data model as an LMS report would list it (without the simulator's own markers). */
    flat: function () {
      var v = this.model ? this.model.values : {}, out = {};
      Object.keys(v).sort().forEach(function (k) { if (!/\.__exists$/.test(k)) out[k] = v[k]; });
      return out;
    },
    errorString: function (code) { return ERRORS[this.version][String(code)] || ""; }
  };

  function wrap(fn, impl) {
    return function () {
      var args = Array.prototype.slice.call(arguments);
      var result = impl.apply(Sim, args);
      return Sim.log(fn, args, result);
    };
  }
  var quiet = function (impl) { return function () { return impl.apply(Sim, arguments); }; };

  Sim.api12 = {
    LMSInitialize: wrap("LMSInitialize", Sim.initialize),
    LMSFinish: wrap("LMSFinish", Sim.terminate),
    LMSGetValue: wrap("LMSGetValue", Sim.getValue),
    LMSSetValue: wrap("LMSSetValue", Sim.setValue),
    LMSCommit: wrap("LMSCommit", Sim.commit),
    LMSGetLastError: quiet(function () { return this.lastError; }),
    LMSGetErrorString: quiet(function (c) { return this.errorString(c); }),
    LMSGetDiagnostic: quiet(function () { return this.lastDiag || this.errorString(this.lastError); })
  };
  Sim.api2004 = {
    Initialize: wrap("Initialize", Sim.initialize),
    Terminate: wrap("Terminate", Sim.terminate),
    GetValue: wrap("GetValue", Sim.getValue),
    SetValue: wrap("SetValue", Sim.setValue),
    Commit: wrap("Commit", Sim.commit),
    GetLastError: quiet(function () { return this.lastError; }),
    GetErrorString: quiet(function (c) { return this.errorString(c); }),
    GetDiagnostic: quiet(function () { return this.lastDiag || this.errorString(this.lastError); })
  };
  Sim.Model = Model;
  Sim.SUSPEND_LIMIT_12 = 4096;
  window.CPSim = Sim;
})();
