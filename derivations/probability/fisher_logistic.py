"""Fisher information of a Logistic(mu, sigma): closed by the probability integral transform.

The score in sigma gives terms x²/(e^{mu/sigma} + e^{x/sigma})^k that SymPy's integrator cannot finish. With the
quantile function derived from the density, x = mu + sigma log(u/(1 − u)), each expectation becomes an integral over
(0, 1) of u^a (1 − u)^b log(u)^j log(1 − u)^k: a derivative of the Beta function, closed by polygamma values at
integers (pi²/6 = psi'(1)). Result: diag(1/(3 sigma²), (pi² + 3)/(9 sigma²)).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    return symml.derive.fisher_information(st.Logistic("X", mu, sigma), wrt=[mu, sigma])
