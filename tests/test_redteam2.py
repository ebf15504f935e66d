"""Second red-team round: hostile or mistaken input that used to pass silently, leak facilitator text,
or give a misleading message. Each problem must be a located diagnostic with a hint and exit 1."""
import json
import os

from .conftest import assert_valid, make_course, run_cli

FM = "---\ntitle: X\nduration: 10\nobjectives: [A, B]\n---\n"
TF = "```quiz\nquestions:\n  - {type: true-false, prompt: Sure?, answer: true}\n```\n"


def check(course, *extra):
    result = run_cli("check", course, *extra)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def diagnostics(course):
    result = check(course, "--format", "json")
    return result.returncode, json.loads(result.stdout)["diagnostics"]


# ---- YAML --------------------------------------------------------------------------------

def test_yaml_tags_are_refused_with_their_own_message(tmp_path):
    course = make_course(tmp_path, {"course.yml": 'title: !!python/object/apply:os.system ["true"]\n'
                                                  "tracks: !!set {t}\n"})
    result = check(course)
    assert result.returncode == 1
    assert "course.yml:1:8: error: the YAML tag '!!python/object/apply:os.system' is not supported here [yaml-tag]" \
        in result.stderr
    assert "course.yml:2:9: error: the YAML tag '!!set' is not supported here [yaml-tag]" in result.stderr
    assert "hint: remove the word that starts with '!'" in result.stderr


def test_a_yes_or_no_read_as_true_or_false_keeps_the_authors_word_in_the_hint(tmp_path):
    course = make_course(tmp_path, {"t/01-first.md": FM + "```quiz\nquestions:\n"
                                    "  - {type: likert, prompt: I feel fine, scale: [No, Yes]}\n```\n"})
    result = check(course)
    assert result.returncode == 1
    assert "found false (YAML reads No as false)" in result.stderr
    assert 'hint: put the value in quotes: "No"' in result.stderr
    assert '"False"' not in result.stderr


