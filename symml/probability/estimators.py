"""Bias, variance and MSE of a maximum-likelihood estimator, as functions of n and the true parameters.

Every closed-form MLE symml derives is a function of sample means M_g = (1/n) Σ g(x_i). A centred statistic
mean((g − ḡ)²) is first rewritten as mean(g²) − ḡ² (exact: ḡ is the sample mean). For an i.i.d. sample,

.. math:: E[M_g] = E[g(X)], \\qquad E[M_g M_h] = \\frac{E[g h]}{n} + \\frac{n - 1}{n} E[g] E[h]

so the expectation of an estimator that is a polynomial of degree at most 2 in the M_g is **exact**
(E[σ̂²] = (n − 1)σ²/n). Otherwise (a square root, a ratio) the **delta method** gives the leading terms,
said in the derivation: E[f(M)] ≈ f(μ) + tr(∇²f Σ)/(2n), Var f(M) ≈ ∇fᵀ Σ ∇f / n, with Σ = Cov(g(X), h(X)).
The variance is exact for a polynomial of degree at most 2 in the M_g (E[θ̂²] through the moments of products of
up to four sample means, grouped by which indices coincide), asymptotic otherwise.

>>> import sympy as sp, sympy.stats as st, symml
>>> mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
>>> est = symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])
>>> derive_bias(est, sigma**2).result
-sigma**2/n
"""
from __future__ import annotations

from typing import Any, Callable, Literal

import sympy as sp
import sympy.stats as st
from sympy.stats.rv import random_symbols

from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, ModelError, UnsupportedOperationError
from symml.probability.expectation import Expect, expect, is_closed, simplified
from symml.probability.fisher import expression_in_parameters
from symml.probability.law import Law, as_law
from symml.model import Model
from symml.probability.order_statistics import analysis_record, derive_order_statistic_analysis, extreme_statistic
from symml.render.printer import latex

__all__ = ["derive_bias", "derive_variance", "derive_mse", "estimated_source"]

Quantity = Literal["bias", "variance", "mse"]

#: θ̂ in the steps (printed with a hat; "theta_hat" printed as θ with a subscript "hat")
_ESTIMATE = sp.Symbol("thetahat")


def _linear_statistics(problem: Any, estimator: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, dict[sp.Symbol, sp.Expr]]:
    """The estimator written through sample means M_g of powers and functions of x: (expression, {M: g(x)})."""
    means: dict[sp.Symbol, sp.Expr] = {}
    by_g: dict[sp.Expr, sp.Symbol] = {}

    def mean_of(g: sp.Expr) -> sp.Symbol:
        if g not in by_g:
            by_g[g] = sp.Symbol(f"M{len(by_g)}")
            means[by_g[g]] = g
        return by_g[g]

    replaced: dict[sp.Symbol, sp.Expr] = {}
    for statistic in problem.statistics:
        if statistic.reduction != "mean":
            raise UnsupportedOperationError(f"the estimator uses the order statistic {statistic.symbol}: its "
                                            "distribution is not a mean of i.i.d. terms")
        summand = sp.expand(statistic.summand.subs(problem.observation, x).xreplace(replaced))
        total = sp.S.Zero
        for term in sp.Add.make_args(summand):
            coefficient, g = term.as_independent(x, as_Add=False)
            total += coefficient * (mean_of(g) if g != 1 else 1)
        replaced[statistic.symbol] = total
    return sp.expand(estimator.xreplace(replaced)) if estimator.is_polynomial() else estimator.xreplace(replaced), means


def estimated_source(problem: Any) -> Any:
    """What an MLE derivation's sample is drawn from: its sympy.stats random variable, or the user's log-density as
    a model whose expectations are those of the sample, only when it integrates (or sums) to 1, checked as the MLE
    engine checks it (a missing constant factor moves no maximum, but every moment and every interval)."""
    from symml.mle.normalisation import check_density

    if problem.random_variable is not None:
        return problem.random_variable
    model = Model(problem.log_density, problem.observation, problem.support, parameters=problem.parameters)
    if check_density(model):
        raise ModelError("bias, variance, MSE and confidence intervals take expectations under the model, whose "
                         "log-density here is not checked to integrate to 1 (see the MLE derivation's remarks): add "
                         "its normalising constant")
    return model


