"""The one ordered list of rewrites that make an expression's NumPy code finite wherever its value is: what
:mod:`symml.calculus.stable_numpy` (gradients, Hessians, losses) and
:class:`~symml.mle.sample_function.SampleFunction` (MLE, probability, Bayes) both print.

Each stage is an identity; the order matters because a stage must see the forms it reads before an earlier stage
rewrites them away:

1. gamma, beta, binomial and factorial through ``loggamma`` (no overflow past 171), the exponentials of one
   product as one: first, so that the exponentials they become meet the log and exponential-sum stages below
   (log Γ(a)… as log(exp(…))).
1a. the Lambert W₀ of an argument t eᵗ as a function of t (:mod:`symml.lambert_products`: near t = −1 the rounded
   argument has lost the digits W₀ needs; a zero-inflated Poisson's rate λ + W₀(−λe^{−λ})), before the stages
   below rewrite the argument's exponential and logs.
2. exponential integrals E_n as x^(n−1) e^(−x) U(n, n, x) (:func:`symml.scipy_special.in_scipy_terms`: SymPy's
   SciPy printer leaves E_n unprinted), early, so that its e^(−x) meets an e^x beside it and the stages below.
3. log Γ(z) of a z not known positive as gammaln(z) + log sgn Γ(z) (nan where Γ(z) < 0: SciPy's gammaln is
   log|Γ|), after stage 1 writes Γ through log Γ.
3a. Bessel functions I_v and K_v of a real argument scaled, I_v(z) = e^{|z|} ive(v, z), so that the exponential
   meets the log stage and cancels in ratios (the Rice score I₁/I₀ was inf/inf at z = 1e6).
4. δ(a, b) as a two-case Piecewise (an array of observations cannot take a Python conditional), before stage 14
   turns two-case Piecewises into ``where``.
5. perfect squares written back (:mod:`symml.squares`): u² − 2uv + v² cancels catastrophically; before the stages
   that read squares (hypot, log(1 + r²)) and log(1 + t).
6. k(√(c² + t) − c) as k t/(√(c² + t) + c) (the MLE of N(θ, θ) is 0 at data of order 1e-100 otherwise), before
   the large-argument stage writes the root as a hypot and the difference is no longer seen.
7. erf and erfc in their tails (:mod:`symml.gaussian_tails`), before the log stage: log(1 + erf u) must be read as
   log erfc(−u) before log(1 + t) becomes log1p(t), which hides it.
8. forms that overflow at large arguments (:mod:`symml.large_arguments`: hypot, log cosh, tanh, log(1 + r²)),
   before the log stage for the same reason: log(1 + x²) is read there, log1p(x²) would overflow at 1e200.
9. logarithms: log σ(u), log(1 − σ(u)), log(1 + eᵘ) as softplus, log(eᵃ r) = a + log r, log(1 − eᵘ) on both
   sides of u = −log 2, log(1 + t) as log1p(t) for a single term t. Before the exponential shifts: shifted,
   1 + eᵘ would be e^m(e^{−m} + e^{u − m}) and no longer read as a softplus.
10. quotients of exponentials by a positive sum of them shifted together, (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ) and
   e^{2x}/(e^{2x} + 1) (:mod:`symml.exponential_sums`), before the sigmoid stage: e^{2x}σ(−2x) is inf·0 at 800.
11. 1/(1 + eᵘ) as σ(−u), and c σ(u) + r as (c + r)σ(u) + rσ(−u) (1 − σ(u) as σ(−u): 0 past u = 37 otherwise;
   tanh u ± 1 and 1 − tanh² u through σ(±2u) likewise, :mod:`symml.logistic_complements`), before the general
   shift, which would hide 1 + eᵘ.
12. sums of exponentials shifted by their largest exponent (:mod:`symml.exponential_sums`).
13. a polynomial times a decaying exponential, P(x)e^{u}, as Σₖ aₖ (x/e^{−u/m})ᵏ e^{u(m−k)/m}
   (:mod:`symml.decaying_products`: the GELU's second derivative was inf·0 = nan at 1e200), after the shifts, which
   read e^{u} alone.
14. two-case Piecewises as ``where`` (``np.select`` costs a third more).
15. eᵘ − 1 as expm1(u), and log(expm1(u)) as u + log1p(−e^{−u}) past u = 1, after the shifts (which leave a
    sum with −1 alone).
16. ratios of powers combined, (x − μ)²/σ³ = ((x − μ)/σ)²/σ.
17. x log y where both vanish as xlogy (:mod:`symml.log_products`), last: it gathers the sum's terms by log factor,
    which every stage above may have produced.

Each stage names the forms that read its output (:data:`NUMPY`, :data:`SAMPLES`, :data:`INDEX`, :data:`UFUNCS`);
:func:`for_floating_point` runs the stages of one form.

>>> import sympy as sp
>>> z = sp.Symbol("z", real=True)
>>> for_floating_point(sp.log(1 + sp.exp(z)) + sp.exp(z) - 1)
Softplus(z) + expm1(z)
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp
from sympy.codegen.cfunctions import expm1, log1p

from symml.decaying_products import with_shared_decay
from symml.exponential_sums import with_shifted_exponential_quotients, with_shifted_exponential_sums
from symml.gaussian_tails import with_erfcx
from symml.lambert_products import with_lambert_products
from symml.large_arguments import with_large_arguments
from symml.log_products import with_xlogy
from symml.logistic_complements import with_logistic_complements
from symml.matrix_calculus.expressions import Sigmoid, Softplus
from symml.scipy_special import GammaSign, ScaledBesselI, ScaledBesselK, in_scipy_terms
from symml.squares import squares_for_floating_point

__all__ = ["Where", "Quotient", "STAGES", "NUMPY", "SAMPLES", "INDEX", "UFUNCS", "for_floating_point", "numpy_names"]


class Where(sp.Function):
    """where(condition, a, b): a two-case Piecewise, printed as ``np.where`` (``np.select`` costs a third more)."""

    nargs = 3


class Quotient(sp.Function):
    """u/s kept as one factor, so that SymPy does not expand (u/s)ᵏ back into uᵏ/sᵏ; printed as ``np.true_divide``."""

    nargs = 2


def numpy_names() -> dict[str, Any]:
    """The NumPy functions the stages' own SymPy functions print as (by name)."""
    from scipy.special import expit  # SciPy loads when a function is made, not when symml is imported

    from symml.calculus.stable_numpy import real_lambertw
    from symml.lambert_products import lambertw_of_product, lambertw_of_product_minus_t
    from symml.matrix_calculus.numpy_kernels import softplus

    # lambertw: SciPy's is complex even on the real branch (float() of it warned and dropped the imaginary part of
    # a point off the branch, a zero-inflated Poisson's closed form); the real branch, NaN off it
    return {"Where": np.where, "Sigmoid": expit, "Softplus": softplus, "Quotient": np.true_divide,
            "lambertw": real_lambertw, "LambertWOfProduct": lambertw_of_product,
            "LambertWOfProductMinusT": lambertw_of_product_minus_t}


