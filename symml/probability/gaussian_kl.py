"""KL divergence between two multivariate normals, and their entropy and cross-entropy, at matrix level (cost
independent of the dimension d).

.. math:: \\mathrm{KL}(\\mathcal N(\\mu_0, \\Sigma_0) \\,\\|\\, \\mathcal N(\\mu_1, \\Sigma_1))
          = \\tfrac12\\left[\\operatorname{tr}(\\Sigma_1^{-1}\\Sigma_0) + (\\mu_1 - \\mu_0)^\\top \\Sigma_1^{-1}
            (\\mu_1 - \\mu_0) - d + \\log\\det\\Sigma_1 - \\log\\det\\Sigma_0\\right]

Derived as E_p[log p(x) − log q(x)] with the log-densities written in the matrix vocabulary
(:mod:`symml.matrix_calculus`) and one rule for the expectation of a quadratic form, itself derived from
linearity of the trace: (x − a)ᵀA(x − a) = tr(A (x − a)(x − a)ᵀ) and E[(x − a)(x − a)ᵀ] = Σ₀ + (μ₀ − a)(μ₀ − a)ᵀ, so

.. math:: E_p[(x - a)^\\top A (x - a)] = \\operatorname{tr}(A\\Sigma_0) + (\\mu_0 - a)^\\top A (\\mu_0 - a)

(Matrix Cookbook eq. 380; Bishop PRML 2.3).

>>> import sympy as sp, sympy.stats as st, symml
>>> d = symml.dims("d")
>>> m0, m1 = symml.vector("m0", d), symml.vector("m1", d)
>>> S0, S1 = symml.matrix("S0", d, d), symml.matrix("S1", d, d)
>>> kl = derive_gaussian_kl(st.MultivariateNormal("P", m0, S0), st.MultivariateNormal("Q", m1, S1))
>>> kl.numpy()(m0=[0.0, 0.0], S0=[[1.0, 0.0], [0.0, 1.0]], m1=[1.0, 0.0], S1=[[1.0, 0.0], [0.0, 1.0]])
0.5
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import sympy as sp
from sympy.stats.rv import RandomSymbol

from symml.derivation import Derivation, Step
from symml.errors import ModelError, ShapeError
from symml.matrix_calculus.expressions import inv, logdet, trace
from symml.operations import numpy_function, verify
from sympy.matrices.expressions.matexpr import MatrixExpr
from symml.probability.notation import Shown

__all__ = ["derive_gaussian_kl", "is_multivariate_normal", "Expect", "expected_quadratic_form", "GaussianKLProblem"]


def is_multivariate_normal(source: Any) -> bool:
    """Whether ``source`` is a sympy.stats MultivariateNormal random variable."""
    distribution = getattr(getattr(source, "pspace", None), "distribution", None)
    return isinstance(source, RandomSymbol) and type(distribution).__name__ == "MultivariateNormalDistribution"


class Expect(MatrixExpr):
    """E[A] of a 1 x 1 matrix expression, for display in steps (a matrix node, so it adds to other 1 x 1 terms)."""

    shape = (sp.S.One, sp.S.One)

    def __new__(cls, arg: Any) -> "Expect":
        return super().__new__(cls, sp.sympify(arg))

    def _symml_latex(self, printer: Any) -> str:
        return f"\\mathbb{{E}}\\left[{printer._print(self.args[0])}\\right]"

    _latex = _symml_latex

    def _sympystr(self, printer: Any) -> str:
        return f"E[{printer._print(self.args[0])}]"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        return prettyForm(*prettyForm(*printer._print(self.args[0]).parens("[", "]")).left("E"))


def expected_quadratic_form(A: Any, a: Any, mean: Any, covariance: Any) -> Any:
    """E[(x − a)ᵀ A (x − a)] for x with the given mean and covariance: tr(AΣ) + (μ − a)ᵀ A (μ − a), 1 x 1."""
    return trace(A @ covariance) + (mean - a).T @ A @ (mean - a)


@dataclass(frozen=True)
class GaussianKLProblem:
    """KL, entropy or cross-entropy of multivariate normals at matrix level; the inputs are matrix symbols.

    Attributes:
        kind: "kl" (E_p[log p − log q]), "entropy" (−E_p[log p]) or "cross_entropy" (−E_p[log q]).
    """

    title: str
    inputs: tuple[Any, ...]
    kind: str = "kl"


#: {kind: (how it is shown, the coefficients of E_p[log p] and E_p[log q] in it)}
_KINDS = {"kl": (("KL(p ‖ q)", r"\mathrm{KL}\left(p \,\|\, q\right)"), (1, -1), "KL divergence between"),
          "entropy": (("H(p)", r"\mathrm{H}\left(p\right)"), (-1, 0), "Entropy of"),
          "cross_entropy": (("H(p, q)", r"\mathrm{H}\left(p, q\right)"), (0, -1), "Cross-entropy between")}


def _normal_arguments(source: Any) -> tuple[Any, Any]:
    if not is_multivariate_normal(source):
        raise ModelError("an entropy or divergence at matrix level needs sympy.stats MultivariateNormal random "
                         "variables")
    mean, covariance = source.pspace.distribution.args
    return _structured(mean), _structured(covariance)


def _structured(argument: Any) -> Any:
    """An explicit zero matrix as 0 and an explicit identity as I (a VAE's prior N(0, I) typed as ``zeros(d, 1)``
    and ``eye(d)``), so the result reads ½(tr Σ + μᵀμ − d − log det Σ), not (Matrix([[0, 0]]) + μᵀ)(...)."""
    if not isinstance(argument, sp.MatrixBase):
        return argument
    if argument.is_zero_matrix:
        return sp.ZeroMatrix(*argument.shape)
    if argument.is_square and argument == sp.eye(argument.rows):
        return sp.Identity(argument.rows)
    return sp.ImmutableMatrix(argument)


def _logdet(S: Any) -> Any:
    """log det S, which is 0 for the identity."""
    return sp.ZeroMatrix(1, 1) if isinstance(S, sp.Identity) else logdet(S)


def _inputs(arguments: tuple[Any, ...]) -> tuple[Any, ...]:
    """What numpy() takes by name: each mean or covariance that is a matrix symbol, and the matrix symbols inside
    the explicit ones, in the laws' order (an explicit 0 or I takes nothing)."""
    found: list[Any] = []
    for argument in arguments:
        named = [argument] if isinstance(argument, sp.MatrixSymbol) else sorted(
            argument.atoms(sp.MatrixSymbol), key=lambda m: m.name)
        found += [m for m in named if m not in found]
    return tuple(found)