def _analyse(derivation: Derivation, target: Any, quantity: Quantity) -> Derivation:
    problem = getattr(derivation, "problem", None)
    if problem is None or not hasattr(problem, "estimators"):
        hint = " (the variance of a random variable itself: symml.derive.moments(X))" \
            if hasattr(derivation, "pspace") else ""
        raise ModelError(f"bias, variance and MSE are of an estimator: they need a symml.derive.mle derivation{hint}")
    if target is None:  # the one parameter estimated, if there is one
        if len(problem.estimators) != 1:
            raise ModelError(f"{quantity} of which estimator? Pass target=, one of "
                             f"{', '.join(map(str, problem.estimators))} or an expression in them (e.g. sigma**2)")
        target = next(iter(problem.estimators))
    law: Law = as_law(estimated_source(problem))
    x = law.variable
    target = expression_in_parameters(target, law.parameters, f"the target of the {quantity}")
    missing = [p for p in target.free_symbols if p in problem.wrt and p not in problem.estimators]
    if missing:
        raise UnsupportedOperationError(f"{', '.join(map(str, missing))} has no closed-form estimator to analyse")
    plug_in = target.xreplace(dict(problem.estimators))
    extreme = extreme_statistic(problem, plug_in, folded=True)
    if extreme is not None:  # x₍ₙ₎ or x₍₁₎ (a Uniform's bound): through the law of the order statistic
        return derive_order_statistic_analysis(problem, law, extreme, plug_in, target, quantity)
    estimator, means = _linear_statistics(problem, plug_in, x)
    n = problem.sample_size
    symbols = list(means)
    moment = {M: expect(law, g).value for M, g in means.items()}
    product = _Products(law, means)
    steps = [Step("Estimator through sample means", sp.Eq(_ESTIMATE, estimator, evaluate=False),
                  "each statistic is a mean of i.i.d. terms; a centred one is rewritten as mean(g²) − ḡ²")]
    polynomial = estimator.is_polynomial(*symbols) and sp.Poly(estimator, *symbols).total_degree() <= 2 \
        if symbols else True
    linear = polynomial and (not symbols or sp.Poly(estimator, *symbols).total_degree() <= 1)
    summed = None if polynomial else _through_the_centred_sum(problem, law, plug_in, n) if len(symbols) != 1 \
        else _through_the_sum(law, means, estimator, n)
    generated = None if polynomial or summed is not None or len(symbols) != 1 else \
        _through_the_mgf(law, means, estimator, n)
    if polynomial:
        # E[M_A M_B] = E[g h]/n + (n − 1)/n E[g]E[h]; E[M_A] = E[g]
        pairs = {A * B: (A, B) for A in symbols for B in symbols}
        expanded = sp.expand(estimator)
        mean = sp.S.Zero
        for term in sp.Add.make_args(expanded):
            coefficient, part = term.as_independent(*symbols, as_Add=False)
            if part in pairs:
                A, B = pairs[part]
                mean += coefficient * (product[(A, B)] / n + (n - 1) / n * moment[A] * moment[B])
            else:
                mean += coefficient * moment.get(part, part)
        mean = simplified(mean)
        how_mean = "exact"
    elif summed is not None:  # one sample mean whose sum has a recognised law (1/x̄ with Σx ~ Gamma)
        sum_steps, h_of_sum, sum_law = summed
        steps.extend(sum_steps)
        mean, how_mean = simplified(expect(sum_law, h_of_sum).value), "exact"
    elif generated is not None:  # a sum of exponentials of one sample mean (e^{−x̄} for P(X = 0) = e^{−λ})
        mgf_steps, expectation_of = generated
        steps.extend(mgf_steps)
        mean, how_mean = expectation_of(estimator), "exact"
    else:
        gradient, hessian, covariance = _delta_pieces(estimator, symbols, moment, product)
        at = dict(moment)
        mean = simplified(estimator.xreplace(at) + (hessian.xreplace(at) * covariance).trace() / (2 * n))
        how_mean = "asymptotic (delta method, to order 1/n)"
    steps.append(Step("Expectation", sp.Eq(Expect(_ESTIMATE), mean, evaluate=False),
                      "exact, under the law of the sum" if summed is not None else
                      "exact, from the MGF of the sum" if generated is not None else
                      f"{how_mean}: $\\mathbb{{E}}[M_g M_h] = \\mathbb{{E}}[gh]/n + (n-1)/n\\, \\mathbb{{E}}[g]\\mathbb{{E}}[h]$"
                      if how_mean == "exact" else how_mean))
    bias = simplified(mean - target)
    steps.append(Step("Bias", sp.Eq(sp.Symbol("bias"), bias, evaluate=False), how_mean))
    how_variance = "exact" if polynomial or summed is not None or generated is not None else "asymptotic (delta method, leading order 1/n)"
    bound = None
    if quantity == "bias":  # the variance needs every fourth moment: not computed when only the bias is asked
        value = bias
    elif polynomial and not linear:  # E[θ̂²] of a quadratic in sample means: moments of products of four means
        variance = simplified(_mean_of_products(sp.expand(estimator**2), symbols, law, means, n) - mean**2)
        steps.append(Step("Variance", sp.Eq(sp.Symbol("Var"), variance, evaluate=False), _EXACT_PRODUCTS))
    elif summed is not None:
        _, h_of_sum, sum_law = summed
        variance = simplified(expect(sum_law, sp.expand(h_of_sum**2)).value - mean**2)
        steps.append(Step("Variance", sp.Eq(sp.Symbol("Var"), variance, evaluate=False),
                          "exact: $\\mathbb{E}[\\hat\\theta^2] - \\mathbb{E}[\\hat\\theta]^2$ under the law of the sum"))
    elif generated is not None:
        variance = simplified(generated[1](estimator**2) - mean**2)
        steps.append(Step("Variance", sp.Eq(sp.Symbol("Var"), variance, evaluate=False),
                          "exact: $\\mathbb{E}[\\hat\\theta^2] - \\mathbb{E}[\\hat\\theta]^2$, each from the MGF of the sum"))
    else:
        gradient, hessian, covariance = _delta_pieces(estimator, symbols, moment, product)
        variance = simplified((gradient.T * covariance * gradient)[0, 0].xreplace(moment) / n) if symbols \
            else sp.S.Zero
        steps.append(Step("Variance", sp.Eq(sp.Symbol("Var"), variance, evaluate=False), how_variance))
    if quantity != "bias":
        # at the order of the variance: ψ = E[θ̂] when exact; the target itself to leading order (the delta method)
        bound = _cramer_rao(law, tuple(problem.wrt), mean if how_variance == "exact" else target, n)
        if bound is not None and variance != 0:
            efficiency = simplified(bound / variance)
            steps.append(Step("Cramér–Rao bound and efficiency", (
                sp.Eq(sp.Symbol("CRB"), bound, evaluate=False), sp.Eq(sp.Symbol("efficiency"), efficiency, evaluate=False)),
                "for an estimator with mean $\\psi(\\theta) = \\mathbb{E}[\\hat\\theta]$, "
                "$\\operatorname{Var} \\ge \\nabla\\psi^\\top \\mathcal{I}(\\theta)^{-1} \\nabla\\psi / n$; "
                "the efficiency is the bound over the variance"))
            efficiency_remark = f"Efficiency (Cramér–Rao bound / variance): ${latex(efficiency)}$" + (
                "" if how_variance == "exact" else ", to leading order in 1/n (asymptotic)") + "."
        mse = simplified(variance + bias**2)
        steps.append(Step("Mean squared error", sp.Eq(sp.Symbol("MSE"), mse, evaluate=False),
                          "variance plus squared bias"))
        value = variance if quantity == "variance" else mse
    how = {"bias": how_mean, "variance": how_variance, "mse": how_mean if how_mean != "exact" else how_variance}[quantity]
    remarks = [f"The {quantity} is {how}."]
    if quantity != "bias" and bound is not None:
        remarks.append(efficiency_remark)
    return analysis_record(problem, target, quantity, value, steps, remarks,
                           mean if bias != 0 and how_mean == "exact" else None)


