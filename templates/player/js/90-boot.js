function renderAll() {
  quizList.concat(selfList).forEach(function (q) { renderQuizState(q, false); });
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
    if (quiz.record === false) { // a self-check: not recorded, not in suspend_data, not in the score
      selfList.push(quiz);
      quiz.questions.forEach(function (q) { q.self = true; });
      return;
    }
    quizList.push(quiz);
    quiz.questions.forEach(function (q) { questions.push(q); });
  });
  Object.keys(D.reflections || {}).forEach(function (k) { reflList.push(D.reflections[k]); });
  buildPages();
  structure = (hash(pages.map(function (p) { return p.s + ":" + p.key; }).join(",") + "|" +
               questions.map(function (q) { return q.key + ":" + q.type; }).join(",") + "|" +
               reflList.map(function (r) { return r.key; }).join(",")) >>> 0).toString(36);
  reflCap = reflectionCap();
  buildQuizzes();
  buildReflections();
  buildSessionEnds();
  fixLinks();
  keepFocusInView();
  applyShuffle("");
  loadSelf();
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
    if (document.visibilityState === "hidden" && S.dirty && mode !== "pending") { flushDrafts(); save(); }
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
