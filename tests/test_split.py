"""`split: module`: single-SCO packages hold one module each, so a long track stays under what
Moodle can send when a learner leaves (issue 13); multi-SCO packages still hold the whole track."""
from __future__ import annotations

import json
import re
import zipfile

from builder.build import build_packages

from .conftest import make_course, run_cli

SESSION = """\
---
title: {title}
duration: 10
objectives: [One thing, Another thing]
---
Text of {title}.

```quiz
questions:
  - {{type: true-false, prompt: "Is {title} a session?", answer: true}}
```
"""


def _course(tmp_path, split: str | None):
    files = {
        "t/track.yml": "title: Two days\n" + (f"split: {split}\n" if split else ""),
        "t/day-1/module.yml": "title: Day I\n",
        "t/day-1/01-a.md": SESSION.format(title="Alpha"),
        "t/day-2/module.yml": "title: Day II\n",
        "t/day-2/01-b.md": SESSION.format(title="Beta"),
        "t/day-2/02-c.md": SESSION.format(title="Gamma"),
    }
    return make_course(tmp_path, files, base={"course.yml": "title: Split test\n"})


def _data(zf: zipfile.ZipFile) -> dict:
    page = zf.read("index.html").decode()
    return json.loads(re.search(r'id="cp-data">(.*?)</script>', page, re.S).group(1))


def test_split_module_makes_one_2004_package_per_module(tmp_path, validator):
    src = _course(tmp_path, "module")
    results, _ = build_packages(src, tmp_path / "out", guide=True)
    names = sorted(r.path.name for r in results)
    assert names == ["t-day-1-scorm2004-4th.zip", "t-day-2-scorm2004-4th.zip", "t-facilitator-guide.html",
                     "t-scorm12.zip"]
    with zipfile.ZipFile(tmp_path / "out" / "t-day-2-scorm2004-4th.zip") as zf:
        data = _data(zf)
        manifest = zf.read("imsmanifest.xml").decode()
    assert [s["title"] for s in data["sessions"]] == ["Beta", "Gamma"]
    assert "<title>Two days: Day II</title>" in manifest
    with zipfile.ZipFile(tmp_path / "out" / "t-day-1-scorm2004-4th.zip") as zf:
        assert [s["title"] for s in _data(zf)["sessions"]] == ["Alpha"]
        assert _data(zf)["storageKey"] != data["storageKey"]
    with zipfile.ZipFile(tmp_path / "out" / "t-scorm12.zip") as zf:  # multi-SCO: the whole track
        assert sum(n.startswith("sco-") for n in zf.namelist()) == 3
    for r in results:
        if r.kind == "scorm":
            report = validator.validate(str(r.path))
            assert report["valid"] and not report["errors"], (r.path.name, report["errors"])
    # the guide stays one per track
    guide = (tmp_path / "out" / "t-facilitator-guide.html").read_text(encoding="utf-8")
    assert "Alpha" in guide and "Gamma" in guide


def test_without_split_a_single_sco_package_holds_the_whole_track(tmp_path):
    src = _course(tmp_path, None)
    results, _ = build_packages(src, tmp_path / "out", scorm=["2004-4th"])
    assert [r.path.name for r in results] == ["t-scorm2004-4th.zip"]


def test_split_is_checked_like_every_key(tmp_path):
    src = _course(tmp_path, "day")
    r = run_cli("check", src)
    assert r.returncode == 1 and "t/track.yml:2" in r.stderr and "'day' is not allowed" in r.stderr