def _loggamma(z: sp.Expr) -> sp.Expr:
    return sp.loggamma(z, evaluate=False)  # SymPy writes loggamma of an integer as log(gamma(z)) again


def _through_loggamma(expr: sp.Expr) -> sp.Expr:
    if not expr.has(sp.beta, sp.factorial, sp.gamma, sp.binomial):
        return expr
    # unevaluated: SymPy turns loggamma(z) of an integer z back into log(gamma(z)) (log Γ(k + 1) of a count k stayed
    # log(gamma(k + 1)): inf at k = 626, and a zero-inflated Poisson's log-density -inf at an observation of 625)
    expr = expr.replace(sp.beta, lambda a, b: sp.exp(_loggamma(a) + _loggamma(b) - _loggamma(a + b),
                                                     evaluate=False))
    expr = expr.replace(sp.binomial, lambda n, k: sp.exp(
        _loggamma(n + 1) - _loggamma(k + 1) - _loggamma(n - k + 1), evaluate=False))
    expr = expr.replace(sp.factorial, lambda z: sp.exp(_loggamma(z + 1), evaluate=False))
    expr = expr.replace(sp.gamma, lambda z: sp.exp(_loggamma(z), evaluate=False))
    # one exponential of a product's exponents: C(n, k) B(a + k, b + n − k) of a Beta-Binomial at n = 10⁴ was
    # inf · 0 = nan term by term (its mean summed to 0.0 for 3750)
    return expr.replace(lambda e: isinstance(e, sp.Mul) and sum(isinstance(f, sp.exp) for f in e.args) > 1 and any(
                            isinstance(f, sp.exp) and f.args[0].has(sp.loggamma) for f in e.args),
                        lambda e: sp.Mul(*(f for f in e.args if not isinstance(f, sp.exp)))
                        * sp.exp(sp.Add(*(f.args[0] for f in e.args if isinstance(f, sp.exp))), evaluate=False))


