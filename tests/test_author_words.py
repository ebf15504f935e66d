"""Authors read their own words: no Pydantic phrases, the right hint for indentation, and no silent surprises."""
import pytest

from builder.build import check
from builder.diagnostics import CourseError

from .conftest import make_course

SESSION = "---\ntitle: First\nduration: 20\nobjectives: [Say hello, Say goodbye]\n---\n"
QUIZ = "\n## Activity 1: Talk (20 min)\n\n```quiz\n{}```\n"


def diagnostics(tmp_path, files, strict=False):
    course = make_course(tmp_path, files)
    try:
        _, report = check(course, strict=strict)
    except CourseError as exc:
        report = exc.report
    return report.sorted()


def only(diags, code):
    found = [d for d in diags if d.code == code]
    assert found, [(d.code, d.message) for d in diags]
    return found


@pytest.mark.parametrize("yaml_value, words", [
    ("questions:\n  - true\n", "expected a set of `key: value` lines here, found true"),
    ("questions:\n  - {type: single, prompt: P, choices: yes}\n", "expected a list here"),
    ("attempts: many\nquestions:\n  - {type: true-false, prompt: P, answer: true}\n",
     "expected a whole number here, found 'many'"),
    ("attempts: 0\nquestions:\n  - {type: true-false, prompt: P, answer: true}\n", "the number must be at least 1, found 0"),
    ("questions:\n  - {type: true-false, prompt: P, answer: maybe}\n", "expected true or false here, found 'maybe'"),
    ("questions:\n  - {type: single, prompt: P, choices: [A]}\n", "this list needs at least 2 item(s), found 1"),
    ("questions:\n  - {type: true-false, prompt: '', answer: true}\n", "this text cannot be empty"),
])
def test_value_errors_in_authors_words(tmp_path, yaml_value, words):
    diags = diagnostics(tmp_path, {"t/01-first.md": SESSION + QUIZ.format(yaml_value)})
    messages = [d.message for d in only(diags, "invalid-value")]
    assert any(words in m for m in messages), messages
    assert not any("Input should" in m or "List should" in m or "String should" in m for m in messages)


def test_a_key_indented_too_far_gets_an_indentation_hint(tmp_path):
    diags = diagnostics(tmp_path, {"t/01-first.md": "---\ntitle: First\n  duration: 20\nobjectives: [A, B]\n---\n"})
    d = only(diags, "yaml-syntax")[0]
    assert d.line == 3
    assert "'duration' is indented further than 'title'" in d.hint and "remove 2 space(s)" in d.hint
    assert "quoted" not in d.hint
    quiz = "questions:\n  - type: true-false\n     prompt: P\n    answer: true\n"
    d = only(diagnostics(tmp_path / "q", {"t/01-first.md": SESSION + QUIZ.format(quiz)}), "yaml-syntax")[0]
    assert "'prompt' is indented further than 'type'" in d.hint


def test_an_unquoted_colon_still_gets_the_quoting_hint(tmp_path):
    quiz = "questions:\n  - type: true-false\n    prompt: Why: because\n    answer: true\n"
    d = only(diagnostics(tmp_path, {"t/01-first.md": SESSION + QUIZ.format(quiz)}), "yaml-syntax")[0]
    assert "must be quoted" in d.hint


def test_objective_indented_wrongly_is_a_warning_on_its_line(tmp_path):
    text = "---\ntitle: First\nduration: 20\nobjectives:\n  - Say hello\n   - Say goodbye\n---\nHi\n"
    d = only(diagnostics(tmp_path, {"t/01-first.md": text}), "objective-dash")[0]
    assert d.severity == "warning" and d.line == 6 and "column 3" in d.hint
    fine = "---\ntitle: First\nduration: 20\nobjectives:\n  - Name the levels - universal and targeted\n  - Two\n---\n"
    assert not [d for d in diagnostics(tmp_path / "ok", {"t/01-first.md": fine}) if d.code == "objective-dash"]


def test_tab_at_the_start_of_a_paragraph_is_a_warning(tmp_path):
    text = SESSION + "Intro.\n\n\tThis becomes code.\n\n- a list\n\n\tcontinued item\n\n!!! note\n\tbody\n"
    found = only(diagnostics(tmp_path, {"t/01-first.md": text}), "markdown-tab")
    assert [d.line for d in found] == [8]


def test_text_over_three_dashes_is_a_warning(tmp_path):
    text = SESSION + "A paragraph\n---\n\nAnother\n\n---\n\n| a | b |\n|---|---|\n"
    found = only(diagnostics(tmp_path, {"t/01-first.md": text}), "setext-heading")
    assert [d.line for d in found] == [7] and "## A paragraph" in found[0].hint


def test_image_without_alt_text_is_an_error(tmp_path):
    text = SESSION + "![](pic.svg)\n\n`![](not-an-image.svg)` in code\n\n```\n![](in-a-fence.svg)\n```\n"
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    diags = diagnostics(tmp_path, {"t/01-first.md": text, "t/pic.svg": svg})
    found = only(diags, "image-alt")
    assert [(d.severity, d.line) for d in found] == [("error", 6)]


def test_session_like_name_that_cannot_be_read_is_an_error(tmp_path):
    diags = diagnostics(tmp_path, {"t/02 burns.md": SESSION, "t/03burns.md": SESSION, "t/handouts/2024 plan.md": "x"})
    found = only(diags, "session-file-name")
    assert [(d.path, d.severity, d.hint) for d in found] == [
        ("t/02 burns.md", "error", "rename it to '02-burns.md'"),
        ("t/03burns.md", "error", "rename it to '03-burns.md'")]
    assert not [d for d in diags if d.code in ("stray-file", "ignored")]


def test_image_one_folder_off_names_the_right_path(tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    text = SESSION + "![A map](map.svg)\n\n![A plan](../../plan.svg)\n"
    diags = diagnostics(tmp_path, {"t/01-first.md": None, "t/day-1/01-first.md": text, "t/map.svg": svg,
                                   "t/plan.svg": svg})
    hints = sorted(d.hint for d in only(diags, "missing-file"))
    assert hints == ["write '../map.svg': paths start from the folder of this file (t/day-1/)",
                     "write '../plan.svg': paths start from the folder of this file (t/day-1/)"]
