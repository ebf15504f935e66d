/*
 * The test LMS: scorm-again's Scorm12API / Scorm2004API (a real LMS-side run-time) with
 * every API call logged, launched the way an LMS launches a SCO (in an iframe or a window).
 * Driven from tests/e2e/harness.py through window.LMS.
 */
(function () {
  "use strict";
  var FNS = {
    "1.2": ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError",
            "LMSGetErrorString", "LMSGetDiagnostic"],
    "2004": ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString",
             "GetDiagnostic"]
  };
  var QUIET = { LMSGetLastError: 1, LMSGetErrorString: 1, LMSGetDiagnostic: 1, GetLastError: 1, GetErrorString: 1,
                GetDiagnostic: 1 };

  function pad(n) { n = String(n); while (n.length < 6) n = "0" + n; return n; }

  var LMS = {
    api: null, cfg: null, calls: [], log: [], quietCalls: {}, popup: null, seq: 0, launches: 0,

    /* cfg: {version: "1.2"|"2004", href, init: {flattened cmi}, lateMs, failSet: regex source,
             failCommit: bool, wrapper: origin or null, window: bool, width: css width} */
    start: function (cfg) {
      this.cfg = cfg;
      this.calls = [];
      this.log = [];
      this.quietCalls = {};
      this.launches++;
      this.faults = {};
      delete window.API;
      delete window.API_1484_11;
      var self = this;
      var make = function () { self.api = self.makeApi(cfg); };
      var frame = document.getElementById("sco");
      if (cfg.lateMs) {
        // the API appears a moment after the content has loaded (as in some LMS players)
        frame.addEventListener("load", function once() {
          frame.removeEventListener("load", once);
          window.setTimeout(make, cfg.lateMs);
        });
      } else {
        make();
      }
      if (cfg.width) frame.style.width = cfg.width;
      var url = new URL(cfg.href, location.href).href;
      if (cfg.wrapper) url = cfg.wrapper + "/lms/wrapper.html?src=" + encodeURIComponent(url);
      if (cfg.window) {
        frame.src = "about:blank";
        this.popup = window.open(url, "coursepack_sco");
      } else {
        frame.src = url;
      }
      return true;
    },

    makeApi: function (cfg) {
      var self = this;
      var settings = {
        lmsCommitUrl: false,
        autocommit: false,
        logLevel: 4,
        onLogMessage: function (level, message) { self.log.push({ level: level, message: String(message) }); }
      };
      var api = cfg.version === "1.2" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
      // What the LMS stored before. scorm-again orders comment entries as text (10 before 2), so
      // load each comment index on its own, in numeric order.
      var init = cfg.init || {}, plain = {}, comments = {};
      Object.keys(init).forEach(function (k) {
        var m = /^cmi\.comments_from_(learner|lms)\.(\d+)\./.exec(k);
        if (m) {
          var slot = m[1] + ":" + pad(m[2]);
          (comments[slot] = comments[slot] || {})[k] = init[k];
        } else {
          plain[k] = init[k];
        }
      });
      if (Object.keys(plain).length) api.loadFromFlattenedJSON(plain);
      Object.keys(comments).sort().forEach(function (slot) { api.loadFromFlattenedJSON(comments[slot]); });
      var failSet = cfg.failSet ? new RegExp(cfg.failSet) : null;
      var forced = null;
      FNS[cfg.version].forEach(function (name) {
        var original = api[name].bind(api);
        api[name] = function () {
          var args = Array.prototype.slice.call(arguments);
          var result, error, fx = self.faults || {};
          if (fx.throws || api.cpDead) throw new Error("the LMS is gone (test)");
          var isSet = name === "SetValue" || name === "LMSSetValue";
          var isCommit = name === "Commit" || name === "LMSCommit";
          if (QUIET[name]) {
            self.quietCalls[name] = (self.quietCalls[name] || 0) + 1;
            if (forced && (name === "GetLastError" || name === "LMSGetLastError")) return forced;
            if (forced && (name === "GetErrorString" || name === "LMSGetErrorString")) return "General failure (test)";
            return original.apply(null, args);
          }
          var isFinish = name === "Terminate" || name === "LMSFinish";
          if ((isSet && failSet && failSet.test(String(args[0]))) || (isCommit && cfg.failCommit) ||
              (isSet && fx.set && new RegExp(fx.set).test(String(args[0]))) || (isCommit && fx.commit) ||
              (isFinish && fx.finish)) {
            forced = fx.error || (isCommit ? (cfg.version === "1.2" ? "101" : "391") : (cfg.version === "1.2" ? "101" : "351"));
            result = "answer" in fx ? fx.answer : "false";
            error = forced;
          } else {
            forced = null;
            result = original.apply(null, args);
            if ("answer" in fx && (isSet || isCommit)) result = fx.answer;
            error = String(api[cfg.version === "1.2" ? "LMSGetLastError" : "GetLastError"]());
          }
          self.calls.push({ seq: ++self.seq, t: Date.now(), fn: name, args: args, result: String(result), error: error });
          return result;
        };
      });
      if (cfg.version === "1.2") window.API = api; else window.API_1484_11 = api;
      return api;
    },

    /* faults injected while the SCO runs: {set: regex source of elements whose SetValue returns
       false, commit: true, finish: true, error: the code GetLastError gives, throws: every call
       throws, gone: window.API is removed and every call throws, answer: what SetValue and Commit
       return instead of "true" / "false"}; {} ends them */
    fault: function (f) {
      this.faults = f || {};
      var name = this.cfg.version === "1.2" ? "API" : "API_1484_11";
      if (this.faults.gone) { this.faults.throws = true; delete window[name]; } else window[name] = this.api;
      return true;
    },

    /* the LMS makes a new API object holding what the old one stored (a new session) */
    renew: function () {
      var flat = this.api.getFlattenedCMI(), init = {};
      Object.keys(flat).forEach(function (k) {
        if (!/\._(count|children|version)$|session_time|total_time|entry$|exit$|mode$/.test(k) && flat[k] !== "") init[k] = flat[k];
      });
      init[this.cfg.version === "1.2" ? "cmi.core.entry" : "cmi.entry"] = "resume";
      this.faults = {};
      this.api.cpDead = true;
      this.api = this.makeApi(Object.assign({}, this.cfg, { init: init, failSet: null, failCommit: false }));
      return true;
    },

    /* the LMS unloads the SCO, as when the learner closes it */
    unload: function () {
      if (this.popup) { try { this.popup.close(); } catch (e) { /* ignore */ } this.popup = null; }
      document.getElementById("sco").src = "about:blank";
      return true;
    },

    calledFinish: function () {
      return this.calls.some(function (c) { return c.fn === "Terminate" || c.fn === "LMSFinish"; });
    },

    result: function () {
      var out = { calls: this.calls, log: this.log, quietCalls: this.quietCalls, cmi: null, flat: null };
      if (this.api) {
        try { out.cmi = this.api.renderCMIToJSONObject(); } catch (e) { out.cmiError = String(e); }
        try { out.flat = this.api.getFlattenedCMI(); } catch (e) { out.flatError = String(e); }
      }
      return JSON.parse(JSON.stringify(out));
    }
  };
  window.LMS = LMS;
})();
