// ---- when the LMS fails ---------------------------------------------------------------------
// What the LMS has not accepted or committed stays in Lms.todo, is sent again before each
// commit, and waits in localStorage meanwhile: a later launch of the same attempt sends it.
var savingDown = false, outboxUsed = false, learnerId = "";
function tell(text) {
  var n = $("#cp-notice");
  if (n) n.textContent = text;
  announce(text);
}
function saving(works) { // once when saving stops working, once when it works again
  if (works !== savingDown) return;
  savingDown = !works;
  tell(works ? msg("save_resumed") : msg("save_failed"));
}
// after Terminate / LMSFinish the LMS refuses every value (Moodle: 1.2 error 301, 2004 132/133) and
// a new session cannot be opened: a change goes to the outbox instead, sent at the next launch of
// the same attempt. SCORM 2004 after exit "normal": the next launch is a new attempt, so it says so
var later = false; // the learner changed something after finishing
function laterText() { return msg(lms.cache["cmi.exit"] === "normal" ? "after_finish_closed" : "after_finish"); }
function afterFinish() { // said once, at the first change
  if (mode !== "ended" || reviewMode || later) return;
  later = true;
  tell(laterText());
}
function outbox() { return new Local((D && D.storageKey || "coursepack") + ":unsent"); }
function outboxWrite(todo) {
  if (!todo && !outboxUsed) return;
  outboxUsed = !!todo;
  outbox().save(todo ? { who: learnerId, e: Object.keys(todo).map(function (k) { return [k, todo[k]]; }) } : null);
}
function outboxReplay(c) {
  var v12 = c.v === "1.2", rec = outbox().load();
  learnerId = c.get(v12 ? "cmi.core.student_id" : "cmi.learner_id");
  if (!rec || !Array.isArray(rec.e)) return;
  if (rec.who !== learnerId) return; // another learner's, on a shared computer: left alone
  outboxUsed = true;
  if (c.get(v12 ? "cmi.core.entry" : "cmi.entry") !== "ab-initio") { // the same attempt goes on
    rec.e.forEach(function (p) { // (what this session still holds goes out with its next commit)
      if (Array.isArray(p) && typeof p[0] === "string" && !(p[0] in c.todo)) c.set(p[0], String(p[1]));
    });
    // committed; what a working LMS refused now is dropped (it is logged)
    var done = c.yes(c.raw("commit", [""])), took = c.took();
    for (var k in c.todo) if (done && (c.ok[k] || took)) { delete c.todo[k]; delete c.ok[k]; }
    if (!done) c.ok = {};
  } else {
    outboxWrite(null);
  }
}
// back from the back/forward cache after Terminate: a new session if the LMS allows one
window.addEventListener("pageshow", function (e) {
  if (!e.persisted || mode !== "ended" || !lms) return;
  try {
    var old = lms, api = findApi(V), c = api && new Lms(api, V);
    if (c && c.init()) {
      c.review = old.review; // a review stays a review: nothing is sent
      var all = old.review ? {} : Object.assign({}, old.cache);
      delete all["cmi.comments"]; // SCORM 1.2: entries the LMS has appended already
      // ... or has just appended from the outbox, at Initialize
      if ("cmi.comments" in c.cache && !("cmi.comments" in c.todo)) delete old.todo["cmi.comments"];
      c.todo = old.review ? {} : Object.assign(all, old.todo);
      lms = c;
      mode = "lms";
      later = false; // what changed after finishing goes out now
    } else { // the session stays closed: changes wait in the outbox for the next launch
      later = true;
      tell(msg("reconnect_failed"));
    }
    STATUS.mode = mode;
    save();
  } catch (x) { console.warn(LOG, "could not reconnect", x); }
});
