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
    other_density: sp.Expr | None = None  # g of KL(f ‖ g); None for the entropy of f


def is_multivariate(source: Any) -> bool:
    """Whether ``source`` is a sympy.stats random variable of a joint (multivariate) distribution."""
    from sympy.stats.joint_rv import JointDistribution

    return isinstance(source, RandomSymbol) and isinstance(getattr(source.pspace, "distribution", None),
                                                           JointDistribution)


def _held(distribution: Any) -> tuple[Any, dict[sp.Dummy, sp.Expr]]:
    """The distribution with each numeric parameter held as a symbol, and the values to put back: the zero-mean
    score differentiates in every parameter, and Dirichlet(a, 1, 2) has no coefficient of log x₂ to differentiate
    (its mean is then undetermined by the score equations in a alone)."""
    back: dict[sp.Dummy, sp.Expr] = {}

    def hold(entry: Any) -> Any:
        if isinstance(entry, sp.Expr) and entry.is_number:
            stand_in = sp.Dummy(f"alpha_{len(back) + 1}", positive=True)
            back[stand_in] = entry
            return stand_in
        return entry

    arguments = [a.applyfunc(hold) if isinstance(a, sp.MatrixBase) else hold(a) for a in distribution.args]
    return (type(distribution)(*arguments), back) if back else (distribution, back)


def _log_linear(distribution: Any, variables: tuple[sp.Symbol, ...]) -> tuple[sp.Expr, sp.Expr, dict, sp.Expr]:
    """(the density at ``variables``, its log split over its product, {Tₖ(x): cₖ(θ)}, log C(θ))."""
    density = distribution.pdf(*variables)
    log_density = sp.expand(sp.expand_log(sp.log(density), force=True))  # each factor positive on the support
    features: dict[sp.Expr, sp.Expr] = {}
    log_normaliser = sp.S.Zero
    for term in sp.Add.make_args(log_density):
        coefficient, feature = term.as_independent(*variables, as_Add=False)
        if feature.has(*variables):
            features[feature] = features.get(feature, sp.S.Zero) + coefficient
        else:
            log_normaliser += term
    return density, log_density, features, log_normaliser


def _variables(source: RandomSymbol) -> tuple[sp.Symbol, ...]:
    distribution = source.pspace.distribution
    if not isinstance(distribution.set, sp.ProductSet):
        raise ModelError(f"the support of {source} is {distribution.set}, not a product of intervals")
    return tuple(sp.Symbol(f"x{i + 1}", positive=True) for i in range(len(distribution.set.args)))


