"""Every optimisation entry of the catalog agrees with scipy.optimize (SLSQP with the constraints, or BFGS) on
random instances, solved from starts that do not depend on the derived answer; each derives in under 5 s."""
import time

import pytest

from derivations import build, entry, entry_names

OPTIMIZE_ENTRIES = [name for name in entry_names() if name.startswith("optimize.")]


def test_the_catalog_has_the_optimisation_entries():
    assert len(OPTIMIZE_ENTRIES) >= 10


@pytest.mark.parametrize("name", OPTIMIZE_ENTRIES)
def test_optimize_entry_agrees_with_scipy_optimize(name):
    data = getattr(entry(name), "VERIFY_DATA", None)
    report = build(name).verify(**({"data": data} if data is not None else {}))
    assert report.passed, str(report)


@pytest.mark.parametrize("name", ["optimize.ridge", "optimize.pca_first_component", "optimize.least_norm"])
def test_matrix_level_entries_derive_quickly(name):
    start = time.perf_counter()
    entry(name).derivation()
    assert time.perf_counter() - start < 5.0
