"""The player as it goes into a package: one minified script joined from templates/player/js/,
the same bytes at every build, and small enough for a slow connection (issue 12: at most 20 KB
of JavaScript and CSS, gzipped). No browser needed."""
from __future__ import annotations

import gzip
import zipfile

from builder.loader import load_course
from builder.render import Renderer

from ..conftest import make_course

LIMIT = 20 * 1024


def player(tmp_path, files=None) -> dict[str, bytes]:
    course, _ = load_course(make_course(tmp_path, files or {}))
    return Renderer(course).player_files()


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def test_packaged_player_js_and_css_stay_under_20_kb_gzipped(tmp_path):
    files = player(tmp_path)
    assert sorted(files) == ["player/player.css", "player/player.js"]  # the parts are not shipped
    size = gz(files["player/player.js"]) + gz(files["player/player.css"])
    print(f"player JS+CSS gzipped: {size} bytes")
    assert size <= LIMIT, f"player JS+CSS is {size} bytes gzipped, more than {LIMIT}"


def test_the_parts_are_joined_in_name_order_in_one_strict_function(tmp_path):
    js = player(tmp_path)["player/player.js"].decode()
    assert js.startswith('(function(){"use strict";document.documentElement.classList.add("cp-js");')
    assert js.rstrip().endswith("})();")
    assert js.index("function Lms(") < js.index("function encodeState(") < js.index("function start(")
    assert "/*" not in js and "\n  " not in js  # comments and indentation are gone


def test_minified_player_is_reproducible_and_a_course_can_replace_one_part(tmp_path):
    assert player(tmp_path / "a") == player(tmp_path / "b")
    js = player(tmp_path / "c", {
        "templates/player/js/95-extra.js": "window.cpExtra = 42; // the course's own addition\n"})["player/player.js"].decode()
    assert js.rstrip().endswith("window.cpExtra=42;})();")
    assert "own addition" not in js


def test_built_package_holds_the_minified_player(tmp_path):
    from builder.build import build_packages
    results, _ = build_packages(make_course(tmp_path, {}), tmp_path / "out", scorm=["1.2"])
    with zipfile.ZipFile(results[0].path) as zf:
        names = zf.namelist()
        js = zf.read("player/player.js")
    assert not [n for n in names if n.startswith("player/js/")]
    assert js == player(tmp_path / "again")["player/player.js"]
