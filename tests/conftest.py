"""Shared fixtures: a KaTeX renderer for LaTeX checks, and hypothesis settings fit for CI's two cores."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.latex_renderer import KatexRenderer

settings.register_profile(
    "symml", deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("symml")


@pytest.fixture(scope="session")
def katex():
    """A KaTeX process; skipped where KaTeX is not installed, except in CI, where that is a failure."""
    try:
        renderer = KatexRenderer()
    except FileNotFoundError as missing:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(missing))
    yield renderer
    renderer.close()
