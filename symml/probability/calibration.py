"""Calibration: the Brier score's decomposition and the expected calibration error, for binned forecasts.

N binary outcomes o_i with forecasts grouped into K bins; bin k has n_k forecasts, all equal to f_k (or replaced
by their bin mean), and observed frequency ō_k; ō = Σ n_k ō_k / N. Since o_i² = o_i, Σ_{i∈k} (f_k − o_i)² =
n_k (f_k² − 2 f_k ō_k + ō_k), and the Brier score splits as (Murphy 1973)

.. math:: \\mathrm{BS} = \\frac1N \\sum_i (f_i - o_i)^2
          = \\underbrace{\\frac1N \\sum_k n_k (f_k - \\bar o_k)^2}_{\\text{reliability}}
          - \\underbrace{\\frac1N \\sum_k n_k (\\bar o_k - \\bar o)^2}_{\\text{resolution}}
          + \\underbrace{\\bar o (1 - \\bar o)}_{\\text{uncertainty}}

shown by expanding both sides in the bin statistics; the expected calibration error is
ECE = Σ_k (n_k/N) |f_k − ō_k|.

>>> d = derive_brier_decomposition(2)
>>> d.steps[-1].why
'reliability − resolution + uncertainty, shown equal by expanding both sides'
"""
from __future__ import annotations

import sympy as sp

from symml.derivation import Derivation, Step
from symml.errors import ParameterError
from symml.probability.expectation import simplified
from symml.probability.problem import ProbabilityProblem

__all__ = ["derive_brier_decomposition"]


def derive_brier_decomposition(bins: int = 3) -> Derivation:
    """The Brier score = reliability − resolution + uncertainty, and the ECE, for ``bins`` bins.

    Returns:
        A Derivation whose ``result`` is a dict (``brier``, ``reliability``, ``resolution``, ``uncertainty``,
        ``ece``) in the bin statistics n_k, f_k, obar_k (k = 1..bins); ``numpy()`` returns the same dict.
    """
    if not isinstance(bins, int) or bins < 1:
        raise ParameterError(f"the number of bins must be a positive integer, not {bins!r}")
    n = sp.symbols(f"n_1:{bins + 1}", positive=True)
    f = sp.symbols(f"f_1:{bins + 1}", positive=True)
    o = sp.symbols(f"obar_1:{bins + 1}", nonnegative=True)
    total = sp.Add(*n)
    overall = sp.Add(*(nk * ok for nk, ok in zip(n, o))) / total
    brier = sp.Add(*(nk * (fk**2 - 2 * fk * ok + ok) for nk, fk, ok in zip(n, f, o))) / total
    reliability = sp.Add(*(nk * (fk - ok) ** 2 for nk, fk, ok in zip(n, f, o))) / total
    resolution = sp.Add(*(nk * (ok - overall) ** 2 for nk, ok in zip(n, o))) / total
    uncertainty = overall * (1 - overall)
    ece = sp.Add(*(nk * sp.Abs(fk - ok) for nk, fk, ok in zip(n, f, o))) / total
    shown = simplified(sp.together(sp.expand(brier - (reliability - resolution + uncertainty)))) == 0
    BS, REL, RES, UNC = (sp.Symbol(name) for name in ("BS", "REL", "RES", "UNC"))
    steps = (
        Step("Brier score in the bin statistics", sp.Eq(BS, brier, evaluate=False),
             "$o_i^2 = o_i$ for binary outcomes, so each bin contributes $n_k (f_k^2 - 2 f_k \\bar o_k + \\bar o_k)$"),
        Step("Reliability, resolution, uncertainty", (sp.Eq(REL, reliability, evaluate=False),
                                                     sp.Eq(RES, resolution, evaluate=False),
                                                     sp.Eq(UNC, uncertainty, evaluate=False)),
             "how far forecasts are from the observed frequencies; how far those are from the base rate; the "
             "base rate's own variance"),
        Step("Expected calibration error", sp.Eq(sp.Symbol("ECE"), ece, evaluate=False),
             "the reliability with absolute instead of squared gaps"),
        Step("The decomposition", sp.Eq(BS, REL - RES + UNC, evaluate=False),
             "reliability − resolution + uncertainty, shown equal by expanding both sides" if shown
             else "not shown equal symbolically"),
    )
    results = {"brier": brier, "reliability": reliability, "resolution": resolution, "uncertainty": uncertainty,
               "ece": ece}
    # verify(): the Brier score from the pieces, against its own expression in the bin statistics
    reference = {**results, "brier": reliability - resolution + uncertainty}
    problem = ProbabilityProblem(f"Brier score decomposition over {bins} bins", results, reference, "dict",
                                 (*n, *f, *o))
    return Derivation(problem, steps, results, (sp.Eq(BS, REL - RES + UNC, evaluate=False),))
