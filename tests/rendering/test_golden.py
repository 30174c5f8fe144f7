"""The LaTeX and Markdown of every catalog entry, checked in under tests/golden/: a change of output shows up in
review as a diff of the golden file.

Regenerate after an intended change: ``SYMML_REGENERATE_GOLDEN=1 python -m pytest -q tests/rendering/test_golden.py``.
An entry without a golden file yet is skipped with that instruction, so that new catalog entries do not fail.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from derivations import build, entry_names

GOLDEN = Path(__file__).parent.parent / "golden"
REGENERATE = bool(os.environ.get("SYMML_REGENERATE_GOLDEN"))


def _rendered(name: str, suffix: str) -> str:
    derivation = build(name)
    return (derivation.latex() if suffix == ".tex" else derivation.markdown()).rstrip("\n") + "\n"


def _unordered(text: str) -> list[str]:
    """The lines of a rendering, sorted, without step numbers."""
    return sorted(re.sub(r"^\*\*\d+\. ", "**", line) for line in text.splitlines())


@pytest.mark.parametrize("suffix", [".tex", ".md"])
@pytest.mark.parametrize("name", entry_names())
def test_rendering_matches_the_golden_file(name, suffix):
    path = GOLDEN / f"{name}{suffix}"
    text = _rendered(name, suffix)
    if REGENERATE:
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.skip(f"no golden file {path.name} yet: run SYMML_REGENERATE_GOLDEN=1 python -m pytest -q "
                    "tests/rendering/test_golden.py and review the new file")
    golden = path.read_text(encoding="utf-8")
    if text != golden and _unordered(text) == _unordered(golden):
        # the same lines in another order: the matrix engine lists its differential rules in an order that
        # depends on PYTHONHASHSEED (softmax cross-entropy); reported, not a rendering change
        pytest.xfail(f"{name}{suffix}: same lines as the golden file in another order (hash-seed dependent)")
    assert text == golden, (
        f"{name}{suffix} differs from {path}; if the change is intended, regenerate with "
        "SYMML_REGENERATE_GOLDEN=1 python -m pytest -q tests/rendering/test_golden.py and review the diff")
