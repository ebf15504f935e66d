"""YAML with positions: parse once, keep the node tree to point errors at lines.

Every YAML fragment (course.yml, front matter, a quiz block) is parsed here, so a
Pydantic error path such as ``("questions", 2, "choices")`` can be turned back into
the line and column of the Markdown file the author is editing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Report


@dataclass
class YamlDoc:
    data: Any
    node: Node | None
    path: str
    line_offset: int  # lines before the fragment in its file (0 for a whole file)

    def position(self, loc: tuple = ()) -> tuple[int, int]:
        """1-based (line, column) in the file for a path of keys/indexes."""
        node, _ = _walk(self.node, loc)
        if node is None:
            return self.line_offset + 1, 1
        return self.line_offset + node.start_mark.line + 1, node.start_mark.column + 1

    def raw(self, loc: tuple = ()) -> str | None:
        """The text of the scalar at ``loc`` exactly as written (`No`, `1.10`), or None."""
        node, _ = _walk(self.node, loc)
        return node.value if isinstance(node, ScalarNode) else None

    def key_position(self, loc: tuple) -> tuple[int, int]:
        """Position of the *key* at the end of ``loc`` (for unknown keys)."""
        parent, _ = _walk(self.node, loc[:-1])
        if isinstance(parent, MappingNode):
            for k, _v in parent.value:
                if isinstance(k, ScalarNode) and k.value == str(loc[-1]):
                    return self.line_offset + k.start_mark.line + 1, k.start_mark.column + 1
        return self.position(loc)


def _walk(node: Node | None, loc: tuple) -> tuple[Node | None, int]:
    """Follow ``loc`` as far as the node tree allows; return the deepest node reached."""
    depth = 0
    for part in loc:
        if isinstance(node, MappingNode):
            nxt = None
            for k, v in node.value:
                if isinstance(k, ScalarNode) and k.value == str(part):
                    nxt = v
                    break
            if nxt is None:
                # a discriminated-union tag (e.g. "single") is not a key: skip it
                continue
            node = nxt
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
            else:
                break
        else:
            break
        depth += 1
    return node, depth


CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
STR_TAG = "tag:yaml.org,2002:str"


class RawInt(int):
    """An integer that remembers how the author wrote it (``010``, ``1_000``)."""

    raw: str


class RawFloat(float):
    """A number that remembers how the author wrote it (``1.10`` stays "1.10" when text is wanted)."""

    raw: str


def as_text(value: Any) -> Any:
    """A number the author meant as text, exactly as written; anything else unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (RawInt, RawFloat)):
        return value.raw
    if isinstance(value, (int, float)):
        return str(value)
    return value


# libyaml's parser when PyYAML was built with it (the wheels are): same nodes and marks, ~10x faster
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    def construct_yaml_int(self, node):
        value = RawInt(super().construct_yaml_int(node))
        value.raw = node.value
        return value

    def construct_yaml_float(self, node):
        value = RawFloat(super().construct_yaml_float(node))
        value.raw = node.value
        return value


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)


# the tags plain YAML gives its values; anything else was written by the author (`!!python/object`, `!!set`, `!foo`)
PLAIN_TAGS = {STR_TAG} | {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "seq", "map",
                                                              "timestamp")}
BINARY_TAG = "tag:yaml.org,2002:binary"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _StopWalk(Exception):
    """One alias error per block is enough."""


def _check_tree(node: Node, doc: YamlDoc, report: Report, seen: set[int]) -> None:
    if id(node) in seen:
        line = doc.line_offset + node.start_mark.line + 1
        report.error(
            "yaml-alias",
            "YAML anchors and aliases (& and *) are not supported here",
            path=doc.path, line=line, column=node.start_mark.column + 1,
            hint="write the value out in full",
        )
        raise _StopWalk
    seen.add(id(node))
    if node.tag not in PLAIN_TAGS and node.tag != BINARY_TAG:
        report.error("yaml-tag", f"the YAML tag '{_short_tag(node.tag)}' is not supported here",
                     path=doc.path, line=doc.line_offset + node.start_mark.line + 1,
                     column=node.start_mark.column + 1,
                     hint="remove the word that starts with '!' (or put the whole value in quotes as text)")
        return
    if isinstance(node, ScalarNode):
        where = dict(path=doc.path, line=doc.line_offset + node.start_mark.line + 1, column=node.start_mark.column + 1)
        if node.tag == BINARY_TAG:
            report.error("yaml-binary", "binary values (!!binary) are not allowed", hint="write plain text", **where)
        elif node.tag == STR_TAG and CONTROL_RE.search(node.value):
            bad = CONTROL_RE.search(node.value).group()
            report.error("encoding", f"the text contains the invisible control character U+{ord(bad):04X}",
                         hint="remove the escape sequence (\\x.. or \\u....) from the quoted text", **where)
    elif isinstance(node, MappingNode):
        keys: dict[str, Node] = {}
        for k, v in node.value:
            if not isinstance(k, ScalarNode) or k.tag != STR_TAG:
                shown = k.value if isinstance(k, ScalarNode) else "a list or block"
                report.error("invalid-key", f"'{shown}' cannot be a key here; keys are words such as title or prompt",
                             path=doc.path, line=doc.line_offset + k.start_mark.line + 1,
                             column=k.start_mark.column + 1, hint="check the indentation, or quote the text")
                continue
            if isinstance(k, ScalarNode):
                if k.value in keys:
                    report.error(
                        "duplicate-key",
                        f"the key '{k.value}' appears twice in the same block "
                        f"(first on line {doc.line_offset + keys[k.value].start_mark.line + 1})",
                        path=doc.path, line=doc.line_offset + k.start_mark.line + 1,
                        column=k.start_mark.column + 1, hint="keep one of them",
                    )
                else:
                    keys[k.value] = k
            _check_tree(v, doc, report, seen)
    elif isinstance(node, SequenceNode):
        for v in node.value:
            _check_tree(v, doc, report, seen)


