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
    assert "t/02-nan.md:8:40: error: expected a number here (not .nan or .inf), found .nan (questions[0].answer)" in result.stderr


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


def test_control_characters_written_as_yaml_escapes(tmp_path):
    course = make_course(tmp_path, {"t/track.yml": 'title: "Bad\\x01track"\n',
                                    "t/02-bin.md": "---\ntitle: !!binary AUhlbGxvBw==\nduration: 10\nobjectives: [A, B]\n---\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/track.yml:1:8: error: the text contains the invisible control character U+0001" in result.stderr
    assert "t/02-bin.md:2:8: error: binary values (!!binary) are not allowed" in result.stderr


def test_a_number_too_long_to_read(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\nmastery_score: " + "9" * 5000 + "\n"})
    result = check(course)
    assert result.returncode == 1
    assert "course.yml:1: error: course.yml has a value that cannot be read" in result.stderr


def test_a_broken_message_catalogue_is_reported_by_check(tmp_path):
    course = make_course(tmp_path, {"templates/messages/en.json": '{"back": "Back",}'})
    result = check(course)
    assert result.returncode == 1
    assert "templates/messages/en.json:1:17: error: the message catalogue is not valid JSON" in result.stderr


def test_template_links_outside_the_course_are_refused(tmp_path):
    course = make_course(tmp_path, {})
    (course / "templates" / "player").mkdir(parents=True)
    os.symlink("/etc/hostname", course / "templates" / "player" / "host.txt")
    result = check(course)
    assert result.returncode == 1
    assert "templates/player/host.txt: error: the template is a link to a file outside the course" in result.stderr


def test_a_pipe_is_not_read(tmp_path):
    course = make_course(tmp_path, {"t/02-pipe.md": FM + "[h](handout.md)\n"})
    os.mkfifo(course / "t" / "handout.md")
    result = run_cli("check", course)  # must not hang
    assert result.returncode == 1
    assert "t/02-pipe.md:6: error: 'handout.md' is a folder or a special file, not a file" in result.stderr


def test_pathological_markdown_is_refused_quickly(tmp_path):
    course = make_course(tmp_path, {"t/02-brackets.md": FM + "## Page\n\n" + "[" * 20000 + "\n"})
    result = check(course)
    assert result.returncode == 1
    assert "error: this page has too many links, brackets or tags to convert safely" in result.stderr


def test_look_alike_files_are_warned_about(tmp_path):
    course = make_course(tmp_path, {"t/02-upper.MD": FM, "t/03-fence.md": FM + "```quizz\nquestions: []\n```\n"})
    result = check(course)
    assert result.returncode == 0
    assert "t/02-upper.MD: warning: '02-upper.MD' looks like a session plan but is not read" in result.stderr
    assert "t/03-fence.md:6: warning: a ```quizz block is shown as code; did you mean ```quiz?" in result.stderr
    assert run_cli("check", course, "--strict").returncode == 1
