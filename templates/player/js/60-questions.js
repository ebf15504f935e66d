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
      quiz.record === false ? el("p", { className: "cp-self-note", text: msg("self_check_note") }) : null,
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
  var missing = el("span", { className: "cp-missing-note" });
  fs.appendChild(el("legend", { id: legendId }, [msg("question_of", { n: i + 1, total: quiz.questions.length }), missing]));
  fs.appendChild(el("div", { className: "cp-prompt", id: promptId, html: q.prompt }));
  var ctl = { fs: fs, type: q.type, quiz: quiz, missing: missing };
  qui[q.key] = ctl;
  var name = idFor(q.key, "c");
  var onChange = function () { answerChanged(q); };
  if (q.type === "single" || q.type === "multiple" || q.type === "likert" || q.type === "true-false") {
    var choices = q.type === "true-false"
      ? [{ id: "t", html: msg("true") }, { id: "f", html: msg("false") }]
      : q.choices.slice();
    var list = el("ul", { className: "cp-options" });
    ctl.list = list;
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
// choices of single and multiple questions: shuffled per learner and question (the same order at
// every launch); the ids, and so what is recorded, never depend on the order shown
function applyShuffle(learner) {
  quizList.concat(selfList).forEach(function (quiz) {
    if (quiz.shuffle === false) return;
    quiz.questions.forEach(function (q) {
      var ctl = qui[q.key];
      if (!ctl || !ctl.list || (q.type !== "single" && q.type !== "multiple")) return;
      shuffled(q.choices, (learner || D.storageKey) + "|" + q.key).forEach(function (c) {
        if (ctl.options[c.id]) ctl.list.appendChild(ctl.options[c.id].li);
      });
    });
  });
}
// a self-check (record: false) is never sent to the LMS: its answers stay in this browser only
function saveSelf() {
  var o = { t: {}, a: {} };
  selfList.forEach(function (quiz) {
    o.t[quiz.key] = S.tries[quiz.key] || 0;
    quiz.questions.forEach(function (q) { var a = S.ans[q.key]; if (a && a.ok !== -1) o.a[q.key] = [a.ok, a.resp]; });
  });
  try { window.localStorage.setItem(D.storageKey + "|self", JSON.stringify(o)); } catch (e) { /* private mode: kept for this visit */ }
}
function loadSelf() {
  if (!selfList.length) return;
  var o = null;
  try { o = JSON.parse(window.localStorage.getItem(D.storageKey + "|self") || "null"); } catch (e) { o = null; }
  if (!o) return;
  selfList.forEach(function (quiz) {
    if (typeof o.t[quiz.key] === "number") S.tries[quiz.key] = o.t[quiz.key];
    quiz.questions.forEach(function (q) {
      var a = o.a[q.key];
      if (a) { var st = ansOf(q.key); st.ok = a[0]; st.resp = String(a[1] || ""); }
    });
  });
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
  if (!q.self) afterFinish();
  var ctl = qui[q.key];
  if (ctl.feedback.textContent && !ctl.locked) { clearQuestionFeedback(q); }
  if (ctl.error) { ctl.error.hidden = true; ctl.error.textContent = ""; }
  if (isAnswered(q, st.resp)) markMissing(q, false);
}
function markMissing(q, on) {
  var ctl = qui[q.key];
  ctl.fs.classList.toggle("cp-missing", on);
  ctl.missing.textContent = on ? " \u2014 " + msg("not_answered") : "";
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
    parts.push(el("p", { className: "cp-verdict", text: msg(q.self ? "self_kept" : "recorded") }));
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
    open.forEach(function (q) { markMissing(q, missing.indexOf(q) >= 0); });
    missing.forEach(function (q) {
      var c = qui[q.key];
      if (q.type === "numeric" && c.error && c.input.value.trim()) { c.error.textContent = msg("not_a_number"); c.error.hidden = false; }
    });
    ui2.summary.innerHTML = "";
    ui2.summary.appendChild(el("p", { className: "cp-missing-summary", text: plural("answer_all", missing.length) + " " +
      msg("unanswered_list", { list: missing.map(function (q) { return quiz.questions.indexOf(q) + 1; }).join(", ") }) }));
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
  acted = true;
  open.forEach(function (q) { markMissing(q, false); });
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
  if (quiz.record === false) saveSelf();
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
