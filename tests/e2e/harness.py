"""The e2e harness: a loopback HTTP server, headless Chromium, the test LMS page, and a
learner that answers quizzes from the player data (right, wrong, or by keyboard).
"""
from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("COURSEPACK_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("COURSEPACK_CHROMEDRIVER", "/usr/bin/chromedriver")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require_browser_tools() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    assert not missing, (f"missing {', '.join(missing)}: install Debian's chromium and chromium-driver "
                         "(make test does this) — the browser tests never skip")
    try:
        import selenium  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise AssertionError("selenium is not installed: pip install -e '.[test]'") from exc


# ---- HTTP ------------------------------------------------------------------------------------

class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - silence
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class Server:
    """Serves ``root`` on 127.0.0.1 at an ephemeral port (also reachable as ``localhost``,
    which is another origin: used for the cross-origin frame test)."""

    def __init__(self, root: Path):
        handler = functools.partial(_Quiet, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.other_origin = f"http://localhost:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# ---- packages ----------------------------------------------------------------------------------

@dataclass
class Sco:
    href: str
    data: dict
    lms_init: dict = field(default_factory=dict)  # what an LMS reads from the manifest for this item


@dataclass
class Package:
    name: str
    dir: Path
    zip: Path
    version: str  # "1.2" or "2004"
    layout: str
    scos: list[Sco] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # plain content pages (about, handouts)

    def url(self, server: Server, href: str) -> str:
        return f"{server.url}/pkg/{self.name}/{href}"


def player_data(page_html: str) -> dict:
    m = re.search(r'<script type="application/json" id="cp-data">(.*?)</script>', page_html, re.S)
    assert m, "the SCO page has no #cp-data player data"
    return json.loads(m.group(1))


def build(src: Path, pkg_root: Path, name: str, version: str, layout: str | None = None,
          track: str | None = None) -> Package:
    """Build one package with the project's builder and unpack it under pkg_root/name."""
    from lxml import etree

    from builder.build import build_packages

    out = Path(tempfile.mkdtemp(prefix="cp-build-"))
    try:
        owner = _owner_track(src, track) if track else None
        results, _ = build_packages(src, out, scorm=[version], layout=layout, tracks=[owner] if owner else None)
        if track and len(results) > 1:  # a track with `split: module`: keep the package of one module
            results = [r for r in results if r.track == track]
        assert len(results) == 1, results
        res = results[0]
        dest = pkg_root / name
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        with zipfile.ZipFile(res.path) as zf:
            zf.extractall(dest)
        zip_copy = pkg_root / f"{name}.zip"
        shutil.copyfile(res.path, zip_copy)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    tree = etree.parse(str(dest / "imsmanifest.xml"))
    resources = {r.get("identifier"): r for r in tree.iter("{*}resource")}
    scos = []
    for item in tree.iter("{*}item"):
        ref = item.get("identifierref")
        if not ref:
            continue
        res_el = resources[ref]
        kind = (res_el.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype")
                or res_el.get("{http://www.adlnet.org/xsd/adlcp_v1p3}scormType"))
        if kind == "sco":
            href = res_el.get("href")
            init = {}
            mastery = item.find("{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore")
            if mastery is not None and (mastery.text or "").strip():
                init["cmi.student_data.mastery_score"] = mastery.text.strip()
            for obj in item.iter("{http://www.imsglobal.org/xsd/imsss}primaryObjective"):
                measure = obj.find("{http://www.imsglobal.org/xsd/imsss}minNormalizedMeasure")
                if obj.get("satisfiedByMeasure") == "true" and measure is not None:
                    init["cmi.scaled_passing_score"] = measure.text.strip()
            scos.append(Sco(href=href, data=player_data((dest / href).read_text(encoding="utf-8")), lms_init=init))
    pages = sorted(p.name for p in dest.glob("page-*.html"))
    return Package(name=name, dir=dest, zip=zip_copy, version="1.2" if version == "1.2" else "2004",
                   layout=res.layout, scos=scos, pages=pages)


def shipped_tracks() -> list[str]:
    """What one single-SCO package of course_src holds, as shipped: a track id, or
    `<track>-<module>` for a track with `split: module` (read at collection; a broken course
    fails the test, below). `build(..., track=<that id>)` builds that one package."""
    from builder.build import check, module_units

    try:
        course, _ = check(ROOT / "course_src")
    except Exception:  # noqa: BLE001 - reported by the test itself
        return ["course_src-does-not-build"]
    return [u.id for t in course.tracks for u in (module_units(t) if t.split == "module" else [t])]


def _owner_track(src: Path, unit: str) -> str:
    """The track a package unit id belongs to (itself for a whole track)."""
    from builder.build import check, module_units

    course, _ = check(src)
    for t in course.tracks:
        if unit == t.id or unit in {u.id for u in module_units(t)}:
            return t.id
    return unit


def require_shipped_course(track: str) -> None:
    if track == "course_src-does-not-build":
        from builder.build import check

        check(ROOT / "course_src")  # raises with every problem


# ---- browser ----------------------------------------------------------------------------------

def make_driver(width: int = 1100, height: int = 900):
    require_browser_tools()
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="cp-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", f"--window-size={width},{height}",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                 "--disable-popup-blocking"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    drv.set_script_timeout(60)
    drv.set_page_load_timeout(60)
    drv._cp_profile = profile  # noqa: SLF001 - removed by quit()
    original_quit = drv.quit

    def quit_and_clean():
        try:
            original_quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    drv.quit = quit_and_clean
    return drv


def wait_until(fn, timeout=15.0, interval=0.05, message="condition"):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            last = fn()
        except Exception as exc:  # noqa: BLE001 - keep polling, report the last problem
            last = exc
        if last and not isinstance(last, Exception):
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message} (last: {last!r})")


