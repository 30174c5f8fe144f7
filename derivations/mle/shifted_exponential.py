"""Exponential shifted by an unknown location: the location is the sample minimum.

The log-likelihood n log(lambda) - lambda sum(x_i - loc) increases in loc up to the smallest observation, where
the support boundary stops it. The model is a user log-density (sympy.stats has no shifted exponential).
"""
import sympy as sp

import symml


def derivation() -> symml.Derivation:
    x = sp.Symbol("x", real=True)
    loc = sp.Symbol("loc", real=True)
    lam = sp.Symbol("lambda", positive=True)
    logpdf = sp.Piecewise((sp.log(lam) - lam * (x - loc), x >= loc), (-sp.oo, True))
    return symml.derive.mle(symml.Model(logpdf=logpdf, data=x), wrt=[loc])