def _real_loggamma(expr: sp.Expr) -> sp.Expr:
    """log Γ(z) of a z not known positive as gammaln(z) + log sgn Γ(z): SciPy's gammaln is log|Γ(z)|, real where
    Γ(z) < 0 and log Γ(z) is not (a typed Gamma shape a, real, reached a = −29.8 with the density's check passing)."""
    return expr.replace(lambda e: isinstance(e, sp.loggamma) and not e.args[0].is_positive,
                        lambda e: e + sp.log(GammaSign(e.args[0])))


def _scaled_bessel(expr: sp.Expr) -> sp.Expr:
    """I_v(z) of a real z as e^{|z|} ive(v, z), K_v(z) of a positive z as e^{−z} kve(v, z): the exponential meets the
    log stage (log I₀(z) = |z| + log ive(0, z)) and cancels in ratios (the Rice score I₁(z)/I₀(z) was inf/inf = nan
    at z = 1e6; the von Mises normaliser at κ = 800 was inf)."""
    if not expr.has(sp.besseli, sp.besselk):
        return expr
    expr = expr.replace(lambda e: isinstance(e, sp.besseli) and e.args[1].is_extended_real,
                        lambda e: sp.exp(e.args[1] if e.args[1].is_nonnegative else sp.Abs(e.args[1]))
                        * ScaledBesselI(*e.args))
    return expr.replace(lambda e: isinstance(e, sp.besselk) and e.args[1].is_positive,
                        lambda e: sp.exp(-e.args[1]) * ScaledBesselK(*e.args))


def _kronecker_as_piecewise(expr: sp.Expr) -> sp.Expr:
    return expr.replace(sp.KroneckerDelta, lambda a, b: sp.Piecewise((1, sp.Eq(a, b)), (0, True)))


def _log_one_minus_exp(u: sp.Expr) -> sp.Expr:
    """log(1 − eᵘ), u < 0: log(−expm1(u)) near 0 (1 − eᵘ cancels there), log1p(−eᵘ) far below (Mächler's switch
    at −log 2)."""
    return sp.Piecewise((log1p(-sp.exp(u)), u < -sp.log(2)), (sp.log(-expm1(u)), True))


def _log_rule(node: sp.log) -> sp.Expr:
    (argument,) = node.args
    if isinstance(argument, Sigmoid):
        return -Softplus(-argument.args[0])
    if isinstance(argument, sp.Mul) and any(isinstance(f, sp.exp) for f in argument.args):
        # log(eᵃ r) = a + log r: eᵃ alone underflows to 0 far in a tail
        exponents = [f.args[0] for f in argument.args if isinstance(f, sp.exp)]
        return sp.Add(*exponents) + sp.log(sp.Mul(*(f for f in argument.args if not isinstance(f, sp.exp))))
    rest = argument - 1
    if isinstance(rest, sp.exp):
        return Softplus(rest.args[0])
    if isinstance(-rest, Sigmoid):  # log(1 − σ(u))
        return -Softplus((-rest).args[0])
    if isinstance(-rest, sp.exp):
        return _log_one_minus_exp((-rest).args[0])
    # a sum stays a log: the exponential shift then makes log(1 + eᵃ + eᵇ) a log-sum-exp
    if rest.is_Atom or isinstance(rest, sp.Mul) and len(rest.args) <= 3:
        return log1p(rest) if rest != -1 else node
    return node


def _logarithms(expr: sp.Expr) -> sp.Expr:
    return expr.replace(lambda e: isinstance(e, sp.log), _log_rule)


