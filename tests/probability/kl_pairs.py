"""The KL pairs of the README table, each with scipy.stats twins of p and q as the independent oracle.

A pair is (label, p, q, parameter values, scipy p, scipy q, expected outcome, registered), the outcome one of
"closed" (closed form), "infinite" (support), "numeric" (no closed form within the tests' budget of
BUDGET seconds per integral: numerically integrated; at the default budget Normal-Laplace,
Laplace-Laplace and Gamma-Laplace close), and
registered one of "torch/TFP" (a closed form either library registers), "infinite" or "neither".
"""
import numpy as np
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

m1, m2 = sp.symbols("m1 m2", real=True)
s1, s2, r1, r2, a1, a2, b1, b2, k1, k2, l1, l2 = sp.symbols("s1 s2 r1 r2 a1 a2 b1 b2 k1 k2 l1 l2", positive=True)
p1, p2 = sp.symbols("p1 p2", positive=True)
n = sp.Symbol("n", positive=True, integer=True)
e = np.exp
BUDGET = 2.0


def normal(i):
    return st.Normal("X", (m1, m2)[i], (s1, s2)[i]), lambda v: ss.norm(v[f"m{i+1}"], v[f"s{i+1}"])


def exponential(i):
    return st.Exponential("X", (r1, r2)[i]), lambda v: ss.expon(scale=1 / v[f"r{i+1}"])


def gamma(i):
    return st.Gamma("X", (k1, k2)[i], (l1, l2)[i]), lambda v: ss.gamma(v[f"k{i+1}"], scale=v[f"l{i+1}"])


def beta(i):
    return st.Beta("X", (a1, a2)[i], (b1, b2)[i]), lambda v: ss.beta(v[f"a{i+1}"], v[f"b{i+1}"])


def laplace(i):
    return st.Laplace("X", (m1, m2)[i], (b1, b2)[i]), lambda v: ss.laplace(v[f"m{i+1}"], v[f"b{i+1}"])


def lognormal(i):
    return st.LogNormal("X", (m1, m2)[i], (s1, s2)[i]), lambda v: ss.lognorm(v[f"s{i+1}"], scale=e(v[f"m{i+1}"]))


def uniform(i):
    return st.Uniform("X", (a1, a2)[i], (b1, b2)[i]), lambda v: ss.uniform(v[f"a{i+1}"], v[f"b{i+1}"] - v[f"a{i+1}"])


def gumbel(i):
    return st.Gumbel("X", (b1, b2)[i], (m1, m2)[i]), lambda v: ss.gumbel_r(v[f"m{i+1}"], v[f"b{i+1}"])


def rayleigh(i):
    return st.Rayleigh("X", (s1, s2)[i]), lambda v: ss.rayleigh(scale=v[f"s{i+1}"])


def weibull(i):
    return st.Weibull("X", (l1, l2)[i], (k1, k2)[i]), lambda v: ss.weibull_min(v[f"k{i+1}"], scale=v[f"l{i+1}"])


def cauchy(i):
    return st.Cauchy("X", (m1, m2)[i], (s1, s2)[i]), lambda v: ss.cauchy(v[f"m{i+1}"], v[f"s{i+1}"])


def logistic(i):
    return st.Logistic("X", (m1, m2)[i], (s1, s2)[i]), lambda v: ss.logistic(v[f"m{i+1}"], v[f"s{i+1}"])


def pareto(i):  # shared scale: the supports agree
    return st.Pareto("X", l1, (a1, a2)[i]), lambda v: ss.pareto(v[f"a{i+1}"], scale=v["l1"])


def poisson(i):
    return st.Poisson("X", (l1, l2)[i]), lambda v: ss.poisson(v[f"l{i+1}"])


def bernoulli(i):
    return st.Bernoulli("X", (p1, p2)[i]), lambda v: ss.bernoulli(v[f"p{i+1}"])


def binomial(i):
    return st.Binomial("X", n, (p1, p2)[i]), lambda v: ss.binom(int(v["n"]), v[f"p{i+1}"])


def geometric(i):
    return st.Geometric("X", (p1, p2)[i]), lambda v: ss.geom(v[f"p{i+1}"])


VALUES = {"m1": 0.3, "m2": -0.4, "s1": 0.8, "s2": 1.3, "r1": 1.4, "r2": 0.6, "a1": 2.2, "a2": 1.5, "b1": 1.9,
          "b2": 2.4, "k1": 2.5, "k2": 1.7, "l1": 1.2, "l2": 0.7, "p1": 0.3, "p2": 0.55, "n": 7.0}
UNIFORM_VALUES = {**VALUES, "a1": 0.2, "b1": 0.9, "a2": -0.5, "b2": 1.5}  # [a1, b1] inside [a2, b2]