def _through_the_sum(law: Law, means: dict[sp.Symbol, sp.Expr], estimator: sp.Expr,
                     n: sp.Symbol) -> tuple[list[Step], sp.Expr, Law] | None:
    """(steps, the estimator as a function of S = Σ g(x_i), the law of S) when the one sample mean's sum has a law
    recognised from its MGF E[e^{tg(X)}]ⁿ (a Normal or a Gamma, :mod:`symml.probability.pivots`), or the sum less
    n g(a) at the support's lower end a has (Σ log(xᵢ/k) ~ Gamma(n, 1/θ) for a Pareto on [k, ∞): n/Σ log(xᵢ/k)
    has mean nθ/(n − 1), where the delta method answered θ(1 + 1/n)); None otherwise (then the delta method)."""
    from symml.probability.pivots import _t, identify_law, moment_generating

    ((M, g),) = means.items()
    shift = _at_the_lower_end(law, g)
    # S = Σ g(xᵢ); else Σ (g(xᵢ) − g(a)); else Σ (−g(xᵢ)) (Σ log xᵢ of a Beta(θ, 1) is minus a Gamma sum)
    attempts = [(1, sp.S.Zero)] + ([(1, shift)] if shift not in (None, 0) else []) + [(-1, sp.S.Zero)]
    found = None
    try:
        mgf_of_g = simplified(moment_generating(law, g) ** n)
        for sign, shift in attempts:
            sum_mgf = simplified(mgf_of_g.subs(_t, sign * _t) * sp.exp(-_t * n * shift))
            found = identify_law(sum_mgf)
            if found is not None:
                break
    except (UnsupportedOperationError, BudgetExceededError):
        return None
    if found is None:
        return None
    family = {"Normal": st.Normal, "Gamma": st.Gamma}[found.family]
    total = family("S", *found.parameters)
    h = estimator.xreplace({M: sign * total / n + shift})
    summed = sign * (g - shift)
    steps = [Step("Law of the sufficient sum", (sp.Eq(sp.Function("M_S")(sp.Symbol("t")), sum_mgf, evaluate=False),
                                                sp.Eq(sp.Symbol("S"), sp.Function(found.family)(*found.parameters),
                                                      evaluate=False)),
                  f"$S = \\sum_i ({latex(summed)})_i$ has $M_S(t) = \\mathbb{{E}}[e^{{t ({latex(summed)})}}]^n$, the "
                  "MGF of that law" if summed != g else
                  f"$S = \\sum_i {latex(g)}_i$ has $M_S(t) = \\mathbb{{E}}[e^{{t g(X)}}]^n$, the MGF of that law"),
             Step("Estimator through the sum", sp.Eq(_ESTIMATE, h, evaluate=False))]
    sum_law = as_law(total)
    return steps, h.xreplace({total: sum_law.variable}), sum_law


