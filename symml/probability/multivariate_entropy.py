"""The entropy of a multivariate law from sympy.stats whose log-density is linear in functions of the variables
(the Dirichlet, ``sympy.stats.MultivariateBeta``), through the expectation operator's score route.

Write log f(x | θ) = Σₖ cₖ(θ) Tₖ(x) + log C(θ). Then H = −E[log f] = −Σₖ cₖ(θ) E[Tₖ(X)] − log C(θ), and each E[Tₖ]
comes from the score having mean zero: f integrates to one for every θ (on a support free of θ), so differentiating
under the integral, for each parameter θⱼ,

.. math:: \\sum_k \\frac{\\partial c_k}{\\partial \\theta_j} E[T_k(X)] = -\\frac{\\partial \\log C}{\\partial \\theta_j},

a linear system solved for the E[Tₖ] (Dirichlet: E[log Xᵢ] = ψ(αᵢ) − ψ(α₀), α₀ = Σαᵢ). No entropy is looked up;
``verify()`` integrates −f log f over the simplex (or the box) where the law lives with scipy's nquad.

>>> import sympy as sp, sympy.stats as st
>>> a = sp.symbols("a1:4", positive=True)
>>> multivariate_entropy(st.MultivariateBeta("X", list(a))).result
-(a1 - 1)*(polygamma(0, a1) - polygamma(0, a1 + a2 + a3)) - (a2 - 1)*(polygamma(0, a2) - polygamma(0, a1 + a2 + a3)) - (a3 - 1)*(polygamma(0, a3) - polygamma(0, a1 + a2 + a3)) + loggamma(a1) + loggamma(a2) + loggamma(a3) - loggamma(a1 + a2 + a3)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from sympy.stats.rv import RandomSymbol

from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import ModelError, UnsupportedOperationError
from symml.operations import verify
from symml.probability.problem import ProbabilityProblem

__all__ = ["MultivariateEntropyProblem", "is_multivariate", "multivariate_entropy"]


@dataclass(frozen=True)
class MultivariateEntropyProblem(ProbabilityProblem):
    """A multivariate entropy: the scalar result, and for ``verify()`` the density in ``variables`` and whether
    it lives on the simplex Σ xᵢ = 1 (the last variable 1 − the others) or on the box of ``limits``."""

    density: sp.Expr = sp.S.Zero
    variables: tuple[sp.Symbol, ...] = ()
    on_simplex: bool = False
    limits: tuple[tuple[sp.Expr, sp.Expr], ...] = ()


def is_multivariate(source: Any) -> bool:
    """Whether ``source`` is a sympy.stats random variable of a joint (multivariate) distribution."""
    from sympy.stats.joint_rv import JointDistribution

    return isinstance(source, RandomSymbol) and isinstance(getattr(source.pspace, "distribution", None),
                                                           JointDistribution)


def multivariate_entropy(source: RandomSymbol) -> Derivation:
    """H(X) = −E[log f(X)] of a multivariate sympy.stats random variable, E[Tₖ(X)] by the zero-mean score.

    Raises:
        UnsupportedOperationError: a log-density not linear in its functions of x with parameter coefficients, or
            whose score equations do not determine each E[Tₖ] (a base measure h(x) free of the parameters).
    """
    import sympy.stats as st

    distribution = source.pspace.distribution
    k = len(source.pspace.distribution.set.args) if isinstance(distribution.set, sp.ProductSet) else None
    if k is None:
        raise ModelError(f"the support of {source} is {distribution.set}, not a product of intervals")
    variables = tuple(sp.Symbol(f"x{i + 1}", positive=True) for i in range(k))
    density = st.density(source)(*variables)
    parameters = tuple(sorted(density.free_symbols - set(variables), key=lambda s: s.name))
    log_density = sp.expand(sp.expand_log(sp.log(density), force=True))  # each factor positive on the support
    features: dict[sp.Expr, sp.Expr] = {}
    log_normaliser = sp.S.Zero
    for term in sp.Add.make_args(log_density):
        coefficient, feature = term.as_independent(*variables, as_Add=False)
        if feature.has(*variables):
            features[feature] = features.get(feature, sp.S.Zero) + coefficient
        else:
            log_normaliser += term
    means = {feature: sp.Symbol(f"E[{feature}]") for feature in features}
    equations = [sp.Add(*(sp.diff(c, p) * means[t] for t, c in features.items())) + sp.diff(log_normaliser, p)
                 for p in parameters]
    solved = sp.linsolve(equations, list(means.values()))
    if not solved or len(solved.args) != 1 or any(v.free_symbols & set(means.values())
                                                    for v in solved.args[0]):
        raise UnsupportedOperationError(f"the score equations of {source} do not determine the mean of each of "
                                        f"{', '.join(map(str, features))}: its entropy is not derived here")
    found = dict(zip(means.values(), (sp.expand_func(v) for v in solved.args[0])))
    value = -sp.Add(*(c * found[means[t]] for t, c in features.items())) - log_normaliser
    value = value.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.gamma),
                          lambda e: sp.loggamma(e.args[0].args[0]))
    name = sp.Symbol("H(X)")
    E = sp.Function("E")
    steps = (
        Step("Log-density", sp.Eq(sp.log(sp.Function("f")(*variables)), log_density, evaluate=False),
             f"from sympy.stats' density of {source}, split over its product: a sum of functions of x times "
             "coefficients in the parameters, and log C(θ), free of x"),
        Step("Definition", sp.Eq(name, -sp.Add(*(c * E(t) for t, c in features.items())) - log_normaliser,
                                 evaluate=False),
             "$H = -E[\\log f(X)]$, by linearity"),
        Step("The score has mean zero", tuple(sp.Eq(e.xreplace({means[t]: E(t) for t in features}), 0)
                                              for e in equations),
             "the density integrates to one for every parameter value on a support free of them: differentiating "
             "under the integral, the expected score in each parameter vanishes, one equation a parameter, linear "
             "in the means"),
        Step("Solve for the means", tuple(sp.Eq(E(t), found[means[t]]) for t in features), ""),
        Step("Result", sp.Eq(name, value, evaluate=False), ""),
    )
    on_simplex = type(distribution).__name__ in ("MultivariateBetaDistribution",)
    limits = tuple((s.inf, s.sup) for s in distribution.set.args)
    problem = MultivariateEntropyProblem(f"Entropy of {source}", {"value": value}, {}, "scalar", parameters, (),
                                         density=density, variables=variables, on_simplex=on_simplex, limits=limits)
    return Derivation(problem, steps, value, (sp.Eq(name, value, evaluate=False),),
                      remarks=("The means " + ", ".join(f"E[{t}]" for t in features) + " come from the zero-mean "
                               "score (differentiating the normalisation under the integral), not from a table of "
                               "entropies.",))


@verify.register(MultivariateEntropyProblem)
def _verify(problem: MultivariateEntropyProblem, derivation: Any, values: Any = None, seed: int = 0,
            tolerance: float = 1e-6, **options: Any) -> Verification:
    """numpy() against −∫ f log f over the simplex (the last variable 1 − the others) or the box, by scipy's
    nquad, with ∫ f = 1 checked on the same domain."""
    from scipy.integrate import nquad

    # parameters in (1.2, 3): a density bounded on the simplex (below 1 a Dirichlet's is infinite at its faces, where
    # the adaptive quadrature spent 20 s for 1e-5)
    rng = np.random.default_rng(seed)
    given = dict(values) if values is not None else {p.name: float(rng.uniform(1.2, 3.0)) if p.is_positive
                                                     else float(rng.uniform(-1.0, 1.0)) for p in problem.parameters}
    at = {p: given[p.name] for p in problem.parameters}
    variables = problem.variables
    free = variables[:-1] if problem.on_simplex else variables
    density = problem.density.xreplace(at)
    if problem.on_simplex:
        density = density.xreplace({variables[-1]: 1 - sp.Add(*free)})
    f = sp.lambdify(free, density, "numpy")

    def integrand(kind: str) -> Any:
        def value(*point: float) -> float:
            if problem.on_simplex and sum(point) >= 1.0:
                return 0.0
            with np.errstate(all="ignore"):
                d = float(f(*point))
            return d if kind == "mass" else (-d * np.log(d) if d > 0 and np.isfinite(d) else 0.0)
        return value

    def ranges(*outer: float) -> list[float]:
        return [0.0, 1.0 - sum(outer)]

    bounds = [ranges] * len(free) if problem.on_simplex else [[float(a), float(b)] for a, b in problem.limits]
    # nquad passes the inner variables first: on the simplex, each range takes the sum of the outer ones
    mass = nquad(integrand("mass"), bounds, opts={"limit": 100, "epsabs": 1e-11})[0]
    entropy = nquad(integrand("entropy"), bounds, opts={"limit": 100, "epsabs": 1e-11})[0]
    derived = float(derivation.numpy()(**given))
    return Verification.from_comparisons(
        [Comparison("H", derived, entropy, relative_error(derived, entropy, scale=1.0)),
         Comparison("∫ f (the domain holds the whole mass)", 1.0, mass, abs(mass - 1.0))],
        method="−∫ f log f by scipy.integrate.nquad over " + ("the simplex" if problem.on_simplex else "the box"),
        tolerance=tolerance, seed=seed, details=(("parameters", ", ".join(f"{k}={v:.4g}" for k, v in given.items())),))