# (p family, q family, expected outcome, registered by torch or TFP in closed form?)
PAIRS = [
    # same family
    (normal, normal, "closed", "torch/TFP"), (exponential, exponential, "closed", "torch/TFP"),
    (gamma, gamma, "closed", "torch/TFP"), (beta, beta, "closed", "torch/TFP"),
    (laplace, laplace, "numeric", "torch/TFP"), (lognormal, lognormal, "closed", "torch/TFP"),
    (uniform, uniform, "closed", "torch/TFP"), (gumbel, gumbel, "closed", "torch/TFP"),
    (pareto, pareto, "closed", "torch/TFP"), (poisson, poisson, "closed", "torch/TFP"),
    (bernoulli, bernoulli, "closed", "torch/TFP"), (binomial, binomial, "closed", "torch/TFP"),
    (geometric, geometric, "closed", "torch/TFP"),
    (rayleigh, rayleigh, "closed", "neither"), (weibull, weibull, "closed", "neither"),
    # Cauchy-Cauchy by the Poisson integral of the upper half-plane (symml.probability.poisson_kernel), no integral;
    # Logistic-Logistic: E_p[log(1 + e^{−(x−μ2)/s2})] under a logistic p has no elementary closed form unless
    # s1 = s2 (a dilogarithm-type integral)
    (cauchy, cauchy, "closed", "neither"), (logistic, logistic, "numeric", "neither"),
    # cross family, registered by torch
    (exponential, gamma, "closed", "torch/TFP"), (exponential, normal, "closed", "torch/TFP"),
    (exponential, gumbel, "closed", "torch/TFP"), (gamma, exponential, "closed", "torch/TFP"),
    (gamma, normal, "closed", "torch/TFP"), (gamma, gumbel, "closed", "torch/TFP"),
    (beta, exponential, "closed", "torch/TFP"), (beta, gamma, "closed", "torch/TFP"),
    (beta, normal, "closed", "torch/TFP"), (laplace, normal, "closed", "torch/TFP"),
    (normal, gumbel, "closed", "torch/TFP"), (gumbel, normal, "closed", "torch/TFP"),
    (uniform, normal, "closed", "torch/TFP"), (uniform, exponential, "closed", "torch/TFP"),
    (uniform, gumbel, "closed", "torch/TFP"),
    # cross family, neither registers
    (normal, laplace, "numeric", "neither"), (exponential, laplace, "closed", "neither"),
    (gamma, laplace, "numeric", "neither"), (lognormal, gamma, "closed", "neither"),
    (lognormal, exponential, "closed", "neither"), (rayleigh, exponential, "closed", "neither"),
    (exponential, rayleigh, "closed", "neither"), (rayleigh, gamma, "closed", "neither"),
    (gamma, rayleigh, "closed", "neither"), (weibull, exponential, "closed", "neither"),
    (beta, rayleigh, "closed", "neither"), (laplace, gumbel, "closed", "neither"),
    (normal, cauchy, "numeric", "neither"), (normal, logistic, "numeric", "neither"),
    # infinite: q vanishes where p does not
    (normal, exponential, "infinite", "infinite"), (normal, gamma, "infinite", "infinite"),
    (normal, beta, "infinite", "infinite"), (exponential, beta, "infinite", "infinite"),
    (normal, uniform, "infinite", "infinite"), (laplace, exponential, "infinite", "infinite"),
    (gamma, beta, "infinite", "infinite"), (poisson, geometric, "infinite", "infinite"),
    (poisson, bernoulli, "infinite", "infinite"), (poisson, normal, "infinite", "infinite"),
    (normal, poisson, "infinite", "infinite"),
]


def label(pair):
    return f"{pair[0].__name__}-{pair[1].__name__}"


def build(pair):
    """(p, q, values, scipy p, scipy q) for a pair."""
    p, p_scipy = pair[0](0)
    q, q_scipy = pair[1](1)
    values = UNIFORM_VALUES if pair[0] is uniform or pair[1] is uniform else VALUES
    return p, q, values, p_scipy(values), q_scipy(values)


def numeric_kl(p_scipy, q_scipy):
    """E_p[log p − log q] by scipy.integrate.quad (continuous) or a long partial sum (discrete)."""
    from scipy.integrate import quad

    if hasattr(p_scipy, "pmf"):
        k = np.arange(0, 400)
        weights = p_scipy.pmf(k)
        inside = weights > 0
        return float(np.sum(weights[inside] * (p_scipy.logpmf(k[inside]) - q_scipy.logpmf(k[inside]))))
    # E_p[g(X)] = ∫_0^1 g(F_p^{-1}(u)) du: no tail to truncate, no peak for quad to miss
    def integrand(u):
        x = p_scipy.ppf(u)
        return p_scipy.logpdf(x) - q_scipy.logpdf(x)

    return quad(integrand, 0.0, 1.0, limit=400)[0]
