"""``coursepack preview``: play the course in an LMS simulator while you edit it.

A small HTTP server on 127.0.0.1 (never another interface) serves

- ``/``: the simulator page (``templates/preview/``): a SCORM 1.2 ``API`` and SCORM 2004
  ``API_1484_11`` of its own, a log of every call, the data model, and the SCO in a frame;
- ``/pkg/<track>/<version>/<layout>/<path>``: the files of one package, the very bytes that
  ``coursepack build`` would zip (``build.package_files``);
- ``/guide/<track>``: the facilitator's guide;
- ``/__preview/state``, ``/__preview/package``: what there is to play, and the diagnostics;
- ``/__version?since=N``: answers as soon as build N+1 (or a failed attempt) exists (long poll),
  so the page reloads the moment a rebuild is ready.

Sources are watched with ``watchfiles``. A save of a session plan re-reads only that file
(the others come from a cache keyed by their content) and re-renders only the SCO pages whose
sessions' digests changed; any other change (YAML, templates, assets, a file added or removed)
re-reads everything. A broken save keeps the last good build on the page and shows the problems
in the page and the terminal.
"""
from __future__ import annotations

import copy
import hashlib
import json
import mimetypes
import signal
import threading
import time
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from . import build as build_module
from . import models as m
from .build import DEFAULT_LAYOUT, _render, _track_files, check, package_files
from .content import clear_caches
from .diagnostics import CourseError, Report, format_text
from .guide import render_guide
from . import loader
from .loader import _Loader
from .render import Renderer, default_templates_dir
from .scorm import runtime

LAYOUTS = ("multi-sco", "single-sco")
SUSPEND_LIMIT_12 = 4096
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".json": "application/json; charset=utf-8",
                ".svg": "image/svg+xml", ".xml": "application/xml; charset=utf-8"}


class PreviewError(Exception):
    """The preview cannot start (port taken, no watcher): exit code 2."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


# ---- loading with a cache ---------------------------------------------------------------------

class _CachingLoader(_Loader):
    """The ordinary loader, except that a session plan or page whose bytes, track and set of
    session files are unchanged is taken from ``cache`` (with the diagnostics it gave)."""

    def __init__(self, root: Path, report: Report, cache: dict, used: set):
        super().__init__(root, report)
        self.cache = cache
        self.used = used
        self.reread: list[str] = []

    def _key(self, kind: str, path: Path, extra: str):
        stamp = _stamp(path)
        if stamp is None:
            return None
        return (kind, str(path), extra, stamp, frozenset(self.session_paths))

    def _cached(self, key, fn):
        if key is None:
            return fn()
        hit = self.cache.get(key)
        if hit is None:
            outer, self.report = self.report, Report()
            try:
                value = fn()
                hit = (value, list(self.report.items))
            finally:
                self.report = outer
            self.cache[key] = hit
            self.reread.append(key[1])
        self.used.add(key)
        self.report.items.extend(hit[1])
        return hit[0]

    def session(self, path: Path, track_id: str):
        return self._cached(self._key("session", path, track_id), lambda: super(_CachingLoader, self).session(path, track_id))

    def extra_page(self, rel: str):
        return self._cached(self._key("page", self.root / rel, rel), lambda: super(_CachingLoader, self).extra_page(rel))


def _stamp(path: Path):
    """What says a file changed, without reading it: inode, size and modification time in ns
    (the watcher also drops the entries of every file it saw change)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class _FastChecks:
    """During one rebuild, checks.py's per-file rules (which read one source file and depend on
    nothing else) are answered from ``memo`` when the file is unchanged; the rules themselves run
    unchanged. Rules across files (duplicate ids, quiz patterns) always run."""

    PER_FILE = ("_markdown_source", "_objective_dash")

    def __init__(self, memo: dict):
        self.memo = memo
        self.saved: dict = {}

    def __enter__(self):
        from . import checks

        for name in self.PER_FILE:
            fn = getattr(checks, name, None)
            if fn is not None:
                self.saved[name] = fn
                setattr(checks, name, self._memoized(name, fn))
        fn = getattr(checks, "_question_line", None)
        if fn is not None:
            self.saved["_question_line"] = fn
            setattr(checks, "_question_line", self._with_lines(fn))
        fn = getattr(loader, "check_svg", None)
        if fn is not None:
            self.saved["svg"] = fn
            loader.check_svg = self._svg(fn)
        return self

    def __exit__(self, *exc):
        from . import checks

        for name, fn in self.saved.items():
            if name == "svg":
                loader.check_svg = fn
            else:
                setattr(checks, name, fn)

    def _svg(self, fn):
        def run(path, rel, report):
            stamp = _stamp(Path(path))
            key = ("svg", str(path), stamp, rel)
            if stamp is None:
                return fn(path, rel, report)
            if key not in self.memo:
                mine = Report()
                fn(path, rel, mine)
                self.memo[key] = list(mine.items)
            report.items.extend(self.memo[key])
        return run

    def _lines(self, course, rel: str):
        path = Path(course.root) / rel
        stamp = _stamp(path)
        key = ("lines", str(path), stamp)
        if stamp is not None and key not in self.memo:
            try:
                self.memo[key] = path.read_text(encoding="utf-8").split("\n")
            except (OSError, UnicodeDecodeError):
                self.memo[key] = []
        return self.memo.get(key)

    def _memoized(self, name, fn):
        def run(course, target, report):
            rel = target if isinstance(target, str) else target.source_path
            path = Path(course.root) / rel
            stamp = _stamp(path)
            key = (name, str(path), stamp, None if isinstance(target, str) else target.digest)
            if stamp is None:
                return fn(course, target, report)
            if key not in self.memo:
                mine = Report()
                fn(course, target, mine)
                self.memo[key] = list(mine.items)
            report.items.extend(self.memo[key])
        return run

    def _with_lines(self, fn):
        def run(course, s, quiz, prompt, cache):
            if s.source_path not in cache:
                lines = self._lines(course, s.source_path)
                if lines is not None:
                    cache[s.source_path] = lines
            return fn(course, s, quiz, prompt, cache)
        return run


