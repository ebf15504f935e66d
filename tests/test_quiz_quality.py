"""Quiz-quality warnings: patterns that let a learner guess, found across a whole track."""
from builder.build import check
from builder.diagnostics import CourseError

from .conftest import make_course


def session(n: int, questions: str, shuffle: bool = True) -> str:
    return (f"---\ntitle: S{n}\nduration: 20\nobjectives: [A, B]\n---\n\n## Activity 1: Quiz (20 min)\n\n"
            f"```quiz\n{'' if shuffle else 'shuffle: false' + chr(10)}questions:\n{questions}```\n")


def single(prompt: str, choices: list[str], right: int) -> str:
    lines = [f"  - type: single\n    prompt: \"{prompt}\"\n    choices:\n"]
    for i, c in enumerate(choices):
        lines.append(f"      - text: \"{c}\"\n" + ("        correct: true\n" if i == right else ""))
    return "".join(lines)


def tf(prompt: str, answer: bool) -> str:
    return f"  - {{type: true-false, prompt: \"{prompt}\", answer: {'true' if answer else 'false'}}}\n"


def run(tmp_path, files):
    course = make_course(tmp_path, {"t/01-first.md": None, **files})
    try:
        _, report = check(course)
    except CourseError as exc:
        report = exc.report
    return report.sorted()


def codes(diags):
    return [d.code for d in diags]


def test_right_answer_always_first_without_shuffle(tmp_path):
    files = {f"t/0{n}-s.md": session(n, single(f"Question {n} here?", ["Yes", "No", "Maybe"], 0), shuffle=False)
             for n in (1, 2, 3)}
    diags = run(tmp_path, files)
    found = [d for d in diags if d.code == "answer-position"]
    assert len(found) == 1 and "choice 1" in found[0].message
    assert found[0].path == "t/03-s.md" and found[0].line == 12  # the question's own line, not the block's
    # shuffled quizzes hide the position from learners: no warning
    files = {f"t/0{n}-s.md": session(n, single(f"Question {n} here?", ["Yes", "No", "Maybe"], 0)) for n in (1, 2, 3)}
    assert "answer-position" not in codes(run(tmp_path / "shuffled", files))
    # varied positions: no warning
    files["t/03-s.md"] = session(3, single("Question 3 here?", ["Yes", "No", "Maybe"], 2), shuffle=False)
    assert "answer-position" not in codes(run(tmp_path / "varied", files))


def test_right_answer_always_the_longest(tmp_path):
    qs = "".join(single(f"Which one, number {n}?", ["No", "The long and careful right answer", "Perhaps"], 1)
                 for n in range(3))
    diags = run(tmp_path, {"t/01-s.md": session(1, qs)})
    assert codes(diags).count("answer-longest") == 1
    qs = qs.replace('"Perhaps"', '"A wrong answer that is longer than the right one"', 1)
    assert "answer-longest" not in codes(run(tmp_path / "ok", {"t/01-s.md": session(1, qs)}))


def test_true_false_all_one_way(tmp_path):
    qs = "".join(tf(f"Statement number {n} holds.", True) for n in range(3))
    found = [d for d in run(tmp_path, {"t/01-s.md": session(1, qs)}) if d.code == "answer-true-false"]
    assert len(found) == 1 and "answer true" in found[0].message and found[0].severity == "warning"
    qs += tf("Statement number 9 holds.", False)
    assert "answer-true-false" not in codes(run(tmp_path / "mixed", {"t/01-s.md": session(1, qs)}))


def test_same_prompt_twice_in_a_track(tmp_path):
    files = {"t/01-s.md": session(1, tf("Babies  need sleep.", True)),
             "t/02-s.md": session(2, tf("babies need sleep.", False))}
    found = [d for d in run(tmp_path, files) if d.code == "duplicate-prompt"]
    assert len(found) == 1 and found[0].path == "t/02-s.md" and found[0].line == 11
    assert "t/01-s.md, line 11" in found[0].message


def test_repeated_items_in_a_question(tmp_path):
    qs = ("  - {type: likert, prompt: How often, scale: [Never, Often, never]}\n"
          "  - {type: single, prompt: Pick one, choices: [{text: A, correct: true}, a]}\n")
    found = [d for d in run(tmp_path, {"t/01-s.md": session(1, qs)}) if d.code == "duplicate-choice"]
    assert [(d.severity, d.line) for d in found] == [("error", 11), ("error", 12)]