def browser_errors(driver) -> list[str]:
    """Uncaught errors and failed resource loads from the browser console since the last call."""
    out = []
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE" and "/favicon.ico" not in entry.get("message", ""):
            out.append(entry.get("message", ""))
    return out


# ---- the LMS page ---------------------------------------------------------------------------------

class LmsSession:
    """One LMS page in the browser, launching SCOs of one package into its iframe."""

    def __init__(self, driver, server: Server, pkg: Package):
        self.d = driver
        self.server = server
        self.pkg = pkg
        self.in_sco = False
        self.wrapped = False
        self.popup = False
        self.d.switch_to.default_content()
        if not self.d.current_url.startswith(f"{server.url}/lms/lms.html"):
            self.d.get(f"{server.url}/lms/lms.html")
        else:
            self.d.refresh()
        wait_until(lambda: self.d.execute_script("return !!(window.LMS && window.Scorm12API)"), message="LMS page")
        browser_errors(self.d)  # clear

    # -- context switching
    def top(self):
        if self.popup:
            self.d.switch_to.window(self.main_handle)
        self.d.switch_to.default_content()
        self.in_sco = False

    def sco(self):
        if self.in_sco:
            return
        self.top()
        if self.popup:
            handles = [h for h in self.d.window_handles if h != self.main_handle]
            assert handles, "the SCO window did not open"
            self.d.switch_to.window(handles[-1])
        else:
            self.d.switch_to.frame(self.d.find_element("id", "sco"))
            if self.wrapped:
                self.d.switch_to.frame(self.d.find_element("id", "inner"))
        self.in_sco = True

    def js(self, script, *args):
        self.sco()
        return self.d.execute_script(script, *args)

    def lms(self, script, *args):
        self.top()
        return self.d.execute_script(script, *args)

    # -- launching
    def launch(self, sco: Sco | str, init: dict | None = None, late_ms: int = 0, fail_set: str | None = None,
               fail_commit: bool = False, wrapper: bool = False, window: bool = False, width: str | None = None,
               wait_mode: str | None = "lms", entry: str = "ab-initio"):
        href = sco.href if isinstance(sco, Sco) else sco
        manifest_data = sco.lms_init if isinstance(sco, Sco) else {}
        flat = {"cmi.core.student_id" if self.pkg.version == "1.2" else "cmi.learner_id": "learner-1",
                "cmi.core.student_name" if self.pkg.version == "1.2" else "cmi.learner_name": "Test, Learner",
                "cmi.core.entry" if self.pkg.version == "1.2" else "cmi.entry": entry,
                "cmi.core.credit" if self.pkg.version == "1.2" else "cmi.credit": "credit"}
        flat.update(manifest_data)
        flat.update(init or {})
        self.main_handle = self.d.current_window_handle if not self.popup else self.main_handle
        self.top()
        self.wrapped = wrapper
        self.popup = window
        cfg = {"version": self.pkg.version, "href": f"/pkg/{self.pkg.name}/{href}", "init": flat, "lateMs": late_ms,
               "failSet": fail_set, "failCommit": fail_commit, "width": width,
               "wrapper": self.server.other_origin if wrapper else None, "window": window}
        self.d.execute_script("return LMS.start(arguments[0])", cfg)
        self.in_sco = False
        if wait_mode:
            self.wait_mode(wait_mode)
        return self

    def wait_mode(self, mode: str, timeout: float = 15):
        def ready():
            try:
                self.in_sco = False
                return self.js("return window.coursepack && window.coursepack.mode") == mode
            except Exception:  # noqa: BLE001 - the frame may still be loading
                self.in_sco = False
                raise
        wait_until(ready, timeout=timeout, message=f"player mode {mode!r}")

    def unload(self):
        """The LMS unloads the SCO (the learner closes it); the player must call Terminate/LMSFinish."""
        self.lms("return LMS.unload()")
        wait_until(lambda: self.lms("return LMS.calledFinish()"), message="Terminate/LMSFinish on unload")

    def result(self) -> dict:
        return self.lms("return LMS.result()")

    def relaunch_data(self, result: dict | None = None) -> dict:
        """What an LMS hands the next launch: the stored cmi, with entry=resume after a suspend."""
        result = result or self.result()
        flat = dict(result["flat"])
        keep = {}
        for k, v in flat.items():
            if k.endswith(("._count", "._children")) or v in ("", None):
                continue
            if k in ("cmi.core.session_time", "cmi.session_time", "cmi.core.exit", "cmi.exit", "cmi.core.total_time",
                     "cmi.total_time", "cmi.core.entry", "cmi.entry", "cmi.core.lesson_mode", "cmi.mode"):
                continue
            keep[k] = v
        exit_value = flat.get("cmi.core.exit" if self.pkg.version == "1.2" else "cmi.exit", "")
        entry_key = "cmi.core.entry" if self.pkg.version == "1.2" else "cmi.entry"
        keep[entry_key] = "resume" if exit_value == "suspend" else ""
        return keep

    # -- reading the player
    def data(self) -> dict:
        return self.js("return JSON.parse(document.getElementById('cp-data').textContent)")

    def current_page(self) -> dict:
        return self.js("""
            var p = Array.prototype.filter.call(document.querySelectorAll('.cp-page'), function (n) { return !n.hidden; });
            return p.length === 1 ? {s: +p[0].dataset.s, p: +p[0].dataset.p, id: p[0].id} : null;""")

    def page_count(self) -> int:
        return self.js("return document.querySelectorAll('.cp-page').length")

    def status(self) -> dict:
        return self.js("return JSON.parse(JSON.stringify(window.coursepack))")

    def next(self):
        self.js("document.getElementById('cp-next').click()")

    def go(self, index: int):
        self.js("document.querySelectorAll('.cp-toc a[data-s]')[arguments[0]].click()", index)

    # -- answering as a (mouse) learner
    def answer(self, q: dict, value: str):
        self.js(ANSWER_JS, q["key"], q["type"], value)

    def submit(self, quiz_key: str):
        self.js("document.querySelector('.cp-quiz-box[data-quiz=\"' + arguments[0] + '\"] .cp-submit').click()", quiz_key)

    def quiz_closed(self, quiz_key: str) -> bool:
        return self.js("return document.querySelector('.cp-quiz-box[data-quiz=\"' + arguments[0] + '\"] .cp-submit').hidden",
                       quiz_key)

    def write_reflection(self, key: str, text: str, save: bool = True):
        self.js("""
            var ta = document.getElementById('cp-r-' + arguments[0] + '-text');
            ta.value = arguments[1];
            ta.dispatchEvent(new Event('input', {bubbles: true}));
            if (arguments[2]) ta.closest('.cp-reflection-box').querySelector('button').click();""", key, text, save)

    def reflection_text(self, key: str) -> str:
        return self.js("return document.getElementById('cp-r-' + arguments[0] + '-text').value", key)

    def run_axe(self) -> list[dict]:
        self.sco()
        if not self.d.execute_script("return !!window.axe"):
            self.d.execute_script(AXE_JS.read_text(encoding="utf-8"))
        res = self.d.execute_async_script("""
            var done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
               .then(function (r) { done(r.violations.map(function (v) {
                   return {id: v.id, impact: v.impact, help: v.help,
                           nodes: v.nodes.map(function (n) { return {target: n.target, html: n.html.slice(0, 200),
                                                                      summary: n.failureSummary}; })}; })); })
               .catch(function (e) { done([{id: 'axe-error', help: String(e), nodes: []}]); });""", WCAG_TAGS)
        return res


