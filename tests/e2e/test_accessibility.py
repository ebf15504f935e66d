"""axe-core (WCAG 2.0/2.1 A and AA) on every page of every built package: each player page as
the learner first sees it, quizzes with their feedback and revealed answers, reflections, and
the plain content pages. Also the Russian and right-to-left interfaces."""
from __future__ import annotations

import shutil

import pytest

from .conftest import CONFIGS, FIXTURE
from .harness import ROOT, DirectSession, LmsSession, build, require_shipped_course, shipped_tracks, wrong_answer


def no_violations(found: list[dict], where: str):
    assert not found, f"{where}: " + "; ".join(
        f"{v['id']} ({v['help']}): {[n['target'] for n in v['nodes']][:4]} {v['nodes'][0]['summary'] if v['nodes'] else ''}"
        for v in found)


def check_every_page(run: LmsSession, label: str):
    data = run.data()
    for g in range(run.page_count()):
        run.go(g)
        no_violations(run.run_axe(), f"{label} page {g + 1}")
        quizzes = run.js("return Array.prototype.map.call(document.querySelectorAll('.cp-page:not([hidden]) .cp-quiz-box'), function (b) { return b.dataset.quiz; })")
        for qk in quizzes:
            run.submit(qk)  # nothing answered: the "answer every question" message
            no_violations(run.run_axe(), f"{label} page {g + 1}, unanswered quiz")
            quiz = data["quizzes"][qk]
            for _ in range(quiz["attempts"] or 1):
                for q in quiz["questions"]:
                    if not run.js("return document.getElementById('cp-q-' + arguments[0]).classList.contains('cp-locked')", q["key"]):
                        run.answer(q, wrong_answer(q))
                run.submit(qk)
            no_violations(run.run_axe(), f"{label} page {g + 1}, feedback")
        for rk in run.js("return Array.prototype.map.call(document.querySelectorAll('.cp-page:not([hidden]) .cp-reflection-box'), function (b) { return b.dataset.reflection; })"):
            run.write_reflection(rk, "A few words.")
            no_violations(run.run_axe(), f"{label} page {g + 1}, reflection")
    no_violations(run.run_axe(), f"{label} last page, finished")


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_player_page_has_no_wcag_violations(driver, server, packages, name):
    pkg = packages[name]
    for sco in pkg.scos:
        run = LmsSession(driver, server, pkg).launch(sco)
        assert run.js("return document.documentElement.lang") == "en"
        check_every_page(run, f"{name}/{sco.href}")
        run.unload()


@pytest.mark.parametrize("name", ["s12-multi", "s2004-single"])
def test_every_content_page_has_no_wcag_violations(driver, server, packages, name):
    pkg = packages[name]
    assert pkg.pages, "the fixture has an about page and a handout"
    for page in pkg.pages:
        run = DirectSession(driver, server, pkg).open(page, wait_mode=None)
        assert run.js("return document.documentElement.lang") == "en"
        assert run.js("return document.querySelectorAll('main h1').length") == 1
        no_violations(run.run_axe(), page)


def test_page_change_moves_focus_to_the_heading_and_updates_the_toc(driver, server, packages):
    pkg = packages["s2004-single"]
    run = LmsSession(driver, server, pkg).launch(pkg.scos[0])
    for g in range(1, run.page_count()):
        run.next()
        focus = run.js("""var a = document.activeElement;
                          return {tag: a.tagName, page: a.closest('.cp-page') ? a.closest('.cp-page').id : null,
                                  session: a.closest('.cp-session') ? a.closest('.cp-session').id : null,
                                  current: document.querySelector('.cp-toc a[aria-current=page]').getAttribute('href')};""")
        page = run.current_page()
        assert focus["tag"] in ("H1", "H2", "H3"), focus
        assert focus["page"] in (page["id"], None) and focus["current"] == "#" + page["id"], (focus, page)
    run.unload()


@pytest.fixture(scope="module")
def translated(e2e_root, tmp_path_factory):
    """The fixture course in Russian and in Arabic (right to left, no catalogue: English words)."""
    out = {}
    for lang in ("ru", "ar"):
        src = tmp_path_factory.mktemp(f"course-{lang}") / "course"
        shutil.copytree(FIXTURE, src)
        course = src / "course.yml"
        course.write_text(course.read_text(encoding="utf-8").replace("language: en", f"language: {lang}"), encoding="utf-8")
        out[lang] = build(src, e2e_root / "pkg", f"lang-{lang}", "2004-4th", "single-sco")
    return out


def test_russian_interface_is_complete_and_accessible(driver, server, translated):
    pkg = translated["ru"]
    sco = pkg.scos[0]
    run = LmsSession(driver, server, pkg).launch(sco)
    assert run.js("return [document.documentElement.lang, document.documentElement.dir]") == ["ru", "ltr"]
    texts = run.js("""return {next: document.getElementById('cp-next').textContent,
                              intro: document.querySelector('.cp-intro h2').textContent,
                              submit: document.querySelector('.cp-submit').textContent,
                              position: document.getElementById('cp-position').textContent};""")
    assert texts == {"next": "Далее", "intro": "На этом занятии вы…", "submit": "Отправить ответы", "position": "Страница 1 из 6"}
    key = next(iter(sco.data["reflections"]))
    run.write_reflection(key, "один два три четыре пять", save=False)
    assert run.js("return document.getElementById('cp-r-' + arguments[0] + '-words').textContent", key).startswith("5 слов")
    check_every_page(run, "ru")
    run.unload()


def test_right_to_left_language_gets_dir_rtl(driver, server, translated):
    pkg = translated["ar"]
    run = LmsSession(driver, server, pkg).launch(pkg.scos[0])
    assert run.js("return [document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    no_violations(run.run_axe(), "ar page 1")
    run.unload()


def test_the_axe_check_itself_finds_a_planted_violation(driver, server, packages):
    pkg = packages["s2004-single"]
    run = LmsSession(driver, server, pkg).launch(pkg.scos[0])
    run.js("var i = document.createElement('input'); i.type = 'text'; i.id = 'planted';"
           "document.querySelector('.cp-page:not([hidden]) .cp-content').appendChild(i);")
    found = {v["id"] for v in run.run_axe()}
    assert "label" in found, found
    run.js("document.getElementById('planted').remove()")
    run.unload()


@pytest.mark.parametrize("track", shipped_tracks())
def test_every_page_of_the_shipped_course_has_no_wcag_violations(driver, server, e2e_root, track):
    """course_src as shipped: all pages of each track at once (the player's own controls are
    checked page by page above), and every content page."""
    require_shipped_course(track)
    pkg = build(ROOT / "course_src", e2e_root / "pkg", f"a11y-{track}", "2004-4th", "single-sco", track=track)
    run = LmsSession(driver, server, pkg).launch(pkg.scos[0])
    count = run.js("""document.querySelectorAll('.cp-session, .cp-page').forEach(function (n) { n.hidden = false; });
                      return document.querySelectorAll('.cp-page').length;""")
    assert count == sum(len(s["pages"]) for s in pkg.scos[0].data["sessions"])
    no_violations(run.run_axe(), f"{track}: all {count} pages")
    run.unload()
    for page in pkg.pages:
        direct = DirectSession(driver, server, pkg).open(page, wait_mode=None)
        no_violations(direct.run_axe(), f"{track}/{page}")
