"""Mutual information and the information gain of a split, derived from entropies.

.. math:: I(X; Y) = H(X) + H(Y) - H(X, Y) = \\sum_{x, y} p(x, y) \\log\\frac{p(x, y)}{p(x)\\,p(y)}, \\qquad
          \\mathrm{IG} = H(Y) - \\sum_k w_k H(Y \\mid B = k) = I(B; Y)

(Cover & Thomas 2.4; Quinlan's ID3 gain). A **bivariate normal** gets its entropies from the expectation
operator: the marginals' H by :func:`~symml.probability.information.derive_entropy`, the joint's from
−log p = log 2π + ½ log det Σ + ½ (z − μ)ᵀΣ⁻¹(z − μ) and E[(z − μ)ᵀΣ⁻¹(z − μ)] = tr(Σ⁻¹Σ) = 2 (the
quadratic-form rule), giving −½ log(1 − ρ²). A **discrete joint** is a table (rows x, columns y; numbers or
symbols) or a symbolic pmf p(x, y) with the values of x and y: the marginals are sums, the MI one finite sum.

>>> import sympy as sp, sympy.stats as st
>>> s1, s2 = sp.symbols("sigma1 sigma2", positive=True); rho = sp.Symbol("rho", real=True)
>>> Z = st.MultivariateNormal("Z", [0, 0], [[s1**2, rho*s1*s2], [rho*s1*s2, s2**2]])
>>> derive_mutual_information(Z).result
-log(1 - rho**2)/2
>>> float(derive_information_gain([[3, 1], [0, 4]]).numpy()())
0.380395665848578
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import sympy as sp
import sympy.stats as st

from symml.derivation import Derivation, Step
from symml.errors import ModelError, ShapeError
from symml.probability.expectation import Expect, defining_integral, simplified
from symml.probability.gaussian_kl import expected_quadratic_form, is_multivariate_normal
from symml.probability.information import derive_entropy
from symml.probability.law import as_law
from symml.probability.notation import Shown
from symml.probability.problem import ProbabilityProblem

__all__ = ["derive_mutual_information", "derive_information_gain"]

_H = lambda text: Shown(f"H({text})", f"\\mathrm{{H}}\\left({text}\\right)")  # noqa: E731


def derive_mutual_information(joint: Any, values: Mapping[sp.Symbol, Sequence[Any]] | None = None) -> Derivation:
    """I(X; Y) of a bivariate normal (a sympy.stats MultivariateNormal of dimension 2), of a joint probability
    table (rows: values of X, columns: values of Y; a SymPy Matrix, nested lists or a NumPy array), or of a
    symbolic pmf p(x, y) with ``values`` = {x: [...], y: [...]}.

    Returns:
        A Derivation whose ``result`` is I(X; Y) in nats; ``numpy()`` takes the symbols left by name.

    Raises:
        ModelError, ShapeError: not one of those forms, a table that is not 2-D, entries that do not sum to 1.
    """
    if is_multivariate_normal(joint):
        return _bivariate_normal(joint)
    table = _table(joint, values)
    return _discrete(table, "I(X; Y)", "Mutual information of a discrete joint")


def derive_information_gain(counts: Any) -> Derivation:
    """The information gain of a split: H(Y) − Σ_k (n_k/n) H(Y | branch k), from a table of counts (rows: the
    branches of the split, columns: the classes; numbers or symbols). It equals I(B; Y) of the joint n_kc/n.

    >>> derive_information_gain([[5, 0], [0, 5]]).result
    log(2)
    """
    table = sp.Matrix(counts) if not isinstance(counts, sp.MatrixBase) else counts
    if table.rows < 1 or table.cols < 2:
        raise ShapeError(f"give counts as a table with a row per branch and a column per class, not {table.shape}")
    total = sum(table)
    joint = table / total
    branch = [sum(joint.row(k)) for k in range(table.rows)]
    classes = [sum(joint.col(c)) for c in range(table.cols)]
    before = -sp.Add(*(p * sp.log(p) for p in classes if p != 0))
    within = [-sp.Add(*(joint[k, c] / branch[k] * sp.log(joint[k, c] / branch[k]) for c in range(table.cols)
                        if joint[k, c] != 0)) for k in range(table.rows) if branch[k] != 0]
    weights = [w for w in branch if w != 0]
    after = sp.Add(*(w * h for w, h in zip(weights, within)))
    gain = simplified(sp.expand_log(before - after, force=True))
    name = Shown("IG", r"\mathrm{IG}")
    steps = (Step("Entropy of the classes before the split", sp.Eq(_H("Y"), before, evaluate=False),
                  "the class proportions over all branches"),
             Step("Entropy within each branch", tuple(sp.Eq(_H(f"Y | B = {k + 1}"), h, evaluate=False)
                                                     for k, h in enumerate(within)),
                  "the class proportions within the branch"),
             Step("Weighted by the branch sizes", sp.Eq(_H("Y | B"), after, evaluate=False), "$w_k = n_k / n$"),
             Step("Information gain", sp.Eq(name, gain, evaluate=False),
                  "$\\mathrm{IG} = H(Y) - H(Y \\mid B) = I(B; Y)$"))
    reference = _mi_sum(joint)
    problem = ProbabilityProblem("Information gain of a split", {"value": gain}, {"value": reference}, "scalar",
                                 tuple(sorted(table.free_symbols, key=lambda s: s.name)))
    return Derivation(problem, steps, gain, (sp.Eq(name, gain, evaluate=False),))


def _table(joint: Any, values: Mapping[sp.Symbol, Sequence[Any]] | None) -> sp.Matrix:
    if isinstance(joint, sp.Expr):
        if values is None or len(values) != 2:
            raise ModelError("a symbolic pmf p(x, y) needs values={x: [...], y: [...]}")
        (x, xs), (y, ys) = values.items()
        return sp.Matrix(len(xs), len(ys), lambda i, j: joint.subs({x: xs[i], y: ys[j]}))
    try:
        table = joint if isinstance(joint, sp.MatrixBase) else sp.Matrix(sp.sympify(getattr(joint, "tolist", lambda: joint)()))
    except (sp.SympifyError, TypeError, ValueError):
        raise ModelError("give the joint as a MultivariateNormal, a 2-D table of probabilities or a symbolic pmf")
    if table.rows < 2 or table.cols < 2:
        raise ShapeError(f"the joint table must have at least two rows and two columns, not {table.shape}")
    total = simplified(sum(table))
    if total.is_number and abs(float(total) - 1.0) > 1e-9:
        raise ModelError(f"the joint probabilities sum to {float(total):g}, not 1")
    return table


def _mi_sum(joint: sp.Matrix) -> sp.Expr:
    rows = [sum(joint.row(i)) for i in range(joint.rows)]
    cols = [sum(joint.col(j)) for j in range(joint.cols)]
    return sp.Add(*(joint[i, j] * sp.log(joint[i, j] / (rows[i] * cols[j])) for i in range(joint.rows)
                    for j in range(joint.cols) if joint[i, j] != 0))


def _discrete(joint: sp.Matrix, text: str, title: str) -> Derivation:
    rows = [sum(joint.row(i)) for i in range(joint.rows)]
    cols = [sum(joint.col(j)) for j in range(joint.cols)]
    entropy = lambda ps: -sp.Add(*(p * sp.log(p) for p in ps if p != 0))  # noqa: E731
    h_x, h_y, h_xy = entropy(rows), entropy(cols), entropy(list(joint))
    value = simplified(h_x + h_y - h_xy)
    name = Shown(text, r"\mathrm{I}\left(X; Y\right)")
    steps = (Step("Marginals", (sp.Eq(sp.Symbol("p(x)"), sp.Matrix([rows]), evaluate=False),
                                sp.Eq(sp.Symbol("p(y)"), sp.Matrix([cols]), evaluate=False)),
                  "sums of the rows and of the columns"),
             Step("Entropies", (sp.Eq(_H("X"), h_x, evaluate=False), sp.Eq(_H("Y"), h_y, evaluate=False),
                                sp.Eq(_H("X, Y"), h_xy, evaluate=False))),
             Step("Mutual information", sp.Eq(name, value, evaluate=False), "$I(X; Y) = H(X) + H(Y) - H(X, Y)$"))
    problem = ProbabilityProblem(title, {"value": value}, {"value": _mi_sum(joint)}, "scalar",
                                 tuple(sorted(joint.free_symbols, key=lambda s: s.name)))
    return Derivation(problem, steps, value, (sp.Eq(name, value, evaluate=False),))


def _bivariate_normal(joint: Any) -> Derivation:
    distribution = joint.pspace.distribution
    mean, covariance = sp.Matrix(distribution.mu), sp.Matrix(distribution.sigma)
    if covariance.shape != (2, 2):
        raise ShapeError(f"the mutual information of a normal is derived for a bivariate one, not {covariance.shape}")
    marginals = [st.Normal(f"{joint.name}{k + 1}", mean[k], sp.sqrt(covariance[k, k])) for k in range(2)]
    h_x, h_y = (derive_entropy(m) for m in marginals)
    precision = covariance.inv()
    quadratic = simplified(expected_quadratic_form(precision, mean, mean, covariance).doit()[0, 0])
    log_det = sp.log(simplified(covariance.det()))
    h_xy = simplified(sp.log(2 * sp.pi) + log_det / 2 + quadratic / 2)
    value = simplified(sp.expand_log(sp.logcombine(h_x.result + h_y.result - h_xy, force=True), force=True))
    value = simplified(sp.logcombine(value, force=True))
    name = Shown("I(X; Y)", r"\mathrm{I}\left(X; Y\right)")
    steps = (Step("Marginals", tuple(sp.Eq(sp.Symbol(f"X{k + 1}"), sp.Function("Normal")(mean[k], sp.sqrt(
        covariance[k, k])), evaluate=False) for k in range(2)), "a Gaussian's marginal keeps its block of μ and Σ"),
             Step("Entropies of the marginals", (sp.Eq(_H("X1"), h_x.result, evaluate=False),
                                                 sp.Eq(_H("X2"), h_y.result, evaluate=False)),
                  "each by the expectation operator, $-\\mathbb{E}[\\log p]$"),
             Step("Entropy of the joint", (sp.Eq(Expect(sp.Symbol("(z - μ)ᵀ Σ⁻¹ (z - μ)")), quadratic, evaluate=False),
                                           sp.Eq(_H("X1, X2"), h_xy, evaluate=False)),
                  "$-\\log p(z) = \\log 2\\pi + \\frac12 \\log\\det\\Sigma + \\frac12 (z-\\mu)^\\top\\Sigma^{-1}(z-\\mu)$ "
                  "and $\\mathbb{E}[(z-\\mu)^\\top A (z-\\mu)] = \\operatorname{tr}(A\\Sigma)$"),
             Step("Mutual information", sp.Eq(name, value, evaluate=False), "$I = H(X_1) + H(X_2) - H(X_1, X_2)$"))
    problem = ProbabilityProblem("Mutual information of a bivariate normal", {"value": value},
                                 {"value": _chain_rule_reference(marginals[1], mean, covariance)}, "scalar",
                                 tuple(sorted(covariance.free_symbols | mean.free_symbols, key=lambda s: s.name)))
    return Derivation(problem, steps, value, (sp.Eq(name, value, evaluate=False),),
                      remarks=("verify() checks I = H(X2) − H(X2 | X1 = x) by quadrature of the joint density "
                               "(the conditional entropy of a Gaussian does not depend on x).",))


def _chain_rule_reference(second: Any, mean: sp.Matrix, covariance: sp.Matrix) -> sp.Expr:
    """H(X2) − H(X2 | X1 = μ1 + 1), both as defining integrals of the joint density (for verify())."""
    law = as_law(second)
    y = law.variable
    at = mean[0] + 1
    z = sp.Matrix([at - mean[0], y - mean[1]])
    joint = sp.exp(-(z.T * covariance.inv() * z)[0, 0] / 2) / (2 * sp.pi * sp.sqrt(covariance.det()))
    first = sp.exp(-(at - mean[0])**2 / (2 * covariance[0, 0])) / sp.sqrt(2 * sp.pi * covariance[0, 0])
    conditional = joint / first
    return defining_integral(law, -law.log_density) + sp.Integral(conditional * sp.log(conditional), (y, -sp.oo, sp.oo))
