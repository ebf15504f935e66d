"""Regenerate tests/golden/*.xml from the fixture course: `make golden`.

Review the diff before committing: every change in it is a change LMSs will see.
"""
from pathlib import Path
import tempfile
import zipfile

from builder.build import build_packages

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "every-type"
GOLDEN = ROOT / "tests" / "golden"
CASES = [("1.2", "multi-sco"), ("2004-4th", "single-sco"), ("2004-3rd", "multi-sco")]


def golden_manifests() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for version, layout in CASES:
            results, _ = build_packages(FIXTURE, Path(tmp) / f"{version}-{layout}", scorm=[version], layout=layout)
            with zipfile.ZipFile(results[0].path) as zf:
                out[f"demo-{version}-{layout}.xml"] = zf.read("imsmanifest.xml")
    return out


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, data in golden_manifests().items():
        (GOLDEN / name).write_bytes(data)
        print(f"wrote tests/golden/{name}")


if __name__ == "__main__":
    main()
