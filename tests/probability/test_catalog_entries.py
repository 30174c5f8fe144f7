"""The probability entries of the catalog: each builds, renders, and passes its numeric check."""
import pytest

from derivations import build, entry_names

NAMES = [name for name in entry_names() if name.startswith("probability.")]


@pytest.mark.parametrize("name", NAMES)
def test_entry_passes_its_numeric_check(name):
    report = build(name).verify()
    assert report, str(report)


@pytest.mark.parametrize("name", NAMES)
def test_entry_renders_to_latex_and_markdown(name):
    d = build(name)
    assert d.latex() and d.markdown()
