"""Every matrix entry of the catalog passes its independent numeric check.

Gradients and Hessians are checked by central finite differences at random shapes and values; stationary
points by BFGS on the loss itself (neither uses a derived derivative).
"""
import pytest

from derivations import build, entry_names

MATRIX_ENTRIES = [name for name in entry_names() if name.startswith("matrix.")]


def test_the_catalog_has_matrix_entries():
    assert len(MATRIX_ENTRIES) >= 7


@pytest.mark.parametrize("name", MATRIX_ENTRIES)
def test_matrix_entry_agrees_with_an_independent_numeric_computation(name):
    report = build(name).verify()
    assert report.passed, str(report)
