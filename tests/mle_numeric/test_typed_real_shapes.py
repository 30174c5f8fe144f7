"""A shape typed as text is a real symbol, not a positive one: log Γ(a) of it must not read SciPy's log|Γ(a)| where
Γ(a) < 0 (the double gamma's shape came out a = −29.8, a root of ψ(a) = mean log|x| outside the parameter space)."""
import numpy as np
from scipy import stats
from scipy.optimize import minimize_scalar

import symml


def test_double_gamma_shape_typed_as_text_is_the_likelihood_maximum():
    """https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.dgamma.html"""
    sample = stats.dgamma(1.5).rvs(size=400, random_state=np.random.default_rng(7))
    model = symml.Model(logpdf="-log(2) - loggamma(a) + (a - 1)*log(Abs(x)) - Abs(x)", data="x")
    estimate = symml.derive.mle(model).numpy()(x=sample)["a"]
    best = minimize_scalar(lambda a: -stats.dgamma(a).logpdf(sample).sum(), bounds=(1e-3, 50), method="bounded",
                           options={"xatol": 1e-10})
    assert np.isclose(estimate, best.x, rtol=1e-6)
