"""Moments of a function S of several independent random variables (a sum X + Y), and the law of S where the
moment generating function recognises one.

.. math:: E[S^k] \\text{ by linearity and independence}, \\qquad
          M_{X+Y}(t) = E[e^{tX} e^{tY}] = M_X(t) \\, M_Y(t), \\qquad E[S^k] = M_S^{(k)}(0)

Both routes run through :func:`~symml.probability.independent.expect_independent`. The law of S is recognised
from M_S by :func:`~symml.probability.pivots.identify_law` (its first two cumulants name a Normal or a Gamma, a
Poisson for discrete variables, whose own MGF, derived, must agree): Normal + Normal, Gamma + Gamma of a common
scale, Poisson + Poisson.

>>> import sympy as sp, sympy.stats as st
>>> a, b = sp.symbols("a b", positive=True)
>>> d = derive_combination_moments(st.Poisson("X", a) + st.Poisson("Y", b), upto=2)
>>> d.result["variance"]
a + b
"""
from __future__ import annotations

import sympy as sp
from sympy.stats.rv import RandomSymbol, random_symbols

from symml.budget import DERIVATION_SECONDS, SharedBudget
from symml.derivation import Derivation, Step
from symml.probability.expectation import Expect, is_closed, simplified
from symml.probability.independent import expect_independent, factorised_reference, independent_variables
from symml.probability.law import as_law
from symml.probability.moments import central_moments, moment_summary, with_standardised
from symml.probability.pivots import identify_law
from symml.probability.problem import ProbabilityProblem
from symml.render.printer import latex

__all__ = ["derive_combination_moments", "derive_combination_variance", "is_combination"]


def is_combination(source: object) -> bool:
    """Whether ``source`` is an expression in sympy.stats variables other than one variable itself: X + Y, but also
    a function of one variable (w·X, X², the dropout mask times an activation), whose moments come by the same
    expectations.

    >>> import sympy as sp, sympy.stats as st
    >>> X = st.Bernoulli("X", sp.Rational(1, 2))
    >>> is_combination(3*X), is_combination(X), is_combination(sp.Symbol("x"))
    (True, False, False)
    """
    return isinstance(source, sp.Expr) and not isinstance(source, RandomSymbol) and bool(random_symbols(source))


def derive_combination_moments(s: sp.Expr, upto: int = 4) -> Derivation:
    """Raw and central moments of ``s`` (an expression in independent sympy.stats variables) up to ``upto``,
    directly and from its MGF, and its law where recognised; the same result keys as
    :func:`~symml.probability.moments.derive_moments`."""
    variables = independent_variables(s)
    laws = [as_law(v) for v in variables]
    share = SharedBudget(DERIVATION_SECONDS)
    direct = {k: share.run(expect_independent, s**k, variables) for k in range(1, upto + 1)}
    raw = {k: found.value for k, found in direct.items()}
    remarks = [remark for found in direct.values() for remark in found.remarks]
    steps = [Step("Raw moments directly", tuple(sp.Eq(Expect(s**k), v, evaluate=False) for k, v in raw.items()),
                  "$\\mathbb{E}[S^k]$: $S^k$ expanded, each product of functions of distinct variables factorised "
                  "by independence")]
    t = sp.Symbol("t", real=True)
    generating = share.run(expect_independent, sp.exp(t * s), variables)
    if generating.closed:
        steps.extend(_from_mgf(s, generating.value, raw, t, all(law.discrete for law in laws),
                               not any(law.discrete for law in laws), remarks))
    else:
        remarks.append("The moment generating function of the combination has no closed form: the moments come "
                       "from the direct route only.")
    if any(law.discrete for law in laws) and not all(law.discrete for law in laws):
        steps.extend(_mixed_law(s, remarks))
    central, results = share.run(central_moments, raw, upto)
    steps.append(Step("Central moments by the binomial theorem",
                      tuple(sp.Eq(Expect((s - sp.Symbol("m"))**k), v, evaluate=False) for k, v in central.items()),
                      "$\\mathbb{E}[(S - m)^k] = \\sum_j \\binom{k}{j} \\mathbb{E}[S^j] (-m)^{k-j}$ with "
                      "$m = \\mathbb{E}[S]$"))
    reference = {f"raw_moment_{k}": factorised_reference(s**k, variables) for k in raw}
    reference.update({f"central_moment_{k}": factorised_reference((s - raw[1])**k, variables) for k in central})
    reference["mean"] = reference["raw_moment_1"]
    parameters = tuple(dict.fromkeys(p for law in laws for p in law.parameters))
    problem = ProbabilityProblem(f"Moments of ${latex(s)}$ for independent " + ", ".join(law.name for law in laws),
                                 results, with_standardised(reference, upto), "dict", parameters)
    return Derivation(problem, tuple(steps), results, moment_summary(results), remarks=tuple(dict.fromkeys(remarks)))


