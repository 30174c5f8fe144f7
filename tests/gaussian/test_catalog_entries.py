"""The Gaussian-algebra and matrix-level Bayes entries of the catalog: each builds, passes its numeric check and
renders in KaTeX."""
import pytest

from derivations import build, entry_names

NAMES = [name for name in entry_names() if name.startswith("gaussian.")
         or name.startswith(("bayes.linear_regression", "bayes.multivariate_normal_mean", "bayes.wishart"))]


def test_the_entries_are_in_the_catalog():
    assert len(NAMES) == 15


@pytest.mark.parametrize("name", NAMES)
def test_entry_passes_its_numeric_check(name):
    report = build(name).verify()
    assert report, str(report)


@pytest.mark.parametrize("name", NAMES)
def test_entry_renders_in_katex(name, katex):
    d = build(name)
    assert katex.errors(d.latex()) == []
    assert katex.errors(d.markdown()) == []
