"""The loss library's test cases: each loss built by symml, its unknown, its hand-written oracle and random inputs.

A case's ``sample(rng, n, d)`` draws every input by name (the unknown included, vectors 1-D), with columns of X
scaled over two orders of magnitude so that ill-scaled inputs are covered. ``margin(inputs)`` is the distance of
the point to the nearest kink of a non-smooth loss (finite differences are only meaningful away from it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

import symml
from symml import losses
from symml.testing import random_spd
from tests.losses import oracles

n, d, k = symml.dims("n d k")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
W, Y = symml.matrix("W", d, k), symml.matrix("Y", n, k)
mu = symml.vector("mu", d)
Sigma = symml.matrix("Sigma", d, d, symmetric=True)
Lambda = symml.matrix("Lambda", d, d, symmetric=True)
lam, delta = sp.Symbol("lambda", positive=True), sp.Symbol("delta", positive=True)

Inputs = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One loss under test.

    Attributes:
        loss: the loss symml builds. wrt: its unknown.
        oracle: the name of the hand-written loss in :mod:`oracles`; ``<derivatives>_gradient`` and, where written,
            ``<derivatives>_hessian`` are its derivatives (``derivatives`` defaults to ``oracle``); all take
            ``arguments`` in order.
        sample: random inputs by name. margin: distance to the nearest kink (None for smooth losses).
    """

    loss: Any
    wrt: sp.MatrixSymbol
    oracle: str
    arguments: tuple[str, ...]
    sample: Callable[[np.random.Generator, int, int], Inputs]
    margin: Callable[[Inputs], float] | None = None
    derivatives: str = ""

    def _function(self, suffix: str) -> Callable[..., Any] | None:
        return getattr(oracles, self.oracle if not suffix else (self.derivatives or self.oracle) + suffix, None)

    def call(self, suffix: str, inputs: Inputs, **replace: Any) -> Any:
        """The oracle ``suffix`` ("" for the loss, "_gradient", "_hessian") at ``inputs`` with ``replace`` applied."""
        values = {**inputs, **replace}
        function = self._function(suffix)
        assert function is not None, f"no oracle {suffix!r} for {self.oracle}"
        return function(*(values[a] for a in self.arguments))

    def has_oracle(self, suffix: str) -> bool:
        return self._function(suffix) is not None


def _design(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    return rng.standard_normal((n, d)) * 10.0 ** rng.uniform(-1.0, 1.0, d) / np.sqrt(d)


def _regression(targets: Callable[[np.random.Generator, int], np.ndarray], **scalars: tuple[float, float]):
    def sample(rng: np.random.Generator, n: int, d: int) -> Inputs:
        design = _design(rng, n, d)
        weights = rng.standard_normal(d)
        # keep the linear predictor of moderate size, so that exp(Xw) stays in range for Poisson
        weights /= max(1.0, float(np.max(np.abs(design @ weights))) / 3.0)
        inputs = {"X": design, "w": weights, "y": targets(rng, n)}
        inputs.update({name: float(rng.uniform(low, high)) for name, (low, high) in scalars.items()})
        return inputs

    return sample


def _real(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.standard_normal(n)


def _binary(rng: np.random.Generator, n: int) -> np.ndarray:
    return (rng.random(n) < 0.5).astype(float)


def _signs(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.where(rng.random(n) < 0.5, -1.0, 1.0)


def _counts(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.poisson(1.5, n).astype(float)


def _classification(rng: np.random.Generator, n: int, d: int) -> Inputs:
    classes = n % 3 + 2
    return {"X": _design(rng, n, d), "W": rng.standard_normal((d, classes)),
            "Y": np.eye(classes)[rng.integers(classes, size=n)]}


def _gaussian(unknown: str):
    def sample(rng: np.random.Generator, n: int, d: int) -> Inputs:
        data = rng.standard_normal((n + d, d)) @ np.linalg.cholesky(random_spd(rng, d)).T + rng.standard_normal(d)
        covariance = random_spd(rng, d)
        second = np.linalg.inv(covariance) if unknown == "Lambda" else covariance
        return {"X": data, "mu": rng.standard_normal(d), unknown: second}

    return sample


def _lasso_margin(inputs: Inputs) -> float:
    return float(np.min(np.abs(inputs["w"])))


def _huber_margin(inputs: Inputs) -> float:
    return float(np.min(np.abs(np.abs(inputs["X"] @ inputs["w"] - inputs["y"]) - inputs["delta"])))


def _hinge_margin(inputs: Inputs) -> float:
    return float(np.min(np.abs(1 - inputs["y"] * (inputs["X"] @ inputs["w"]))))


_XWY = ("X", "w", "y")

CASES: dict[str, Case] = {
    "least_squares": Case(losses.least_squares(X, w, y), w, "least_squares", _XWY, _regression(_real)),
    "mse": Case(losses.mse(X, w, y), w, "mse", _XWY, _regression(_real)),
    "ridge": Case(losses.ridge(X, w, y, lam), w, "ridge", (*_XWY, "lambda"),
                  _regression(_real, **{"lambda": (0.1, 3)})),
    "lasso": Case(losses.lasso(X, w, y, lam), w, "lasso", (*_XWY, "lambda"), _regression(_real, **{"lambda": (0.1, 3)}),
                  margin=_lasso_margin),
    "huber": Case(losses.huber(X, w, y, delta), w, "huber", (*_XWY, "delta"), _regression(_real, delta=(0.3, 1.5)),
                  margin=_huber_margin),
    "logistic": Case(losses.logistic(X, w, y), w, "logistic", _XWY, _regression(_binary)),
    "hinge": Case(losses.hinge(X, w, y), w, "hinge", _XWY, _regression(_signs), margin=_hinge_margin),
    "poisson_regression": Case(losses.poisson_regression(X, w, y), w, "poisson_regression", _XWY, _regression(_counts)),
    "softmax_cross_entropy": Case(losses.softmax_cross_entropy(X, W, Y), W, "softmax_cross_entropy",
                                  ("X", "W", "Y"), _classification),
    "gaussian_nll_mu": Case(losses.gaussian_nll(X, mu, Sigma), mu, "gaussian_nll", ("X", "mu", "Sigma"),
                            _gaussian("Sigma"), derivatives="gaussian_nll_mu"),
    "gaussian_nll_Sigma": Case(losses.gaussian_nll(X, mu, Sigma), Sigma, "gaussian_nll", ("X", "mu", "Sigma"),
                               _gaussian("Sigma"), derivatives="gaussian_nll_sigma"),
    "gaussian_nll_precision": Case(losses.gaussian_nll(X, mu, Lambda, precision=True), Lambda,
                                   "gaussian_nll_precision", ("X", "mu", "Lambda"), _gaussian("Lambda")),
}
