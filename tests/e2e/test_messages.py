"""The interface catalogues: English and Russian are complete, and the player and templates
use no word that is not in them. (No browser needed.)"""
from __future__ import annotations

import json
import re

from .harness import ROOT

MESSAGES = ROOT / "templates" / "messages"
PLURAL = re.compile(r"_(zero|one|two|few|many|other)$")


def load(lang: str) -> dict:
    return json.loads((MESSAGES / f"{lang}.json").read_text(encoding="utf-8"))


def base_keys(cat: dict) -> set[str]:
    return {PLURAL.sub("", k) for k in cat}


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_catalogues_are_flat_strings():
    for lang in ("en", "ru"):
        cat = load(lang)
        assert cat and all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in cat.items()), lang


def test_russian_is_complete_with_its_plural_forms():
    en, ru = load("en"), load("ru")
    assert base_keys(en) == base_keys(ru)
    for k in en:
        if not PLURAL.search(k):
            assert k in ru, k
            assert placeholders(en[k]) == placeholders(ru[k]), k
    for base in {PLURAL.sub("", k) for k in en if PLURAL.search(k)}:
        for form in ("one", "few", "many", "other"):  # Russian needs all four
            assert f"{base}_{form}" in ru, f"{base}_{form}"
        assert f"{base}_one" in en and f"{base}_other" in en, base


def used_keys() -> set[str]:
    js = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "templates" / "player" / "js").glob("*.js")))
    used = set()
    for m in re.finditer(r"\b(?:msg|plural)\(", js):
        depth, end = 1, m.end()
        while depth and end < len(js):  # the arguments of this call only
            depth += {"(": 1, ")": -1}.get(js[end], 0)
            end += 1
        call = js[m.end():end].split("{", 1)[0]
        used |= set(re.findall(r'(?<!=== )"([a-z_]+)"', call))
    templates = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "templates").glob("*.j2")))
    used |= set(re.findall(r"\bt\.(\w+)", templates))
    builder = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "builder").glob("*.py")))
    used |= set(re.findall(r'\bt\["(\w+)"\]', builder))  # e.g. the guide's labels
    return used


def test_every_message_used_exists_and_every_message_is_used():
    en = load("en")
    used = used_keys()
    assert {k for k in used if k not in en and f"{k}_other" not in en} == set()
    assert {PLURAL.sub("", k) for k in en} - used == set()
