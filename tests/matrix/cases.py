"""The coverage list as test cases: each a symml expression and the same function written by hand in NumPy.

The hand-written functions are the independent oracle: gradients and Hessians derived by the engine are
compared with finite differences of *these*, so a bug shared by the engine and its NumPy export cannot hide.
Vectors are columns (k, 1); square matrices are drawn near the identity (invertible, positive determinant);
symmetric ones positive definite.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import sympy as sp
from scipy.special import expit, logsumexp, softmax

import symml
from symml.testing import random_matrix

n, d, k = symml.dims("n d k")
X = symml.matrix("X", n, d)
W = symml.matrix("W", k, d)
A = symml.matrix("A", d, d)
B = symml.matrix("B", d, d)
S = symml.matrix("S", d, d, symmetric=True)
Sigma = symml.matrix("Sigma", d, d, symmetric=True)
w, v, b = symml.vector("w", d), symml.vector("v", d), symml.vector("b", d)
y = symml.vector("y", n)
Y = symml.matrix("Y", n, k)
lam = sp.Symbol("lam", positive=True)


@dataclass(frozen=True)
class Case:
    """A scalar function of ``wrt``, as a symml expression and as hand-written NumPy."""

    name: str
    expr: Any
    wrt: Any
    numpy: Callable[[dict], float]
    positive: tuple[str, ...] = ()  # inputs drawn positive (domain of log, sqrt)
    smooth: bool = True
    extra: dict = field(default_factory=dict)  # scalar parameters


def _softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)


CASES = [
    Case("least squares", symml.sq_norm(X @ w - y), w, lambda a: np.sum((a["X"] @ a["w"] - a["y"]) ** 2)),
    Case("ridge", symml.sq_norm(X @ w - y) + lam * symml.sq_norm(w), w,
         lambda a: np.sum((a["X"] @ a["w"] - a["y"]) ** 2) + a["lam"] * np.sum(a["w"] ** 2), extra={"lam": 0.7}),
    Case("logistic", symml.sum(symml.softplus(X @ w)) - y.T @ X @ w, w,
         lambda a: np.sum(_softplus(a["X"] @ a["w"])) - (a["y"].T @ a["X"] @ a["w"]).item()),
    Case("sigmoid", symml.sum(symml.sigmoid(X @ w)), w, lambda a: np.sum(expit(a["X"] @ a["w"]))),
    Case("exp", symml.sum(symml.exp(X @ w)), w, lambda a: np.sum(np.exp(a["X"] @ a["w"]))),
    Case("log", symml.sum(symml.log(X @ w)), w, lambda a: np.sum(np.log(a["X"] @ a["w"])), positive=("X", "w")),
    Case("tanh", symml.sum(symml.tanh(X @ w)), w, lambda a: np.sum(np.tanh(a["X"] @ a["w"]))),
    Case("sqrt", symml.sum(symml.sqrt(X @ w)), w, lambda a: np.sum(np.sqrt(a["X"] @ a["w"])), positive=("X", "w")),
    Case("power", symml.sum(symml.power(X @ w, 3)), w, lambda a: np.sum((a["X"] @ a["w"]) ** 3)),
    Case("abs (subgradient)", symml.sum(symml.abs(X @ w - y)), w,
         lambda a: np.sum(np.abs(a["X"] @ a["w"] - a["y"])), smooth=False),
    Case("relu (subgradient)", symml.sum(symml.relu(X @ w)), w,
         lambda a: np.sum(np.maximum(a["X"] @ a["w"], 0)), smooth=False),
    Case("maximum (subgradient)", symml.sum(symml.maximum(X @ w, y)), w,
         lambda a: np.sum(np.maximum(a["X"] @ a["w"], a["y"])), smooth=False),
    Case("L1 norm (subgradient)", symml.norm(w, 1), w, lambda a: np.sum(np.abs(a["w"])), smooth=False),
    Case("L2 norm", symml.norm(X @ w - y), w, lambda a: np.linalg.norm(a["X"] @ a["w"] - a["y"])),
    Case("Frobenius norm", symml.norm(W, "fro"), W, lambda a: np.linalg.norm(a["W"])),
    Case("mean", symml.mean(symml.power(X @ w - y, 2)), w, lambda a: np.mean((a["X"] @ a["w"] - a["y"]) ** 2)),
    Case("hadamard", symml.sum(symml.hadamard(X @ w, symml.exp(X @ w))), w,
         lambda a: np.sum((a["X"] @ a["w"]) * np.exp(a["X"] @ a["w"]))),
    Case("quadratic form", w.T @ A @ w, w, lambda a: (a["w"].T @ a["A"] @ a["w"]).item()),
    Case("transpose", symml.trace(A.T @ B @ A), A, lambda a: np.trace(a["A"].T @ a["B"] @ a["A"])),
    Case("trace of inverse", symml.trace(symml.inv(A)), A, lambda a: np.trace(np.linalg.inv(a["A"]))),
    Case("inverse quadratic", b.T @ symml.inv(A) @ b, A, lambda a: (a["b"].T @ np.linalg.solve(a["A"], a["b"])).item()),
    Case("determinant", symml.det(A), A, lambda a: np.linalg.det(a["A"])),
    Case("log determinant", symml.logdet(A), A, lambda a: np.linalg.slogdet(a["A"])[1]),
    Case("matrix power", symml.trace(A @ A @ A), A, lambda a: np.trace(a["A"] @ a["A"] @ a["A"])),
    Case("kronecker", symml.trace(symml.kron(A, B @ A)), A, lambda a: np.trace(np.kron(a["A"], a["B"] @ a["A"]))),
    Case("kronecker sum", symml.sum(symml.kron(A, A)), A, lambda a: np.sum(np.kron(a["A"], a["A"]))),
    Case("diag", symml.sum(symml.diag(w) @ X.T @ X @ w), w,
         lambda a: np.sum(np.diagflat(a["w"]) @ a["X"].T @ a["X"] @ a["w"])),
    Case("diagonal of a matrix", symml.sum(symml.exp(symml.diag(A))), A, lambda a: np.sum(np.exp(np.diag(a["A"])))),
    Case("softmax cross-entropy", -(y.T @ symml.log(symml.softmax(X @ w))), w,
         lambda a: -(a["y"].T @ np.log(softmax(a["X"] @ a["w"], axis=0))).item()),
    Case("log-sum-exp", symml.logsumexp(X @ w), w, lambda a: logsumexp(a["X"] @ a["w"])),
    Case("log-sum-exp along rows", symml.sum(symml.logsumexp(X @ W.T, axis=1)) - symml.trace(Y.T @ X @ W.T), W,
         lambda a: np.sum(logsumexp(a["X"] @ a["W"].T, axis=1)) - np.trace(a["Y"].T @ a["X"] @ a["W"].T)),
    Case("softmax along rows", -symml.sum(symml.hadamard(Y, symml.log(symml.softmax(X @ W.T, axis=1)))), W,
         lambda a: -np.sum(a["Y"] * np.log(softmax(a["X"] @ a["W"].T, axis=1)))),
    Case("log-sum-exp down columns", symml.sum(symml.logsumexp(X @ W.T, axis=0)), W,
         lambda a: np.sum(logsumexp(a["X"] @ a["W"].T, axis=0))),
    Case("softmax regression (matrix)", symml.sum(symml.softplus(X @ W.T)), W,
         lambda a: np.sum(_softplus(a["X"] @ a["W"].T))),
    Case("Gaussian NLL in Sigma", n * symml.logdet(Sigma) + symml.trace(symml.inv(Sigma) @ S), Sigma,
         lambda a: a["n"] * np.linalg.slogdet(a["Sigma"])[1] + np.trace(np.linalg.solve(a["Sigma"], a["S"])),
         extra={"n": 7}),
    Case("plain SymPy log det", sp.log(sp.Determinant(A)), A, lambda a: np.linalg.slogdet(a["A"])[1]),
]


def draw(case: Case, sizes: dict, rng: np.random.Generator) -> dict:
    """Random inputs for a case at the given sizes (a dict from dimension symbol to int)."""
    values: dict = dict(case.extra)
    symbols = sorted(case.expr.atoms(sp.MatrixSymbol), key=lambda s: s.name)
    for symbol in symbols:
        shape = tuple(int(sp.sympify(dim).subs(sizes)) for dim in symbol.shape)
        values[symbol.name] = random_matrix(symbol, shape, rng, positive=symbol.name in case.positive)
    return values
