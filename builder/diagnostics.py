"""Diagnostics: every problem found in a course, with its location.

The library never prints. Stages append :class:`Diagnostic` records to a
:class:`Report`; the CLI formats them as text, JSON or GitHub annotations.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" | "warning"
    code: str  # short stable identifier, e.g. "unknown-key"
    message: str  # what was found and what is allowed
    path: str | None = None  # file, relative to the course folder when possible
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    field: str | None = None  # e.g. "questions[2].choices"
    hint: str | None = None  # what to write instead

    def location(self) -> str:
        if not self.path:
            return "coursepack"
        loc = self.path
        if self.line:
            loc += f":{self.line}"
            if self.column:
                loc += f":{self.column}"
        return loc

    def sort_key(self):
        return (self.path or "", self.line or 0, self.column or 0, self.code, self.message)


@dataclass
class Report:
    """Collects diagnostics; stages never stop at the first problem."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: str, code: str, message: str, **where) -> None:
        self.items.append(Diagnostic(severity, code, message, **where))

    def error(self, code: str, message: str, **where) -> None:
        self.add(ERROR, code, message, **where)

    def warning(self, code: str, message: str, **where) -> None:
        self.add(WARNING, code, message, **where)

    def extend(self, other: "Report") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def sorted(self) -> list[Diagnostic]:
        seen, out = set(), []
        for d in sorted(self.items, key=Diagnostic.sort_key):
            if d not in seen:
                seen.add(d)
                out.append(d)
        return out


class CourseError(Exception):
    """Raised by the pipeline when the course is invalid; carries the full report."""

    def __init__(self, report: Report):
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report


def relpath(path: Path, root: Path) -> str:
    for p in (path, path.absolute()):
        try:
            return p.relative_to(root).as_posix() or "."
        except ValueError:
            pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# ---- formatting (used by the CLI) -------------------------------------------------------

def format_text(d: Diagnostic) -> str:
    where = f" ({d.field})" if d.field else ""
    text = f"{d.location()}: {d.severity}: {d.message}{where} [{d.code}]"
    if d.hint:
        text += f"\n    hint: {d.hint}"
    return text


def format_github(d: Diagnostic, path: str | None = None) -> str:
    """A workflow annotation; ``path`` (relative to the repository) replaces the course-relative one."""
    kind = "error" if d.severity == ERROR else "warning"
    params = []
    path = path or d.path
    if path:
        params.append(f"file={_gh_escape_prop(path)}")
    if d.line:
        params.append(f"line={d.line}")
    if d.column:
        params.append(f"col={d.column}")
    params.append(f"title={_gh_escape_prop('coursepack ' + d.code)}")
    msg = d.message + (f" ({d.field})" if d.field else "") + (f" Hint: {d.hint}" if d.hint else "")
    return f"::{kind} {','.join(params)}::{_gh_escape_data(msg)}"


def _gh_escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(s: str) -> str:
    return _gh_escape_data(s).replace(":", "%3A").replace(",", "%2C")


def to_json(diags: list[Diagnostic]) -> str:
    return json.dumps([asdict(d) for d in diags], ensure_ascii=False, indent=2)
