"""The benchmark runs at a tiny size, so CI exercises `make bench`'s code path."""
from __future__ import annotations

import json

from benchmarks.run import generate, main
from builder.build import check


def test_the_generated_course_is_valid_and_uses_every_question_type(tmp_path):
    course, report = check(generate(tmp_path / "c", 3, words=300), jobs=1)
    [track] = course.tracks
    assert len(track.sessions) == 3 and not report.errors
    types = {q.source.type for s in track.sessions for quiz in s.quizzes for q in quiz.questions}
    assert types == {"single", "multiple", "true-false", "fill-in", "numeric", "likert", "matching", "ordering"}


def test_the_benchmark_runs_at_a_tiny_size(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["--sizes", "5", "--jobs", "1,2", "--no-browser", "--no-shipped", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    steps = {(r["step"], r["jobs"]) for r in figures["sizes"]}
    assert steps == {("floor", "1"), ("build", "1"), ("check", "1"), ("build", "2"), ("check", "2")}
    for r in figures["sizes"]:
        assert r["rc"] == 0 and r["seconds"] > 0 and r["peak_mb"] > 0 and r["sessions"] == 5
    printed = capsys.readouterr().out
    assert "floor" in printed and "x floor" in printed