def derive_combination_variance(s: sp.Expr) -> Derivation:
    """Var(S) = E[(S − E[S])²] of ``s``, an expression in independent sympy.stats variables, with its steps
    (Var(X + Y) = Var X + Var Y comes out of the expansion: the cross term E[(X − m_X)(Y − m_Y)] factorises to 0).

    >>> import sympy as sp, sympy.stats as st
    >>> a, b = sp.symbols("a b", positive=True)
    >>> derive_combination_variance(st.Exponential("X", a) - st.Exponential("Y", b)).result == 1/a**2 + 1/b**2
    True
    """
    variables = independent_variables(s)
    laws = [as_law(v) for v in variables]
    share = SharedBudget(DERIVATION_SECONDS)
    mean = share.run(expect_independent, s, variables)
    spread = share.run(expect_independent, (s - mean.value)**2, variables)
    steps = (*mean.steps, Step("The mean", sp.Eq(Expect(s), mean.value, evaluate=False)), *spread.steps,
             Step("The variance", sp.Eq(sp.Function("Var")(s), spread.value, evaluate=False),
                  "$\\mathrm{Var}(S) = \\mathbb{E}[(S - \\mathbb{E}[S])^2]$"))
    problem = ProbabilityProblem(
        f"Variance of ${latex(s)}$ for independent " + ", ".join(law.name for law in laws),
        {"value": spread.value}, {"value": factorised_reference((s - mean.value)**2, variables)},
        parameters=tuple(dict.fromkeys(p for law in laws for p in law.parameters)))
    return Derivation(problem, steps, spread.value,
                      summary=(sp.Eq(sp.Function("Var")(s), spread.value, evaluate=False),),
                      remarks=tuple(dict.fromkeys(mean.remarks + spread.remarks)))


def _mixed_law(s: sp.Expr, remarks: list[str]) -> tuple[Step, ...]:
    """The density of a continuous plus a discrete variable, by conditioning on the discrete one."""
    from symml.probability.mixed_sums import mixed_sum_density

    found = mixed_sum_density(s)
    if found is None:
        remarks.append(f"The law of ${latex(s)}$ (continuous and discrete variables together) is not derived here: "
                       "its moments are.")
        return ()
    remarks.append(f"The density of ${latex(s)}$ is " + ("derived in closed form" if found.closed else
                   "a series with no closed form (see the step 'Density of the sum'); the moments above are exact")
                   + ".")
    return found.steps


def _from_mgf(s: sp.Expr, M: sp.Expr, raw: dict[int, sp.Expr], t: sp.Symbol, discrete: bool, continuous: bool,
              remarks: list[str]) -> list[Step]:
    """The MGF's steps: M_S(t), its derivatives at 0 against the direct moments, and the law it recognises."""
    steps = [Step("Moment generating function", sp.Eq(sp.Function("M")(t), M, evaluate=False),
                  "$M_S(t) = \\mathbb{E}[e^{tS}]$: for a sum of independent variables, the product of their MGFs")]
    derived = {k: simplified(sp.diff(M, t, k).subs(t, 0)) for k in raw}
    steps.append(Step("Raw moments from the MGF", tuple(
        sp.Eq(sp.Subs(sp.Derivative(sp.Function("M")(t), (t, k)), t, 0), v, evaluate=False) for k, v in derived.items()),
        "$\\mathbb{E}[S^k] = M^{(k)}(0)$"))
    if all(is_closed(raw[k]) and simplified(derived[k] - raw[k]) == 0 for k in raw):
        steps.append(Step("The two routes agree", tuple(sp.Eq(Expect(s**k), raw[k], evaluate=False) for k in raw),
                          "$M^{(k)}(0) - \\mathbb{E}[S^k]$ simplifies to 0 for every $k$"))
    else:
        remarks.append("The MGF route and the direct route could not be shown equal symbolically for every moment; "
                       "verify() compares the moments with the defining integrals numerically.")
    if discrete or continuous:
        # identify_law works in its own t
        from symml.probability.pivots import _t

        found = identify_law(M.xreplace({t: _t}), discrete=discrete)
        if found is not None:
            law = sp.Function(found.family)(*found.parameters)
            steps.append(Step("Recognise the law of the combination", sp.Eq(sp.Symbol("S"), law, evaluate=False),
                              f"$M_S(t)$ is the moment generating function of a {found.family} law with these "
                              "parameters (its first two cumulants, and its own MGF derived and compared)"))
            remarks.append(f"${latex(s)} \\sim \\mathrm{{{found.family}}}"
                           f"({', '.join(latex(p) for p in found.parameters)})$, recognised from its MGF.")
    return steps
