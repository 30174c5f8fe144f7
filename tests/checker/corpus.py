r"""The claim corpus: correct ML identities, each with a subtly wrong twin (an oracle for the checker's tests).

Each entry is ``(name, left, right, wrong_right, options)``: ``left = right`` holds, ``left = wrong_right`` does
not (a sign error, a dropped factor, a missing transpose or 1/n, the biased variance, a wrong chain rule...).
Sides are SymPy objects, plain strings or LaTeX; options go to ``symml.check`` (``symmetric=...``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

import symml

x, y, t, z, w_, a_, b_, c_ = sp.symbols("x y t z w a b c", real=True)
p = sp.Symbol("p", positive=True)
lam, s2, r = sp.symbols("lambda s r", positive=True)
eta = sp.Symbol("eta", real=True)
alpha = sp.Symbol("alpha", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
i, j, k = sp.symbols("i j k", integer=True)
X = sp.IndexedBase("x", real=True)
Y = sp.IndexedBase("y", real=True)
mu = sp.Symbol("mu", real=True)
d, m = symml.dims("d m")
A, B, C, S, M, W = (sp.MatrixSymbol(name, d, d) for name in "ABCSMW")
U, V = sp.MatrixSymbol("U", d, m), sp.MatrixSymbol("V", m, d)
K = sp.MatrixSymbol("K", m, m)
Xm = sp.MatrixSymbol("X", m, d)
u, v, w, mvec = (sp.MatrixSymbol(name, d, 1) for name in ("u", "v", "w", "m"))
yv = sp.MatrixSymbol("y", m, 1)
I_d = sp.Identity(d)


def sigma(e: Any) -> Any:
    return 1 / (1 + sp.exp(-e))


def softplus(e: Any) -> Any:
    return sp.log(1 + sp.exp(e))


def D(expr: Any, *variables: Any) -> sp.Derivative:
    return sp.Derivative(expr, *variables)


def total(expr: Any) -> sp.Sum:
    return sp.Sum(expr, (i, 1, n))


xbar = total(X[i]) / n


@dataclass(frozen=True)
class Pair:
    name: str
    left: Any
    right: Any
    wrong: Any
    options: dict = field(default_factory=dict)


PAIRS = [
    # --- calculus ---------------------------------------------------------------------------------------
    Pair("product rule d(x e^x)", D(x * sp.exp(x), x), x * sp.exp(x) + sp.exp(x), x * sp.exp(x) - sp.exp(x)),
    Pair("chain rule d sin(x^2)", D(sp.sin(x**2), x), 2 * x * sp.cos(x**2), sp.cos(x**2)),
    Pair("softplus' = sigmoid", D(softplus(x), x), sigma(x), sigma(-x)),
    Pair("sigmoid' = s(1-s)", D(sigma(t), t), sigma(t) * (1 - sigma(t)), sigma(t) * (1 + sigma(t))),
    Pair("tanh = 2 sigma(2t) - 1", sp.tanh(t), 2 * sigma(2 * t) - 1, 2 * sigma(t) - 1),
    Pair("log-sum-exp shift", sp.log(sp.exp(x) + sp.exp(y)), x + sp.log(1 + sp.exp(y - x)),
         x + sp.log(1 + sp.exp(y + x))),
    Pair("softplus(x) - softplus(-x) = x", softplus(x) - softplus(-x), x, -x),
    Pair("tanh' = 1 - tanh^2", D(sp.tanh(x), x), 1 - sp.tanh(x)**2, 1 + sp.tanh(x)**2),
    Pair("d x^x", D(p**p, p), p**p * (sp.log(p) + 1), p * p**(p - 1)),
    Pair("quotient rule d sin(x)/x", D(sp.sin(x) / x, x), (x * sp.cos(x) - sp.sin(x)) / x**2,
         (x * sp.cos(x) + sp.sin(x)) / x**2),
    Pair("d log(x^2 + 1)", D(sp.log(x**2 + 1), x), 2 * x / (x**2 + 1), 1 / (x**2 + 1)),
    Pair("second derivative of exp(-x^2)", D(sp.exp(-x**2), (x, 2)), (4 * x**2 - 2) * sp.exp(-x**2),
         (4 * x**2 + 2) * sp.exp(-x**2)),
    Pair("partial derivative by y", D(x**2 * y**3, y), 3 * x**2 * y**2, 2 * x * y**3),
    Pair("antiderivative of x e^x", sp.Integral(x * sp.exp(x), x), (x - 1) * sp.exp(x) + 7, (x + 1) * sp.exp(x)),
    Pair("antiderivative of 1/p", sp.Integral(1 / p, p), sp.log(p), -1 / p**2),
    Pair("definite integral of x^2", sp.Integral(x**2, (x, 0, 1)), sp.Rational(1, 3), sp.Rational(1, 2)),
    Pair("log sigmoid = -softplus(-x)", sp.log(sigma(x)), -softplus(-x), -softplus(x)),
    Pair("1 - sigma(x) = sigma(-x)", 1 - sigma(x), sigma(-x), sigma(x) - 1),
    Pair("d (w x - y)^2 / dw", D((w_ * x - y)**2, w_), 2 * x * (w_ * x - y), 2 * (w_ * x - y)),
    Pair("logit of sigmoid", sp.log(sigma(x) / (1 - sigma(x))), x, 2 * x),
    Pair("d arctan", D(sp.atan(x), x), 1 / (1 + x**2), 1 / (1 - x**2)),
    Pair("exp(log a + log b) = ab", sp.exp(sp.log(p) + sp.log(lam)), p * lam, p + lam),
    Pair("sqrt(x^2) = |x|", sp.sqrt(x**2), sp.Abs(x), x),
    Pair("string: d(x e^x)", "x*exp(x) + exp(x)", "diff(x*exp(x), x)", "diff(x*exp(-x), x)"),
    Pair("string: cosh^2 - sinh^2", "cosh(t)^2 - sinh(t)^2", "1", "cosh(2*t)"),
    # --- statistics -------------------------------------------------------------------------------------
    Pair("centred sum of squares", total((X[i] - xbar)**2), total(X[i]**2) - n * xbar**2,
         total(X[i]**2) - xbar**2),
    Pair("biased variance = mean of squares - square of mean", total((X[i] - xbar)**2) / n,
         total(X[i]**2) / n - xbar**2, total((X[i] - xbar)**2) / (n - 1)),
    Pair("deviations from the mean sum to zero", total(X[i] - xbar), 0, xbar),
    Pair("d/dmu sum (x_i - mu)^2", D(total((X[i] - mu)**2), mu), -2 * total(X[i] - mu), -total(X[i] - mu)),
    Pair("Gaussian score for the variance", D(-n / 2 * sp.log(2 * sp.pi * s2) - total((X[i] - mu)**2) / (2 * s2), s2),
         -n / (2 * s2) + total((X[i] - mu)**2) / (2 * s2**2), -n / (2 * s2) + total((X[i] - mu)**2) / (2 * s2)),
    Pair("Bernoulli score", D(total(X[i] * sp.log(p) + (1 - X[i]) * sp.log(1 - p)), p),
         total(X[i]) / p - (n - total(X[i])) / (1 - p), total(X[i]) / p - (n - total(X[i])) / (1 + p)),
    Pair("Poisson score (missing n)", D(total(X[i] * sp.log(lam) - lam), lam), total(X[i]) / lam - n,
         total(X[i]) / lam - 1),
    Pair("exponential MLE solves the score", (n / lam - total(X[i])).subs(lam, n / total(X[i])), 0,
         (n / lam - total(X[i])).subs(lam, 1 / total(X[i]))),
    Pair("Gaussian log-density", sp.log((2 * sp.pi * s2)**sp.Rational(-1, 2) * sp.exp(-(x - mu)**2 / (2 * s2))),
         -sp.log(2 * sp.pi * s2) / 2 - (x - mu)**2 / (2 * s2), -sp.log(2 * sp.pi * s2) - (x - mu)**2 / (2 * s2)),
    Pair("Bernoulli entropy derivative", D(-p * sp.log(p) - (1 - p) * sp.log(1 - p), p), sp.log((1 - p) / p),
         sp.log(p / (1 - p))),
    Pair("cross-entropy gradient = sigma(z) - y", D(-y * sp.log(sigma(z)) - (1 - y) * sp.log(1 - sigma(z)), z),
         sigma(z) - y, y - sigma(z)),
    Pair("softmax is the gradient of log-sum-exp", D(sp.log(sp.exp(x) + sp.exp(y)), x),
         sp.exp(x) / (sp.exp(x) + sp.exp(y)), sp.exp(y) / (sp.exp(x) + sp.exp(y))),
    Pair("log Gamma recursion", sp.loggamma(alpha + 1), sp.log(alpha) + sp.loggamma(alpha),
         alpha + sp.loggamma(alpha)),
    Pair("d log Gamma = digamma", D(sp.loggamma(alpha), alpha), sp.digamma(alpha), sp.digamma(alpha + 1)),
    Pair("mean of an affine map", total(a_ * X[i] + b_) / n, a_ * xbar + b_, a_ * xbar + n * b_),
    Pair("bias-variance split of squares", total((X[i] - mu)**2), total((X[i] - xbar)**2) + n * (xbar - mu)**2,
         total((X[i] - xbar)**2) + (xbar - mu)**2),
    Pair("covariance shortcut", total((X[i] - xbar) * Y[i]), total(X[i] * Y[i]) - xbar * total(Y[i]),
         total(X[i] * Y[i]) - xbar * total(Y[i]) / n),
    Pair("LaTeX: d/dmu of the sum of squares", r"\frac{d}{d\mu} \sum_i (x_i-\mu)^2", r"-2\sum_i (x_i - \mu)",
         r"-2\sum_i (x_i + \mu)"),
    Pair("LaTeX: tanh vs sigmoid", r"\tanh(t)", r"2\sigma(2t) - 1", r"2\sigma(2t) + 1"),
    # --- optimization -----------------------------------------------------------------------------------
    Pair("ridge gradient (scalar)", D((y - w_ * x)**2 + lam * w_**2, w_), -2 * x * (y - w_ * x) + 2 * lam * w_,
         -2 * x * (y - w_ * x) + lam * w_),
    Pair("ridge solution solves the stationarity", (-2 * x * (y - w_ * x) + 2 * lam * w_).subs(w_, x * y / (x**2 + lam)),
         0, (-2 * x * (y - w_ * x) + 2 * lam * w_).subs(w_, x * y / (x**2 + 2 * lam))),
    Pair("Newton step for x^2 = a", p - (p**2 - lam) / (2 * p), (p + lam / p) / 2, (p - lam / p) / 2),
    Pair("completing the square", p * x**2 + b_ * x + c_, p * (x + b_ / (2 * p))**2 + c_ - b_**2 / (4 * p),
         p * (x + b_ / (2 * p))**2 + c_ - b_**2 / (2 * p)),
    Pair("logistic loss curvature", D(softplus(z), (z, 2)), sigma(z) * (1 - sigma(z)), sigma(z) * (1 - sigma(z)) / 2),
    Pair("geometric series", sp.Sum(r**k, (k, 0, n - 1)), (1 - r**n) / (1 - r), (1 - r**(n + 1)) / (1 - r)),
    Pair("softmax is shift invariant", sp.exp(x - c_) / (sp.exp(x - c_) + sp.exp(y - c_)),
         sp.exp(x) / (sp.exp(x) + sp.exp(y)), sp.exp(x - c_) / (sp.exp(x) + sp.exp(y))),
    Pair("gradient step on a quadratic", w_ - eta * D((w_ - c_)**2, w_), (1 - 2 * eta) * w_ + 2 * eta * c_,
         (1 - eta) * w_ + 2 * eta * c_),
    Pair("EMA unrolled twice", eta * (eta * a_ + (1 - eta) * b_) + (1 - eta) * c_,
         eta**2 * a_ + eta * (1 - eta) * b_ + (1 - eta) * c_, eta**2 * a_ + eta * b_ + (1 - eta) * c_),
    # --- matrix calculus and identities -----------------------------------------------------------------
    Pair("trace cyclicity", sp.Trace(A * B * C), sp.Trace(C * A * B), sp.Trace(B * A * C)),
    Pair("trace of A^T B", sp.Trace(A.T * B), sp.Trace(B.T * A), sp.Trace(A * B)),
    Pair("transpose of a product", (A * B).T, B.T * A.T, A.T * B.T),
    Pair("inverse of a product", (A * B).I, B.I * A.I, A.I * B.I),
    Pair("Woodbury identity", (A + U * K * V).I, A.I - A.I * U * (K.I + V * A.I * U).I * V * A.I,
         A.I + A.I * U * (K.I + V * A.I * U).I * V * A.I),
    Pair("Sherman-Morrison", (A + u * v.T).I,
         A.I - A.I * u * (sp.Identity(1) + v.T * A.I * u).I * v.T * A.I,
         A.I - A.I * u * (sp.Identity(1) - v.T * A.I * u).I * v.T * A.I),
    Pair("d log det X / dX = X^-T", D(sp.log(sp.Determinant(W)), W), W.I.T, W.I),
    Pair("d w^T A w / dw", D(w.T * A * w, w), (A + A.T) * w, 2 * A * w),
    Pair("d w^T A w / dw, A symmetric", D(w.T * A * w, w), 2 * A * w, A * w, {"symmetric": [A]}),
    Pair("least-squares gradient", D((Xm * w - yv).T * (Xm * w - yv), w), 2 * Xm.T * (Xm * w - yv),
         Xm.T * (Xm * w - yv)),
    Pair("d tr(AX) / dX = A^T", D(sp.Trace(A * W), W), A.T, A),
    Pair("d tr(X^T A X) / dX", D(sp.Trace(W.T * A * W), W), (A + A.T) * W, 2 * A * W),
    Pair("d tr(X^-1 A) / dX", D(sp.Trace(W.I * A), W), -(W.I * A * W.I).T, -W.I * A * W.I),
    Pair("quadratic form as a trace", (w.T * A * w)[0, 0], sp.Trace(A * w * w.T), sp.Trace(A) * (w.T * w)[0, 0]),
    Pair("det of a product", sp.Determinant(A * B), sp.Determinant(A) * sp.Determinant(B),
         sp.Determinant(A) + sp.Determinant(B)),
    Pair("Gaussian quadratic-form gradient in mu", D((u - mvec).T * S.I * (u - mvec), mvec),
         -2 * S.I * (u - mvec), -S.I * (u - mvec), {"positive_definite": [S]}),
    Pair("Gaussian NLL gradient in Sigma", D(sp.log(sp.Determinant(W)) + sp.Trace(W.I * M), W),
         W.I.T - (W.I * M * W.I).T, W.I - W.I * M * W.I),
    Pair("Frobenius norm as a trace", sp.Trace(A.T * A), sp.Sum(sp.Sum(A[i, j]**2, (i, 0, d - 1)), (j, 0, d - 1)),
         sp.Trace(A * A)),
    Pair("transpose of the inverse", A.I.T, A.T.I, A.I),
    Pair("least-squares Hessian", D(2 * Xm.T * (Xm * w - yv), w), 2 * Xm.T * Xm, Xm.T * Xm),
    Pair("d tr(W^T W) / dW", D(sp.Trace(W.T * W), W), 2 * W, W),
    Pair("push-through identity", (I_d + A * B).I * A, A * (I_d + B * A).I, A * (I_d + A * B).I),
    Pair("logistic-regression gradient (symml nodes)", D(symml.sum(symml.softplus(Xm * w)) - yv.T * Xm * w, w),
         Xm.T * (symml.sigmoid(Xm * w) - yv), Xm.T * (symml.sigmoid(Xm * w) + yv)),
]
