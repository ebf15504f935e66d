// ---- rendering: reflections ---------------------------------------------------------------------
var rui = {};
function buildReflections() {
  $all(".cp-reflection[data-reflection]").forEach(function (holder) {
    var r = D.reflections[holder.getAttribute("data-reflection")];
    if (!r) return;
    var base = "cp-r-" + r.key;
    var ta = el("textarea", { id: base + "-text", name: base + "-text", rows: 8, maxlength: 4000,
                              "aria-describedby": base + "-prompt " + base + "-words" });
    var count = el("p", { className: "cp-words", id: base + "-words" });
    var saveBtn = el("button", { type: "button", className: "cp-button cp-primary", text: msg("save_reflection") });
    var saved = el("p", { className: "cp-saved", role: "status", id: base + "-saved" });
    var box = el("section", { className: "cp-reflection-box", "aria-labelledby": base + "-title", "data-reflection": r.key }, [
      el("h3", { id: base + "-title", text: msg("reflection") }),
      el("div", { className: "cp-reflection-prompt", id: base + "-prompt", html: r.prompt }),
      el("label", { for: ta.id, text: msg("reflection_label") }),
      ta, count,
      el("div", { className: "cp-reflection-actions" }, [saveBtn, saved])
    ]);
    holder.appendChild(box);
    rui[r.key] = { ta: ta, count: count, saved: saved, data: r };
    ta.addEventListener("input", function () {
      var st = reflOf(r.key);
      st.text = ta.value;
      st.trunc = false;
      S.touched = true;
      S.dirty = true;
      updateWordCount(r);
      saved.textContent = "";
    });
    ta.addEventListener("change", function () { saveReflection(r, false); });
    saveBtn.addEventListener("click", function () { saveReflection(r, true); });
  });
}
function updateWordCount(r) {
  var u = rui[r.key];
  var n = words(u.ta.value);
  var text = plural("words", n);
  if (r.minWords) text += " " + plural("min_words", r.minWords);
  u.count.textContent = text;
  u.count.classList.toggle("cp-short", !!r.minWords && n < r.minWords);
}
function saveReflection(r, explicit) {
  var u = rui[r.key], st = reflOf(r.key);
  st.text = u.ta.value;
  if (st.text !== st.sent) {
    recordReflection(r);
    st.sent = st.text;
    save();
  } else if (!explicit) {
    return;
  }
  u.saved.textContent = msg("reflection_saved");
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