class DirectSession(LmsSession):
    """A package page opened on its own, with no LMS anywhere (standalone mode)."""

    def __init__(self, driver, server: Server, pkg: Package):  # noqa: D107 - no LMS page
        self.d = driver
        self.server = server
        self.pkg = pkg
        self.in_sco = True
        self.wrapped = False
        self.popup = False

    def open(self, sco: Sco | str, wait_mode: str | None = "local", timeout: float = 15, from_disk: bool = False):
        href = sco.href if isinstance(sco, Sco) else sco
        self.d.switch_to.default_content()
        self.d.get((self.pkg.dir / href).as_uri() if from_disk else self.pkg.url(self.server, href))
        if wait_mode:
            self.wait_mode(wait_mode, timeout=timeout)
        return self

    def reload(self, wait_mode: str | None = "local"):
        self.d.refresh()
        if wait_mode:
            self.wait_mode(wait_mode)

    def top(self):
        self.d.switch_to.default_content()

    def sco(self):
        self.d.switch_to.default_content()

    def wait_mode(self, mode: str, timeout: float = 15):
        wait_until(lambda: self.d.execute_script("return window.coursepack && window.coursepack.mode") == mode,
                   timeout=timeout, message=f"player mode {mode!r}")


ANSWER_FN = r"""
function cpAnswer(key, type, value) {
  var fire = function (el, name) { el.dispatchEvent(new Event(name, {bubbles: true})); };
  var id = function (s) { return document.getElementById('cp-q-' + key + s); };
  if (type === 'single' || type === 'likert' || type === 'true-false') {
    id('-c-' + value).click();
  } else if (type === 'multiple') {
    Array.prototype.forEach.call(document.getElementsByName('cp-q-' + key + '-c'), function (box) {
      if (box.checked !== (value.indexOf(box.value) >= 0)) box.click();
    });
  } else if (type === 'fill-in' || type === 'numeric') {
    var input = id('-input'); input.value = value; fire(input, 'input'); fire(input, 'change');
  } else if (type === 'matching') {
    var selects = id('').querySelectorAll('select');
    Array.prototype.forEach.call(selects, function (s, i) { s.value = value.charAt(i); fire(s, 'change'); });
  } else if (type === 'ordering') {
    var list = id('').querySelector('ol.cp-order');
    for (var target = 0; target < value.length; target++) {
      var guard = 0;
      while (guard++ < 50) {
        var items = Array.prototype.slice.call(list.children);
        var at = items.findIndex(function (li) { return li.getAttribute('data-id') === value.charAt(target); });
        if (at <= target) break;
        items[at].querySelector('.cp-up').click();
      }
    }
  } else {
    throw new Error('unknown question type ' + type);
  }
}
"""