def _reciprocal_rule(node: sp.Pow) -> sp.Expr:
    rest = node.base - 1
    if node.exp == -1 and isinstance(rest, sp.exp):
        return Sigmoid(-rest.args[0])
    return node


def _sigmoids(expr: sp.Expr) -> sp.Expr:
    expr = expr.replace(lambda e: isinstance(e, sp.Pow) and isinstance(e.base, sp.Add), _reciprocal_rule)
    return with_logistic_complements(expr)


def _two_cases(node: sp.Piecewise) -> sp.Expr:
    if len(node.args) == 2 and node.args[1].cond == sp.true:
        (a, condition), (b, _) = node.args
        return Where(condition, a, b)
    return node


def _wheres(expr: sp.Expr) -> sp.Expr:
    return expr.replace(lambda e: isinstance(e, sp.Piecewise), _two_cases)


def _exp_minus_one(node: sp.Basic) -> bool:
    return isinstance(node, sp.Add) and sp.S.NegativeOne in node.args and any(isinstance(t, sp.exp)
                                                                               for t in node.args)


def _with_expm1(node: sp.Add) -> sp.Expr:
    power = next(t for t in node.args if isinstance(t, sp.exp))
    return expm1(power.args[0]) + (node - power + 1)


def _log_expm1(node: sp.log) -> sp.Expr:
    """log(eᵘ − 1) = u + log1p(−e^{−u}) past u = 1 (expm1 overflows at 710), log(expm1(u)) below (exact near 0)."""
    if not isinstance(node.args[0], expm1):
        return node
    u = node.args[0].args[0]
    return Where(u > 1, u + log1p(-sp.exp(-u)), node)


def _expm1s(expr: sp.Expr) -> sp.Expr:
    expr = expr.replace(_exp_minus_one, _with_expm1)
    return expr.replace(lambda e: isinstance(e, sp.log), _log_expm1) if expr.has(expm1) else expr


def _ratios_combined(term: sp.Mul) -> sp.Expr:
    """A product u^p s^(−q) (integer p, q > 0, one of them ≥ 2) as (u/s)^k u^(p−k) s^(−(q−k)), k = min(p, q), each
    numerator power paired with the denominators in turn: uᵖ and s^q over- or underflow where their ratio does not
    (the normal score (x − μ)²/σ³ at σ = 1e-160 was 0/0; ((x − μ)/σ)²/σ is finite)."""
    numerators: list[list[Any]] = []
    denominators: list[list[Any]] = []
    rest = []
    for factor in term.args:
        base, exponent = factor.as_base_exp()
        if base.is_number or not exponent.is_Integer:
            rest.append(factor)
        else:
            (numerators if exponent > 0 else denominators).append([base, abs(int(exponent))])
    if not numerators or not denominators or max(p for _, p in numerators + denominators) < 2:
        return term
    ratios = []
    for denominator in denominators:
        for numerator in numerators:
            k = min(numerator[1], denominator[1])
            if k:
                ratios.append(Quotient(numerator[0], denominator[0]) ** k)
                numerator[1] -= k
                denominator[1] -= k
    return sp.Mul(*rest, *ratios, *(b**p for b, p in numerators), *(b**-q for b, q in denominators))


def _root_and_constant(e: sp.Basic) -> tuple[sp.Expr, sp.Pow, sp.Expr] | None:
    """(k, √A, c) for a sum k√A − kc + rest with c > 0 and c² the constant term of A, else None."""
    if not isinstance(e, sp.Add):
        return None
    constant = e.as_coeff_Add()[0]
    for term in e.args:
        k, root = term.as_coeff_Mul()
        if isinstance(root, sp.Pow) and root.exp == sp.S.Half and isinstance(root.base, sp.Add) and k != 0:
            c = -constant / k
            if c.is_positive and root.base.as_coeff_Add()[0] == c**2:
                return k, root, c
    return None


def _root_minus_its_constant(e: sp.Basic) -> bool:
    return _root_and_constant(e) is not None


