"""The Fisher information of a Bernoulli in its logit, e^θ/(e^{2θ} + 2e^θ + 1), is finite at |θ| = 800 (it was nan:
a sum of exponentials with a constant term was never shifted by its largest exponent). Oracle: the variance of the
score x − σ(θ) over the two outcomes, summed in NumPy with scipy's expit."""
import numpy as np
import pytest
import sympy as sp
from scipy.special import expit

import symml

x, theta = sp.symbols("x theta", real=True)


@pytest.mark.parametrize("logit", [-800.0, -30.0, 0.0, 1.0, 30.0, 800.0])
def test_the_fisher_information_in_a_logit_is_the_variance_of_the_score_at_any_logit(logit):
    model = symml.Model(logpdf=x * theta - sp.log(1 + sp.exp(theta)), data=x, support=sp.FiniteSet(0, 1))
    information = symml.derive.fisher_information(model, wrt=[theta]).numpy()
    p, q = expit(logit), expit(-logit)  # q = 1 − p without cancellation
    variance_of_score = q * (0 - p) ** 2 + p * q ** 2
    assert float(np.asarray(information(theta=logit)).item()) == pytest.approx(variance_of_score, rel=1e-12,
                                                                                abs=1e-300)
