"""Reproducible zips, written atomically.

Same files in, same bytes out: entries in a fixed order (the manifest first, then
sorted paths), one timestamp (``SOURCE_DATE_EPOCH`` or 1980-01-01), fixed
permissions, no directory entries. A zip is first written beside its target and
then renamed over it, so a failed build never leaves a half-written package.
"""
from __future__ import annotations

import os
import tempfile
import time
import zipfile
from pathlib import Path

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


def zip_bytes_to(path: Path, files: dict[str, bytes]) -> None:
    stamp = zip_timestamp()
    names = sorted(files, key=lambda n: (n != "imsmanifest.xml", n))
    with zipfile.ZipFile(path, "w") as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            zf.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)


class AtomicWriter:
    """Stage every output next to its target; publish all at once with rename."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.staged: list[tuple[Path, Path]] = []

    def stage_zip(self, name: str, files: dict[str, bytes]) -> Path:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        target = self.out_dir / name
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out_dir)
        os.close(fd)
        tmp_path = Path(tmp)
        try:
            zip_bytes_to(tmp_path, files)
            os.chmod(tmp_path, 0o644)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise
        self.staged.append((tmp_path, target))
        return target

    def commit(self) -> None:
        """Publish every staged zip; check all targets first so a build is never half published."""
        for _tmp, target in self.staged:
            if target.exists() and not target.is_file():
                raise OSError(f"{target} exists and is not a file; nothing was replaced")
        for tmp, target in self.staged:
            os.replace(tmp, target)
        self.staged.clear()

    def abort(self) -> None:
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged.clear()