ANSWER_JS = ANSWER_FN + "cpAnswer(arguments[0], arguments[1], arguments[2]);"



# ---- answers from the player data ------------------------------------------------------------------

FILL_ALL_JS = ANSWER_FN + r"""
// Visit every page; answer every quiz (submitting until it closes) and write the reflections,
// all inside the page (one WebDriver call): arguments = {question key: value}, {reflection key: text}.
var answers = arguments[0], texts = arguments[1];
var data = JSON.parse(document.getElementById('cp-data').textContent);
var links = document.querySelectorAll('.cp-toc a[data-s]');
for (var g = 0; g < links.length; g++) {
  links[g].click();
  var page = document.querySelectorAll('.cp-page')[g];
  page.querySelectorAll('.cp-quiz-box').forEach(function (box) {
    var quiz = data.quizzes[box.dataset.quiz], submit = box.querySelector('.cp-submit');
    for (var attempt = 0; attempt < (quiz.attempts || 1) && !submit.hidden; attempt++) {
      quiz.questions.forEach(function (q) {
        if (!document.getElementById('cp-q-' + q.key).classList.contains('cp-locked')) cpAnswer(q.key, q.type, answers[q.key]);
      });
      submit.click();
    }
  });
  page.querySelectorAll('.cp-reflection-box').forEach(function (box) {
    var ta = box.querySelector('textarea');
    ta.value = texts[box.dataset.reflection] || '';
    ta.dispatchEvent(new Event('input', {bubbles: true}));
    box.querySelector('button').click();
  });
}
"""


