"""The package type-checks: `python -m mypy` (settings in pyproject.toml) reports no error."""
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")


def test_mypy_finds_no_type_errors_in_the_package():
    root = Path(__file__).resolve().parent.parent
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", "/dev/null"], cwd=root, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
