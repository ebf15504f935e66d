"""The command line: the only place that prints or exits.

Exit codes: 0 success, 1 the course is invalid, 2 the command line is wrong,
3 an internal error (a bug in coursepack: please report it).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .build import UsageError, build_packages, check
from .diagnostics import CourseError, Report, format_github, format_text, to_json

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

DESCRIPTION = """\
Turn Markdown session plans into SCORM packages.

  coursepack check [SRC]            validate the whole course, report every problem
  coursepack build [SRC] [options]  validate, then write SCORM zips into --out

SRC is the course folder (default: course_src). Exit codes: 0 success, 1 the course
is invalid, 2 the command line is wrong or the output cannot be written, 3 internal
error. See docs/authoring.md."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="coursepack", description=DESCRIPTION,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"coursepack {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def common(sp):
        sp.add_argument("src", nargs="?", default="course_src", metavar="SRC",
                        help="course folder (default: course_src)")
        sp.add_argument("--strict", action="store_true", help="treat warnings as errors")
        sp.add_argument("--format", choices=["text", "json", "github"], default="text",
                        help="how to print diagnostics: text (default), json, or github (workflow annotations)")

    c = sub.add_parser("check", help="validate the course and report every problem",
                       description="Validate the whole course and report every problem; write nothing.")
    common(c)
    b = sub.add_parser("build", help="validate, then build SCORM packages",
                       description="Validate the whole course, then write one zip per track and SCORM version. "
                       "Nothing is written unless the whole course is valid; existing zips are replaced atomically.")
    common(b)
    b.add_argument("--out", default="dist", metavar="DIR", help="output folder (default: dist)")
    b.add_argument("--track", action="append", metavar="ID", help="build only this track (repeatable)")
    b.add_argument("--scorm", action="append", choices=["1.2", "2004-3rd", "2004-4th"],
                   help="SCORM version to build (repeatable; default: the course's `scorm`, else 1.2 and 2004-4th)")
    b.add_argument("--layout", choices=["multi-sco", "single-sco"],
                   help="multi-sco: one SCO per session; single-sco: one SCO per track "
                        "(default: multi-sco for 1.2, single-sco for 2004, because Moodle loses later SCOs of a "
                        "2004 multi-SCO package)")
    b.add_argument("--schemas", metavar="DIR",
                   help="ship the SCORM XSD files from DIR in each package and name them in xsi:schemaLocation "
                        "(DIR holds one edition's XSDs, or scorm12/, scorm2004_3rd/, scorm2004_4th/ folders)")
    return p


def _emit(report: Report, fmt: str, stream) -> None:
    """Diagnostics as text or GitHub annotations (JSON is printed with the result)."""
    for d in report.sorted():
        print(format_github(d) if fmt == "github" else format_text(d), file=stream)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("coursepack: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a message
        print(f"coursepack: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in coursepack, not in your course. Please report it with the command you ran.",
              file=sys.stderr)
        return EXIT_INTERNAL


def _run(args) -> int:
    src = Path(args.src)
    if not src.exists():
        print(f"coursepack: error: the course folder '{src}' does not exist", file=sys.stderr)
        return EXIT_USAGE
    if not src.is_dir():
        print(f"coursepack: error: '{src}' is not a folder", file=sys.stderr)
        return EXIT_USAGE
    fmt = args.format
    try:
        if args.command == "check":
            course, report = check(src, strict=args.strict)
            result = {"ok": True, "tracks": [{"id": t.id, "sessions": len(t.sessions)} for t in course.tracks]}
            summary = f"{src}: OK — {len(course.tracks)} track(s), " \
                      f"{sum(len(t.sessions) for t in course.tracks)} session(s)"
        else:
            if Path(args.out).exists() and not Path(args.out).is_dir():
                print(f"coursepack: error: --out: '{args.out}' exists and is not a folder", file=sys.stderr)
                return EXIT_USAGE
            if args.schemas and not Path(args.schemas).is_dir():
                print(f"coursepack: error: --schemas: '{args.schemas}' is not a folder", file=sys.stderr)
                return EXIT_USAGE
            results, report = build_packages(src, Path(args.out), tracks=args.track, scorm=args.scorm,
                                             layout=args.layout, strict=args.strict,
                                             schemas=Path(args.schemas) if args.schemas else None)
            result = {"ok": True, "packages": [
                {"path": str(r.path), "track": r.track, "scorm": r.version, "layout": r.layout, "scos": r.scos,
                 "questions": r.questions, "bytes": r.size} for r in results]}
            summary = "\n".join(
                f"{r.path}  SCORM {r.version}  {r.layout}  {r.scos} SCO{'s' if r.scos != 1 else ''}  "
                f"{r.questions} questions  {r.size / 1024:.0f} KiB" for r in results)
    except CourseError as exc:
        report = exc.report
        if fmt == "json":
            print(json.dumps({"ok": False, "errors": len(report.errors), "warnings": len(report.warnings),
                              "diagnostics": json.loads(to_json(report.sorted()))}, ensure_ascii=False, indent=2))
        else:
            _emit(report, fmt, sys.stderr)
            strict_note = " (--strict: warnings count as errors)" if args.strict and report.warnings else ""
            print(f"coursepack: {len(report.errors)} error(s), {len(report.warnings)} warning(s){strict_note}; "
                  "nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except UsageError as exc:
        print(f"coursepack: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the output folder cannot be created or written
        print(f"coursepack: error: cannot write the packages to '{getattr(args, 'out', '')}': "
              f"{exc.strerror or exc}{' (' + exc.filename + ')' if getattr(exc, 'filename', None) else ''}; "
              "existing packages were left as they were", file=sys.stderr)
        return EXIT_USAGE
    if fmt == "json":
        result["warnings"] = len(report.warnings)
        result["diagnostics"] = json.loads(to_json(report.sorted()))
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _emit(report, fmt, sys.stderr)
        print(summary)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
