"""Load session plans in parallel processes (``--jobs``).

Reading a session plan and converting its Markdown is most of a build's time, and one session
never depends on another. :class:`ParallelLoader` is the ordinary loader with one change: when
a track is about to be read, its session files are handed out in chunks to a process pool, and
each ``session()`` call then takes its result (the Session and the diagnostics it produced)
from the pool instead of doing the work itself. The main process still walks the course in the
same order and appends each session's diagnostics when that session is reached, so the course,
the report and therefore the zips are the same as with one process.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from pydantic import BaseModel

from . import models as m
from .content import clear_caches
from .diagnostics import Report, relpath
from .loader import SESSION_RE, _Loader

CHUNK = 8  # session files per task: large enough to amortise pickling, small enough to balance
MIN_PARALLEL = 8  # fewer session files than this in a track: not worth a pool


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def load_course_parallel(src: Path, jobs: int) -> tuple[m.Course | None, Report]:
    """Like loader.load_course, with session plans read by ``jobs`` processes."""
    report = Report()
    clear_caches()
    loader = ParallelLoader(src.resolve(), report, jobs)
    try:
        course = loader.course()
    except OSError as exc:  # the same handling as loader.load_course
        where = relpath(Path(exc.filename), loader.root) if exc.filename else None
        report.error("unreadable", f"cannot read: {exc.strerror or exc}", path=where,
                     hint="check the permissions of this file or folder")
        course = None
    finally:
        loader.close()
    return course, report


class ParallelLoader(_Loader):
    def __init__(self, root: Path, report: Report, jobs: int):
        super().__init__(root, report)
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._pending: dict[Path, tuple[Future, int]] = {}
        self._todo: list[Path] = []

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def track(self, d: Path, course: m.CourseFile) -> m.Track | None:
        files = self._session_files(d)
        self._todo = files if self.jobs > 1 and len(files) >= MIN_PARALLEL else []
        try:
            return super().track(d, course)
        finally:
            for fut, _ in self._pending.values():
                fut.cancel()
            self._pending.clear()
            self._todo = []

    def session(self, path: Path, track_id: str) -> m.Session | None:
        return compact(self._session(path, track_id))

    def _session(self, path: Path, track_id: str) -> m.Session | None:
        if self._todo and path in self._todo:  # the track's first session: hand them all out now
            pool = self._get_pool()
            for i in range(0, len(self._todo), CHUNK):
                chunk = self._todo[i: i + CHUNK]
                fut = pool.submit(_load_chunk, [str(f) for f in chunk], track_id)
                for k, f in enumerate(chunk):
                    self._pending[f] = (fut, k)
            self._todo = []
        got = self._pending.pop(path, None)
        if got is None:
            return super().session(path, track_id)
        fut, k = got
        session, items = fut.result()[k]
        self.report.items.extend(items)
        return session

    def _session_files(self, d: Path) -> list[Path]:
        """The session files track() will read, in its order (a file missed here is simply read serially)."""
        try:
            entries = sorted(d.iterdir())
        except OSError:
            return []
        files = [f for f in entries if f.is_file() and SESSION_RE.match(f.name)]
        for sub in entries:
            if sub.is_dir() and not sub.name.startswith((".", "_")) and sub.name != "handouts":
                try:
                    files += [f for f in sorted(sub.iterdir()) if f.is_file() and SESSION_RE.match(f.name)]
                except OSError:
                    pass
        return files

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx, initializer=_init_worker,
                                             initargs=(str(self.root), frozenset(self.session_paths), os.getpid()))
        return self._pool


# ---- memory: a loaded course is read-only ----------------------------------------------------------
# Pydantic gives every model instance its own set of the field names it was given. A session
# of a typical course is some 130 model instances, and these sets were a third of its memory
# (42 KB per session, 420 MB for 10,000 sessions). Nothing changes a model after loading, so
# instances with the same fields share one set.

_FIELD_SETS: dict[tuple[type, frozenset], set] = {}


def compact(obj):
    """Share equal ``__pydantic_fields_set__`` sets inside ``obj`` (a model, list or dict); return obj."""
    if isinstance(obj, BaseModel):
        mine = obj.__pydantic_fields_set__
        shared = _FIELD_SETS.setdefault((type(obj), frozenset(mine)), mine)
        if shared is not mine:
            object.__setattr__(obj, "__pydantic_fields_set__", shared)
        for v in obj.__dict__.values():
            if isinstance(v, (BaseModel, list, tuple, dict)):
                compact(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            if isinstance(v, (BaseModel, list, tuple, dict)):
                compact(v)
    elif isinstance(obj, dict):
        for v in obj.values():
            if isinstance(v, (BaseModel, list, tuple, dict)):
                compact(v)
    return obj


# ---- worker side ---------------------------------------------------------------------------

_WORKER: _Loader | None = None


def _init_worker(root: str, session_paths: frozenset[str], parent: int | None = None) -> None:
    global _WORKER
    if parent is not None:  # a build killed with SIGKILL cannot stop its workers: they notice and exit
        threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    clear_caches()
    _WORKER = _Loader(Path(root), Report())
    _WORKER.session_paths = set(session_paths)


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _load_chunk(paths: list[str], track_id: str) -> list[tuple[m.Session | None, list]]:
    out = []
    for p in paths:
        _WORKER.report = Report()
        session = _WORKER.session(Path(p), track_id)
        out.append((session, _WORKER.report.items))
    return out