def _through_the_centred_sum(problem: Any, law: Law, plug_in: sp.Expr,
                             n: sp.Symbol) -> tuple[list[Step], sp.Expr, Law] | None:
    """(steps, the estimator as a function of S = Σ (xᵢ − x̄)², the law of S) for an estimator of that one centred
    statistic when S's law follows by Cochran's decomposition (:mod:`symml.probability.centred_squares`: a Normal
    sample); None otherwise. σ̂ = √(S/n) then has the exact mean σ √(2/n) Γ(n/2)/Γ((n − 1)/2), where the delta
    method answered σ(1 − 3/(4n))."""
    from symml.mle.statistics import statistic_symbols
    from symml.probability.centred_squares import centre_of, centred_sum_law

    used = statistic_symbols(plug_in)
    if len(used) != 1:
        return None
    (centred,) = used
    centre = centre_of(centred.summand, problem.observation) if centred.reduction == "mean" else None
    if centre is None:
        return None
    try:
        steps, found, _ = centred_sum_law(law, n, centre.summand.subs(problem.observation, law.variable))
    except (UnsupportedOperationError, BudgetExceededError):
        return None
    total = st.Gamma("S", *found.parameters)
    h = plug_in.xreplace({centred: total / n})
    sum_law = as_law(total)
    return steps + [Step("Estimator through the sum", sp.Eq(_ESTIMATE, h, evaluate=False))], \
        h.xreplace({total: sum_law.variable}), sum_law


def _at_the_lower_end(law: Law, g: sp.Expr) -> sp.Expr | None:
    """g at the support's finite lower end (log k for log x on [k, ∞)), or None."""
    lower = law.limits[0]
    if law.discrete or not lower.is_finite:
        return None
    value = g.subs(law.variable, lower)
    return value if value.is_finite else None


