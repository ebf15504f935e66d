"""Benchmark: time a generated course against the floor of merely reading, rendering and zipping it.

    make bench                       # 1,000 sessions
    python -m benchmarks.run --sessions 200 --repeat 3

The floor does the unavoidable work with the same libraries and no checks: read every
file, parse the YAML, convert the Markdown, fill one template per SCO and write the zips.
The build should stay within twice the floor.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import jinja2
import markdown
import yaml

from builder.build import build_packages

SESSION = """---
title: Session {n}
duration: 60
objectives: [Describe topic {n}, Practise skill {n}]
materials: [Handout {n}]
---
An introduction to session {n} with **bold** text and a [link](https://example.org).

## Activity 1: Warm-up (15 min)

{para}

## Activity 2: Practice (30 min)

{para}

- one point
- another point

```quiz
questions:
  - type: single
    prompt: Which is right in session {n}?
    choices: [Wrong, {{text: Right, correct: true}}, Also wrong]
    feedback: {{correct: Yes., incorrect: No.}}
  - {{type: true-false, prompt: "Statement {n}.", answer: true}}
  - {{type: fill-in, prompt: "Blank ___.", answers: ["word"]}}
```

## Activity 3: Reflection (15 min)

```reflection
prompt: What did you learn in session {n}?
```
"""
PARA = ("Home visitors build trust over many visits. They notice what the family already does "
        "well and build on it. ") * 6


def generate(root: Path, sessions: int, per_module: int = 20) -> Path:
    (root / "t").mkdir(parents=True)
    (root / "course.yml").write_text("title: Benchmark\n")
    (root / "t" / "track.yml").write_text("title: Benchmark track\n")
    for i in range(sessions):
        mod = root / "t" / f"m{i // per_module + 1:03d}"
        mod.mkdir(exist_ok=True)
        (mod / f"{i % per_module + 1:02d}-s{i}.md").write_text(SESSION.format(n=i, para=PARA))
    return root


def floor(root: Path, out: Path) -> None:
    md = markdown.Markdown(extensions=["extra", "admonition", "sane_lists"])
    tpl = jinja2.Environment(autoescape=True).from_string(
        "<html><body>{% for p in pages %}<section>{{ p|safe }}</section>{% endfor %}</body></html>")
    pages = {}
    for f in sorted(root.rglob("*.md")):
        text = f.read_text()
        _, fm, body = text.split("---\n", 2)
        yaml.safe_load(fm)
        parts = body.split("```")
        for block in parts[1::2]:
            yaml.safe_load(block.split("\n", 1)[1])
        md.reset()
        pages[f.stem] = tpl.render(pages=[md.convert("".join(parts[0::2]))])
    out.mkdir(parents=True, exist_ok=True)
    for suffix in ("a", "b"):
        with zipfile.ZipFile(out / f"floor-{suffix}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            for name, html in sorted(pages.items()):
                zf.writestr(name + ".html", html)


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "course", args.sessions)
        f = timed(lambda: floor(root, Path(tmp) / "floor"), args.repeat)
        b = timed(lambda: build_packages(root, Path(tmp) / "dist"), args.repeat)
    print(f"sessions: {args.sessions}")
    print(f"floor (read + render + zip, 2 zips): {f:.2f} s")
    print(f"coursepack build (1.2 multi-sco + 2004 single-sco): {b:.2f} s")
    print(f"ratio: {b / f:.2f} (target: at most 2.0)")


if __name__ == "__main__":
    main()
