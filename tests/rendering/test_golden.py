"""The LaTeX and Markdown of every catalog entry, checked in under tests/golden/: a change of output shows up in
review as a diff of the golden file.

Regenerate after an intended change: ``SYMML_REGENERATE_GOLDEN=1 python -m pytest -q tests/rendering/test_golden.py``.
An entry without a golden file yet is skipped with that instruction, so that new catalog entries do not fail.

The renderings are made in a fresh interpreter with a fixed hash seed: the matrix engine picks the instance of a
rule it shows, and the order of its rules, by what SymPy's caches and hash order hold (reported to its owner), so
a process that built other derivations first can show another, equally correct, instance.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from derivations import entry_names

GOLDEN = Path(__file__).parent.parent / "golden"
ROOT = Path(__file__).parent.parent.parent
REGENERATE = bool(os.environ.get("SYMML_REGENERATE_GOLDEN"))
_RENDER_ALL = """
import json
from derivations import build, entry_names
print(json.dumps({name: {".tex": build(name).latex(), ".md": build(name).markdown()} for name in entry_names()}))
"""


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, str]]:
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    run = subprocess.run([sys.executable, "-c", _RENDER_ALL], cwd=ROOT, env=environment, capture_output=True,
                         text=True, timeout=300, check=True)
    return json.loads(run.stdout)


@pytest.mark.parametrize("suffix", [".tex", ".md"])
@pytest.mark.parametrize("name", entry_names())
def test_rendering_matches_the_golden_file(rendered, name, suffix):
    path = GOLDEN / f"{name}{suffix}"
    text = rendered[name][suffix].rstrip("\n") + "\n"
    if REGENERATE:
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.skip(f"no golden file {path.name} yet: run SYMML_REGENERATE_GOLDEN=1 python -m pytest -q "
                    "tests/rendering/test_golden.py and review the new file")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name}{suffix} differs from {path}; if the change is intended, regenerate with "
        "SYMML_REGENERATE_GOLDEN=1 python -m pytest -q tests/rendering/test_golden.py and review the diff")
