/*
 * The preview page: choose what to play, launch it into the simulator (simulator.js), show the
 * data model and the API calls, and relaunch when the server says a new build is ready.
 */
(function () {
  "use strict";
  var Sim = window.CPSim;
  var $ = function (id) { return document.getElementById(id); };
  var P = window.CPPreview = {
    state: null, pkg: null, seq: -1, build: 0, models: {}, launches: 0, reloads: 0, ready: false,
    pick: { track: "", version: "", layout: "", view: "learner", sco: "0:0" }
  };

  function getJSON(url) {
    return fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) return r.text().then(function (t) { throw new Error(t || r.statusText); });
      return r.json();
    });
  }
  function text(id, value) { $(id).textContent = value === undefined || value === null ? "" : String(value); }
  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }

  // ---- what to play (kept in the address, so a reload keeps it) ------------------------------
  function readHash() {
    var h = new URLSearchParams(location.hash.slice(1));
    ["track", "version", "layout", "view", "sco"].forEach(function (k) { if (h.get(k)) P.pick[k] = h.get(k); });
  }
  function writeHash() {
    var h = new URLSearchParams(P.pick);
    history.replaceState(null, "", "#" + h.toString());
  }
  function track() {
    var list = (P.state && P.state.tracks) || [];
    for (var i = 0; i < list.length; i++) if (list[i].id === P.pick.track) return list[i];
    return list[0] || null;
  }
  function fixPick() {
    var t = track();
    if (!t) return;
    P.pick.track = t.id;
    if (t.versions.indexOf(P.pick.version) < 0) P.pick.version = t.versions[0];
    if (P.state.layoutChoices.indexOf(P.pick.layout) < 0) P.pick.layout = t.layouts[P.pick.version];
  }
  function fillPickers() {
    var ts = $("pick-track"), vs = $("pick-version"), ls = $("pick-layout");
    ts.textContent = ""; vs.textContent = ""; ls.textContent = "";
    P.state.tracks.forEach(function (t) { option(ts, t.id, t.title + " (" + t.id + ")"); });
    var t = track();
    if (t) t.versions.forEach(function (v) { option(vs, v, v); });
    P.state.layoutChoices.forEach(function (l) {
      option(ls, l, l + (t && t.layouts[P.pick.version] === l ? " (default)" : ""));
    });
    ts.value = P.pick.track; vs.value = P.pick.version; ls.value = P.pick.layout; $("pick-view").value = P.pick.view;
  }
  function fillScos() {
    var ss = $("pick-sco");
    ss.textContent = "";
    var count = 0;
    P.pkg.packages.forEach(function (pk, i) {
      pk.scos.forEach(function (s, j) {
        count++;
        option(ss, i + ":" + j, (P.pkg.packages.length > 1 ? pk.title + " › " : "") + s.title);
      });
    });
    if (!ss.querySelector('option[value="' + P.pick.sco + '"]')) P.pick.sco = "0:0";
    ss.value = P.pick.sco;
    $("sco-label").hidden = count < 2 || P.pick.view !== "learner";
  }
  function current() {
    var ij = P.pick.sco.split(":"), pk = P.pkg.packages[+ij[0]] || P.pkg.packages[0];
    return { pkg: pk, sco: pk.scos[+ij[1]] || pk.scos[0] };
  }

  // ---- diagnostics -------------------------------------------------------------------------
  function showDiagnostics() {
    var st = P.state, box = $("diagnostics"), status = $("build-status");
    var errors = st.diagnostics.filter(function (d) { return d.severity === "error"; });
    var warnings = st.diagnostics.filter(function (d) { return d.severity !== "error"; });
    status.className = st.ok ? "" : "bad";
    if (!st.ok) {
      status.textContent = errors.length + " error(s): " + (st.build ? "showing build " + st.build + ", the last good one" :
        "nothing built yet");
    } else {
      status.textContent = "build " + st.build + (st.ms !== null ? " · " + Math.round(st.ms) + " ms" : "") +
        (warnings.length ? " · " + warnings.length + " warning(s)" : "");
    }
    var shown = st.ok ? warnings : st.diagnostics;
    box.hidden = !shown.length;
    box.className = "diagnostics" + (st.ok ? " warn" : "");
    text("diagnostics-title", st.ok ? warnings.length + " warning(s)" :
      "The last save has " + errors.length + " error(s); the preview still shows the last good build.");
    text("diagnostics-text", shown.map(function (d) { return d.text; }).join("\n"));
  }

  // ---- loading ------------------------------------------------------------------------------
  function loadState() {
    return getJSON("/__preview/state").then(function (st) {
      P.state = st;
      P.seq = st.seq;
      text("course-title", st.course || "");
      showDiagnostics();
      if (!st.tracks.length) return false;
      fixPick();
      fillPickers();
      return true;
    });
  }
  function loadPackage() {
    var q = "track=" + encodeURIComponent(P.pick.track) + "&version=" + encodeURIComponent(P.pick.version) +
            "&layout=" + encodeURIComponent(P.pick.layout);
    return getJSON("/__preview/package?" + q).then(function (pkg) {
      if (P.timing) P.timing.package = Date.now();
      P.pkg = pkg;
      P.build = pkg.build;
      fillScos();
    });
  }

  // ---- launching ----------------------------------------------------------------------------
  function modelKey(c) { return [P.pick.version, P.pick.layout, c.pkg.id, c.sco.key].join("|"); }
  function initFor(rt) {
    var m = P.pkg.mastery;
    return rt === "1.2" ? {
      "cmi.core.student_id": "preview-learner", "cmi.core.student_name": "Learner, Preview",
      "cmi.student_data.mastery_score": String(m), "cmi.launch_data": ""
    } : {
      "cmi.learner_id": "preview-learner", "cmi.learner_name": "Learner, Preview",
      "cmi.scaled_passing_score": String(m / 100), "cmi.launch_data": "", "cmi.completion_threshold": ""
    };
  }
  /* Unload whatever is in the frame (its player calls LMSFinish/Terminate), then start the next. */
  function blank(then) {
    var frame = $("sco"), done = false;
    var go = function () { if (!done) { done = true; then(); } };
    frame.addEventListener("load", function once() { frame.removeEventListener("load", once); go(); });
    setTimeout(go, 1500);
    frame.src = "about:blank";
  }
  function launch(opts) {
    opts = opts || {};
    writeHash();
    P.ready = false;
    blank(function () {
      var frame = $("sco");
      $("sco-label").hidden = $("pick-sco").options.length < 2 || P.pick.view !== "learner";
      if (P.pick.view === "facilitator") {
        Sim.reset();
        frame.src = "/guide/" + encodeURIComponent(P.pick.track);
        P.launches++;
        P.ready = true;
        render();
        return;
      }
      var c = current(), key = modelKey(c);
      if (opts.fresh || !P.models[key]) {
        P.models[key] = new Sim.Model(P.pkg.runtime, initFor(P.pkg.runtime));
        P.models[key].key = c.sco.key;
      }
      if (P.timing) P.timing.unloaded = Date.now();
      Sim.begin(P.pkg.runtime, P.models[key]);
      frame.src = c.pkg.base + c.sco.href;
      P.launches++;
      P.ready = true;
      render();
    });
  }
  function reloadAll(opts) {
    return loadState().then(function (any) {
      if (!any) { render(); return; }
      return loadPackage().then(function () { launch(opts); });
    }).catch(function (e) { text("build-status", "preview error: " + e.message); });
  }

  // ---- the panel ------------------------------------------------------------------------------
  var pending = false;
  function render() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; renderNow(); });
  }
  function renderNow() {
    var s = Sim.summary();
    var learner = P.pick.view === "learner";
    text("dm-version", learner && s ? "SCORM " + (s.version === "1.2" ? "1.2" : "2004") : "");
    if (!learner || !s) {
      ["dm-sco", "dm-state", "dm-entry", "dm-status", "dm-score", "dm-exit", "dm-location", "dm-suspend", "dm-comments"]
        .forEach(function (id) { text(id, learner ? "" : "—"); });
      text("dm-sco", learner ? "" : "The facilitator's guide does not talk to the LMS");
      $("dm-interactions").tBodies[0].textContent = "";
      text("dm-icount", 0);
      return;
    }
    text("dm-sco", s.sco + " (launch " + s.launches + ")");
    text("dm-state", s.state + (s.uncommitted ? " · changes not committed yet" : ""));
    text("dm-entry", s.entry || "(empty)");
    text("dm-status", s.status + (s.success !== null ? " / " + s.success : ""));
    text("dm-score", s.score);
    text("dm-exit", s.exit);
    text("dm-location", s.location);
    var limit = Sim.SUSPEND_LIMIT_12, pct = Math.min(100, 100 * s.suspendLength / limit);
    text("dm-suspend", s.suspendLength.toLocaleString("en") + " of " + limit.toLocaleString("en") +
      " characters (SCORM 1.2 limit)" + (s.suspendLength > limit ? " — too long for SCORM 1.2" : ""));
    $("dm-suspend").className = s.suspendLength > limit ? "over" : "";
    var bar = $("dm-suspend-bar");
    bar.style.width = pct + "%";
    bar.className = s.suspendLength > limit ? "over" : (pct > 80 ? "high" : "");
    text("dm-comments", s.comments.length ? s.comments.map(function (c) { return c.length + " characters"; }).join(", ") : "");
    var body = $("dm-interactions").tBodies[0];
    body.textContent = "";
    s.interactions.forEach(function (it) {
      var tr = document.createElement("tr");
      [it.index, it.id, it.type, it.response, it.result].forEach(function (v) {
        var td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    text("dm-icount", s.interactions.length);
    var flat = Sim.flat();
    text("dm-all-count", Object.keys(flat).length);
    if ($("dm-all").parentNode.open) {
      text("dm-all", Object.keys(flat).map(function (k) { return k + " = " + flat[k]; }).join("\n"));
    }
  }
  var logRows = 0;
  function logCall(call) {
    var body = $("log").tBodies[0];
    var tr = document.createElement("tr");
    var name = call.fn + "(" + (call.args.length ? JSON.stringify(String(call.args[0])) : "") + ")";
    var value = call.args.length > 1 ? String(call.args[1]) : "";
    if (value.length > 300) value = value.slice(0, 300) + "… (" + value.length + " characters)";
    [call.n, name, value, call.result.length > 300 ? call.result.slice(0, 300) + "…" : call.result,
     call.error === "0" ? "0" : call.error + " " + Sim.errorString(call.error)].forEach(function (v) {
      var td = document.createElement("td");
      td.textContent = v;
      tr.appendChild(td);
    });
    if (call.error !== "0") tr.className = "err";
    else if (/GetValue$/.test(call.fn)) tr.className = "quiet";
    body.appendChild(tr);
    logRows++;
    while (body.rows.length > 1000) body.deleteRow(0);
    text("log-count", logRows);
    var box = body.closest(".scroll");
    box.scrollTop = box.scrollHeight;
  }
  Sim.on(function (what) {
    if (what && typeof what === "object") logCall(what);
    render();
  });
  $("log-errors-only").addEventListener("change", function (e) {
    $("log").classList.toggle("errors-only", e.target.checked);
  });
  var style = document.createElement("style");
  style.textContent = "#log.errors-only tbody tr:not(.err) { display: none; }";
  document.head.appendChild(style);
  $("btn-clear-log").addEventListener("click", function () {
    $("log").tBodies[0].textContent = "";
    logRows = 0;
    text("log-count", 0);
  });
  $("dm-all").parentNode.addEventListener("toggle", render);

  // ---- controls --------------------------------------------------------------------------------
  $("pick-track").addEventListener("change", function (e) {
    P.pick.track = e.target.value; P.pick.version = ""; P.pick.layout = ""; P.pick.sco = "0:0";
    fixPick(); fillPickers(); loadPackage().then(function () { launch(); });
  });
  $("pick-version").addEventListener("change", function (e) {
    P.pick.version = e.target.value; P.pick.layout = track().layouts[P.pick.version]; P.pick.sco = "0:0";
    fillPickers(); loadPackage().then(function () { launch(); });
  });
  $("pick-layout").addEventListener("change", function (e) {
    P.pick.layout = e.target.value; P.pick.sco = "0:0";
    loadPackage().then(function () { launch(); });
  });
  $("pick-view").addEventListener("change", function (e) { P.pick.view = e.target.value; launch(); });
  $("pick-sco").addEventListener("change", function (e) { P.pick.sco = e.target.value; launch(); });
  $("btn-relaunch").addEventListener("click", function () { launch(); });
  $("btn-reset").addEventListener("click", function () {
    var prefix = [P.pick.version, P.pick.layout].join("|") + "|";
    Object.keys(P.models).forEach(function (k) {
      if (k.indexOf(prefix) === 0 && P.pkg.packages.some(function (pk) { return k.indexOf(prefix + pk.id + "|") === 0; })) {
        delete P.models[k];
      }
    });
    launch({ fresh: true });
  });

  // ---- rebuilds: the server answers /__version as soon as a new build (or a failed one) exists ----
  function poll() {
    getJSON("/__version?since=" + P.seq).then(function (v) {
      if (v.seq !== P.seq) {
        var rebuilt = v.build !== P.build;
        if (rebuilt) {
          P.timing = { announced: Date.now() };
          return reloadAll().then(function () { P.reloads++; poll(); });
        }
        return loadState().then(poll);
      }
      poll();
    }).catch(function () {
      text("build-status", "the preview server stopped");
      $("build-status").className = "bad";
      setTimeout(poll, 2000);
    });
  }

  readHash();
  reloadAll().then(poll);
})();