def _rationalised(e: sp.Add) -> sp.Expr:
    """k(√(c² + t) − c) = k t/(√(c² + t) + c): the MLE of N(θ, θ), √(1 + 4·mean(x²))/2 − 1/2, is 0 for data of
    order 1e-100 otherwise (1 + 1e-200 is 1), where it is 1e-200. With t ≥ 0 and s = √t it is
    k s/(hypot(c/s, 1) + c/s), where neither t nor c² + t is formed: nothing overflows for data of order 1e200
    (t = 4e400), and s = 0 gives 0."""
    from sympy.codegen.cfunctions import hypot

    k, root, c = _root_and_constant(e)  # type: ignore[misc]
    rest = e - k * root + k * c
    t = root.base - c**2
    if not t.is_nonnegative:
        return k * t / (root + c) + rest
    s = sp.sqrt(t)
    return k * s / (hypot(c / s, 1) + c / s) + rest


def _roots_minus_constants(expr: sp.Expr) -> sp.Expr:
    return expr.replace(_root_minus_its_constant, _rationalised)


def _shared_decays(expr: sp.Expr) -> sp.Expr:
    return with_shared_decay(expr, Quotient)


def _ratios(expr: sp.Expr) -> sp.Expr:
    return expr.replace(lambda e: isinstance(e, sp.Mul), _ratios_combined)


#: The forms a stage's output is read in: printed NumPy (every stage), the MLE's sample functions (printed NumPy
#: without ratios of powers combined: their sums must agree with the blocked sums'), the index-notation evaluator's
#: arrays, the MLE blocked sums' in-place ufuncs (:mod:`symml.mle.blocked_sums`, which compile exp, log, log1p,
#: expm1, logaddexp, loggamma... and none of this module's own functions).
NUMPY, SAMPLES, INDEX, UFUNCS = "numpy", "samples", "index", "ufuncs"


@dataclass(frozen=True)
class Stage:
    """One rewrite of the pipeline and the forms that read its output."""

    rewrite: Callable[[sp.Expr], sp.Expr]
    forms: frozenset[str] = frozenset({NUMPY, SAMPLES, INDEX, UFUNCS})


_PRINTED, _WHOLE_FUNCTIONS = frozenset({NUMPY, SAMPLES, UFUNCS}), frozenset({NUMPY, SAMPLES, INDEX})

#: The stages in the order they run (the module's docstring says why each precedes the next).
STAGES: tuple[Stage, ...] = (
    Stage(_through_loggamma, _PRINTED),
    Stage(with_lambert_products, frozenset({NUMPY, SAMPLES})),
    Stage(in_scipy_terms, frozenset({NUMPY, SAMPLES})),
    Stage(_real_loggamma, frozenset({NUMPY, SAMPLES})),
    Stage(_scaled_bessel, frozenset({NUMPY, SAMPLES})),
    Stage(_kronecker_as_piecewise),
    Stage(squares_for_floating_point),
    Stage(_roots_minus_constants, frozenset({NUMPY, SAMPLES})),
    Stage(with_erfcx, _PRINTED),
    Stage(with_large_arguments, frozenset({NUMPY, SAMPLES})),
    Stage(_logarithms),
    Stage(with_shifted_exponential_quotients, _WHOLE_FUNCTIONS),
    Stage(_sigmoids, _WHOLE_FUNCTIONS),
    Stage(with_shifted_exponential_sums),
    Stage(_shared_decays, frozenset({NUMPY})),
    Stage(_wheres, _WHOLE_FUNCTIONS),
    Stage(_expm1s),
    Stage(_ratios, frozenset({NUMPY})),
    Stage(with_xlogy, _PRINTED),
)


@functools.lru_cache(maxsize=512)
def for_floating_point(expr: sp.Expr, form: str = NUMPY) -> sp.Expr:
    """``expr`` through the stages whose output ``form`` reads (:data:`NUMPY`, :data:`SAMPLES`, :data:`INDEX` or :data:`UFUNCS`),
    in order; once per expression (a numeric check evaluates the same function hundreds of times)."""
    for stage in STAGES:
        if form in stage.forms:
            expr = stage.rewrite(expr)
    if form == UFUNCS:  # softplus as the ufunc logaddexp(0, u)
        from sympy.codegen.numpy_nodes import logaddexp

        expr = expr.replace(Softplus, lambda u: logaddexp(sp.S.Zero, u))
    return expr