# ---- the preview's state -------------------------------------------------------------------------

class _Build:
    """One good build: the course and everything rendered from it so far (filled lazily)."""

    def __init__(self, number: int, course: m.Course, report: Report, renderer: Renderer, player: dict[str, bytes],
                 env: int):
        self.number = number
        self.course = course
        self.report = report
        self.renderer = renderer
        self.player = player
        self.env = env
        self.tracks = {t.id: t for t in course.tracks}
        self.packages: dict[tuple[str, str, str], tuple[list, dict[str, bytes]]] = {}
        self.guides: dict[str, bytes] = {}
        self._units: dict[tuple[str, str], list[m.Track]] = {}
        self.lock = threading.RLock()

    def units(self, track_id: str, layout: str) -> list[m.Track]:
        """The packages one track makes in this layout: the track, or (``split: module``) one per module."""
        key = (track_id, layout)
        if key not in self._units:
            track = self.tracks[track_id]
            split = getattr(build_module, "module_units", None)
            self._units[key] = split(track) if split and layout == "single-sco" and \
                getattr(track, "split", "track") == "module" else [track]
        return self._units[key]

    def unit(self, unit_id: str, layout: str) -> m.Track | None:
        for t in self.course.tracks:
            for u in self.units(t.id, layout):
                if u.id == unit_id:
                    return u
        return None


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class Preview:
    """Builds the course in memory and keeps the last good build; thread-safe."""

    def __init__(self, src: Path, allow_remote_templates: bool = False, log=None):
        self.src = Path(src)
        self.allow_remote_templates = allow_remote_templates
        self.log = log or (lambda text: None)
        self.cond = threading.Condition()
        self.load_cache: dict = {}
        self.check_memo: dict = {}
        self.page_cache: dict[tuple, bytes] = {}
        self.shared_cache: dict[tuple, dict[str, bytes]] = {}
        self.env = 0  # bumped by any change other than an edited Markdown file: everything is re-read
        self.good: _Build | None = None
        self.seq = 0  # every rebuild attempt, good or bad
        self.failed: Report | None = None  # the problems of the last attempt, when it failed
        self.internal: str | None = None
        self.last_ms: float | None = None
        self.active: dict[tuple[str, str, str], float] = {}  # packages the page asked for recently

    # -- building
    def rebuild(self, changes: set | None = None) -> bool:
        """Re-read what changed and re-check the whole course; True when the build is good."""
        start = time.perf_counter()
        if changes is not None:
            changes = self._as_edits(changes)
            if not changes:
                return self.failed is None and self.good is not None
        full = changes is None or any(not _md_edit(c) for c in changes)
        if full:
            self.env += 1
            self.load_cache.clear()
            self.check_memo.clear()
            self.page_cache.clear()
            self.shared_cache.clear()
            clear_caches()
        used: set = set()
        reread: list[str] = []

        def load():
            report = Report()
            loader = _CachingLoader(self.src.resolve(), report, self.load_cache, used)
            try:
                course = loader.course()
            except OSError as exc:
                report.error("unreadable", f"cannot read: {exc.strerror or exc}",
                             hint="check the permissions of this file or folder")
                course = None
            reread.extend(loader.reread)
            return course, report

        if changes:  # the watcher saw these change: never trust a cached answer about them
            gone = {str(Path(c[1]).resolve()) for c in changes} | {str(Path(c[1])) for c in changes}
            for cache in (self.load_cache, self.check_memo):
                for k in [k for k in cache if k[1] in gone]:
                    del cache[k]
        ok = False
        try:
            with _FastChecks(self.check_memo):
                course, report = check(self.src, allow_remote_templates=self.allow_remote_templates, load=load)
            env = self.env
            old = self.good
            if old is not None and old.env == env:
                renderer, player = copy.copy(old.renderer), old.player  # same templates: keep Jinja's compiled ones
                renderer.course = course
            else:
                renderer = Renderer(course)
                player = renderer.player_files()
            build = _Build((old.number + 1) if old else 1, course, report, renderer, player, env)
            for key in self._recent():  # render what the page is showing now, before it reloads
                if build.unit(key[0], key[2]) is not None:
                    self.package(*key, build=build)
            for k in [k for k in self.load_cache if k not in used]:
                del self.load_cache[k]
            if len(self.check_memo) > 20000:  # stale stamps pile up over a long session
                self.check_memo.clear()
            ok = True
        except CourseError as exc:
            report = exc.report
        except Exception as exc:  # noqa: BLE001 - the preview keeps serving the last good build
            report = Report()
            report.error("internal-error", f"internal error: {type(exc).__name__}: {exc}",
                         hint="this is a bug in coursepack, not in your course; please report it")
        elapsed = (time.perf_counter() - start) * 1000
        with self.cond:
            self.seq += 1
            self.last_ms = elapsed
            if ok:
                self.good = build
                self.failed = None
            else:
                self.failed = report
            self.cond.notify_all()
        if ok:
            what = "read the whole course" if full else \
                f"re-read {', '.join(_short(p, self.src) for p in reread) or 'nothing'}"
            warn = f", {len(report.warnings)} warning(s)" if report.warnings else ""
            self.log(f"build {build.number}: OK in {elapsed:.0f} ms ({what}{warn})")
        else:
            for d in report.sorted():
                self.log(format_text(d))
            self.log(f"{len(report.errors)} error(s): still serving build {self.good.number if self.good else '-'} "
                     "(the last good one)")
        return ok

    def _as_edits(self, changes: set) -> set:
        """What the watcher saw, as edits: editors that save by writing a temporary file and renaming
        it over the original show up as 'deleted' and 'added'; a file that is there again and was
        read before counts as modified, and a temporary file that came and went is ignored."""
        kinds: dict[str, set[str]] = {}
        for kind, path in changes:
            kinds.setdefault(str(path), set()).add(getattr(kind, "name", str(kind)))
        known = {k[1] for k in self.load_cache}
        out = set()
        for path, seen in kinds.items():
            exists = Path(path).exists()
            if not exists and {"added", "deleted"} <= seen:
                continue
            if exists and path.endswith(".md") and seen & {"added", "deleted"} and \
                    (path in known or str(Path(path).resolve()) in known):
                out.add(("modified", path))
                continue
            out.update((k, path) for k in seen)
        return out

    def _recent(self) -> list[tuple[str, str, str]]:
        now = time.monotonic()
        return [k for k, t in list(self.active.items()) if now - t < 600]

    def _render_sco(self, build: _Build):
        course = build.course
        renderer = build.renderer

        def render(track: m.Track, sco, rt: str) -> bytes:
            ctx = _digest(track.model_dump(mode="json", exclude={"modules", "pages"}),
                          [(mod.key, mod.title) for mod in track.modules],
                          [(p.href, p.title) for p in track.pages],
                          course.model_dump(mode="json", exclude={"tracks"}),
                          # a course's own templates could show anything of the track
                          [s.digest for s in track.sessions] if course.templates_dir else None)
            key = (build.env, ctx, track.id, rt, sco.key, sco.href, sco.title, sco.next_title,
                   tuple(s.digest for s in sco.source))
            page = self.page_cache.get(key)
            if page is None:
                page = _render(None, renderer.render_sco, track, sco, rt).encode()
                self.page_cache[key] = page
            return page
        return render

    def package(self, unit_id: str, version: str, layout: str, build: _Build | None = None):
        """(scos, {path: bytes}) of one package of the current (or given) build; ``unit_id`` is the
        track's id (or, with ``split: module`` in single-sco, the id of one module's package)."""
        build = build or self.good
        key = (unit_id, version, layout)
        self.active[key] = time.monotonic()
        with build.lock:
            if key in build.packages:
                return build.packages[key]
            track = build.unit(unit_id, layout)
            if track is None:
                raise KeyError(unit_id)
            skey = (build.env, track.id, _digest([(p.href, p.html, p.assets) for p in track.pages],
                                                 sorted({a for s in track.sessions for a in s.assets})))
            shared = self.shared_cache.get(skey)
            if shared is None:
                shared = _track_files(build.course, track, build.renderer, Report()) | build.player
                self.shared_cache[skey] = shared
            schema_root = Path(build.course.schemas) if build.course.schemas else None
            result = package_files(track, version, layout, build.renderer, shared, schema_root,
                                   render_sco=self._render_sco(build))
            build.packages[key] = result
            return result

    def guide(self, track_id: str) -> bytes:
        build = self.good
        with build.lock:
            if track_id not in build.guides:
                track = build.tracks[track_id]
                build.guides[track_id] = _render(None, render_guide, build.course, track, build.renderer).encode()
            return build.guides[track_id]

    # -- what the page reads
    def state(self) -> dict:
        with self.cond:
            good, failed, seq, ms = self.good, self.failed, self.seq, self.last_ms
        diags = (failed or (good.report if good else Report())).sorted()
        tracks = []
        if good:
            for t in good.course.tracks:
                versions = list(t.scorm)
                tracks.append({"id": t.id, "title": t.title, "versions": versions, "mastery": t.mastery_score,
                               "layouts": {v: t.layout or DEFAULT_LAYOUT[v] for v in versions},
                               "language": t.language})
        return {"build": good.number if good else 0, "seq": seq, "ok": failed is None, "ms": ms,
                "course": good.course.title if good else None, "tracks": tracks, "layoutChoices": list(LAYOUTS),
                "suspendLimit12": SUSPEND_LIMIT_12,
                "diagnostics": [dict(severity=d.severity, code=d.code, message=d.message, path=d.path, line=d.line,
                                     hint=d.hint, text=format_text(d)) for d in diags]}

    def wait(self, since: int, timeout: float) -> dict:
        with self.cond:
            self.cond.wait_for(lambda: self.seq > since, timeout=timeout)
            return {"build": self.good.number if self.good else 0, "seq": self.seq, "ok": self.failed is None}


