"""Manifests, a learner page and a facilitator's guide match the reviewed golden copies
(regenerate with `make golden` and review the diff)."""
import pytest

from .regen_golden import GOLDEN, golden_manifests


def test_outputs_match_golden_files():
    built = golden_manifests()
    for name, data in built.items():
        path = GOLDEN / name
        assert path.is_file(), f"missing golden file {name}: run `make golden` and review it"
        assert data.decode() == path.read_text(encoding="utf-8"), f"{name} changed: run `make golden` and review the diff"
