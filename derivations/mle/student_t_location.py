"""Student-t with known degrees of freedom nu (unit scale): the location. No closed form.

The score sum (x_i - mu) / (nu + (x_i - mu)^2) = 0 keeps the data inside a rational function: numpy()
maximises the log-likelihood numerically. The model is a user log-density (sympy.stats' StudentT has no location).
"""
import sympy as sp

import symml


def derivation() -> symml.Derivation:
    x = sp.Symbol("x", real=True)
    mu = sp.Symbol("mu", real=True)
    nu = sp.Symbol("nu", positive=True)
    logpdf = (
        sp.loggamma((nu + 1) / 2) - sp.loggamma(nu / 2) - sp.log(sp.pi * nu) / 2
        - (nu + 1) / 2 * sp.log(1 + (x - mu) ** 2 / nu)
    )
    return symml.derive.mle(symml.Model(logpdf=logpdf, data=x), wrt=[mu])
