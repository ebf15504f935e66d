"""The command line: the only place that prints or exits.

Exit codes: 0 success, 1 the course (or package) is invalid, 2 the command line is wrong or the
output cannot be written, 3 an internal error (a bug in coursepack: please report it).

``--format json`` prints one JSON object of the same shape for every outcome, exit code 2 and 3
included; docs/diagnostics.schema.json describes it.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .build import UsageError, build_packages, check
from .diagnostics import CourseError, Diagnostic, Report, format_github, format_text

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
JSON_SCHEMA_ID = "coursepack-diagnostics/1"

DESCRIPTION = """\
Turn Markdown session plans into SCORM packages.

  coursepack check [SRC]             validate the whole course, report every problem
  coursepack build [SRC] [options]   validate, then write SCORM zips and facilitator's guides
  coursepack verify ZIP...           check any SCORM zip (from any tool) before an LMS sees it
  coursepack new course|track|session PATH
                                     write a new, commented course, track or session plan
  coursepack preview [SRC] [--port N] [--open]
                                     play the course in a local LMS simulator; rebuilds on save

SRC is the course folder (default: course_src). Exit codes: 0 success, 1 the course or
package is invalid, 2 the command line is wrong or the output cannot be written, 3 internal
error. `--format json` prints one JSON object (docs/diagnostics.schema.json) for every
outcome. See docs/authoring.md and docs/ci.md."""


class _UsageProblem(Exception):
    """argparse found a problem with the command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # noqa: D401 - argparse API
        raise _UsageProblem(f"{self.prog}: {message}")


