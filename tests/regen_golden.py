"""Regenerate tests/golden/ from the fixture courses: `make golden`.

* ``demo-*.xml``: the manifests of the v1 fixture (every question type) in each version and layout;
* ``visits-*``: the v2 fixture (learner and facilitator blocks, model answers, a self-check): its
  1.2 manifest, the learner's page of its first session (without the player data, which carries
  the message catalogue) and its facilitator's guide.

Review the diff before committing: every change in it is a change LMSs will see.
"""
from pathlib import Path
import re
import tempfile
import zipfile

from builder.build import build_packages

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "every-type"
V2 = ROOT / "tests" / "fixtures" / "valid" / "two-audiences"
GOLDEN = ROOT / "tests" / "golden"
CASES = [("1.2", "multi-sco"), ("2004-4th", "single-sco"), ("2004-3rd", "multi-sco")]


def golden_manifests() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for version, layout in CASES:
            results, _ = build_packages(FIXTURE, Path(tmp) / f"{version}-{layout}", scorm=[version], layout=layout)
            with zipfile.ZipFile(results[0].path) as zf:
                out[f"demo-{version}-{layout}.xml"] = zf.read("imsmanifest.xml")
        results, _ = build_packages(V2, Path(tmp) / "v2", scorm=["1.2"], guide=True)
        with zipfile.ZipFile(results[0].path) as zf:
            out["visits-1.2-multi-sco.xml"] = zf.read("imsmanifest.xml")
            page = zf.read("sco-first-visit.html")
        out["visits-first-visit-learner.html"] = re.sub(
            rb'(<script type="application/json" id="cp-data">).*?(</script>)', rb"\1\2", page, flags=re.S)
        out["visits-facilitator-guide.html"] = results[1].path.read_bytes()
    return out


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, data in golden_manifests().items():
        (GOLDEN / name).write_bytes(data)
        print(f"wrote tests/golden/{name}")


if __name__ == "__main__":
    main()
