"""Every diagnostic code the program can print has a row in docs/authoring.md, and every row a code."""
import re

from .conftest import ROOT

CALL_RE = re.compile(r"\.(?:error|warning)\(\s*\"([a-z0-9-]+)\"")  # report.error("code", …), self.report.warning(…
CLI_RE = re.compile(r"EXIT_[A-Z]+,\s*\"([a-z0-9-]+)\"")  # _fail(command, fmt, EXIT_USAGE, "usage", …)
ROW_RE = re.compile(r"^\| `([a-z0-9-]+)` \|", re.M)


def emitted_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for path in sorted((ROOT / "builder").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for rx in (CALL_RE, CLI_RE):
            for m in rx.finditer(text):
                codes.setdefault(m.group(1), f"builder/{path.name}:{text.count(chr(10), 0, m.start()) + 1}")
    return codes


def documented_codes() -> list[str]:
    """The first cells of the tables whose header starts with `| code |` (the key tables are skipped)."""
    codes, in_table = [], False
    for line in (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| code |"):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table:
            codes += ROW_RE.findall(line)
    return codes


def test_the_scan_finds_codes_in_each_kind_of_call():
    codes = emitted_codes()
    for known in ("unknown-key", "yaml-alias", "duration-mismatch", "usage", "internal-error", "manifest-id"):
        assert known in codes  # one-line, multi-line, CLI and verify calls


def test_every_emitted_code_is_documented():
    documented = set(documented_codes())
    missing = {code: where for code, where in emitted_codes().items() if code not in documented}
    assert not missing, "add a row to the diagnostics table in docs/authoring.md for:\n" + "\n".join(
        f"  | `{code}` | E/W | … |   (emitted at {where})" for code, where in sorted(missing.items()))


def test_every_documented_code_is_emitted_once_in_the_tables():
    rows = documented_codes()
    twice = sorted({c for c in rows if rows.count(c) > 1 and c not in ("missing-file", "unreadable")})
    assert not twice, f"codes listed twice in docs/authoring.md: {twice}"
    stale = sorted(set(rows) - set(emitted_codes()))
    assert not stale, f"docs/authoring.md lists codes the program never prints (remove the rows): {stale}"
