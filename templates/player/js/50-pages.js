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
  acted = true;
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
// the end of each session: what is finished and what comes next
function buildSessionEnds() {
  $all(".cp-session-end[data-s]").forEach(function (node) {
    var s = parseInt(node.getAttribute("data-s"), 10), hid = "cp-end-" + s;
    var pageNode = node.closest(".cp-page");
    var kids = [el("h2", { id: hid, text: msg("session_finished") })];
    var next = globalIndex(s + 1, 0);
    if (next >= 0) { // single-sco: the next session is in this package
      var go = el("button", { type: "button", className: "cp-button cp-primary",
                              text: msg("next_session", { title: D.sessions[s + 1].title }) });
      go.addEventListener("click", function () { goTo(next, true); });
      kids.push(el("p", null, [go]));
    } else {
      kids.push(el("p", { text: D.nextTitle ? msg("next_session_hint", { title: D.nextTitle }) : msg("last_session_hint") }));
      var fin = el("button", { type: "button", className: "cp-button cp-primary", text: msg("finish_button") });
      fin.addEventListener("click", finishAttempt);
      kids.push(el("p", null, [fin]));
      pages.forEach(function (p, g) { if (p.node === pageNode) ui.endPage = g; });
    }
    node.appendChild(el("section", { className: "cp-end", "aria-labelledby": hid }, kids));
  });
}
// WCAG 2.4.11: the sticky bar never hides the control that has the focus
function keepFocusInView() {
  document.addEventListener("focusin", function (e) {
    var t = e.target, bar = $("#cp-pager");
    if (!bar || bar.hidden || !t || !t.getBoundingClientRect || bar.contains(t) || t === document.body) return;
    var fix = function () {
      var r = t.getBoundingClientRect(), over = r.bottom - bar.getBoundingClientRect().top + 8;
      over = Math.min(over, r.top - 8);
      if (over <= 0) return;
      var box = t.closest(".cp-toc");
      if (box && box.scrollHeight > box.clientHeight + 1) box.scrollTop += over; else window.scrollBy(0, over);
    };
    fix();
    if (window.requestAnimationFrame) window.requestAnimationFrame(fix);
  });
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