def multivariate_entropy(source: RandomSymbol, other: RandomSymbol | None = None) -> Derivation:
    """H(X) = −E[log f(X)] of a multivariate sympy.stats random variable, E[Tₖ(X)] by the zero-mean score; with
    ``other``, KL(f ‖ g) = E_f[log f(X) − log g(X)] (two Dirichlets), the same means serving both log-densities.

    Raises:
        UnsupportedOperationError: a log-density not linear in its functions of x with parameter coefficients, or
            whose score equations do not determine each E[Tₖ] (a base measure h(x) free of the parameters); for a
            divergence, a function of x in log g that log f does not have.
    """
    distribution = source.pspace.distribution
    variables = _variables(source)
    held, back = _held(distribution)
    density, log_density, features, log_normaliser = _log_linear(held, variables)
    parameters = tuple(sorted(density.free_symbols - set(variables), key=lambda s: s.name))
    means = {feature: sp.Symbol(f"E[{feature}]") for feature in features}
    equations = [sp.Add(*(sp.diff(c, p) * means[t] for t, c in features.items())) + sp.diff(log_normaliser, p)
                 for p in parameters]
    solved = sp.linsolve(equations, list(means.values()))
    if not solved or len(solved.args) != 1 or any(v.free_symbols & set(means.values())
                                                    for v in solved.args[0]):
        raise UnsupportedOperationError(f"the score equations of {source} do not determine the mean of each of "
                                        f"{', '.join(map(str, features))}: its entropy is not derived here")
    found = dict(zip(means.values(), (sp.expand_func(v) for v in solved.args[0])))
    E = sp.Function("E")
    if other is None:
        name, sign, weights, constant, other_density = sp.Symbol("H(X)"), -1, features, -log_normaliser, None
        what, definition = f"Entropy of {source}", "$H = -E[\\log f(X)]$, by linearity"
        other_steps: tuple[Step, ...] = ()
    else:
        if not is_multivariate(other) or len(_variables(other)) != len(variables):
            raise ModelError(f"KL({source} ‖ {other}) needs two joint laws of the same number of variables")
        other_held, other_back = _held(other.pspace.distribution)
        back = {**back, **other_back}
        other_density, other_log, other_features, other_normaliser = _log_linear(other_held, variables)
        unmatched = sorted(map(str, set(other_features) - set(features)))
        if unmatched:
            raise UnsupportedOperationError(f"log g holds {', '.join(unmatched)}, whose mean under {source} is not "
                                            "among those its zero-mean score gives: this KL is not derived here")
        parameters = tuple(sorted(set(parameters) | (other_density.free_symbols - set(variables)),
                                  key=lambda s: s.name))
        name, sign = sp.Symbol("KL(f ‖ g)"), 1
        weights = {t: c - other_features.get(t, sp.S.Zero) for t, c in features.items()}
        constant = log_normaliser - other_normaliser
        what, definition = f"KL divergence of {other} from {source}", \
            "$\\mathrm{KL} = E_f[\\log f(X) - \\log g(X)]$, by linearity: both log-densities are linear in the " \
            "same functions of x"
        other_steps = (Step("Log-density of g", sp.Eq(sp.log(sp.Function("g")(*variables)), other_log,
                                                      evaluate=False), f"from sympy.stats' density of {other}"),)
    value = (sign * sp.Add(*(w * found[means[t]] for t, w in weights.items())) + constant).xreplace(back)
    parameters = tuple(p for p in parameters if p not in back)
    density = density.xreplace(back)
    other_density = other_density.xreplace(back) if other_density is not None else None
    value = value.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.gamma),
                          lambda e: sp.loggamma(e.args[0].args[0]))
    steps = (
        Step("Log-density", sp.Eq(sp.log(sp.Function("f")(*variables)), log_density, evaluate=False),
             f"from sympy.stats' density of {source}, split over its product: a sum of functions of x times "
             "coefficients in the parameters, and log C(θ), free of x"),
        *other_steps,
        Step("Definition", sp.Eq(name, sign * sp.Add(*(w * E(t) for t, w in weights.items())) + constant,
                                 evaluate=False),
             definition),
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
    problem = MultivariateEntropyProblem(what, {"value": value}, {}, "scalar", parameters, (), density=density,
                                         variables=variables, on_simplex=on_simplex, limits=limits,
                                         other_density=other_density)
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
    other = problem.other_density.xreplace(at) if problem.other_density is not None else sp.S.One
    if problem.on_simplex:
        density, other = (e.xreplace({variables[-1]: 1 - sp.Add(*free)}) for e in (density, other))
    f, g = sp.lambdify(free, density, "numpy"), sp.lambdify(free, other, "numpy")
    divergence = problem.other_density is not None

    def integrand(kind: str) -> Any:
        def value(*point: float) -> float:
            if problem.on_simplex and sum(point) >= 1.0:
                return 0.0
            with np.errstate(all="ignore"):
                d = float(f(*point))
                e = float(g(*point)) if divergence else 1.0
            if kind == "mass" or not (d > 0 and np.isfinite(d)):
                return d if kind == "mass" else 0.0
            return d * np.log(d / e) if divergence else -d * np.log(d)
        return value

    def ranges(*outer: float) -> list[float]:
        return [0.0, 1.0 - sum(outer)]

    bounds = [ranges] * len(free) if problem.on_simplex else [[float(a), float(b)] for a, b in problem.limits]
    # nquad passes the inner variables first: on the simplex, each range takes the sum of the outer ones
    mass = nquad(integrand("mass"), bounds, opts={"limit": 100, "epsabs": 1e-11})[0]
    entropy = nquad(integrand("entropy"), bounds, opts={"limit": 100, "epsabs": 1e-11})[0]
    derived = float(derivation.numpy()(**given))
    return Verification.from_comparisons(
        [Comparison("KL" if divergence else "H", derived, entropy, relative_error(derived, entropy, scale=1.0)),
         Comparison("∫ f (the domain holds the whole mass)", 1.0, mass, abs(mass - 1.0))],
        method=("∫ f log(f/g)" if divergence else "−∫ f log f") + " by scipy.integrate.nquad over " + ("the simplex" if problem.on_simplex else "the box"),
        tolerance=tolerance, seed=seed, details=(("parameters", ", ".join(f"{k}={v:.4g}" for k, v in given.items())),))