def _md_edit(change) -> bool:
    """A Markdown file was modified (not added or removed): only that file needs reading again."""
    kind, path = change
    return getattr(kind, "name", str(kind)) == "modified" and path.endswith(".md")


def _short(path: str, src: Path) -> str:
    try:
        return Path(path).resolve().relative_to(src.resolve()).as_posix()
    except ValueError:
        return path


# ---- HTTP ------------------------------------------------------------------------------------------

def _handler(preview: Preview, static_dir: Path):
    class Handler(BaseHTTPRequestHandler):
        server_version = "coursepack-preview"

        def log_message(self, *args):  # noqa: D401 - quiet
            pass

        def _send(self, status: int, body: bytes, ctype: str):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, data, status: int = 200):
            self._send(status, json.dumps(data, ensure_ascii=False).encode(), STATIC_TYPES[".json"])

        def _not_found(self, what: str = "not found"):
            self._send(404, what.encode(), "text/plain; charset=utf-8")

        def do_HEAD(self):  # noqa: N802 - http.server API
            self.do_GET()

        def do_GET(self):  # noqa: N802 - http.server API
            # a page on another site cannot reach the preview through a name that points here
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
            if host not in ("127.0.0.1", "localhost"):
                return self._send(403, b"the preview answers only to 127.0.0.1 and localhost",
                                  "text/plain; charset=utf-8")
            url = urlparse(self.path)
            path = unquote(url.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            try:
                if path in ("/", "/index.html"):
                    return self._static("preview.html")
                if path.startswith("/__preview/static/"):
                    return self._static(path[len("/__preview/static/"):])
                if path == "/__preview/state":
                    return self._json(preview.state())
                if path == "/__version":
                    since = int(query.get("since", "-1") or -1)
                    return self._json(preview.wait(since, min(float(query.get("wait", 20)), 25.0)))
                if preview.good is None:
                    return self._send(503, b"the course has not built yet; see the terminal",
                                      "text/plain; charset=utf-8")
                if path == "/__preview/package":
                    return self._package_info(query)
                if path.startswith("/pkg/"):
                    return self._package_file(path)
                if path.startswith("/guide/"):
                    tid = path[len("/guide/"):].strip("/")
                    if tid not in preview.good.tracks:
                        return self._not_found("no such track")
                    return self._send(200, preview.guide(tid), STATIC_TYPES[".html"])
                return self._not_found()
            except CourseError as exc:
                text = "\n".join(format_text(d) for d in exc.report.sorted())
                return self._send(500, text.encode(), "text/plain; charset=utf-8")
            except (BrokenPipeError, ConnectionResetError):
                return None
            except Exception as exc:  # noqa: BLE001 - one request fails, the server goes on
                return self._send(500, f"internal error: {type(exc).__name__}: {exc}".encode(),
                                  "text/plain; charset=utf-8")

        def _static(self, name: str):
            f = (static_dir / name).resolve()
            if not f.is_relative_to(static_dir.resolve()) or not f.is_file():
                return self._not_found()
            self._send(200, f.read_bytes(), STATIC_TYPES.get(f.suffix, "application/octet-stream"))

        def _package_info(self, q: dict):
            build = preview.good
            tid, version, layout = q.get("track", ""), q.get("version", ""), q.get("layout", "")
            if tid not in build.tracks or version not in ("1.2", "2004-3rd", "2004-4th") or layout not in LAYOUTS:
                return self._json({"error": "no such track, version or layout"}, 404)
            packages = []
            for unit in build.units(tid, layout):
                scos, files = preview.package(unit.id, version, layout, build=build)
                launch = {sco.href for sco in scos}
                packages.append({
                    "id": unit.id, "title": unit.title, "base": f"/pkg/{unit.id}/{version}/{layout}/",
                    "files": len(files), "bytes": sum(len(b) for b in files.values()),
                    "scos": [{"key": s.key, "title": s.title, "href": s.href} for s in scos],
                    "pages": sorted(p for p in files if p.endswith(".html") and p not in launch)})
            return self._json({"build": build.number, "track": tid, "version": version, "layout": layout,
                               "runtime": runtime(version), "mastery": build.tracks[tid].mastery_score,
                               "packages": packages})

        def _package_file(self, path: str):
            parts = path[len("/pkg/"):].split("/", 3)
            if len(parts) < 4 or parts[2] not in LAYOUTS or parts[1] not in ("1.2", "2004-3rd", "2004-4th") \
                    or preview.good.unit(parts[0], parts[2]) is None:
                return self._not_found("no such package")
            build = preview.good
            if build.unit(parts[0], parts[2]) is None:  # a rebuild just removed it
                return self._not_found("no such package")
            _, files = preview.package(*parts[:3], build=build)
            rel = parts[3] or "index.html"
            if rel not in files:
                return self._not_found(f"{rel} is not in the package")
            ctype = STATIC_TYPES.get(Path(rel).suffix.lower()) or mimetypes.guess_type(rel)[0] or \
                "application/octet-stream"
            return self._send(200, files[rel], ctype)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(preview: Preview, port: int) -> _Server:
    """Bind 127.0.0.1:port (0: any free port). Never another interface."""
    static_dir = default_templates_dir() / "preview"
    try:
        return _Server(("127.0.0.1", port), _handler(preview, static_dir))
    except OSError as exc:
        raise PreviewError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}",
                           hint="choose another port with --port N (0: any free port)") from None


