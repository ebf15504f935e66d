"""Property tests: whatever an author writes, `check` gives a course or located diagnostics, never an
exception, and never takes longer than 2 s for one file.

Fixed seed (derandomize) and no example database, so CI runs the same examples every time.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.build import check
from builder.diagnostics import CourseError

SETTINGS = settings(derandomize=True, database=None, deadline=2000, max_examples=40,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

KEYS = ["title", "duration", "objectives", "materials", "id", "type", "prompt", "choices", "answer", "answers",
        "feedback", "questions", "pairs", "items", "scale", "tolerance", "attempts", "shuffle", "min_words",
        "correct", "text", "record", "model_answer", "titel", "durration", "x"]
QUESTION_TYPES = ["single", "multiple", "true-false", "fill-in", "numeric", "likert", "matching", "ordering", "essay"]
MD_ALPHABET = "ab cdé\n\n\t#*_`[]()<>!-+|~:=&;/\\\"'{}0123456789.ы"
SNIPPETS = ["## Activity 1: Talk (10 min)", "## ", "```", "~~~", "```quiz", "```reflection", "- [x](y.md)",
            "![i](../img/x.png)", "<div markdown=\"1\">", "</div>", "<script>alert(1)</script>", "<svg><a href=x>",
            "!!! note", "    code", "> quote", "| a | b |", "|---|---|", "[^1]", "*[HTML]: x", "<!-- c -->",
            "&amp;", "<img src=http://x.org/a.png>", "<a href='javascript:1'>", "\x0c", "\u202e", "---"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(QUESTION_TYPES), st.dates(),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)), max_leaves=12)
mappings = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), values, max_size=7)
markdown_text = st.lists(st.one_of(st.text(MD_ALPHABET, max_size=60), st.sampled_from(SNIPPETS)),
                         max_size=25).map("\n".join)


def question():
    return st.fixed_dictionaries({"type": st.sampled_from(QUESTION_TYPES)},
                                 optional={k: values for k in ("prompt", "choices", "answer", "answers", "pairs",
                                                               "items", "scale", "id", "feedback", "tolerance")})


def dump(data) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return "{}"


def run_check(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        base = {"course.yml": "title: P\n", "t/track.yml": "title: T\n"}
        for rel, content in {**base, **files}.items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        start = time.perf_counter()
        try:
            course, report = check(root, jobs=1)
        except CourseError as exc:
            report = exc.report
            assert report.errors or report.warnings
        for d in report.items:  # every diagnostic says where and what
            assert d.message and d.code
        assert time.perf_counter() - start < 2.0


def session(front: str, body: str) -> str:
    return f"---\n{front}---\n{body}\n"


@SETTINGS
@given(front=mappings)
def test_random_front_matter(front):
    run_check({"t/01-s.md": session(dump(front), "Text.")})


@SETTINGS
@given(front=st.text(MD_ALPHABET + "\n:[]{}", max_size=120))
def test_front_matter_that_is_not_yaml(front):
    run_check({"t/01-s.md": session(front + "\n", "Text.")})


VALID_FRONT = "title: S\nduration: 10\nobjectives: [A, B]\n"


@SETTINGS
@given(block=st.one_of(
    st.fixed_dictionaries({"questions": st.lists(question(), max_size=4)},
                          optional={"id": values, "title": values, "attempts": values, "shuffle": values}),
    mappings, st.lists(values, max_size=3), st.text(MD_ALPHABET, max_size=80)))
def test_random_quiz_blocks(block):
    text = block if isinstance(block, str) else dump(block)
    run_check({"t/01-s.md": session(VALID_FRONT, f"Intro\n\n```quiz\n{text}```\n\n```quiz\n{text}```\n")})


@SETTINGS
@given(block=st.one_of(st.fixed_dictionaries({"prompt": values}, optional={"min_words": values, "id": values}),
                       mappings, st.text(MD_ALPHABET, max_size=80)))
def test_random_reflection_blocks(block):
    text = block if isinstance(block, str) else dump(block)
    run_check({"t/01-s.md": session(VALID_FRONT, f"```reflection\n{text}```\n")})


@SETTINGS
@given(body=markdown_text, page=markdown_text)
def test_random_markdown_bodies(body, page):
    run_check({"t/01-s.md": session(VALID_FRONT, body + "\n\n[page](page.md)\n"), "t/page.md": page})