def derive_gaussian_kl(p_source: Any, q_source: Any = None, kind: str = "kl") -> Derivation:
    """KL(p ‖ q), the entropy H(p) or the cross-entropy H(p, q) of sympy.stats MultivariateNormal random variables
    with matrix-symbol (or explicit) mean and covariance, as E_p of log-densities.

    Args:
        kind: "kl", "entropy" (``q_source`` unused) or "cross_entropy".

    Returns:
        A Derivation whose ``result`` is a 1 x 1 matrix expression; ``numpy()`` takes the means (shape (d,)) and
        covariances (shape (d, d)) by the names of their symbols.

    Raises:
        ModelError: one of them is not a multivariate normal.
        ShapeError: the two live in different dimensions.

    >>> import sympy.stats as st, symml
    >>> d = symml.dims("d")
    >>> H = derive_gaussian_kl(st.MultivariateNormal("P", symml.vector("m0", d), symml.matrix("S0", d, d)),
    ...                        kind="entropy")
    >>> round(float(H.numpy()(m0=[0.0, 0.0], S0=[[1.0, 0.0], [0.0, 1.0]])), 6)  # d/2 (1 + log 2π)
    2.837877
    """
    m0, S0 = _normal_arguments(p_source)
    m1, S1 = (m0, S0) if kind == "entropy" else _normal_arguments(q_source)
    if m0.shape != m1.shape:
        raise ShapeError(f"p has mean of shape {m0.shape}, q of shape {m1.shape}: not the same space")
    d = m0.shape[0]
    x = sp.MatrixSymbol("x", d, 1)
    half = sp.Rational(1, 2)
    shown, (c_p, c_q), what = _KINDS[kind]
    name = Shown(*shown)

    def log_density(m: Any, S: Any) -> Any:
        return -half * d * sp.log(2 * sp.pi) * sp.Identity(1) - half * _logdet(S) - half * (x - m).T @ inv(S) @ (x - m)

    own = trace(sp.Identity(d))
    quadratics = [expected_quadratic_form(inv(S), m, m0, S0).xreplace({own: d * sp.Identity(1)})  # tr(Σ₀⁻¹Σ₀) = d
                  for m, S in ((m0, S0), (m1, S1))]
    forms = [(x - m).T @ inv(S) @ (x - m) for m, S in ((m0, S0), (m1, S1))]
    used = [k for k, c in enumerate((c_p, c_q)) if c]
    constants = sum((-c * half * (d * sp.log(2 * sp.pi) * sp.Identity(1) + _logdet(S))
                     for c, S in ((c_p, S0), (c_q, S1)) if c), sp.ZeroMatrix(1, 1))
    result = constants - half * sum((c * q for c, q in zip((c_p, c_q), quadratics) if c), sp.ZeroMatrix(1, 1))
    linear = constants - half * sum((c * Expect(f) for c, f in zip((c_p, c_q), forms) if c), sp.ZeroMatrix(1, 1))
    densities = [sp.Eq(sp.Symbol(label), log_density(m, S), evaluate=False)
                 for k, (label, m, S) in enumerate((("log p(x)", m0, S0), ("log q(x)", m1, S1))) if k in used]
    steps = (
        Step("Log-densities", tuple(densities)),
        Step("Definition and linearity", sp.Eq(name * sp.Identity(1), linear, evaluate=False),
             ("the 2π terms cancel; " if kind == "kl" else "") + "the log-determinants are constants"),
        Step("Expectation of a quadratic form",
             tuple(e for k in used for e in (sp.Eq(Expect(forms[k]), quadratics[k], evaluate=False),)
                   + ((sp.Eq(own, d, evaluate=False),) if k == 0 else ())),
             "$(x - a)^\\top A (x - a) = \\operatorname{tr}(A (x - a)(x - a)^\\top)$ and "
             "$\\mathbb{E}[(x - a)(x - a)^\\top] = \\Sigma_0 + (\\mu_0 - a)(\\mu_0 - a)^\\top$"),
        Step("Collect", sp.Eq(name * sp.Identity(1), result, evaluate=False)),
    )
    laws = f"N({m0}, {S0})" + ("" if kind == "entropy" else f" and N({m1}, {S1})")
    problem = GaussianKLProblem(f"{what} multivariate normals {laws}" if kind != "entropy" else f"{what} {laws}",
                                (m0, S0) if kind == "entropy" else (m0, S0, m1, S1), kind)
    scalars = set().union(*(e.free_symbols for e in problem.inputs)) - set(_inputs(problem.inputs)) \
        - sp.sympify(d).free_symbols
    if scalars:  # numpy() and verify() take matrices by name; σ²I would need its own draws
        raise ModelError(f"the means and covariances of {laws} hold the scalar symbols "
                         f"{', '.join(sorted(map(str, scalars)))}: give each mean and covariance as a matrix symbol, "
                         "an explicit numeric matrix, zeros or the identity")
    covariances = f"{S0}" + ("" if kind == "entropy" else f" and {S1}")
    return Derivation(problem, steps, result, (sp.Eq(name * sp.Identity(1), result, evaluate=False),),
                      assumptions=(f"{covariances} {'is' if kind == 'entropy' else 'are'} symmetric positive definite",))


