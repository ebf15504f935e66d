"""The pipeline: load and check the whole course, then render and package.

    load_course  ->  check_course  ->  (fail once with every problem)
                 ->  plan_scos -> render pages -> build_manifest -> zip (atomic)
"""
from __future__ import annotations

import functools
import json
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import models as m
from .checks import check_course
from .content import asset_href, check_remote_templates
from .datamodel import check_datamodel
from .diagnostics import CourseError, Report
from .guide import guide_name, guide_pieces
from .loader import load_course
from .package import AtomicWriter, batched, zip_bytes_to
from .parallel import default_jobs, load_course_parallel
from . import render as render_mod
from .render import Renderer, plan_scos
from .scorm import FILE_SUFFIX, ManifestInput, build_manifest, runtime

DEFAULT_LAYOUT = {"1.2": "multi-sco", "2004-3rd": "single-sco", "2004-4th": "single-sco"}


class UsageError(Exception):
    """The request itself is wrong (unknown track, bad option): exit code 2."""


@dataclass
class PackageResult:
    path: Path
    track: str
    version: str
    layout: str
    scos: int
    questions: int
    size: int
    kind: str = "scorm"  # "scorm" (a zip) or "guide" (the facilitator's guide, HTML)
    datamodel_bytes: int | None = None  # largest tracking request Moodle may send for one SCO (datamodel.py)


def check(src: Path, strict: bool = False, jobs: int | None = None,
          allow_remote_templates: bool = False, load=None) -> tuple[m.Course, Report]:
    """Load and check everything; raise CourseError with every problem if any is fatal.

    ``load`` (optional) replaces the loader: a callable returning (course, report) (the preview's cache)."""
    course, report = load() if load is not None else _load(Path(src), jobs)
    if course is not None and not allow_remote_templates:
        check_remote_templates(Path(course.root), report)
    if course is not None:
        check_course(course, report)
        if not report.errors:
            renderer = Renderer(course)
            for track in course.tracks:
                if not renderer.messages(track.language)[1]:
                    report.warning("no-messages", f"there is no interface catalogue for language "
                                   f"'{track.language}'; English is used for buttons and labels",
                                   path=f"{track.folder}/track.yml",
                                   hint="add templates/messages/<language>.json (see docs/i18n.md)")
    if report.errors or course is None or (strict and report.warnings):
        raise CourseError(report)
    return course, report


