"""Shared fixtures: a KaTeX renderer for LaTeX checks, and hypothesis profiles fit for CI's two cores.

Hypothesis profiles (``--hypothesis-profile=NAME`` picks one; the default is ``ci``):

- ``ci``: no explain phase (it traces every line SymPy runs: a failing matrix test took over 300 s to report
  with it, 3.5 s without), a deadline per example, derandomized (the same examples every run), and the blob
  that reproduces a failure printed.
- ``explain``: every phase, no deadline: for investigating a failure locally.
"""
from __future__ import annotations

import datetime
import os

import pytest
from hypothesis import HealthCheck, Phase, settings

from tests.latex_renderer import KatexRenderer

_FAST_TO_REPORT = tuple(phase for phase in Phase if phase is not Phase.explain)
settings.register_profile(
    "ci", phases=_FAST_TO_REPORT, deadline=datetime.timedelta(seconds=20), max_examples=25, derandomize=True,
    print_blob=True, suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explain", parent=settings.get_profile("ci"), phases=tuple(Phase), deadline=None)
settings.load_profile("ci")

_katex_missing: list[str] = []


def in_ci() -> bool:
    """Whether the tests run in CI (``CI`` set to anything but empty, 0 or false)."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


@pytest.fixture(scope="session")
def katex():
    """A KaTeX process. Where KaTeX is not installed: a failure in CI; locally the LaTeX tests are skipped and the
    summary says so in a banner (see ``pytest_terminal_summary``)."""
    try:
        renderer = KatexRenderer()
    except FileNotFoundError as missing:
        if in_ci():
            raise
        _katex_missing.append(str(missing))
        pytest.skip(str(missing))
    yield renderer
    renderer.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say loudly that the LaTeX tests did not run, and why, when KaTeX is missing."""
    if _katex_missing:
        skipped = [report for report in terminalreporter.stats.get("skipped", []) if "KaTeX" in str(report.longrepr)]
        terminalreporter.write_sep(
            "!", f"{len(skipped)} LaTeX tests SKIPPED: {_katex_missing[0]} (in CI this is a failure)", yellow=True,
            bold=True,
        )