def right_answer(q: dict) -> str:
    t = q["type"]
    if t == "single":
        return next(c["id"] for c in q["choices"] if c["correct"])
    if t == "multiple":
        return "".join(c["id"] for c in q["choices"] if c["correct"])
    if t == "true-false":
        return "t" if q["answer"] else "f"
    if t == "fill-in":
        return "  " + q["answers"][-1].upper() + " "  # case and spaces do not matter
    if t == "numeric":
        return str(q["answer"] + q.get("tolerance", 0) / 2).replace(".", ",")  # a comma works as the decimal sign
    if t == "matching":
        return "".join(p["id"] for p in q["pairs"])
    if t == "ordering":
        return "".join(i["id"] for i in q["items"])
    if t == "likert":
        return q["choices"][1]["id"]
    raise AssertionError(t)


def wrong_answer(q: dict) -> str:
    t = q["type"]
    if t == "single":
        return next(c["id"] for c in q["choices"] if not c["correct"])
    if t == "multiple":
        wrong = [c["id"] for c in q["choices"] if not c["correct"]]
        return wrong[0] if wrong else q["choices"][0]["id"]
    if t == "true-false":
        return "f" if q["answer"] else "t"
    if t == "fill-in":
        return "not this"
    if t == "numeric":
        return str(q["answer"] + q.get("tolerance", 0) + 10)
    if t == "matching":
        ids = [p["id"] for p in q["pairs"]]
        return "".join(ids[1:] + ids[:1])
    if t == "ordering":
        return "".join(reversed([i["id"] for i in q["items"]]))
    if t == "likert":
        return q["choices"][0]["id"]
    raise AssertionError(t)


def complete_sco(run: LmsSession, answers: str = "right", reflection: str | None = "I noticed warmth and patience.",
                 stop_after_page: int | None = None):
    """Walk every page with Next; answer each quiz (submitting until it closes) and write the
    reflections. answers: "right", "wrong" or a dict {question key: value}.
    Returns the number of learner actions that should each cause one commit (page changes,
    quiz submissions, reflection saves)."""
    data = run.data()
    total = run.page_count()
    actions = 0
    for g in range(total):
        if g:
            run.next()
            actions += 1
        elif run.current_page()["id"] != run.js("return document.querySelector('.cp-page').id"):
            run.go(0)
            actions += 1
        on_page = run.js("""
            var page = Array.prototype.filter.call(document.querySelectorAll('.cp-page'), function (n) { return !n.hidden; })[0];
            return {quizzes: Array.prototype.map.call(page.querySelectorAll('.cp-quiz-box'), function (b) { return b.dataset.quiz; }),
                    reflections: Array.prototype.map.call(page.querySelectorAll('.cp-reflection-box'), function (b) { return b.dataset.reflection; })};""")
        for qk in on_page["quizzes"]:
            quiz = data["quizzes"][qk]
            for _ in range(quiz["attempts"] or 1):
                if run.quiz_closed(qk):
                    break
                for q in quiz["questions"]:
                    if isinstance(answers, dict):
                        value = answers.get(q["key"], right_answer(q))
                    else:
                        value = right_answer(q) if answers == "right" else wrong_answer(q)
                    if not run.js("return document.getElementById('cp-q-' + arguments[0]).classList.contains('cp-locked')",
                                  q["key"]):
                        run.answer(q, value)
                run.submit(qk)
                actions += 1
                if run.quiz_closed(qk):
                    break
        if reflection is not None:
            for rk in on_page["reflections"]:
                run.write_reflection(rk, reflection)
                actions += 1
        if stop_after_page is not None and g >= stop_after_page:
            break
    return actions


def interactions(result: dict, version: str) -> list[dict]:
    """Interactions in index order from scorm-again's flattened cmi."""
    flat = result["flat"]
    by_index: dict[int, dict] = {}
    for k, v in flat.items():
        m = re.match(r"cmi\.interactions\.(\d+)\.(.+)$", k)
        if m:
            by_index.setdefault(int(m.group(1)), {})[m.group(2)] = v
    return [dict(v, index=i) for i, v in sorted(by_index.items())]


def api_errors(result: dict) -> list[dict]:
    """Calls that set an error code, except the spec-legal 403 of GetValue on a value never set."""
    out = []
    for c in result["calls"]:
        if c["error"] in ("0", "", None):
            continue
        if c["fn"] == "GetValue" and c["error"] == "403":
            continue
        out.append(c)
    return out


def unescape(text: str) -> str:
    return html.unescape(text)
