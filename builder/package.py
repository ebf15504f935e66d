"""Reproducible zips, written atomically.

Same files in, same bytes out: entries in a fixed order (the manifest first, then
sorted paths), one timestamp (``SOURCE_DATE_EPOCH`` or 1980-01-01), fixed
permissions, no directory entries. A zip is first written beside its target and
then renamed over it, so a failed build never leaves a half-written package.

Staging files are named ``.NAME.XXXXXXXX.tmp`` (``tempfile.mkstemp``) and locked (``flock``)
by the build that writes them for as long as they exist. A build killed with SIGKILL leaves its
staging files behind, but the kernel drops its locks; the next build into the same folder
removes every file of exactly that naming pattern whose lock it can take, and nothing else.
"""
from __future__ import annotations

import os
import re
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: fall back to the age of the file
    fcntl = None

ZIP_EPOCH_MIN = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip can hold
ZIP_EPOCH_MAX = 4354819198  # 2107-12-31T23:59:58Z, the latest


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        epoch = int(raw) if raw else ZIP_EPOCH_MIN
    except ValueError:
        epoch = ZIP_EPOCH_MIN
    epoch = min(max(epoch, ZIP_EPOCH_MIN), ZIP_EPOCH_MAX)
    return time.gmtime(epoch)[:6]


STREAM_SLICE = 1 << 20  # characters of a large text entry encoded and compressed at a time


def _slices(text: str):
    for i in range(0, len(text), STREAM_SLICE):
        yield text[i: i + STREAM_SLICE]


def batched(pieces, size: int = 1 << 16):
    """Small text pieces joined into pieces of about ``size`` characters (fewer, larger writes)."""
    buf, n = [], 0
    for p in pieces:
        buf.append(p)
        n += len(p)
        if n >= size:
            yield "".join(buf)
            buf, n = [], 0
    if buf:
        yield "".join(buf)


def zip_bytes_to(path: Path, files: dict[str, Any]) -> None:
    """Write ``files`` as a reproducible zip.

    A value is the file's bytes, or a function that makes them when the entry is written (bytes,
    text, or an iterable of either, streamed into the entry), so a large track never has to be in
    memory all at once. Either way the zip is byte for byte the same.
    """
    stamp = zip_timestamp()
    names = sorted(files, key=lambda n: (n != "imsmanifest.xml", n))
    with zipfile.ZipFile(path, "w") as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            info._compresslevel = 6  # what writestr(compresslevel=6) sets; open() takes it from here
            data = files[name]
            if callable(data):
                data = data()
            if isinstance(data, str):
                if len(data) <= STREAM_SLICE:
                    data = data.encode("utf-8")
                else:  # a large page: encode it a slice at a time instead of copying it whole
                    data = _slices(data)
            if isinstance(data, (bytes, bytearray, memoryview)):
                zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
                continue
            with zf.open(info, "w") as dest:  # an iterable of pieces: stream it
                for piece in data:
                    dest.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            del data


class AtomicWriter:
    """Stage every output next to its target; publish all at once with rename."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.staged: list[tuple[Path, Path]] = []
        self._locks: dict[Path, int] = {}  # staging file -> open descriptor holding its lock
        self.removed_stale = remove_stale_staging(out_dir)

    def stage_zip(self, name: str, files: dict[str, bytes]) -> Path:
        return self._stage(name, lambda path: zip_bytes_to(path, files))

    def stage_text(self, name: str, pieces) -> Path:
        """Stage one text file (the facilitator's guide) written as UTF-8 from ``pieces`` (strings) as
        they come, so a large one is never in memory whole."""
        def write(path: Path) -> None:
            with open(path, "wb") as f:
                for piece in pieces:
                    f.write(piece.encode("utf-8"))
        return self._stage(name, write)

    def staged_size(self, target: Path) -> int:
        """The size of the file staged for ``target``."""
        return next(tmp for tmp, t in self.staged if t == target).stat().st_size

    def reserve(self, name: str) -> Path:
        """A locked staging file for ``name`` that another process (a --jobs worker) fills;
        publish it with :meth:`adopt`."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        return self._new_staging_file(name)

    def adopt(self, tmp: Path, name: str) -> Path:
        os.chmod(tmp, 0o644)
        target = self.out_dir / name
        self.staged.append((tmp, target))
        return target

    def _stage(self, name: str, write) -> Path:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        target = self.out_dir / name
        tmp_path = self._new_staging_file(name)
        try:
            write(tmp_path)
            os.chmod(tmp_path, 0o644)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            self._release(tmp_path)
            raise
        self.staged.append((tmp_path, target))
        return target

    def _new_staging_file(self, name: str) -> Path:
        """Create and lock a staging file; retry if a concurrent cleaner removed it before the lock was taken."""
        while True:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out_dir)
            if fcntl is None:
                os.close(fd)
                return Path(tmp)
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_nlink > 0:  # still in the folder: nobody can remove it while we hold the lock
                self._locks[Path(tmp)] = fd
                return Path(tmp)
            os.close(fd)

    def _release(self, tmp: Path) -> None:
        fd = self._locks.pop(tmp, None)
        if fd is not None:
            os.close(fd)

    def commit(self) -> None:
        """Publish every staged zip; check all targets first so a build is never half published."""
        for _tmp, target in self.staged:
            if target.exists() and not target.is_file():
                raise OSError(f"{target} exists and is not a file; nothing was replaced")
        for tmp, target in self.staged:
            os.replace(tmp, target)
            self._release(tmp)
        self.staged.clear()

    def abort(self) -> None:
        for tmp in [t for t, _ in self.staged] + [t for t in self._locks if t not in {s for s, _ in self.staged}]:
            tmp.unlink(missing_ok=True)
            self._release(tmp)
        self.staged.clear()


# exactly what _new_staging_file makes: "." + an output name + "." + mkstemp's 8 random characters + ".tmp"
STAGING_RE = re.compile(r"^\.[A-Za-z0-9][A-Za-z0-9._-]*\.(?:zip|html)\.[a-z0-9_]{8}\.tmp$")
STALE_AGE_WITHOUT_LOCKS = 24 * 3600  # seconds; only where flock does not exist


def remove_stale_staging(out_dir: Path) -> list[str]:
    """Delete staging files left by builds that died; return their names. Never raises.

    A file is removed only if its name has exactly the staging pattern, it is a regular file (not a
    link), and no live build holds its lock.
    """
    removed: list[str] = []
    try:
        names = os.listdir(out_dir)
    except OSError:
        return removed
    for name in sorted(names):
        if not STAGING_RE.match(name):
            continue
        path = os.path.join(out_dir, name)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue  # gone already, a symlink, or unreadable: not ours to touch
        try:
            st = os.fstat(fd)
            if not (st.st_mode & 0o170000 == 0o100000):
                continue
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live build is writing it
            elif time.time() - st.st_mtime < STALE_AGE_WITHOUT_LOCKS:
                continue
            cur = os.stat(path, follow_symlinks=False)
            if (cur.st_dev, cur.st_ino) == (st.st_dev, st.st_ino):  # still the file we locked
                os.unlink(path)
                removed.append(name)
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed
