"""Platt scaling (Platt 1999): P(y = 1 | s) = sigma(a s + b) fitted by the negative log-likelihood of the targets,
L(a, b) = 1^T softplus(a s + b 1) - t^T (a s + b 1) at matrix level. Gradient and Hessian in (a, b) by the
matrix-calculus engine; the stationarity equations are transcendental (no closed-form minimiser), L is convex,
and numpy().fit runs Newton's method on the derived derivatives, with Platt's smoothed targets
(N+ + 1)/(N+ + 2) and 1/(N- + 2) by default. verify(): finite differences and scipy.optimize on simulated scores.
"""
import symml


def derivation() -> symml.Derivation:
    return symml.derive.platt_scaling()