def _through_the_mgf(law: Law, means: dict[sp.Symbol, sp.Expr], estimator: sp.Expr,
                     n: sp.Symbol) -> tuple[list[Step], Callable[[sp.Expr], sp.Expr]] | None:
    """(steps, E[·]) for an estimator that is a sum of terms c M^k e^{a M} in one sample mean M = S/n of g(X):
    E[S^k e^{sS}] = (d/ds)^k M_g(s)ⁿ, so E[M^k e^{aM}] = n^{−k} (d/ds)^k M_g(s)ⁿ at s = a/n, exact, with
    M_g(t) = E[e^{t g(X)}] derived; None for any other shape or when M_g has no closed form (then the delta method).
    E[e^{−x̄}] of a Poisson is e^{nλ(e^{−1/n} − 1)}: the delta method answered e^{−λ}(1 + λ/(2n)); so is
    E[(1 + x̄)e^{−x̄}], the plug-in estimate of P(X ≤ 1) (Hogg, McKean & Craig ch. 7)."""
    from symml.probability.pivots import _t, moment_generating

    ((M, g),) = means.items()
    if _exponential_terms(estimator, M) is None:
        return None
    try:
        mgf = simplified(moment_generating(law, g))
    except (UnsupportedOperationError, BudgetExceededError):
        return None

    def expectation_of(expr: sp.Expr) -> sp.Expr:
        terms = _exponential_terms(expr, M)
        assert terms is not None  # squares of sums of exponentials are sums of exponentials
        s = sp.Dummy("s")
        return simplified(sum(c * n**-k * sp.diff(mgf.xreplace({_t: s}) ** n, s, k).xreplace({s: a / n})
                              for c, k, a in terms))

    t = sp.Symbol("t")
    steps = [Step("Through the moment generating function", (
        sp.Eq(sp.Function("M_g")(t), mgf.xreplace({_t: t}), evaluate=False),
        sp.Eq(Expect(sp.exp(t * M)), sp.Function("M_g")(t / n) ** n, evaluate=False)),
        f"$M = S/n$ with $S = \\sum_i {latex(g)}_i$ a sum of n independent terms, so "
        "$\\mathbb{E}[e^{tM}] = \\mathbb{E}[e^{(t/n) g(X)}]^n$: each term $c\\,M^k e^{aM}$ of the estimator has "
        "mean $c\\,n^{-k} \\frac{d^k}{ds^k} M_g(s)^n$ at $s = a/n$")]
    return steps, expectation_of


def _exponential_terms(expr: sp.Expr, M: sp.Symbol) -> list[tuple[sp.Expr, int, sp.Expr]] | None:
    """[(c, k, a)] with expr = Σ c M^k e^{a M}, c and a free of M, k a whole number (a = 0 for a polynomial term);
    None for any other form."""
    terms = []
    for term in sp.Add.make_args(sp.expand(sp.powsimp(expr), power_exp=False, mul=True, multinomial=True)):
        c, part = term.as_independent(M, as_Add=False)
        k, part = _power_of(part, M)
        exponent = sp.log(part).expand(force=True) if isinstance(part, (sp.exp, sp.Pow)) else None
        if part == 1:
            terms.append((c, k, sp.S.Zero))
        elif exponent is not None and not exponent.has(sp.log) and sp.diff(exponent, M, 2) == 0 \
                and exponent.xreplace({M: 0}) == 0:
            terms.append((c, k, sp.diff(exponent, M)))
        else:
            return None
    return terms


def _power_of(part: sp.Expr, M: sp.Symbol) -> tuple[int, sp.Expr]:
    """(k, rest) with part = M^k · rest, k the whole power of M among the factors (0 when there is none)."""
    powers = [f for f in sp.Mul.make_args(part)
              if f == M or (isinstance(f, sp.Pow) and f.base == M and f.exp.is_Integer and f.exp > 0)]
    k = sum(1 if f == M else int(f.exp) for f in powers)
    return k, sp.Mul(*(f for f in sp.Mul.make_args(part) if f not in powers))


_EXACT_PRODUCTS = ("exact: $\\operatorname{Var} = \\mathbb{E}[\\hat\\theta^2] - \\mathbb{E}[\\hat\\theta]^2$, and a "
                   "product of m sample means has $\\mathbb{E}[M_{g_1} \\cdots M_{g_m}] = n^{-m} \\sum_\\pi "
                   "n (n - 1) \\cdots (n - |\\pi| + 1) \\prod_{B \\in \\pi} \\mathbb{E}[\\prod_{k \\in B} g_k]$ over the "
                   "set partitions $\\pi$ of its factors (which indices coincide)")