def build_packages(
    src: Path,
    out: Path,
    *,
    tracks: list[str] | None = None,
    scorm: list[str] | None = None,
    layout: str | None = None,
    strict: bool = False,
    schemas: Path | None = None,
    guide: bool = False,
    jobs: int | None = None,
    allow_remote_templates: bool = False,
) -> tuple[list[PackageResult], Report]:
    course, report = check(src, strict=strict, jobs=jobs, allow_remote_templates=allow_remote_templates)
    selected = course.tracks
    if tracks:
        known = {t.id: t for t in course.tracks}
        unknown = [t for t in tracks if t not in known]
        if unknown:
            raise UsageError(f"unknown track {', '.join(repr(u) for u in unknown)}; the course has: "
                             + ", ".join(known))
        selected = [known[t] for t in dict.fromkeys(tracks)]
    schema_root = schemas or (Path(course.schemas) if course.schemas else None)

    renderer = Renderer(course)
    player = renderer.player_files()
    if "player/player.js" not in player:
        raise UsageError(f"the templates in {renderer.dirs} have no player/player.js")
    plan: list[tuple[m.Track, str, str]] = []
    datamodel: dict[tuple[str, str], int] = {}
    for track in selected:
        for version in scorm or track.scorm:
            lay = layout or track.layout or DEFAULT_LAYOUT[version]
            if version != "1.2" and lay == "multi-sco":
                report.warning("moodle-2004-multi-sco",
                               f"{track.id}: SCORM {version} with layout multi-sco: Moodle 4.3 records only the "
                               "first SCO of a 2004 package (later SCOs fail to initialise)",
                               path=f"{track.folder}/track.yml" if not layout else None,
                               hint="use the default layout single-sco for 2004")
            units = module_units(track) if lay == "single-sco" and track.split == "module" else [track]
            for unit in units:
                plan.append((unit, version, lay))
                datamodel[(unit.id, version)] = check_datamodel(unit, version, lay, report)
    if strict and report.warnings:
        raise CourseError(report)

    writer = AtomicWriter(Path(out))
    results: list[PackageResult] = []
    pending = None
    try:
        shared_by_track: dict[str, dict[str, bytes]] = {}
        for track, version, lay in plan:
            if track.id not in shared_by_track:  # the same in every version and layout: make it once
                shared_by_track[track.id] = _track_files(course, track, renderer, report) | player
        names = [f"{track.id}-{FILE_SUFFIX[version]}.zip" for track, version, _lay in plan]
        work = [(track, version, lay, renderer, shared_by_track[track.id], schema_root, writer.reserve(name))
                for (track, version, lay), name in zip(plan, names)]
        sessions = sum(len(t.sessions) for t in selected)
        pending = _start_packages(work, default_jobs() if jobs is None else jobs, sessions)
        guides = []
        if guide:  # made while the packages are written, when they are written by other processes
            for track in selected:
                path = _render(report, writer.stage_text, guide_name(track), guide_pieces(course, track, renderer))
                guides.append(PackageResult(path=path, track=track.id, version="", layout="", scos=0,
                                            questions=sum(len(q.questions) for s in track.sessions
                                                          for q in s.quizzes), size=writer.staged_size(path), kind="guide"))
        for (track, version, lay, *_rest, tmp), name, (scos, questions, size) in zip(work, names, pending()):
            path = writer.adopt(tmp, name)
            results.append(PackageResult(path=path, track=track.id, version=version, layout=lay, scos=scos,
                                         questions=questions, size=size,
                                         datamodel_bytes=datamodel[(track.id, version)]))
        results += guides
        writer.commit()
    except BaseException:
        if pending is not None:  # workers still writing must be gone before their files are removed
            pending.stop(kill=True)
        writer.abort()
        raise
    return results, report


def _load(src: Path, jobs: int | None) -> tuple[m.Course | None, Report]:
    """Read the course with ``jobs`` processes (default: one per CPU); the result does not depend on it."""
    return load_course_parallel(src, default_jobs() if jobs is None else jobs)  # jobs=1: no processes


def module_units(track: m.Track) -> list[m.Track]:
    """`split: module`: each module becomes the unit of a single-SCO package.

    A whole track in one SCO can hold more tracking data than Moodle 4.3 can send when the learner
    leaves (its unload request is capped at 64 KiB); one package per module (a training day) stays
    well under it, and each becomes its own activity and grade item in the LMS.
    """
    if all(not mod.key for mod in track.modules):  # no module folders: the whole track is one package
        return [track]
    units = []
    for n, mod in enumerate(track.modules, 1):
        if not mod.sessions:
            continue
        suffix = mod.key or f"part-{n}"
        units.append(track.model_copy(update={
            "id": f"{track.id}-{suffix}", "title": f"{track.title}: {mod.title}" if mod.title else track.title,
            "modules": [mod]}))
    return units or [track]


def _lazy_sco(renderer: Renderer):
    """SCO pages rendered when the zip writer reaches them, so one page is in memory at a time; the
    page's player data (most of a large page) is streamed too."""
    own = [d for d in renderer.dirs if d != renderer.default_dir and (Path(d) / "sco.html.j2").is_file()]
    if own:  # a course's own SCO template may use the player data in other ways: render it whole
        return lambda track, sco, rt: functools.partial(_render, None, renderer.render_sco, track, sco, rt)
    return lambda track, sco, rt: functools.partial(stream_sco, renderer, track, sco, rt)


