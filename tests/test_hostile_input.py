"""Hostile and malformed input: a clear, located message and exit 1, never a traceback."""
import os

import pytest

from .conftest import make_course, run_cli

FM = "---\ntitle: X\nduration: 10\nobjectives: [A, B]\n---\n"


def check(course):
    result = run_cli("check", course)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_control_characters_are_located(tmp_path):
    course = make_course(tmp_path, {"t/02-ctl.md": FM + "Text\n\nBad \x07 bell\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/02-ctl.md:8: error: the file contains the invisible control character U+0007" in result.stderr


def test_symlink_to_a_file_outside_the_course_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    course = make_course(tmp_path, {})
    os.symlink(secret, course / "t" / "02-link.md")
    result = check(course)
    assert result.returncode == 1
    assert "t/02-link.md: error: the file is a link to a file outside the course folder" in result.stderr


def test_schemas_folder_must_be_inside_the_course(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\nschemas: /\n"})
    result = check(course)
    assert result.returncode == 1
    assert "course.yml:2:10: error: `schemas` must name a folder inside the course, found '/'" in result.stderr


def test_yaml_alias_bomb_is_refused(tmp_path):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nquestions: [*c]\n"
    course = make_course(tmp_path, {"t/02-bomb.md": FM + "```quiz\n" + bomb + "```\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/02-bomb.md:7:4: error: YAML anchors and aliases (& and *) are not supported here" in result.stderr
    assert result.stderr.count("[yaml-alias]") == 1


def test_duplicate_keys_are_reported(tmp_path):
    course = make_course(tmp_path, {"t/02-dup.md": "---\ntitle: X\ntitle: Y\nduration: 10\nobjectives: [A, B]\n---\n"})
    result = check(course)
    assert "t/02-dup.md:3:1: error: the key 'title' appears twice in the same block (first on line 2)" in result.stderr


def test_not_a_number_is_refused(tmp_path):
    course = make_course(tmp_path, {"t/02-nan.md": FM + "```quiz\nquestions:\n  - {type: numeric, prompt: P, answer: .nan}\n```\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/02-nan.md:8:40: error: Input should be a finite number, found nan (questions[0].answer)" in result.stderr


@pytest.mark.parametrize("depth", [3000])
def test_absurd_nesting_is_an_error_not_a_crash(tmp_path, depth):
    course = make_course(tmp_path, {"t/02-deep.md": FM + "```quiz\nquestions: " + "[" * depth + "]" * depth + "\n```\n"})
    result = check(course)
    assert result.returncode == 1


def test_unclosed_quiz_block(tmp_path):
    course = make_course(tmp_path, {"t/02-open.md": FM + "Intro\n\n```quiz\nquestions: []\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/02-open.md:8: error: the ```quiz block is never closed" in result.stderr


def test_non_ascii_file_names_are_refused(tmp_path):
    course = make_course(tmp_path, {"t/02-café.md": FM, "t/img/ß.png": b"x",
                                    "t/03-img.md": FM + "![pic](img/ß.png)\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/02-café.md: error: the file name '02-café.md' has characters some LMSs cannot serve" in result.stderr
    assert "t/03-img.md:6: error: the file name 't/img/ß.png' has characters some LMSs cannot serve" in result.stderr


def test_course_templates_cannot_reach_python_internals(tmp_path):
    evil = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    course = make_course(tmp_path, {"templates/page.html.j2": evil, "t/about.md": "# About\n"})
    result = run_cli("build", course, "--out", tmp_path / "dist")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "templates/page.html.j2:1: error: the template could not be rendered: access to attribute '__class__'" in result.stderr
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").iterdir())


def test_style_blocks_may_not_load_files(tmp_path):
    course = make_course(tmp_path, {"t/02-style.md": FM + "<style>@import url(https://x.example/a.css);</style>\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/02-style.md:6: error: a <style> block may not load files or run code" in result.stderr


def test_out_must_be_a_folder(tmp_path):
    course = make_course(tmp_path, {})
    (tmp_path / "file").write_text("x")
    result = run_cli("build", course, "--out", tmp_path / "file")
    assert result.returncode == 2
    assert "--out: " in result.stderr and "is not a folder" in result.stderr