def _mean_of_products(polynomial: sp.Expr, symbols: list[sp.Symbol], law: Law, means: dict[sp.Symbol, sp.Expr],
                      n: sp.Symbol) -> sp.Expr:
    """E[polynomial in sample means], exactly: a product M_{g_1}⋯M_{g_m} is n^{-m} Σ over the index tuples
    (i_1..i_m) of E[g_1(x_{i_1})⋯g_m(x_{i_m})]; grouping the tuples by which indices coincide (a set partition π
    of the factors, n(n − 1)⋯(n − |π| + 1) tuples each), independence makes each group a product of moments."""
    from sympy.utilities.iterables import multiset_partitions

    total = sp.S.Zero
    for term in sp.Add.make_args(polynomial):
        coefficient, part = term.as_independent(*symbols, as_Add=False)
        factors = [base for base, power in part.as_powers_dict().items() if base in symbols
                   for _ in range(int(power))]
        moment = sp.S.Zero
        for blocks in multiset_partitions(list(range(len(factors)))):
            moment += sp.ff(n, len(blocks)) * sp.Mul(*(
                expect(law, sp.expand(sp.Mul(*(means[factors[k]] for k in block)))).value for block in blocks))
        total += coefficient * moment / n ** len(factors)
    return total


def _cramer_rao(law: Law, wrt: tuple[sp.Symbol, ...], mean: sp.Expr, n: sp.Symbol) -> sp.Expr | None:
    """∇ψᵀ I(θ)⁻¹ ∇ψ / n with ψ = E[θ̂] and I the Fisher information of one observation; None where I has no
    closed form, is singular, or the support moves with θ (the bound does not apply)."""
    from symml.probability.fisher import derive_fisher_information

    lower, upper = law.limits
    if any(lower.has(p) or upper.has(p) for p in wrt):
        return None
    information = derive_fisher_information(law, wrt=list(wrt)).result
    if any(not is_closed(entry) for entry in information) or simplified(information.det()) == 0:
        return None
    slope = sp.Matrix([sp.diff(mean, p) for p in wrt])
    return simplified((slope.T * information.inv() * slope)[0, 0] / n)


class _Products(dict):
    """E[g_A g_B] for pairs of sample-mean statistics, each expectation found the first time it is needed."""

    def __init__(self, law: Law, means: dict[sp.Symbol, sp.Expr]) -> None:
        super().__init__()
        self.law, self.means = law, means

    def __missing__(self, pair: tuple[sp.Symbol, sp.Symbol]) -> sp.Expr:
        A, B = pair
        value = self[(B, A)] if (B, A) in self else expect(self.law, sp.expand(self.means[A] * self.means[B])).value
        self[pair] = value
        return value


def _delta_pieces(estimator: sp.Expr, symbols: list[sp.Symbol], moment: dict, product: dict) -> tuple:
    gradient = sp.Matrix([sp.diff(estimator, s) for s in symbols])
    hessian = sp.hessian(estimator, symbols) if symbols else sp.zeros(0, 0)
    covariance = sp.Matrix(len(symbols), len(symbols),
                           lambda i, j: product[(symbols[i], symbols[j])] - moment[symbols[i]] * moment[symbols[j]])
    return gradient, hessian, covariance


def derive_bias(estimate: Derivation, target: Any = None) -> Derivation:
    """E[θ̂] − θ for the plug-in estimator of ``target`` (an expression in the parameters, e.g. sigma**2; by default
    the one parameter estimated) from an MLE derivation; exact when the estimator is a polynomial of degree ≤ 2 in
    sample means, else asymptotic."""
    return _analyse(estimate, target, "bias")


def derive_variance(estimate: Derivation, target: Any = None) -> Derivation:
    """Var(θ̂) of the plug-in estimator of ``target``: exact for estimators linear in sample means, else by the
    delta method (asymptotic, said). Given instead a sympy.stats variable or an expression in independent ones
    (X, w·X, X + Y), its variance E[(S − E S)²] (:func:`~symml.probability.combination_moments.derive_combination_variance`)."""
    if isinstance(estimate, sp.Expr) and random_symbols(estimate) and target is None:
        from symml.probability.combination_moments import derive_combination_variance

        return derive_combination_variance(estimate)
    return _analyse(estimate, target, "variance")


def derive_mse(estimate: Derivation, target: Any = None) -> Derivation:
    """MSE = Var(θ̂) + bias² of the plug-in estimator of ``target`` (exact or asymptotic, said)."""
    return _analyse(estimate, target, "mse")
