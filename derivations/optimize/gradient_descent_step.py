"""The best constant step of gradient descent on a quadratic with Hessian eigenvalues in [mu, L] (L = mu + delta):
one step multiplies the error along an eigenvector by 1 - alpha lambda, so the worst-case rate is
max(|1 - alpha mu|, |1 - alpha L|) (|1 - alpha lambda| is convex in lambda: its maximum is at an end). Minimising it
as a linear program in (alpha, r) by the KKT conditions: alpha = 2/(L + mu), rate (L - mu)/(L + mu) = (kappa - 1)/
(kappa + 1) (Nesterov, Introductory Lectures, Thm 2.1.15)."""
import sympy as sp

import symml

alpha, rate = sp.Symbol("alpha", positive=True), sp.Symbol("r", real=True)
mu, delta = sp.symbols("mu delta", positive=True)


def derivation() -> symml.Derivation:
    L = mu + delta
    return symml.derive.minimize(rate, [alpha, rate], subject_to=[
        rate >= 1 - alpha * mu, rate >= alpha * mu - 1, rate >= 1 - alpha * L, rate >= alpha * L - 1])