def parse_yaml(text: str, path: str, report: Report, line_offset: int = 0, what: str = "YAML") -> YamlDoc | None:
    """Parse ``text``; on a syntax error add a located diagnostic and return None."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            doc = YamlDoc(None, node, path, line_offset)
            if node is not None:
                before = len(report.errors)
                try:
                    _check_tree(node, doc, report, set())
                except _StopWalk:
                    pass
                if len(report.errors) > before:
                    return None
                doc.data = loader.construct_document(node)
        finally:
            loader.dispose()
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_offset + (mark.line + 1 if mark else 1)
        col = mark.column + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        hint = _yaml_hint(problem, text, mark)
        report.error("yaml-syntax", f"{what} is not valid YAML: {problem}", path=path, line=line, column=col, hint=hint)
    except ValueError as exc:  # e.g. an integer of thousands of digits
        report.error("yaml-value", f"{what} has a value that cannot be read: {str(exc).split(';')[0]}",
                     path=path, line=line_offset + 1, hint="shorten the number, or put it in quotes as text")
    except RecursionError:
        report.error("yaml-depth", f"{what} is nested too deeply to read", path=path, line=line_offset + 1,
                     hint="a quiz needs only a few levels of indentation")
    except yaml.YAMLError as exc:  # other reader errors (bad characters)
        report.error("yaml-syntax", f"{what} is not valid YAML: {exc}", path=path, line=line_offset + 1)
    return None


def _yaml_hint(problem: str, text: str, mark) -> str | None:
    line = text.split("\n")[mark.line] if mark and mark.line < len(text.split("\n")) else ""
    if "\t" in line:
        return "indent with spaces, not tabs"
    if "end of stream" in problem and ("'" in text or '"' in text):
        return "a quote is opened but never closed"
    if "mapping values are not allowed" in problem:
        over = _over_indented(text.split("\n"), mark.line) if mark else None
        if over:
            return over
        return 'a value that contains ": " must be quoted, e.g. prompt: "Why: because"'
    if "found character '\\t'" in problem or "\\t" in problem:
        return "indent with spaces, not tabs"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "check the indentation and quotes on this line and the one before it"
    if "found undefined alias" in problem or "found unexpected ':'" in problem:
        return "quote text that starts with *, &, ! or contains ': '"
    return "check the quotes, colons and indentation on this line"


KEY_LINE_RE = re.compile(r"^(\s*(?:-\s+)*)([A-Za-z_][\w-]*)\s*:(?:\s|$)")


def _over_indented(lines: list[str], n: int) -> str | None:
    """A key indented further than the key above it, whose value is already on its line."""
    cur = KEY_LINE_RE.match(lines[n]) if n < len(lines) else None
    if not cur:
        return None
    prev_n = next((i for i in range(n - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")),
                  None)
    if prev_n is None:
        return None
    prev = KEY_LINE_RE.match(lines[prev_n])
    if not prev:
        return None
    value = lines[prev_n][prev.end():].split(" #")[0].strip()
    if not value or value in ("|", ">", "|-", ">-", "|+", ">+"):
        return None  # the key above opens a block: indenting under it is right
    cur_col, prev_col = len(cur.group(1)), len(prev.group(1))
    if cur_col <= prev_col:
        return None
    return (f"'{cur.group(2)}' is indented further than '{prev.group(2)}' on the line above; keys of the same "
            f"block start in the same column: remove {cur_col - prev_col} space(s) before '{cur.group(2)}'")
