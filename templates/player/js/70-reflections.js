// ---- rendering: reflections ---------------------------------------------------------------------
var rui = {};
function buildReflections() {
  $all(".cp-reflection[data-reflection]").forEach(function (holder) {
    var r = D.reflections[holder.getAttribute("data-reflection")];
    if (!r) return;
    var base = "cp-r-" + r.key;
    var ta = el("textarea", { id: base + "-text", name: base + "-text", rows: 8, maxlength: reflCap,
                              "aria-describedby": base + "-prompt " + base + "-words " + base + "-chars" });
    var count = el("p", { className: "cp-words", id: base + "-words" });
    var chars = el("p", { className: "cp-chars", id: base + "-chars" });
    var saveBtn = el("button", { type: "button", className: "cp-button cp-primary", text: msg("save_reflection") });
    var saved = el("p", { className: "cp-saved", role: "status", id: base + "-saved" });
    var actions = el("div", { className: "cp-reflection-actions" }, [saveBtn]);
    var u = { ta: ta, count: count, chars: chars, saved: saved, data: r };
    var parts = [
      el("h3", { id: base + "-title", text: msg("reflection") }),
      el("div", { className: "cp-reflection-prompt", id: base + "-prompt", html: r.prompt }),
      el("label", { for: ta.id, text: msg("reflection_label") }),
      ta, count, chars, actions
    ];
    if (r.modelAnswer) {
      // the model answer: only once the learner has written their own
      u.hint = el("p", { className: "cp-model-hint", id: base + "-mhint" });
      u.show = el("button", { type: "button", className: "cp-button", "aria-describedby": u.hint.id,
                              text: msg("model_answer_show") });
      u.model = el("section", { className: "cp-model", id: base + "-model", tabindex: "-1", hidden: true,
                                "aria-labelledby": base + "-mtitle" }, [
        el("h4", { id: base + "-mtitle", text: msg("model_answer_title") }),
        el("div", { className: "cp-model-body", html: r.modelAnswer })]);
      actions.appendChild(u.show);
      parts.push(u.hint, u.model);
      u.show.addEventListener("click", function () { showModel(r); });
    }
    actions.appendChild(saved);
    holder.appendChild(el("section", { className: "cp-reflection-box", "aria-labelledby": base + "-title",
                                       "data-reflection": r.key }, parts));
    rui[r.key] = u;
    ta.addEventListener("input", function () {
      var clean = typedText(ta.value);
      if (clean.length > reflCap) clean = cut(clean, reflCap);
      if (clean !== ta.value) ta.value = clean; // pasted past the limit: the box keeps what it can hold
      var st = reflOf(r.key);
      st.text = ta.value;
      st.trunc = false;
      st.cleared = false;
      S.touched = true;
      S.dirty = true;
      afterFinish();
      updateWordCount(r);
      saved.textContent = "";
    });
    ta.addEventListener("change", function () { saveReflection(r, false); });
    saveBtn.addEventListener("click", function () { saveReflection(r, true); });
  });
}
function updateWordCount(r) {
  var u = rui[r.key];
  var n = words(u.ta.value), need = r.minWords || 1;
  var text = plural("words", n);
  if (r.minWords && n < r.minWords) text += ". " + plural("min_words", r.minWords);
  u.count.textContent = text;
  u.count.classList.toggle("cp-short", !!r.minWords && n < r.minWords);
  u.chars.textContent = msg("chars_of", { n: u.ta.value.length, max: reflCap });
  u.chars.classList.toggle("cp-full", u.ta.value.length >= reflCap);
  if (u.show) {
    var st = S.refl[r.key], shown = !!(st && st.model);
    u.show.disabled = n < need || shown;
    u.show.hidden = shown;
    u.hint.textContent = n < need && !shown ? plural("model_answer_hint", need) : "";
    u.model.hidden = !shown;
  }
}
function showModel(r) {
  var u = rui[r.key], st = reflOf(r.key);
  if (words(u.ta.value) < (r.minWords || 1)) return;
  st.model = true;
  updateWordCount(r);
  try { u.model.focus(); } catch (e) { /* ignore */ }
  flushDrafts();
  save();
}
function saveReflection(r, explicit) {
  var u = rui[r.key], st = reflOf(r.key);
  st.text = u.ta.value;
  if (st.text !== st.sent) {
    recordReflection(r);
    st.sent = st.text;
    st.kept = mode === "ended" && !reviewMode; // after finishing: in the outbox, not in the LMS
    acted = true;
    save();
  } else if (!explicit) {
    return;
  }
  u.saved.textContent = msg(reviewMode ? "review_not_saved" : st.kept ? "reflection_kept" : "reflection_saved");
}
function flushDrafts() { // unsaved reflection text goes to the LMS with the next commit
  reflList.forEach(function (r) {
    var st = S.refl[r.key];
    if (st && st.text !== st.sent) { recordReflection(r); st.sent = st.text; }
  });
}
function renderReflections() {
  reflList.forEach(function (r) {
    var u = rui[r.key];
    if (!u) return;
    var st = S.refl[r.key];
    u.ta.value = st ? st.text : "";
    updateWordCount(r);
    u.saved.textContent = st && st.text && st.text === st.sent ? msg("reflection_saved") : "";
  });
}
