"""A learner who uses only the keyboard (Tab, Shift+Tab, Enter, Space, arrows, typing) completes
the whole fixture course: every question type, the reflection, every page."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from .checks import by_key, check_clean_run, check_finished, check_question_interaction
from .harness import LmsSession, right_answer


class Keyboard:
    def __init__(self, run: LmsSession):
        self.run = run
        self.d = run.d

    def press(self, *keys):
        ActionChains(self.d).send_keys(*keys).perform()

    def active(self) -> dict:
        return self.run.js("""var a = document.activeElement;
            return {tag: a.tagName, id: a.id, type: a.type || '', value: a.value === undefined ? null : a.value,
                    checked: !!a.checked, cls: String(a.className)};""")

    def matches(self, selector: str) -> bool:
        return self.run.js("return !!document.activeElement && document.activeElement.matches(arguments[0])", selector)

    def tab_to(self, selector: str, limit: int = 250):
        for _ in range(limit):
            if self.matches(selector):
                return
            self.press(Keys.TAB)
        raise AssertionError(f"Tab never reached {selector}; focus is on {self.active()}")

    def radio(self, name: str, value: str):
        self.tab_to(f'input[name="{name}"]')
        for _ in range(40):
            a = self.active()
            if a["value"] == value:
                if not a["checked"]:
                    self.press(Keys.SPACE)
                assert self.active()["checked"]
                return
            self.press(Keys.ARROW_DOWN)
        raise AssertionError(f"arrow keys never reached {value} in {name}")

    def checkboxes(self, name: str, values: str):
        count = self.run.js("return document.getElementsByName(arguments[0]).length", name)
        for i in range(count):
            box_id = self.run.js("return document.getElementsByName(arguments[0])[arguments[1]].id", name, i)
            self.tab_to(f"#{box_id}")
            a = self.active()
            if a["checked"] != (a["value"] in values):
                self.press(Keys.SPACE)

    def text(self, selector: str, value: str):
        self.tab_to(selector)
        self.press(value)

    def select(self, selector: str, value: str):
        self.tab_to(selector)
        for _ in range(40):
            if self.active()["value"] == value:
                return
            self.press(Keys.ARROW_DOWN)
        raise AssertionError(f"arrow keys never chose {value} in {selector}")

    def order(self, qkey: str, wanted: str):
        for target, item in enumerate(wanted):
            ids = self.run.js("return Array.prototype.map.call(document.querySelectorAll('#cp-q-' + arguments[0] + ' ol.cp-order li'), function (li) { return li.dataset.id; })", qkey)
            at = ids.index(item)
            if at == target:
                continue
            self.tab_to(f'#cp-q-{qkey} li[data-id="{item}"] .cp-up')
            for _ in range(at - target):
                self.press(Keys.ENTER)
                assert self.matches(f'#cp-q-{qkey} li[data-id="{item}"] .cp-up'), "focus stays on the moved item"

    def activate(self, selector: str):
        self.tab_to(selector)
        self.press(Keys.ENTER)


@pytest.mark.parametrize("name", ["s2004-single", "s12-multi"])
def test_keyboard_only_learner_completes_the_course(driver, server, packages, name):
    pkg = packages[name]
    for sco in pkg.scos:
        data = sco.data
        run = LmsSession(driver, server, pkg).launch(sco)
        run.top()
        kb = Keyboard(run)
        run.sco()
        total = run.page_count()
        for g in range(total):
            if g:
                kb.activate("#cp-next")
                assert run.current_page() == run.js(
                    "var n = document.querySelectorAll('.cp-page')[arguments[0]]; return {s: +n.dataset.s, p: +n.dataset.p, id: n.id};", g)
                assert kb.active()["tag"] in ("H1", "H2", "H3"), "focus moves to the new page's heading"
            quizzes = run.js("return Array.prototype.map.call(document.querySelectorAll('.cp-page:not([hidden]) .cp-quiz-box'), function (b) { return b.dataset.quiz; })")
            for qk in quizzes:
                for q in data["quizzes"][qk]["questions"]:
                    value, key, t = right_answer(q), q["key"], q["type"]
                    if t in ("single", "likert", "true-false"):
                        kb.radio(f"cp-q-{key}-c", value)
                    elif t == "multiple":
                        kb.checkboxes(f"cp-q-{key}-c", value)
                    elif t in ("fill-in", "numeric"):
                        kb.text(f"#cp-q-{key}-input", value)
                    elif t == "matching":
                        for i, p in enumerate(q["pairs"]):
                            kb.select(f"#cp-q-{key}-m-{p['id']}", value[i])
                    elif t == "ordering":
                        kb.order(key, value)
                kb.activate(f'.cp-quiz-box[data-quiz="{qk}"] .cp-submit')
                assert run.quiz_closed(qk)
            for rk in run.js("return Array.prototype.map.call(document.querySelectorAll('.cp-page:not([hidden]) .cp-reflection-box'), function (b) { return b.dataset.reflection; })"):
                kb.text(f"#cp-r-{rk}-text", "Typed with the keyboard only.")
                kb.activate(f'.cp-reflection-box[data-reflection="{rk}"] .cp-button')
        assert run.status()["complete"]
        run.unload()
        result = run.result()
        check_clean_run(result, driver)
        check_finished(result, pkg.version, 100, True)
        recs = by_key(result, pkg.version)
        for quiz in data["quizzes"].values():
            for q in quiz["questions"]:
                check_question_interaction(pkg.version, q, recs[q["key"]], True)
