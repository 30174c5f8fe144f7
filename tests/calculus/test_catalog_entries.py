"""Every calculus and linear-algebra entry of the catalog passes its independent numeric check and renders."""
import pytest

from derivations import build, entry_names

ENTRIES = [name for name in entry_names() if name.startswith(("calculus.", "linalg."))]


def test_the_catalog_has_calculus_and_linear_algebra_entries():
    assert sum(name.startswith("calculus.") for name in ENTRIES) >= 8
    assert sum(name.startswith("linalg.") for name in ENTRIES) >= 6


@pytest.mark.parametrize("name", ENTRIES)
def test_entry_agrees_with_an_independent_numeric_computation(name):
    report = build(name).verify()
    assert report.passed, str(report)


@pytest.mark.parametrize("name", ENTRIES)
def test_entry_renders_in_katex(katex, name):
    assert katex.errors(build(name).markdown()) == []