@numpy_function.register(GaussianKLProblem)
def _numpy(problem: GaussianKLProblem, derivation: Any, **options: Any) -> Callable[..., Any]:
    from symml.matrix_calculus.numpy_export import numpy_function as matrix_numpy

    return matrix_numpy(derivation.result, _inputs(problem.inputs))


@verify.register(GaussianKLProblem)
def _verify(problem: GaussianKLProblem, derivation: Any, dimension: int = 5, seed: int = 0,
            draws: int = 200_000, **options: Any) -> Any:
    """Monte Carlo E_p of the log-densities with scipy.stats.multivariate_normal at random SPD covariances."""
    import numpy as np
    from scipy.stats import multivariate_normal

    from symml.derivation import Comparison, Verification
    from symml.testing import random_spd

    rng = np.random.default_rng(seed)
    size = problem.inputs[0].shape[0]
    dimension = int(size) if size.is_Integer else dimension

    def value(argument: Any, drawn: Any) -> Any:  # a symbol takes the drawn value; an explicit matrix its own
        if isinstance(argument, sp.MatrixSymbol):
            return drawn
        return np.array(sp.Matrix(argument.subs({argument.shape[0]: dimension})).evalf(), dtype=float).reshape(
            np.shape(drawn))

    drawn = (rng.normal(size=dimension), random_spd(rng, dimension), rng.normal(size=dimension),
             random_spd(rng, dimension))
    m0, S0, m1, S1 = (value(a, v) for a, v in zip(problem.inputs * (2 if len(problem.inputs) == 2 else 1), drawn))
    given = {a.name: v for a, v in zip(problem.inputs, (m0, S0, m1, S1)) if isinstance(a, sp.MatrixSymbol)}
    derived = float(derivation.numpy()(**given))
    x = rng.multivariate_normal(m0, S0, size=draws)
    c_p, c_q = _KINDS[problem.kind][1]
    terms = c_p * multivariate_normal(m0, S0).logpdf(x) + c_q * multivariate_normal(m1, S1).logpdf(x)
    estimate, error = float(terms.mean()), float(terms.std() / np.sqrt(draws))
    rel = abs(derived - estimate) / max(abs(derived), 1e-300)
    tolerance = 5 * error / max(abs(derived), 1e-300)
    name = _KINDS[problem.kind][0][0]
    return Verification.from_comparisons(
        [Comparison(name, derived, estimate, rel)], tolerance=tolerance, sample_size=draws, seed=seed,
        method=f"Monte Carlo mean of {_MONTE_CARLO[problem.kind]} (scipy.stats.multivariate_normal), "
               f"d = {dimension}; tolerance 5 standard errors")


_MONTE_CARLO = {"kl": "log p − log q", "entropy": "−log p", "cross_entropy": "−log q"}
