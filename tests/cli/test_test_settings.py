"""The test suite's own settings: hypothesis reports failures fast, KaTeX is never skipped silently."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import Phase, settings

ROOT = Path(__file__).resolve().parents[2]
KATEX_TEST = "tests/mle_numeric/test_cli.py::test_latex_output_is_a_katex_clean_document"


def test_the_active_hypothesis_profile_has_no_explain_phase_and_a_deadline():
    assert Phase.explain not in settings.default.phases and Phase.shrink in settings.default.phases
    assert settings.default.deadline is not None and settings.default.derandomize


def test_a_failing_property_reports_in_seconds_without_an_explanation(tmp_path):
    test_file = tmp_path / "test_planted.py"
    test_file.write_text(
        "import tests.conftest\nimport sympy as sp\nfrom hypothesis import given, strategies as st\n"
        "@given(st.integers(1, 50))\ndef test_planted(k):\n"
        "    x = sp.Symbol('x')\n    assert sp.expand(sp.diff(x**k, x) - k*x**(k-1)) == 0 and k < 20\n"
    )
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "k=20" in done.stdout  # the minimal failing example, however it is labelled
    assert "Explanation:" not in done.stdout and "@reproduce_failure" in done.stdout


def _run_without_katex(tmp_path, ci: str) -> subprocess.CompletedProcess:
    script = ("import sys, pathlib, pytest, tests.latex_renderer as renderer\n"
              f"renderer.KATEX_DIR = pathlib.Path({str(tmp_path)!r})\n"
              f"sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', {KATEX_TEST!r}]))\n")
    environment = {**os.environ, "CI": ci}
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=300)


def test_missing_katex_is_skipped_with_a_banner_locally(tmp_path):
    done = _run_without_katex(tmp_path, ci="")
    assert done.returncode == 0 and "1 skipped" in done.stdout
    assert "1 LaTeX tests SKIPPED: KaTeX is not installed: run `npm install" in done.stdout


def test_missing_katex_fails_in_ci(tmp_path):
    done = _run_without_katex(tmp_path, ci="true")
    assert done.returncode == 1 and "KaTeX is not installed" in done.stdout