def _watch(preview: Preview, stop: threading.Event, log) -> None:
    import watchfiles

    root = preview.src.resolve()
    # coursepack's own templates too: a change there (by a theme author or a developer) re-reads everything
    paths = [root] + [d for d in [default_templates_dir().resolve()] if d.is_dir() and not d.is_relative_to(root)]
    try:
        for changes in watchfiles.watch(*paths, stop_event=stop, debounce=400, step=30, raise_interrupt=False,
                                        rust_timeout=500, yield_on_timeout=False):
            if stop.is_set():
                break
            if changes:
                preview.rebuild(changes)
    except Exception as exc:  # noqa: BLE001 - e.g. the system's limit of watched folders
        log(f"cannot watch {root} any more ({type(exc).__name__}: {exc}); saves are not picked up: "
            "restart the preview")


def serve(src: Path, port: int = 8000, open_browser: bool = False, allow_remote_templates: bool = False,
          out=None, err=None) -> int:
    """Run the preview until Ctrl-C; return the exit code (0)."""
    import sys

    out = out or sys.stdout
    err = err or sys.stderr

    def log(text: str) -> None:
        print(f"coursepack preview: {text}" if "\n" not in text and not text.startswith(" ") else text,
              file=err, flush=True)

    try:
        import watchfiles  # noqa: F401 - fail early, with a clear message
    except ImportError:
        raise PreviewError("the preview needs the Python package watchfiles, which is not installed",
                           hint="pip install watchfiles (or reinstall coursepack)") from None
    preview = Preview(src, allow_remote_templates=allow_remote_templates, log=log)
    server = make_server(preview, port)
    stop = threading.Event()
    serving = False
    saved = {}
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C stops the preview even when the shell started it with SIGINT ignored (a background
        # job); SIGTERM stops it the same way
        for sig, handler in ((signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, _interrupt)):
            saved[sig] = signal.signal(sig, handler)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        preview.rebuild(None)
        watcher = threading.Thread(target=_watch, args=(preview, stop, log), daemon=True, name="cp-watch")
        watcher.start()
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True,
                         name="cp-http").start()
        serving = True
        print(f"coursepack preview: serving {src} at {url} (only this computer can reach it); "
              "Ctrl-C to stop", file=out, flush=True)
        if open_browser:
            webbrowser.open(url)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("coursepack preview: stopped", file=out, flush=True)
        return 0
    finally:
        stop.set()
        if serving:
            server.shutdown()
        server.server_close()
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


__all__ = ["Preview", "PreviewError", "make_server", "serve", "SUSPEND_LIMIT_12"]