FORMAT_HELP = ("how to print diagnostics: text (default), json (one object, see docs/diagnostics.schema.json), "
               "or github (workflow annotations; paths relative to the current folder)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="coursepack", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"coursepack {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def fmt(sp, choices=("text", "json", "github")):
        sp.add_argument("--format", choices=list(choices), default="text",
                        help=FORMAT_HELP if "github" in choices else FORMAT_HELP.split(", or github")[0])

    def common(sp):
        sp.add_argument("src", nargs="?", default="course_src", metavar="SRC",
                        help="course folder (default: course_src)")
        sp.add_argument("--strict", action="store_true", help="treat warnings as errors")
        sp.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                        help="read and convert session plans in N processes (default: the number of CPUs; "
                             "the output is the same for any N)")
        sp.add_argument("--allow-remote-templates", action="store_true",
                        help="accept course templates that load a script or style from the internet")
        fmt(sp)

    c = sub.add_parser("check", help="validate the course and report every problem",
                       description="Validate the whole course and report every problem; write nothing.")
    common(c)
    b = sub.add_parser("build", help="validate, then build SCORM packages",
                       description="Validate the whole course, then write one zip per track and SCORM version. "
                       "Nothing is written unless the whole course is valid; existing zips are replaced atomically.")
    common(b)
    b.add_argument("-o", "--out", default="dist", metavar="DIR", help="output folder (default: dist)")
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
    b.add_argument("--no-guide", action="store_true",
                   help="do not write the facilitator's guide (<track>-facilitator-guide.html, one per track)")

    v = sub.add_parser("verify", help="check SCORM zips from any tool before uploading them to an LMS",
                       description="Check SCORM zips made by any tool: imsmanifest.xml at the root and well-formed, "
                       "the SCORM version, every referenced file present, identifiers unique and valid, the default "
                       "organization and launch pages, file names every LMS can serve, no hidden system files, "
                       "and the size. Exit 1 when a package has a problem.")
    v.add_argument("zips", nargs="+", metavar="ZIP", help="the SCORM zip files to check")
    v.add_argument("--schemas", metavar="DIR",
                   help="also validate imsmanifest.xml against the SCORM XSD files in DIR (your own copy: one "
                        "edition's XSDs, or scorm12/, scorm2004_3rd/, scorm2004_4th/ folders)")
    fmt(v, ("text", "json", "github"))

    n = sub.add_parser("new", help="write a new course, track or session plan that passes check --strict",
                       description="Write commented starting files. `new course PATH` makes a whole course (one "
                       "track, one session with a quiz and a reflection); `new track PATH` a track folder inside "
                       "a course; `new session PATH` one session plan (PATH like my_course/track/02-next-step.md, "
                       "or a track folder: the next number is chosen). Existing files are never overwritten.")
    n.add_argument("kind", choices=["course", "track", "session"], help="what to create")
    n.add_argument("path", metavar="PATH", help="the folder (course, track) or file (session) to create")
    n.add_argument("--title", help="its title (default: made from PATH)")
    fmt(n, ("text", "json"))

    pv = sub.add_parser("preview", help="play the course in a local LMS simulator that rebuilds on every save",
                        description="Serve the course on http://127.0.0.1:PORT/ (this computer only) inside an LMS "
                        "simulator: SCORM 1.2 and 2004 run-times that show every API call and the data model. "
                        "Switch track, SCORM version, layout and the learner's or the facilitator's view; reset or "
                        "relaunch (resume). Saving a source file rebuilds what changed and reloads the page; the "
                        "packages served are byte for byte what `coursepack build` writes. Ctrl-C stops it. "
                        "See docs/preview.md.")
    pv.add_argument("src", nargs="?", default="course_src", metavar="SRC", help="course folder (default: course_src)")
    pv.add_argument("--port", type=_port, default=8000, metavar="N",
                    help="the port on 127.0.0.1 (default: 8000; 0: any free port)")
    pv.add_argument("--open", action="store_true", help="open the preview in the default web browser")
    pv.add_argument("--allow-remote-templates", action="store_true",
                    help="accept course templates that load a script or style from the internet")
    pv.set_defaults(format="text")
    return p


def _port(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if not 0 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, found '{value}'")
    return n


def _wanted_format(argv: list[str]) -> str:
    """The --format asked for, read before argparse so that usage errors can be JSON too."""
    for i, a in enumerate(argv):
        if a == "--format" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--format="):
            return a.split("=", 1)[1]
    return "text"


def _display_path(d: Diagnostic, base: Path | None) -> str | None:
    """The diagnostic's file relative to the current folder (what GitHub and editors expect)."""
    if not d.path or base is None:
        return d.path
    full = base / d.path if d.path != "." else base
    try:
        return Path(os.path.relpath(full)).as_posix()
    except ValueError:  # another drive on Windows
        return full.as_posix()


def _emit(report: Report, fmt: str, stream, base: Path | None) -> None:
    """Diagnostics as text (on ``stream``) or GitHub annotations (JSON is printed whole by _json_out).

    Annotations go to stdout: GitHub reads workflow commands from a step's standard output."""
    for d in report.sorted():
        if fmt == "github":
            print(format_github(d, path=_display_path(d, base)), file=sys.stdout, flush=True)
        else:
            print(format_text(d), file=stream)


def _json_out(command: str | None, exit_code: int, report: Report, src: str | None = None, **result) -> None:
    diags = report.sorted()
    out = {
        "schema": JSON_SCHEMA_ID,
        "command": command,
        "ok": exit_code == EXIT_OK,
        "exit_code": exit_code,
        "src": src,
        "errors": sum(d.severity == "error" for d in diags),
        "warnings": sum(d.severity == "warning" for d in diags),
        "diagnostics": [asdict(d) for d in diags],
        "tracks": result.get("tracks", []),
        "packages": result.get("packages", []),
        "guides": result.get("guides", []),
        "files": result.get("files", []),
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))


def _fail(command: str | None, fmt: str, exit_code: int, code: str, message: str, hint: str | None = None,
          src: str | None = None) -> int:
    """A problem that is not in the course: the command line, the output folder, a bug."""
    report = Report()
    report.error(code, message, hint=hint)
    if fmt == "json":
        _json_out(command, exit_code, report, src=src)
    else:
        if fmt == "github":
            print(format_github(report.items[0]), file=sys.stdout, flush=True)
        print(f"coursepack: error: {message}" + (f"\n    hint: {hint}" if hint else ""), file=sys.stderr)
    return exit_code


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    argv = list(sys.argv[1:] if argv is None else argv)
    wanted = _wanted_format(argv)
    wanted = wanted if wanted in ("json", "github") else "text"
    command = next((a for a in argv if a in ("check", "build", "verify", "new", "preview")), None)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except _UsageProblem as exc:
        if wanted != "json":
            parser.print_usage(sys.stderr)
        return _fail(command, wanted, EXIT_USAGE, "usage", str(exc), hint="run `coursepack --help`")
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
    if not args.command:
        if wanted == "json":
            return _fail(None, wanted, EXIT_USAGE, "usage", "no command given",
                         hint="use one of: check, build, verify, new, preview")
        parser.print_help()
        return EXIT_USAGE
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("coursepack: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a message
        return _fail(args.command, args.format, EXIT_INTERNAL, "internal-error",
                     f"internal error: {type(exc).__name__}: {exc}",
                     hint="this is a bug in coursepack, not in your course; please report it with the command you ran")


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 1 or more, found '{value}'")
    return n


def _run(args) -> int:
    if args.command == "verify":
        return _verify(args)
    if args.command == "new":
        return _new(args)
    if args.command == "preview":
        return _preview(args)
    src = Path(args.src)
    fmt = args.format
    if not src.exists():
        return _fail(args.command, fmt, EXIT_USAGE, "usage", f"the course folder '{src}' does not exist",
                     hint="name the course folder, e.g. `coursepack check my_course`, or create one with "
                          "`coursepack new course my_course`", src=str(src))
    if not src.is_dir():
        return _fail(args.command, fmt, EXIT_USAGE, "usage", f"'{src}' is not a folder", src=str(src))
    result: dict = {}
    try:
        if args.command == "check":
            course, report = check(src, strict=args.strict, jobs=args.jobs,
                                   allow_remote_templates=args.allow_remote_templates)
            result["tracks"] = [{"id": t.id, "sessions": len(t.sessions)} for t in course.tracks]
            summary = f"{src}: OK — {len(course.tracks)} track(s), " \
                      f"{sum(len(t.sessions) for t in course.tracks)} session(s)"
        else:
            if Path(args.out).exists() and not Path(args.out).is_dir():
                return _fail("build", fmt, EXIT_USAGE, "usage", f"--out: '{args.out}' exists and is not a folder",
                             src=str(src))
            if args.schemas and not Path(args.schemas).is_dir():
                return _fail("build", fmt, EXIT_USAGE, "usage", f"--schemas: '{args.schemas}' is not a folder",
                             src=str(src))
            results, report = build_packages(src, Path(args.out), tracks=args.track, scorm=args.scorm,
                                             layout=args.layout, strict=args.strict,
                                             schemas=Path(args.schemas) if args.schemas else None,
                                             guide=not args.no_guide, jobs=args.jobs,
                                             allow_remote_templates=args.allow_remote_templates)
            result["packages"] = [
                {"path": str(r.path), "track": r.track, "scorm": r.version, "layout": r.layout, "scos": r.scos,
                 "questions": r.questions, "bytes": r.size, "datamodel_bytes": r.datamodel_bytes}
                for r in results if r.kind == "scorm"]
            result["guides"] = [{"path": str(r.path), "track": r.track, "bytes": r.size}
                                for r in results if r.kind == "guide"]
            result["files"] = [str(r.path) for r in results]
            summary = "\n".join(
                f"{r.path}  SCORM {r.version}  {r.layout}  {r.scos} SCO{'s' if r.scos != 1 else ''}  "
                f"{r.questions} questions  {r.size / 1024:.0f} KiB" if r.kind == "scorm" else
                f"{r.path}  facilitator's guide  {r.size / 1024:.0f} KiB" for r in results)
    except CourseError as exc:
        report = exc.report
        if fmt == "json":
            _json_out(args.command, EXIT_INVALID, report, src=str(src))
        else:
            _emit(report, fmt, sys.stderr, src)
            strict_note = " (--strict: warnings count as errors)" if args.strict and report.warnings else ""
            shown = report.sorted()  # the same problem found twice is printed once: count what is printed
            print(f"coursepack: {sum(d.severity == 'error' for d in shown)} error(s), "
                  f"{sum(d.severity == 'warning' for d in shown)} warning(s){strict_note}; "
                  "nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except UsageError as exc:
        return _fail(args.command, fmt, EXIT_USAGE, "usage", str(exc), src=str(src))
    except OSError as exc:  # the output folder cannot be created or written
        return _fail(args.command, fmt, EXIT_USAGE, "output",
                     f"cannot write the packages to '{getattr(args, 'out', '')}': {exc.strerror or exc}"
                     f"{' (' + exc.filename + ')' if getattr(exc, 'filename', None) else ''}; "
                     "existing packages were left as they were",
                     hint="choose another --out folder, or check its permissions and free space", src=str(src))
    if fmt == "json":
        _json_out(args.command, EXIT_OK, report, src=str(src), **result)
    else:
        _emit(report, fmt, sys.stderr, src)
        print(summary)
    return EXIT_OK


def _verify(args) -> int:
    from .verify import verify_zip

    report = Report()
    packages = []
    for z in args.zips:
        info = verify_zip(Path(z), report, schemas=Path(args.schemas) if args.schemas else None)
        packages.append(info)
    bad = any(not p["ok"] for p in packages)
    code = EXIT_INVALID if bad else EXIT_OK
    if args.format == "json":
        _json_out("verify", code, report, packages=packages)
        return code
    _emit(report, args.format, sys.stderr, Path("."))
    for p in packages:
        if p["ok"]:
            print(f"{p['path']}: OK — SCORM {p['scorm'] or '?'}, {p['scos']} SCO{'s' if p['scos'] != 1 else ''}, "
                  f"{p['files']} files, {p['bytes'] / 1024:.0f} KiB"
                  + (f" ({p['warnings']} warning(s))" if p["warnings"] else ""))
        else:
            print(f"{p['path']}: NOT READY — {p['errors']} problem(s) an LMS would reject or mishandle", file=sys.stderr)
    return code


def _new(args) -> int:
    from .scaffold import ScaffoldError, scaffold

    try:
        files = scaffold(args.kind, Path(args.path), title=args.title)
    except ScaffoldError as exc:
        return _fail("new", args.format, EXIT_USAGE, "usage", str(exc), hint=exc.hint)
    except OSError as exc:
        return _fail("new", args.format, EXIT_USAGE, "output",
                     f"cannot write '{args.path}': {exc.strerror or exc}", hint="check the folder's permissions")
    if args.format == "json":
        _json_out("new", EXIT_OK, Report(), files=[str(f) for f in files])
    else:
        for f in files:
            print(f"created {f}")
        print(_NEXT_STEP[args.kind].format(path=args.path, course=_course_of(Path(args.path))))
    return EXIT_OK


def _preview(args) -> int:
    from .preview import PreviewError, serve

    src = Path(args.src)
    if not src.is_dir():
        return _fail("preview", "text", EXIT_USAGE, "usage", f"the course folder '{src}' does not exist"
                     if not src.exists() else f"'{src}' is not a folder",
                     hint="name the course folder, e.g. `coursepack preview my_course`", src=str(src))
    try:
        return serve(src, port=args.port, open_browser=args.open, allow_remote_templates=args.allow_remote_templates)
    except PreviewError as exc:
        return _fail("preview", "text", EXIT_USAGE, "usage", str(exc), hint=exc.hint, src=str(src))


_NEXT_STEP = {
    "course": "Next: edit the files, then run `coursepack check {path} --strict` and `coursepack build {path}`.",
    "track": "Next: add session plans with `coursepack new session {path}`, then `coursepack check {course}`.",
    "session": "Next: write the plan, then run `coursepack check {course}`.",
}


def _course_of(path: Path) -> str:
    for p in [path, *path.parents]:
        if (p / "course.yml").is_file():
            return str(p)
    return "COURSE_FOLDER"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