def test_format_true_is_not_read_as_format_1(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\nformat: true\n"})
    result = check(course)
    assert result.returncode == 1
    assert "course.yml:2:9: error: expected a whole number here, found true (format)" in result.stderr
    assert "format: 2" in result.stderr


def test_a_title_of_only_invisible_characters_is_refused(tmp_path):
    course = make_course(tmp_path, {"t/01-first.md": FM.replace("title: X", 'title: "\\u200b\\u200e "') + "Text.\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/01-first.md:2:8: error: this text has only invisible characters" in result.stderr


# ---- theme ---------------------------------------------------------------------------------

def test_accent_colour_messages_talk_about_colours(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\ntheme: {accent: navy}\n"})
    result = check(course)
    assert result.returncode == 1
    assert "'navy' is not a colour" in result.stderr
    assert "valid id" not in result.stderr


def test_an_unquoted_accent_is_not_silently_dropped(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\ntheme:\n  accent: #0b5cad\n"})
    result = check(course)
    assert result.returncode == 1
    assert "course.yml:3:10: error: the colour is missing; write it in quotes" in result.stderr


def test_the_short_colour_form_is_accepted(tmp_path):
    course = make_course(tmp_path, {"course.yml": 'title: T\ntheme: {accent: "#036"}\n'})
    assert check(course).returncode == 0


def test_a_broken_track_yml_does_not_also_make_tracks_unknown(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\ntracks: [t]\n",
                                    "t/track.yml": "title: T\ntheme: {accent: '#000000'}\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/track.yml:2:1: error: unknown key 'theme' in track.yml" in result.stderr
    assert "unknown-track" not in result.stderr


# ---- audience blocks that would leak ---------------------------------------------------------

def test_lines_that_mean_an_audience_block_but_are_not_one(tmp_path):
    body = ('!!!  facilitator "Two spaces"\n    SECRET1\n\n??? facilitator "Details"\n    SECRET2\n\n'
            "!!! facilitator 'Single quotes'\n    SECRET3\n\n!!! learner \"ok\"\n    fine\n")
    course = make_course(tmp_path, {"t/01-first.md": FM + body})
    result = check(course)
    assert result.returncode == 1
    for line in (6, 9, 12):
        assert f"t/01-first.md:{line}: error: " in result.stderr
    assert result.stderr.count("[admonition-type]") == 3
    assert "is not read as a facilitator block, so its text is shown to learners too" in result.stderr
    assert "t/01-first.md:15" not in result.stderr


def test_an_unindented_line_under_a_facilitator_block(tmp_path):
    body = ('!!! facilitator "Notes"\n    The answer is B,\nbecause of C.\n\n'
            '!!! learner "Solo"\n    Write it down\nand compare.\n\n'
            '!!! facilitator "Fine"\n    Text.\n## Next page\n')
    course = make_course(tmp_path, {"t/01-first.md": FM + body})
    code, diags = diagnostics(course)
    assert code == 1
    found = [(d["severity"], d["line"]) for d in diags if d["code"] == "unindented-line"]
    assert found == [("error", 8), ("warning", 12)]


def test_a_facilitator_block_nested_in_a_learner_block_stays_out_of_the_package(tmp_path):
    body = '!!! learner "Solo"\n    Write.\n\n    !!! facilitator "Inner"\n        NESTEDSECRET\n'
    course = make_course(tmp_path, {"t/01-first.md": FM + body})
    out = tmp_path / "dist"
    result = run_cli("build", course, "--out", out)
    assert result.returncode == 0, result.stderr
    import zipfile
    for z in out.glob("*.zip"):
        with zipfile.ZipFile(z) as zf:
            assert not any(b"NESTEDSECRET" in zf.read(n) for n in zf.namelist())
    assert "NESTEDSECRET" in (out / "t-facilitator-guide.html").read_text()


# ---- quiz and code blocks where they do not work ---------------------------------------------

def test_a_quiz_inside_a_list_or_a_box_is_refused(tmp_path):
    indented = "".join("    " + line + "\n" for line in TF.splitlines())
    body = "- item\n\n" + indented + '\n!!! facilitator "Answers"\n' + indented
    course = make_course(tmp_path, {"t/01-first.md": FM + body})
    code, diags = diagnostics(course)
    assert code == 1
    assert [d["line"] for d in diags if d["code"] == "block-place"] == [8, 14]


def test_a_quiz_in_a_handout_is_refused(tmp_path):
    course = make_course(tmp_path, {"t/01-first.md": FM + "[Handout](handouts/h.md)\n",
                                    "t/handouts/h.md": "# Handout\n\n" + TF})
    result = check(course)
    assert result.returncode == 1
    assert "t/handouts/h.md:3: error: a ```quiz block works only in a session plan" in result.stderr


def test_an_unclosed_code_block_is_an_error(tmp_path):
    course = make_course(tmp_path, {"t/01-first.md": FM + "Text\n\n```python\nprint(1)\n\n## Activity 1: A (10 min)\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/01-first.md:8: error: the code block opened with ```python is never closed" in result.stderr


# ---- files ------------------------------------------------------------------------------------

def test_a_pipe_named_like_a_session_plan_is_reported(tmp_path):
    course = make_course(tmp_path, {})
    os.mkfifo(course / "t" / "02-pipe.md")
    result = check(course)
    assert result.returncode == 1
    assert "t/02-pipe.md: error: '02-pipe.md' is named like a session plan but is not a regular file" in result.stderr


def test_obfuscated_javascript_urls_are_named_and_located(tmp_path):
    course = make_course(tmp_path, {"t/01-first.md": FM + "Text.\n\n"
                                    '<a href="jav&#x09;ascript:alert(1)">x</a> and [y](C:\\\\x.pdf)\n'})
    code, diags = diagnostics(course)
    assert code == 1
    urls = [d for d in diags if d["code"] == "unsafe-url"]
    assert len(urls) == 2 and all(d["line"] == 8 for d in urls)
    assert not [d for d in diags if d["code"] == "missing-file"]


def test_markdown_nested_too_deeply_has_a_line(tmp_path):
    body = "## Activity 1: Deep (10 min)\n\n" + "".join("  " * i + "- x\n" for i in range(500))
    course = make_course(tmp_path, {"t/01-first.md": FM + body})
    code, diags = diagnostics(course)
    assert code == 1
    deep = [d for d in diags if d["code"] == "too-deep"]
    assert deep and deep[0]["line"] == 6


# ---- split: module ----------------------------------------------------------------------------

def test_split_module_on_a_track_without_modules_keeps_the_package_name(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\nscorm: [2004-4th]\nsplit: module\n"})
    out = tmp_path / "dist"
    result = run_cli("build", course, "--out", out)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.zip")) == ["t-scorm2004-4th.zip"]


def test_split_module_package_names_may_not_clash_with_another_track(tmp_path):
    session = FM + "Text.\n"
    course = make_course(tmp_path, {"course.yml": "title: T\nsplit: module\ntracks: [a, a-b]\n",
                                    "t/track.yml": None, "t/01-first.md": None,
                                    "a/track.yml": "title: A\n", "a/b/module.yml": "title: B\n",
                                    "a/b/01-x.md": session, "a-b/track.yml": "title: AB\n",
                                    "a-b/01-y.md": session}, base={})
    out = tmp_path / "dist"
    result = run_cli("build", course, "--out", out)
    assert result.returncode == 1
    assert "a-b/track.yml:1: error: track 'a-b' and module 'b' of track 'a' (split: module) would both make " \
           "the packages named 'a-b-…zip'" in result.stderr
    assert not out.exists() or not any(out.iterdir())


# ---- awkward but valid: builds, verifies and passes the shared validator ------------------------

def test_awkward_valid_course_builds_and_validates(tmp_path, validator):
    title = '"\\u202bمرحبا\\u202c \\U0001F600 A & B < C ]]> \\u200d"'
    files = {
        "course.yml": '\ufefftitle: ' + title + '\r\nformat: 2\r\ntheme: {accent: "#036"}\r\nsplit: module\r\n',
        "t/01-first.md": (FM.replace("title: X", "title: " + title) + TF + "\n~~~reflection\nprompt: Why?\n"
                          "model_answer: Because.\n~~~\n").replace("\n", "\r\n"),
    }
    course = make_course(tmp_path, files)
    out = tmp_path / "dist"
    result = run_cli("build", course, "--out", out)
    assert result.returncode == 0, result.stderr
    zips = sorted(out.glob("*.zip"))
    assert [z.name for z in zips] == ["t-scorm12.zip", "t-scorm2004-4th.zip"]
    verify = run_cli("verify", *zips)
    assert verify.returncode == 0, verify.stderr
    for z in zips:
        assert_valid(validator, z)


def test_a_facilitator_block_inside_a_quiz_or_reflection_is_refused(tmp_path):
    body = ("```quiz\nquestions:\n  - type: true-false\n    prompt: Sure?\n    answer: true\n    feedback: |\n"
            "      Yes.\n\n      !!! facilitator \"Tip\"\n          QUIZSECRET\n```\n\n"
            "```reflection\nprompt: Why?\nmodel_answer: |\n  Because.\n\n  !!! facilitator \"F\"\n      MASECRET\n```\n")
    course = make_course(tmp_path, {"t/01-first.md": FM + body})
    code, diags = diagnostics(course)
    assert code == 1
    places = [(d["line"], d["message"]) for d in diags if d["code"] == "block-place"]
    assert places == [(8, "a !!! facilitator block inside a quiz block would be shown to learners too"),
                      (18, "a !!! facilitator block inside a reflection block would be shown to learners too")]


# ---- coursepack new ----------------------------------------------------------------------------

def test_new_refuses_a_title_that_check_would_refuse(tmp_path):
    for title in ("Bell \x07 title", "   "):
        result = run_cli("new", "course", tmp_path / "c", "--title", title)
        assert result.returncode == 2, result.stderr
        assert not (tmp_path / "c").exists()
    assert "--title contains the invisible control character U+0007" in \
        run_cli("new", "course", tmp_path / "c", "--title", "Bell \x07").stderr


def test_new_quotes_a_title_with_yaml_characters(tmp_path):
    title = 'A "quoted" \\ title: [x] & *y # z'
    assert run_cli("new", "course", tmp_path / "c", "--title", title).returncode == 0
    assert check(tmp_path / "c").returncode == 0
    assert f'title: "{title.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"' in \
        (tmp_path / "c" / "course.yml").read_text()


# ---- coursepack verify on hostile zips -------------------------------------------------------------

def _built_zip(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\nscorm: ['1.2']\n"})
    assert run_cli("build", course, "--out", tmp_path / "dist").returncode == 0
    return tmp_path / "dist" / "t-scorm12.zip"


def _verify(*zips):
    result = run_cli("verify", *zips)
    assert "Traceback" not in result.stdout + result.stderr and "internal error" not in result.stderr
    return result


def test_verify_reports_damaged_or_strangely_compressed_files(tmp_path):
    import struct
    import zipfile
    good = _built_zip(tmp_path)
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("imsmanifest.xml")
    data = bytearray(good.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for k in range(start + 10, start + 40):
        data[k] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    data = bytearray(good.read_bytes())
    data[info.header_offset + 8: info.header_offset + 10] = struct.pack("<H", 99)
    cd = data.find(b"PK\x01\x02")
    while cd >= 0:
        n = struct.unpack("<H", data[cd + 28: cd + 30])[0]
        if data[cd + 46: cd + 46 + n] == b"imsmanifest.xml":
            data[cd + 10: cd + 12] = struct.pack("<H", 99)
        cd = data.find(b"PK\x01\x02", cd + 4)
    method = tmp_path / "method.zip"
    method.write_bytes(bytes(data))
    for z in (damaged, method):
        result = _verify(z)
        assert result.returncode == 1
        assert f"{z.name}: error: a file inside the zip cannot be unpacked" in result.stderr


def test_verify_refuses_symbolic_links_and_xml_entities(tmp_path):
    import zipfile
    good = _built_zip(tmp_path)
    with zipfile.ZipFile(good) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    link = tmp_path / "link.zip"
    with zipfile.ZipFile(link, "w") as zf:
        for n, d in files.items():
            zf.writestr(n, d)
        zi = zipfile.ZipInfo("passwd.html")
        zi.external_attr = 0o120777 << 16
        zf.writestr(zi, "/etc/passwd")
    xxe = tmp_path / "xxe.zip"
    manifest = files["imsmanifest.xml"].decode().split("?>", 1)[1]
    with zipfile.ZipFile(xxe, "w") as zf:
        for n, d in files.items():
            zf.writestr(n, d if n != "imsmanifest.xml" else
                        '<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        + manifest.replace("<title>", "<title>&x;", 1))
    result = _verify(link)
    assert result.returncode == 1
    assert "link.zip: error: this entry is a symbolic link" in result.stderr and "(passwd.html)" in result.stderr
    result = _verify(xxe)
    assert result.returncode == 1
    assert "xxe.zip:2: error: imsmanifest.xml declares XML entities" in result.stderr


def test_a_clash_with_an_automatic_id_says_so(tmp_path):
    body = (TF + "\n```quiz\nid: q1\nquestions:\n  - {id: q3, type: true-false, prompt: B?, answer: true}\n```\n\n"
            + TF)
    course = make_course(tmp_path, {"t/01-first.md": FM + body})
    result = check(course)
    assert result.returncode == 1
    assert "t/01-first.md:12: error: the id 'q1' is also the automatic id of the block on line 8 (it has no `id:`)" \
        in result.stderr
    assert "t/01-first.md:19: error: the question here has no `id:`, so it gets the automatic id 'q3', which the " \
           "block on line 14 already uses" in result.stderr
    assert "are numbered quiz1, q1, r1… in the session" in result.stderr


def test_repeated_short_prompts_are_located_at_their_question_and_counted_once(tmp_path):
    quiz = ("```quiz\nquestions:\n  - {type: true-false, prompt: Yes?, answer: true}\n"
            "  - {type: true-false, prompt: No?, answer: false}\n```\n")
    course = make_course(tmp_path, {"t/01-first.md": FM + quiz, "t/02-second.md": FM + "Text.\n\n" + quiz})
    result = check(course, "--strict")
    assert result.returncode == 1
    assert "t/02-second.md:10: warning: the same question is asked twice in this track (first in t/01-first.md, " \
           "line 8)" in result.stderr
    assert "t/02-second.md:11: warning: the same question is asked twice in this track (first in t/01-first.md, " \
           "line 9)" in result.stderr
    printed = result.stderr.count(": warning: ")
    assert f"0 error(s), {printed} warning(s)" in result.stderr


def test_problems_inside_a_quiz_are_located_in_the_quiz(tmp_path):
    body = ("x marks the spot.\n\n## Activity 1: Quiz (10 min)\n\n```quiz\nquestions:\n"
            "  - {type: true-false, prompt: '<img src=x alt=pic>', answer: true}\n```\n")
    course = make_course(tmp_path, {"t/01-first.md": FM + body})
    result = check(course)
    assert result.returncode == 1
    assert "t/01-first.md:12: error: 'x' does not exist [missing-file]" in result.stderr


def test_what_the_sanitiser_removes_is_named_and_located(tmp_path):
    body = "Text.\n\n<javascript:alert(1)>\n\n<button>Press</button> and <div srcdoc=\"x\">y</div>\n"
    course = make_course(tmp_path, {"t/01-first.md": FM + body})
    code, diags = diagnostics(course)
    found = sorted((d["line"], d["message"]) for d in diags if d["code"] == "sanitised")
    assert found == [
        (8, "the HTML tag <javascript:alert(1)> was removed: it is not HTML a course page may use"),
        (10, "the HTML tag <button> was removed: it is not HTML a course page may use"),
        (10, "the attribute 'srcdoc' of <div> was removed: it is not HTML a course page may use"),
    ]


def test_course_level_mistakes_give_one_clear_message_each(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\ntracks: [t, second]\n",
                                    "second/01-a.md": FM + "Text.\n", "01-root.md": FM + "Text.\n"})
    result = check(course)
    assert result.returncode == 1
    assert "second: error: the folder 'second' has session plans but no track.yml" in result.stderr
    assert "unknown-track" not in result.stderr
    assert "01-root.md: warning: '01-root.md' is a session plan in the course folder itself" in result.stderr


def test_a_handout_named_like_a_session_plan_can_be_linked(tmp_path):
    course = make_course(tmp_path, {"t/01-first.md": FM + "[Sheet](handouts/01-sheet.md)\n",
                                    "t/handouts/01-sheet.md": "# Sheet\n\nText.\n"})
    result = check(course)
    assert result.returncode == 0, result.stderr


def test_a_code_block_that_swallows_a_quiz_is_an_error(tmp_path):
    body = "```text\nsome code\n\n" + TF + "\n````markdown\n" + TF + "````\n"
    course = make_course(tmp_path, {"t/01-first.md": FM + body})
    result = check(course)
    assert result.returncode == 1
    assert "t/01-first.md:6: error: the code block opened on line 6 is not closed before the ```quiz on line 9, " \
           "so that block is shown as code" in result.stderr
    assert "line 15" not in result.stderr  # a quiz shown inside a longer fence, on purpose, is fine


# ---- round 2, left-overs -----------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 60
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60


def test_a_logo_that_is_not_the_image_its_name_says_is_refused(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\ntheme:\n  logo: assets/logo.png\n",
                                    "assets/logo.png": b"<html>not a picture</html>\n"})
    result = check(course)
    assert result.returncode == 1
    assert "course.yml:3:9: error: the logo 'assets/logo.png' is not a PNG image" in result.stderr
    assert "[theme-logo]" in result.stderr


def test_a_logo_of_another_image_type_is_named_in_the_hint(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\ntheme: {logo: assets/logo.png}\n",
                                    "assets/logo.png": JPEG})
    result = check(course)
    assert result.returncode == 1
    assert "the file is a JPEG image" in result.stderr
    assert "`logo: assets/logo.jpg`" in result.stderr


def test_real_png_jpeg_gif_and_webp_logos_are_accepted(tmp_path):
    images = {"png": PNG, "jpg": JPEG, "jpeg": JPEG, "gif": b"GIF89a" + b"\x00" * 40,
              "webp": b"RIFF\x30\x00\x00\x00WEBPVP8 " + b"\x00" * 40}
    for ext, data in images.items():
        course = make_course(tmp_path / ext, {"course.yml": f"title: T\ntheme: {{logo: assets/logo.{ext}}}\n",
                                              f"assets/logo.{ext}": data})
        result = check(course)
        assert result.returncode == 0, (ext, result.stderr)
        assert "warning" not in result.stderr


def test_an_svg_logo_must_have_an_svg_root(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\ntheme: {logo: assets/logo.svg}\n",
                                    "assets/logo.svg": "<html><body>hello</body></html>\n"})
    result = check(course)
    assert result.returncode == 1
    assert "assets/logo.svg:1: error: the file's outer element is <html>, not <svg>" in result.stderr


def test_a_large_logo_is_a_warning_at_its_line(tmp_path):
    course = make_course(tmp_path, {"course.yml": "title: T\ntheme:\n  logo: assets/logo.png\n",
                                    "assets/logo.png": PNG + b"\x00" * (3 * 1024 * 1024)})
    result = check(course)
    assert result.returncode == 0, result.stderr
    assert "course.yml:3:9: warning: the logo is 3.0 MB; it is copied into every package and into every " \
           "printed guide (theme.logo) [logo-size]" in result.stderr
    assert "under 200 KB" in result.stderr
    assert check(course, "--strict").returncode == 1


def test_quoted_yes_or_true_for_correct_or_answer_is_refused(tmp_path):
    quiz = ("```quiz\nquestions:\n"
            "  - type: single\n    prompt: Pick one\n    choices:\n"
            "      - {text: A, correct: 'yes'}\n      - B\n"
            '  - {type: true-false, prompt: Sure?, answer: "true"}\n'
            "  - {type: true-false, prompt: Really?, answer: 'no'}\n```\n")
    course = make_course(tmp_path, {"t/01-first.md": FM + quiz})
    result = check(course)
    assert result.returncode == 1
    assert "t/01-first.md:11:28: error: expected true or false here, found 'yes' " \
           "(questions[0].choices[0].correct) [invalid-value]" in result.stderr
    assert "hint: write true or false without quotes: `correct: true`" in result.stderr
    assert "t/01-first.md:13:47: error: expected true or false here, found 'true' (questions[1].answer)" in result.stderr
    assert "t/01-first.md:14:49: error: expected true or false here, found 'no' (questions[2].answer)" in result.stderr
    assert "hint: write true or false without quotes: `answer: false`" in result.stderr
    assert result.stderr.count("hint: write true or false without quotes") == 3
    # unquoted, including YAML's yes/no, is still read as a boolean
    ok = quiz.replace("'yes'", "yes").replace('"true"', "true").replace("'no'", "no")
    assert check(make_course(tmp_path / "ok", {"t/01-first.md": FM + ok})).returncode == 0


def test_an_about_page_linking_a_session_is_told_what_pages_can_link(tmp_path):
    course = make_course(tmp_path, {"t/about.md": "# About\n\nStart with [the first session](01-first.md).\n"})
    result = check(course)
    assert result.returncode == 1
    assert "t/about.md:3: error: '01-first.md' is a session plan; a page can link to handouts and other pages " \
           "but not to a session plan (a session is an activity in the LMS, not a page of the package) " \
           "[session-link]" in result.stderr
    assert "each other" not in result.stderr


def test_the_authoring_guide_writes_handout_titles_as_the_shipped_course_does():
    from .conftest import ROOT
    doc = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    titles = [p.read_text(encoding="utf-8").split("\n", 1)[0] for p in (ROOT / "course_src").glob("*/handouts/*.md")]
    assert titles and not [t for t in titles if t.startswith("# Handout:")]
    assert "Handout:" not in doc  # the examples follow the course: a handout's title is its own heading
    assert '"The five components at a glance"' in doc and "(Appendix N)" in doc