def stream_sco(renderer: Renderer, track: m.Track, sco, rt: str):
    """Renderer.render_sco as pieces: the same text, without the player data or the page ever being
    one string.

    The template's context is made as usual, except that render.script_json (in this thread only)
    records the player data and returns a marker no course text can hold (random, made for this
    page); the template is then generated piece by piece and the JSON streamed in the marker's place
    (tests/test_jobs.py checks that the two give the same text)."""
    captured: list = []
    owner = threading.get_ident()
    real, real_question = render_mod.script_json, render_mod.question_data
    marker = "cp" + secrets.token_hex(16)

    def mark(data):
        if threading.get_ident() != owner:
            return real(data)
        captured.append(data)
        return marker

    def later(item):  # a question's data is made when its JSON is written, not all at once
        return _Later(item) if threading.get_ident() == owner else real_question(item)

    with _STREAM_LOCK:
        render_mod.script_json, render_mod.question_data = mark, later
        try:
            template, context = _render(None, renderer.sco_context, track, sco, rt)
        finally:
            render_mod.script_json, render_mod.question_data = real, real_question
    if len(captured) != 1:  # not the usual shape: render it whole
        return _render(None, renderer.render_sco, track, sco, rt)
    return _spliced(template, context, marker, captured[0], real_question)


def _spliced(template: jinja2.Template, context: dict, marker: str, data, question_data, size: int = 1 << 16):
    """The page in pieces of about ``size`` characters, with the player data's JSON streamed where
    ``marker`` is. The template's own render function is read directly (what ``render`` joins): the
    page has hundreds of thousands of small pieces, and every generator between costs."""
    buf, n = [], 0
    for piece in template.root_render_func(template.new_context(context)):
        if marker in piece:
            head, _, tail = piece.partition(marker)
            buf.append(head)
            yield "".join(buf)
            yield from batched(_json_pieces(data, question_data), size)
            buf, n = [tail], len(tail)
            continue
        buf.append(piece)
        n += len(piece)
        if n >= size:
            yield "".join(buf)
            buf, n = [], 0
    yield "".join(buf)


class _Later:
    __slots__ = ("item",)

    def __init__(self, item):
        self.item = item


_STREAM_LOCK = threading.Lock()


def _json_pieces(data, question_data=None):
    """script_json(data) in pieces: top-level values, and the items of large lists and dicts, one by one
    (a _Later question is turned into its data by ``question_data`` as it is written)."""
    def later(obj):
        if isinstance(obj, _Later) and question_data is not None:
            return question_data(obj.item)
        raise TypeError(f"{type(obj).__name__} is not JSON serializable")

    enc = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"), sort_keys=False, default=later)

    def safe(text: str) -> str:
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        yield safe(enc(data))
        return
    yield "{"
    for i, (k, v) in enumerate(data.items()):
        yield safe(("," if i else "") + enc(k) + ":")
        if isinstance(v, dict) and len(v) > 16 and all(isinstance(k2, str) for k2 in v):
            yield "{"
            for j, (k2, v2) in enumerate(v.items()):
                yield safe(("," if j else "") + enc(k2) + ":" + enc(v2))
            yield "}"
        elif isinstance(v, list) and len(v) > 16:
            yield "["
            for j, v2 in enumerate(v):
                yield safe(("," if j else "") + enc(v2))
            yield "]"
        else:
            yield safe(enc(v))
    yield "}"


def _render(report: Report | None, fn, *args) -> str:
    """Run a template; a broken or unsafe course template is the course's error, not a crash."""
    try:
        return fn(*args)
    except jinja2.TemplateError as exc:
        report = report or Report()
        name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        tb = exc.__traceback__
        while tb is not None:  # Jinja rewrites frames to point at the template file and line
            if tb.tb_frame.f_code.co_filename.endswith(".j2"):
                name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
        report.error("template", f"the template could not be rendered: {exc.message or exc}",
                     path=f"templates/{Path(name).name}" if name else "templates", line=line,
                     hint="fix the course's own template or delete it to use the default")
        raise CourseError(report) from None


def _schema_dir(root: Path, version: str) -> Path:
    sub = {"1.2": "scorm12", "2004-3rd": "scorm2004_3rd", "2004-4th": "scorm2004_4th"}[version]
    return root / sub if (root / sub).is_dir() else root


def _track_files(course: m.Course, track: m.Track, renderer: Renderer, report: Report) -> dict[str, bytes]:
    """Handout and about pages, and every asset the track uses."""
    files = {p.href: _render(report, renderer.render_page, track, p).encode() for p in track.pages}
    used = {a for s in track.sessions for a in s.assets} | {a for p in track.pages for a in p.assets}
    if course.logo:
        used.add(course.logo)
    for a in sorted(used):
        files[asset_href(a)] = Path(course.assets[a]).read_bytes()
    return files


def package_files(track: m.Track, version: str, layout: str, renderer: Renderer, shared: dict[str, bytes],
                  schema_root: Path | None, render_sco=None) -> tuple[list, dict[str, bytes]]:
    """The SCOs and the {path: bytes} of one package, exactly what goes into its zip (used by the
    build and by ``coursepack preview``). ``render_sco(track, sco, runtime)`` may replace the
    renderer's (the preview caches pages); it must return the same bytes."""
    scos = plan_scos(track, layout)
    rt = runtime(version)
    render_sco = render_sco or (lambda t, sco, r: _render(None, renderer.render_sco, t, sco, r).encode())
    files = {sco.href: render_sco(track, sco, rt) for sco in scos}
    files.update(shared)
    if schema_root is not None:
        sdir = _schema_dir(schema_root, version)
        needed = "imscp_rootv1p1p2.xsd" if version == "1.2" else "imscp_v1p1.xsd"
        if not (sdir / needed).is_file():
            raise UsageError(f"the schema folder {sdir} has no {needed}; point it at the XSDs of SCORM {version}")
        for f in sorted(sdir.rglob("*")):
            if f.is_file() and f.suffix.lower() in (".xsd", ".dtd"):
                files[f.relative_to(sdir).as_posix()] = f.read_bytes()
    launch_pages = {sco.href for sco in scos}
    files["imsmanifest.xml"] = build_manifest(ManifestInput(
        track=track, version=version, layout=layout, scos=scos,
        common_files=sorted(f for f in files if f not in launch_pages), schema_files=schema_root is not None,
    ))
    return scos, files


def _write_package(track: m.Track, version: str, layout: str, renderer: Renderer, shared: dict[str, bytes],
                   schema_root: Path | None, tmp: Path) -> tuple[int, int, int]:
    """Render one package and zip it into its staging file ``tmp``: (SCOs, questions, bytes)."""
    scos, files = package_files(track, version, layout, renderer, shared, schema_root, render_sco=_lazy_sco(renderer))
    zip_bytes_to(tmp, files)
    return len(scos), sum(s.questions for s in scos), tmp.stat().st_size


# ---- --jobs: packages written by forked processes ----------------------------------------------------
# Once the course is loaded, each package (a track in one SCORM version) is rendered and zipped
# independently. With more than one job, a forked process writes each package: it inherits the
# loaded course instead of receiving it pickled, writes the zip into the staging file the main
# process created and holds the lock of, and returns three numbers. The bytes are those of the
# serial build (the same code makes them); the main process makes the guides meanwhile.

FORK_MIN_SESSIONS = 40  # smaller courses: starting processes costs more than it saves
_FORK_WORK: list = []


def _start_packages(work: list, jobs: int, sessions: int):
    """Start writing every package; return a function that waits for (SCOs, questions, bytes) of each."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if jobs < 2 or len(work) < 2 or sessions < FORK_MIN_SESSIONS \
            or "fork" not in multiprocessing.get_all_start_methods():
        def serial() -> list:
            return [_write_package(*w) for w in work]
        serial.stop = lambda kill=False: None
        return serial
    global _FORK_WORK
    _FORK_WORK = work
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(work)), mp_context=multiprocessing.get_context("fork"))
    futures = [pool.submit(_write_forked, i) for i in range(len(work))]

    def wait() -> list:
        try:
            out = []
            for f in futures:
                kind, value = f.result()
                if kind == "course":
                    raise CourseError(Report(items=value))
                if kind == "usage":
                    raise UsageError(value)
                if kind == "os":
                    raise OSError(*value)
                out.append(value)
            return out
        finally:
            stop()

    def stop(kill: bool = False) -> None:
        global _FORK_WORK
        if kill:  # the build failed or was interrupted: what the workers write is thrown away
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        _FORK_WORK = []
    wait.stop = stop
    return wait


def _write_forked(i: int):
    """In a forked process: write package ``i``; errors come back as plain data (they must pickle)."""
    try:
        return "ok", _write_package(*_FORK_WORK[i])
    except CourseError as exc:
        return "course", exc.report.items
    except UsageError as exc:
        return "usage", str(exc)
    except OSError as exc:
        return "os", (exc.errno, exc.strerror or str(exc), exc.filename)
