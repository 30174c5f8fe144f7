r"""120 claims and short chains typed as students type them in homework and notes: half true, half with the
slip students make (a dropped factor 2 or 1/2, a sign, a transpose, a missing n, the log of a sum split, ...).

Each claim names its source (a textbook equation, a course's notes, or a public page where the form was seen).
``python -m tests.checker.typed_claims_world`` runs them all through ``symml.check`` / ``symml.check_steps`` and
prints the table by category (true -> holds / undecided / wrong, false -> wrong / undecided / holds, crashes,
median and worst seconds); ``tests/checker/test_typed_claims_world.py`` holds the ones that pass.

A false claim's counterexample is checked by its ``oracle``: the claim's ``left - right`` evaluated with NumPy at
the counterexample's point (``{name: value}``, names as SymPy prints them, data ``x[1]``...), independently of
symml's reader.
"""
from __future__ import annotations

import math
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import sympy as sp

import symml
from symml.checker import StepStatus, VerdictKind
from symml.errors import SymmlError

N = sp.Symbol("n", integer=True, positive=True)
D = sp.Symbol("d", integer=True, positive=True)


def matrices(*names: str, rows: Any = N, cols: Any = N) -> dict[str, sp.MatrixSymbol]:
    return {name: sp.MatrixSymbol(name, rows, cols) for name in names}


def vectors(*names: str, size: Any = N) -> dict[str, sp.MatrixSymbol]:
    return matrices(*names, rows=size, cols=1)


@dataclass(frozen=True)
class Claim:
    """One typed claim: a string (one relation -> ``check``; a chain or a bound -> ``check_steps``) or a list of
    steps (``check_steps``)."""

    category: str
    holds: bool
    text: str | tuple[str, ...]
    source: str
    options: dict = field(default_factory=dict)
    oracle: Callable[[dict], Any] | None = None
    in_suite: bool = True  # decided fast enough for the test suite (test_typed_claims_world.py)

    @property
    def label(self) -> str:
        return self.text if isinstance(self.text, str) else " | ".join(self.text)


def Slow(*fields: Any, **options: Any) -> Claim:  # noqa: N802 -- reads as the Claim it makes
    """A claim decided too slowly for the test suite: measured by the runner only."""
    return Claim(*fields, **options, in_suite=False)


def _data(point: dict, name: str) -> np.ndarray:
    size = int(point["n"])
    return np.array([float(point[f"{name}[{i}]"]) for i in range(1, size + 1)])


def _f(point: dict, name: str) -> float:
    return float(point[name])


def _m(point: dict, name: str) -> np.ndarray:
    return np.array(point[name].tolist(), dtype=float)


def _solves(point: dict, condition: Callable[[float], float], name: str, claimed: float) -> float:
    """A step after a condition is wrong at a point where the condition holds and the claimed value differs."""
    value = _f(point, name)
    return 0.0 if abs(condition(value)) > 1e-9 * (1 + abs(value)) else claimed - value


def _violation(smaller: float, larger: float) -> float:
    """How far a bound ``smaller <= larger`` fails (0 where it holds)."""
    return max(0.0, smaller - larger)


def _quad(function: Callable[[float], float], low: float, high: float) -> float:
    from scipy.integrate import quad

    return quad(function, low, high)[0]


def _expectation(point: dict, function: Callable[..., Any]) -> float:
    """The expectation of ``function(X, Y, ...)`` under the finite law of a counterexample: ``E: P(outcome k)``
    and the values ``X(outcome k)`` (symml.checker.finite_laws), averaged here by NumPy."""
    outcomes = sorted(name for name in point if name.startswith("E: P(outcome"))
    weights = np.array([float(point[name]) for name in outcomes])
    variables = sorted({name.split("(")[0] for name in point if "(outcome" in name and not name.startswith("E:")})
    values = [np.array([float(point[f"{v}(outcome {k + 1})"]) for k in range(len(outcomes))]) for v in variables]
    return float(weights @ function(*values))


def _probability(point: dict, **events: bool) -> float:
    """The probability of ``events`` (``A=True``: A at the value the claim writes) under the joint law of a
    counterexample's cells ``P(A = A, B ≠ B)`` (symml.checker.finite_laws), summed here."""
    def holds(cell: str) -> bool:
        parts = dict(part.split(" ", 1) for part in cell[2:-1].split(", "))
        return all(parts[name].startswith("=") is value for name, value in events.items())

    return sum(float(value) for cell, value in point.items() if cell.startswith("P(") and holds(cell))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


CLAIMS: list[Claim] = [
    # ---- matrix calculus (Matrix Cookbook; cbjer/zettel vectorCalculusResults.md; fediskhakov/OptimCourse) ----
    Slow("matrix", True, r"\frac{\partial}{\partial \mathbf{x}} \mathbf{x}^T A \mathbf{x} = (A + A^T)\mathbf{x}",
          "cbjer/zettel _pages/202101161942_vectorCalculusResults.md; Matrix Cookbook (81)",
          dict(namespace={**matrices("A"), **vectors("x")})),
    Claim("matrix", False, r"\frac{\partial}{\partial \mathbf{x}} \mathbf{x}^T A \mathbf{x} = 2A\mathbf{x}",
          "the slip: 2Ax for a non-symmetric A (Matrix Cookbook (81) vs (85))",
          dict(namespace={**matrices("A"), **vectors("x")}),
          oracle=lambda p: (_m(p, "A") + _m(p, "A").T - 2 * _m(p, "A")) @ _m(p, "x")),
    Slow("matrix", True, r"\frac{\partial}{\partial \mathbf{x}} \mathbf{x}^T A \mathbf{x} = 2A\mathbf{x}",
          "Matrix Cookbook (85), A symmetric", dict(namespace={**matrices("A"), **vectors("x")}, symmetric=["A"])),
    Claim("matrix", True, r"\frac{\partial}{\partial X} \operatorname{tr}(AX) = A^T",
          "Matrix Cookbook (100)", dict(namespace=matrices("A", "X"))),
    Claim("matrix", False, r"\frac{\partial}{\partial X} \operatorname{tr}(AX) = A",
          "the slip: a dropped transpose (Matrix Cookbook (100))", dict(namespace=matrices("A", "X")),
          oracle=lambda p: _m(p, "A").T - _m(p, "A")),
    Claim("matrix", True, r"\frac{\partial}{\partial X}\operatorname{tr}(X^\top A X) = (A + A^\top) X",
          "Matrix Cookbook (107)", dict(namespace=matrices("A", "X"))),
    Claim("matrix", False, r"\frac{\partial}{\partial X}\operatorname{tr}(X^\top A X) = 2AX",
          "the slip: 2AX for a non-symmetric A (Matrix Cookbook (107))", dict(namespace=matrices("A", "X")),
          oracle=lambda p: (_m(p, "A").T - _m(p, "A")) @ _m(p, "X")),
    Claim("matrix", True, r"\frac{\partial \log\det(X)}{\partial X} = X^{-T}", "Matrix Cookbook (57)",
          dict(namespace=matrices("X"))),
    Claim("matrix", False, r"\frac{\partial \log\det(X)}{\partial X} = X^{-1}",
          "the slip: a dropped transpose (Matrix Cookbook (57))", dict(namespace=matrices("X")),
          oracle=lambda p: np.linalg.inv(_m(p, "X")).T - np.linalg.inv(_m(p, "X"))),
    Claim("matrix", True, r"(AB)^{-1} = B^{-1}A^{-1}", "Matrix Cookbook (2)", dict(namespace=matrices("A", "B"))),
    Claim("matrix", False, r"(AB)^{-1} = A^{-1}B^{-1}", "the slip: the order kept (Matrix Cookbook (2))",
          dict(namespace=matrices("A", "B")),
          oracle=lambda p: np.linalg.inv(_m(p, "A") @ _m(p, "B")) - np.linalg.inv(_m(p, "A")) @ np.linalg.inv(_m(p, "B"))),
    Claim("matrix", True, r"(AB)^\intercal = B^\intercal A^\intercal", "Matrix Cookbook (4)",
          dict(namespace=matrices("A", "B"))),
    Claim("matrix", False, r"(AB)' = A'B'", "the slip: the order kept, primes as transposes (econometrics notes)",
          dict(namespace=matrices("A", "B")),
          oracle=lambda p: (_m(p, "A") @ _m(p, "B")).T - _m(p, "A").T @ _m(p, "B").T),
    Claim("matrix", True, r"\nabla_\mathbf{w} \|X\mathbf{w} - \mathbf{y}\|_2^2 = 2X^\top(X\mathbf{w} - \mathbf{y})",
          "CS229 notes 1 (normal equations)", dict(namespace={**matrices("X", rows=N, cols=D), **vectors("w", size=D),
                                                              **vectors("y")})),
    Claim("matrix", False, r"\nabla_\mathbf{w} \|X\mathbf{w} - \mathbf{y}\|_2^2 = X^\top(X\mathbf{w} - \mathbf{y})",
          "the slip: a dropped 2 (CS229 notes 1)",
          dict(namespace={**matrices("X", rows=N, cols=D), **vectors("w", size=D), **vectors("y")}),
          oracle=lambda p: _m(p, "X").T @ (_m(p, "X") @ _m(p, "w") - _m(p, "y"))),
    Slow("matrix", True, r"\frac{\partial}{\partial \mathbf{w}} \left(\frac{1}{2}\|\mathbf{y} - X\mathbf{w}\|^2 + "
          r"\frac{\lambda}{2}\|\mathbf{w}\|^2\right) = X^T X \mathbf{w} - X^T\mathbf{y} + \lambda\mathbf{w}",
          "ridge regression gradient, ESL (3.44)",
          dict(namespace={**matrices("X", rows=N, cols=D), **vectors("w", size=D), **vectors("y")})),
    Slow("matrix", False, r"\frac{\partial}{\partial \mathbf{w}} \left(\frac{1}{2}\|\mathbf{y} - X\mathbf{w}\|^2 + "
          r"\frac{\lambda}{2}\|\mathbf{w}\|^2\right) = X^T X \mathbf{w} - X^T\mathbf{y} + 2\lambda\mathbf{w}",
          "the slip: the 1/2 of the penalty forgotten (ESL (3.44))",
          dict(namespace={**matrices("X", rows=N, cols=D), **vectors("w", size=D), **vectors("y")}),
          oracle=lambda p: -_f(p, "lambda") * _m(p, "w")),
    Claim("matrix", True, r"\det(A^{-1}) = \frac{1}{\det(A)}", "Matrix Cookbook (18)", dict(namespace=matrices("A"))),
    Claim("matrix", False, r"\det(A + B) = \det(A) + \det(B)", "the slip: det read as linear",
          dict(namespace=matrices("A", "B")),
          oracle=lambda p: np.linalg.det(_m(p, "A") + _m(p, "B")) - np.linalg.det(_m(p, "A")) - np.linalg.det(_m(p, "B"))),
    Claim("matrix", True, r"\mathbf{x}^\top A \mathbf{x} = \operatorname{tr}(A\mathbf{x}\mathbf{x}^\top)",
          "Matrix Cookbook (16): the trace trick", dict(namespace={**matrices("A"), **vectors("x")})),
    Claim("matrix", False, r"\mathrm{tr}(ABC) = \mathrm{tr}(BAC)", "the slip: a permutation that is not cyclic",
          dict(namespace=matrices("A", "B", "C")),
          oracle=lambda p: np.trace(_m(p, "A") @ _m(p, "B") @ _m(p, "C")) - np.trace(_m(p, "B") @ _m(p, "A") @ _m(p, "C"))),
    Slow("matrix", True, r"\mathrm{tr}(ABC) = \mathrm{tr}(CAB)", "Matrix Cookbook (16)",
          dict(namespace=matrices("A", "B", "C"))),

    # ---- gradients of losses ----
    Claim("loss gradient", True, "d/dw (y - w x)^2 = -2 x (y - w x)", "typed in plain text (the brief's example)"),
    Claim("loss gradient", False, "d/dw (y - w x)^2 = 2 x (y - w x)", "the slip: the inner derivative's sign",
          oracle=lambda p: -4 * _f(p, "x") * (_f(p, "y") - _f(p, "w") * _f(p, "x"))),
    Claim("loss gradient", True,
          r"\frac{\partial}{\partial w} \ln(1 + e^{-y(wx)}) = \frac{-yxe^{-y(wx)}}{1+e^{-y(wx)}}",
          "imathworks.com 'Derivative of logistic loss function' (the accepted answer)"),
    Claim("loss gradient", True,
          r"\frac{\partial}{\partial w}\log(1+e^{-ywx}) = \frac{-yxe^{-ywx}}{1+e^{-ywx}}",
          "the same typed without brackets (ywx read as one name made it 'Not equivalent')"),
    Claim("loss gradient", False,
          r"\frac{\partial}{\partial w} \log(1 + e^{-ywx}) = \frac{ywx e^{-ywx}}{1 + e^{-ywx}}",
          "the slip: a sign and a stray w (last session's undecided claim)",
          oracle=lambda p: (lambda y, w, x: -y * x * math.exp(-y * w * x) / (1 + math.exp(-y * w * x))
                            - y * w * x * math.exp(-y * w * x) / (1 + math.exp(-y * w * x)))(
              _f(p, "y"), _f(p, "w"), _f(p, "x"))),
    Slow("loss gradient", True, r"\frac{d}{dz}\sigma(z) = \sigma(z)(1-\sigma(z))",
          "stats.stackexchange.com/questions/258709 (comment: s' = s(1-s))"),
    Slow("loss gradient", False, r"\sigma'(z) = \sigma(z)(1+\sigma(z))", "the slip: a sign",
          oracle=lambda p: -2 * _sigmoid(_f(p, "z")) ** 2),
    Slow("loss gradient", True,
          r"\frac{\partial}{\partial z} \left(-y\log\sigma(z) - (1-y)\log(1-\sigma(z))\right) = \sigma(z) - y",
          "cross-entropy through the sigmoid, community.deeplearning.ai thread 146142"),
    Claim("loss gradient", False,
          r"\frac{\partial}{\partial z} \left(-y\log\sigma(z) - (1-y)\log(1-\sigma(z))\right) = y - \sigma(z)",
          "the slip: the sign of the gradient of a loss",
          oracle=lambda p: 2 * (_sigmoid(_f(p, "z")) - _f(p, "y"))),
    Claim("loss gradient", True,
          r"\frac{\partial}{\partial z_1}\left(-\log\frac{e^{z_1}}{e^{z_1}+e^{z_2}}\right) = \frac{e^{z_1}}{e^{z_1}+e^{z_2}} - 1",
          "softmax cross-entropy, CS231n notes"),
    Claim("loss gradient", False,
          r"\frac{\partial}{\partial z_1}\left(-\log\frac{e^{z_1}}{e^{z_1}+e^{z_2}}\right) = 1 - \frac{e^{z_1}}{e^{z_1}+e^{z_2}}",
          "the slip: a sign",
          oracle=lambda p: 2 * (math.exp(_f(p, "z_1")) / (math.exp(_f(p, "z_1")) + math.exp(_f(p, "z_2"))) - 1)),
    Claim("loss gradient", True, r"\tanh'(x) = 1 - \tanh^2(x)", "Goodfellow et al., Deep Learning 6.3.3"),
    Claim("loss gradient", False, r"\frac{d}{dx}\tanh x = 1 + \tanh^2 x", "the slip: a sign",
          oracle=lambda p: -2 * math.tanh(_f(p, "x")) ** 2),
    Slow("loss gradient", True,
          r"\frac{d}{dw} \frac{1}{2n}\sum_{i=1}^n (w x_i - y_i)^2 = \frac{1}{n}\sum_{i=1}^n (w x_i - y_i)x_i",
          "Andrew Ng's ML course, gradient descent for linear regression (no bias)"),
    Slow("loss gradient", False,
          r"\frac{d}{dw} \frac{1}{2n}\sum_{i=1}^n (w x_i - y_i)^2 = \sum_{i=1}^n (w x_i - y_i)x_i",
          "the slip: the 1/n dropped",
          oracle=lambda p: (1 / _f(p, "n") - 1) * np.sum((_f(p, "w") * _data(p, "x") - _data(p, "y")) * _data(p, "x"))),
    Slow("loss gradient", True,
          r"\nabla_{\mathbf{w}} \log(1+e^{-y\mathbf{w}^\top\mathbf{x}}) = -\frac{y\mathbf{x}}{1+e^{y\mathbf{w}^\top\mathbf{x}}}",
          "logistic loss with labels in {-1, 1}, math.techqa.club 'Gradient & Hessian for log sigmoid'",
          dict(namespace=vectors("w", "x"))),
    Claim("loss gradient", False,
          r"\nabla_{\mathbf{w}} \log(1+e^{-y\mathbf{w}^\top\mathbf{x}}) = \frac{y\mathbf{x}}{1+e^{y\mathbf{w}^\top\mathbf{x}}}",
          "the slip: a sign", dict(namespace=vectors("w", "x")),
          oracle=lambda p: -2 * _f(p, "y") * _m(p, "x") / (1 + math.exp(_f(p, "y") * (_m(p, "w").T @ _m(p, "x")).item()))),
    Claim("loss gradient", True, "d/dx log(sigmoid(x)) = 1 - sigmoid(x)", "typed in plain text"),
    Claim("loss gradient", False, "d/dx log(sigmoid(x)) = sigmoid(x)", "the slip: 1 - sigma forgotten",
          oracle=lambda p: 1 - 2 * _sigmoid(_f(p, "x"))),
    Claim("loss gradient", True, r"\frac{d}{d\lambda}(\lambda - k\log\lambda) = 1 - \frac{k}{\lambda}",
          "Poisson negative log-likelihood of one count"),
    Claim("loss gradient", False, r"\frac{d}{d\lambda}(\lambda - k\log\lambda) = 1 - k\lambda",
          "the slip: d log(lambda) read as lambda",
          oracle=lambda p: _f(p, "k") * _f(p, "lambda") - _f(p, "k") / _f(p, "lambda")),

    # ---- MLE and MAP ----
    Slow("MLE/MAP", True,
          r"\frac{\partial}{\partial\mu}\sum_{i=1}^n \frac{(x_i-\mu)^2}{2\sigma^2} = -\frac{1}{\sigma^2}\sum_{i=1}^n (x_i-\mu)",
          "normal MLE of the mean, MML book (8.2)"),
    Slow("MLE/MAP", False,
          r"\frac{\partial}{\partial\mu}\sum_{i=1}^n \frac{(x_i-\mu)^2}{2\sigma^2} = -\frac{1}{2\sigma^2}\sum_{i=1}^n (x_i-\mu)",
          "the slip: the 1/2 kept after differentiating a square",
          oracle=lambda p: -np.sum(_data(p, "x") - _f(p, "mu")) / (2 * _f(p, "sigma") ** 2)),
    Slow("MLE/MAP", True,
          r"\log\prod_{i=1}^n \frac{\lambda^{x_i}e^{-\lambda}}{x_i!} = \sum_{i=1}^n x_i\log\lambda - n\lambda - \sum_{i=1}^n\log x_i!",
          "Poisson log-likelihood, Wikipedia 'Poisson distribution' (parameter estimation)"),
    Slow("MLE/MAP", False,
          r"\log\prod_{i=1}^n \frac{\lambda^{x_i}e^{-\lambda}}{x_i!} = \sum_{i=1}^n x_i\log\lambda - \lambda - \sum_{i=1}^n\log x_i!",
          "the slip: the n of n lambda dropped",
          oracle=lambda p: -(_f(p, "n") - 1) * _f(p, "lambda")),
    Slow("MLE/MAP", True,
          r"\log\prod_{i=1}^n \frac{1}{\sqrt{2\pi\sigma^2}}e^{-\frac{(x_i-\mu)^2}{2\sigma^2}} = "
          r"-\frac{n}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_{i=1}^n (x_i-\mu)^2",
          "normal log-likelihood, PRML (1.54)"),
    Slow("MLE/MAP", False,
          r"\log\prod_{i=1}^n \frac{1}{\sqrt{2\pi\sigma^2}}e^{-\frac{(x_i-\mu)^2}{2\sigma^2}} = "
          r"-\frac{1}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_{i=1}^n (x_i-\mu)^2",
          "the slip: the n of the normalising constant dropped",
          oracle=lambda p: -(_f(p, "n") - 1) / 2 * math.log(2 * math.pi * _f(p, "sigma") ** 2)),
    Slow("MLE/MAP", True,
          r"\frac{d}{dw}\left[\sum_{i=1}^n \frac{(y_i - w x_i)^2}{2\sigma^2} + \frac{w^2}{2\tau^2}\right] = "
          r"-\frac{1}{\sigma^2}\sum_{i=1}^n (y_i - w x_i)x_i + \frac{w}{\tau^2}",
          "MAP with a Gaussian prior (ridge), Murphy PML1 11.3"),
    Slow("MLE/MAP", False,
          r"\frac{d}{dw}\left[\sum_{i=1}^n \frac{(y_i - w x_i)^2}{2\sigma^2} + \frac{w^2}{2\tau^2}\right] = "
          r"-\frac{1}{\sigma^2}\sum_{i=1}^n (y_i - w x_i)x_i + \frac{w}{2\tau^2}",
          "the slip: the prior's 1/2 kept",
          oracle=lambda p: _f(p, "w") / (2 * _f(p, "tau") ** 2)),
    Claim("MLE/MAP", True, (r"\ell(\lambda) = n\log\lambda - \lambda\sum_{i=1}^n x_i",
                            r"\frac{d\ell}{d\lambda} = \frac{n}{\lambda} - \sum_{i=1}^n x_i"),
          "exponential MLE, STAT 415 notes (Penn State) lesson 1.2"),
    Claim("MLE/MAP", False, (r"\ell(\lambda) = n\log\lambda - \lambda\sum_{i=1}^n x_i",
                             r"\frac{d\ell}{d\lambda} = \frac{1}{\lambda} - \sum_{i=1}^n x_i"),
          "the slip: the n of n log(lambda) dropped",
          oracle=lambda p: (_f(p, "n") - 1) / _f(p, "lambda")),
    Slow("MLE/MAP", True, (r"\sum_{i=1}^n (x_i - \mu) = 0", r"\hat\mu = \frac{1}{n}\sum_{i=1}^n x_i"),
          "normal MLE of the mean, the stationarity condition solved"),
    Slow("MLE/MAP", False, (r"\sum_{i=1}^n (x_i - \mu) = 0", r"\hat\mu = \frac{1}{n-1}\sum_{i=1}^n x_i"),
          "the slip: n - 1 for n",
          oracle=lambda p: _solves(p, lambda m: np.sum(_data(p, "x") - m), "mu", np.sum(_data(p, "x")) / (_f(p, "n") - 1))),
    Claim("MLE/MAP", True, (r"\frac{k + \alpha - 1}{p} - \frac{n - k + \beta - 1}{1-p} = 0",
                            r"\hat p = \frac{k+\alpha-1}{n+\alpha+\beta-2}"),
          "Beta-Bernoulli MAP, Murphy MLaPP 3.3.3.1"),
    Slow("MLE/MAP", False, (r"\frac{k + \alpha - 1}{p} - \frac{n - k + \beta - 1}{1-p} = 0",
                             r"\hat p = \frac{k+\alpha}{n+\alpha+\beta}"),
          "the slip: the posterior mean given as the mode",
          oracle=lambda p: _solves(p, lambda q: (_f(p, "k") + _f(p, "alpha") - 1) / q - (_f(p, "n") - _f(p, "k") + _f(p, "beta") - 1) / (1 - q), "p", (_f(p, "k") + _f(p, "alpha")) / (_f(p, "n") + _f(p, "alpha") + _f(p, "beta")))),
    Claim("MLE/MAP", True, (r"-\frac{n}{\sigma} + \frac{1}{\sigma^3}\sum_{i=1}^n (x_i-\mu)^2 = 0",
                            r"\hat\sigma^2 = \frac{1}{n}\sum_{i=1}^n (x_i-\mu)^2"),
          "normal MLE of the variance, Wikipedia 'Normal distribution' (estimation of parameters)"),
    Slow("MLE/MAP", False, (r"-\frac{n}{\sigma} + \frac{1}{\sigma^3}\sum_{i=1}^n (x_i-\mu)^2 = 0",
                             r"\hat\sigma^2 = \frac{1}{n-1}\sum_{i=1}^n (x_i-\mu)^2"),
          "the slip: the unbiased n - 1 given as the MLE",
          oracle=lambda p: _solves(p, lambda s: -_f(p, "n") / s + np.sum((_data(p, "x") - _f(p, "mu")) ** 2) / s ** 3, "sigma", math.sqrt(np.sum((_data(p, "x") - _f(p, "mu")) ** 2) / (_f(p, "n") - 1)))),
    Claim("MLE/MAP", True, r"\frac{d}{dp}\left(k\log p + (n-k)\log(1-p)\right) = \frac{k}{p} - \frac{n-k}{1-p}",
          "binomial MLE, CS229 problem set 1"),
    Claim("MLE/MAP", False, r"\frac{d}{dp}\left(k\log p + (n-k)\log(1-p)\right) = \frac{k}{p} + \frac{n-k}{1-p}",
          "the slip: the chain rule's -1 of log(1 - p)",
          oracle=lambda p: -2 * (_f(p, "n") - _f(p, "k")) / (1 - _f(p, "p"))),

    # ---- expectations, variances, KL, entropy ----
    Claim("expectation/KL", True, r"\mathrm{Var}(X) = \mathbb{E}[X^2] - (\mathbb{E}[X])^2", "Wasserman, All of Statistics 3.5"),
    Claim("expectation/KL", False, r"\mathrm{Var}(X) = \mathbb{E}[X^2] - \mathbb{E}[X]", "the slip: the square forgotten"),
    Slow("expectation/KL", True, r"\mathrm{Var}(X + Y) = \mathrm{Var}(X) + \mathrm{Var}(Y) + 2\mathrm{Cov}(X, Y)",
          "Wasserman, All of Statistics 3.13"),
    Slow("expectation/KL", False, r"\mathrm{Var}(X + Y) = \mathrm{Var}(X) + \mathrm{Var}(Y)",
          "the slip: the covariance dropped without independence",
          oracle=lambda p: 2 * (_expectation(p, lambda x, y: x * y)
                                - _expectation(p, lambda x, y: x) * _expectation(p, lambda x, y: y))),
    Slow("expectation/KL", False, r"\mathbb{E}[XY] = \mathbb{E}[X]\mathbb{E}[Y]",
          "the slip: an expectation of a product split without independence",
          oracle=lambda p: _expectation(p, lambda x, y: x * y)
          - _expectation(p, lambda x, y: x) * _expectation(p, lambda x, y: y)),
    Claim("expectation/KL", True, r"\mathbb{E}[aX + b] = a\mathbb{E}[X] + b", "linearity, Wasserman 3.11"),
    Slow("expectation/KL", True,
          r"\mathrm{KL}(\mathcal{N}(\mu_1,\sigma_1^2)\,\|\,\mathcal{N}(\mu_2,\sigma_2^2)) = "
          r"\log\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1-\mu_2)^2}{2\sigma_2^2} - \frac{1}{2}",
          "KL of two normal laws written without a variable (stats.stackexchange.com/questions/7440)"),
    Claim("expectation/KL", False,
          r"\mathrm{KL}(\mathcal{N}(\mu_1,\sigma_1^2)\,\|\,\mathcal{N}(\mu_2,\sigma_2^2)) = "
          r"\log\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1-\mu_2)^2}{\sigma_2^2} - \frac{1}{2}",
          "the slip: the 2 of 2 sigma_2^2 dropped",
          oracle=lambda p: -(_f(p, "sigma_1") ** 2 + (_f(p, "mu_1") - _f(p, "mu_2")) ** 2) / (2 * _f(p, "sigma_2") ** 2)),
    Slow("expectation/KL", True, r"\mathbb{E}_{x\sim\mathcal{N}(\mu,\sigma^2)}[x^2] = \mu^2 + \sigma^2",
          "the second moment of a normal law"),
    Slow("expectation/KL", False, r"\mathbb{E}_{x\sim\mathcal{N}(\mu,\sigma^2)}[x^2] = \mu^2 + \sigma",
          "the slip: sigma for sigma^2",
          oracle=lambda p: _f(p, "sigma") ** 2 - _f(p, "sigma")),
    Slow("expectation/KL", True,
          r"-\int_{-\infty}^{\infty} \mathcal{N}(x; \mu, \sigma^2)\log\mathcal{N}(x; \mu, \sigma^2)\,dx = \frac{1}{2}\log(2\pi e\sigma^2)",
          "the entropy of a normal law, Cover & Thomas (8.9)"),
    Slow("expectation/KL", False,
          r"-\int_{-\infty}^{\infty} \mathcal{N}(x; \mu, \sigma^2)\log\mathcal{N}(x; \mu, \sigma^2)\,dx = \log(2\pi e\sigma^2)",
          "the slip: the 1/2 dropped",
          oracle=lambda p: -0.5 * math.log(2 * math.pi * math.e * _f(p, "sigma") ** 2)),
    Claim("expectation/KL", True, r"\operatorname{Var}[2X] = 4\operatorname{Var}[X]", "Var(aX) = a^2 Var(X) at a = 2"),
    Claim("expectation/KL", False, r"\operatorname{Var}[2X] = 2\operatorname{Var}[X]", "the slip: a for a^2"),
    Slow("expectation/KL", True, r"\int_0^\infty x \lambda e^{-\lambda x}\,dx = \frac{1}{\lambda}",
          "the mean of an exponential law"),
    Slow("expectation/KL", False, r"\int_0^\infty x^2 \lambda e^{-\lambda x}\,dx = \frac{1}{\lambda^2}",
          "the slip: the second moment taken as the squared mean",
          oracle=lambda p: 1 / _f(p, "lambda") ** 2),
    Slow("expectation/KL", False, r"\mathbb{E}[\log X] = \log\mathbb{E}[X]", "the slip: Jensen's gap forgotten",
          oracle=lambda p: _expectation(p, np.log) - math.log(_expectation(p, lambda x: x))),
    Claim("expectation/KL", True, r"\mathbb{E}[(X - \mathbb{E}[X])^2] = \mathbb{E}[X^2] - \mathbb{E}[X]^2",
          "the variance identity written with nested expectations"),

    # ---- Bayes' rule and conjugate updates ----
    Claim("Bayes/conjugate", True, r"P(A \mid B) = \frac{P(B \mid A)P(A)}{P(B)}", "Bayes' rule"),
    Slow("Bayes/conjugate", False, r"P(A \mid B) = \frac{P(B \mid A)P(B)}{P(A)}", "the slip: the marginals swapped",
          oracle=lambda p: _probability(p, A=True, B=True) / _probability(p, B=True)
          - _probability(p, A=True, B=True) / _probability(p, A=True) * _probability(p, B=True) / _probability(p, A=True)),
    Slow("Bayes/conjugate", True,
          r"\theta^{k}(1-\theta)^{n-k}\theta^{\alpha-1}(1-\theta)^{\beta-1} = \theta^{\alpha+k-1}(1-\theta)^{\beta+n-k-1}",
          "Beta-Binomial posterior kernel, PRML (2.17)-(2.18)"),
    Slow("Bayes/conjugate", False,
          r"\theta^{k}(1-\theta)^{n-k}\theta^{\alpha-1}(1-\theta)^{\beta-1} = \theta^{\alpha+k}(1-\theta)^{\beta+n-k-1}",
          "the slip: a wrong conjugate update (the -1 dropped)",
          oracle=lambda p: (lambda t: t ** (_f(p, "alpha") + _f(p, "k") - 1) * (1 - t) ** (_f(p, "beta") + _f(p, "n") - _f(p, "k") - 1)
                            * (1 - t))(_f(p, "theta"))),
    Claim("Bayes/conjugate", True,
          r"\frac{\frac{\mu_0}{\sigma_0^2} + \frac{n\bar{x}}{\sigma^2}}{\frac{1}{\sigma_0^2}+\frac{n}{\sigma^2}} = "
          r"\frac{\sigma^2\mu_0 + n\sigma_0^2\bar{x}}{\sigma^2 + n\sigma_0^2}",
          "normal-normal posterior mean, PRML (2.141)"),
    Claim("Bayes/conjugate", False,
          r"\frac{\frac{\mu_0}{\sigma_0^2} + \frac{n\bar{x}}{\sigma^2}}{\frac{1}{\sigma_0^2}+\frac{n}{\sigma^2}} = "
          r"\frac{\sigma^2\mu_0 + \sigma_0^2\bar{x}}{\sigma^2 + n\sigma_0^2}",
          "the slip: the n of n x-bar dropped",
          oracle=lambda p: (_f(p, "n") - 1) * _f(p, "sigma_0") ** 2 * _f(p, "x_bar")
          / (_f(p, "sigma") ** 2 + _f(p, "n") * _f(p, "sigma_0") ** 2)),
    Slow("Bayes/conjugate", True,
          r"\lambda^{\sum_i x_i}e^{-n\lambda}\lambda^{\alpha-1}e^{-\beta\lambda} = \lambda^{\alpha+\sum_i x_i - 1}e^{-(\beta+n)\lambda}",
          "Gamma-Poisson posterior kernel, Murphy MLaPP exercise 3.6"),
    Claim("Bayes/conjugate", False,
          r"\lambda^{\sum_i x_i}e^{-n\lambda}\lambda^{\alpha-1}e^{-\beta\lambda} = \lambda^{\alpha+\sum_i x_i - 1}e^{-(\beta+1)\lambda}",
          "the slip: a wrong conjugate update (beta + 1 for beta + n)",
          oracle=lambda p: (lambda lam, total: lam ** (_f(p, "alpha") + total - 1) * (math.exp(-(_f(p, "beta") + _f(p, "n")) * lam) - math.exp(-(_f(p, "beta") + 1) * lam)))(_f(p, "lambda"), np.sum(_data(p, "x")))),
    Slow("Bayes/conjugate", True,
          r"P(Z = k \mid X = x) = \frac{P(X = x \mid Z = k)P(Z = k)}{\sum_{j=1}^K P(X = x \mid Z = j)P(Z = j)}",
          "GMM responsibilities, PRML (9.13)"),
    Slow("Bayes/conjugate", False,
          r"P(Z = k \mid X = x) = \frac{P(X = x \mid Z = k)P(Z = k)}{\sum_{j=1}^K P(X = x \mid Z = j)}",
          "the slip: the prior dropped from the evidence"),

    # ---- Lagrangians ----
    Claim("Lagrangian", True, (r"\mathcal{L}(x, y, \lambda) = x + y - \lambda(x^2 + y^2 - 1)",
                               r"\frac{\partial\mathcal{L}}{\partial x} = 1 - 2\lambda x"),
          "Lagrange multipliers, Khan Academy 'Lagrange multipliers, example'"),
    Claim("Lagrangian", False, (r"\mathcal{L}(x, y, \lambda) = x + y - \lambda(x^2 + y^2 - 1)",
                                r"\frac{\partial\mathcal{L}}{\partial x} = 1 - \lambda x"),
          "the slip: a dropped 2", oracle=lambda p: -_f(p, "lambda") * _f(p, "x")),
    Slow("Lagrangian", True,
          r"\nabla_{\mathbf{u}}\left(\mathbf{u}^\top S\mathbf{u} + \lambda(1 - \mathbf{u}^\top\mathbf{u})\right) = 2S\mathbf{u} - 2\lambda\mathbf{u}",
          "PCA by Lagrange multipliers, PRML (12.4)-(12.5)", dict(namespace={**matrices("S"), **vectors("u")}, symmetric=["S"])),
    Claim("Lagrangian", False,
          r"\nabla_{\mathbf{u}}\left(\mathbf{u}^\top S\mathbf{u} + \lambda(1 - \mathbf{u}^\top\mathbf{u})\right) = 2S\mathbf{u} - \lambda\mathbf{u}",
          "the slip: a dropped 2", dict(namespace={**matrices("S"), **vectors("u")}, symmetric=["S"]),
          oracle=lambda p: -_f(p, "lambda") * _m(p, "u")),
    Slow("Lagrangian", True,
          r"\frac{\partial}{\partial p_1}\left(-\sum_{k=1}^K p_k\log p_k + \lambda\left(\sum_{k=1}^K p_k - 1\right)\right) = -\log p_1 - 1 + \lambda",
          "maximum entropy distribution, Cover & Thomas 12.1"),
    Slow("Lagrangian", False,
          r"\frac{\partial}{\partial p_1}\left(-\sum_{k=1}^K p_k\log p_k + \lambda\left(\sum_{k=1}^K p_k - 1\right)\right) = -\log p_1 + \lambda",
          "the slip: the -1 of d(p log p) dropped",
          oracle=lambda p: -math.log(_f(p, "p[1]")) - 1 + _f(p, "lambda") - (-math.log(_f(p, "p[1]")) + _f(p, "lambda"))),
    Slow("Lagrangian", True,
          r"\frac{\partial}{\partial b}\left(\frac{1}{2}\|\mathbf{w}\|^2 - \sum_{i=1}^n \alpha_i (y_i(\mathbf{w}^\top\mathbf{x}_i + b) - 1)\right) = -\sum_{i=1}^n\alpha_i y_i",
          "SVM dual, CS229 notes 3 (the derivative in b)"),
    Slow("Lagrangian", False,
          r"\frac{\partial}{\partial b}\left(\frac{1}{2}\|\mathbf{w}\|^2 - \sum_{i=1}^n \alpha_i (y_i(\mathbf{w}^\top\mathbf{x}_i + b) - 1)\right) = -\sum_{i=1}^n\alpha_i",
          "the slip: the label y_i dropped"),

    # ---- inequalities ----
    Slow("inequality", True,
          r"\left(\sum_{i=1}^n a_i b_i\right)^2 \le \sum_{i=1}^n a_i^2 \sum_{i=1}^n b_i^2", "Cauchy-Schwarz"),
    Slow("inequality", False,
          r"\left(\sum_{i=1}^n a_i b_i\right)^2 \ge \sum_{i=1}^n a_i^2 \sum_{i=1}^n b_i^2", "the slip: reversed",
          oracle=lambda p: _violation(np.sum(_data(p, "a") ** 2) * np.sum(_data(p, "b") ** 2), np.sum(_data(p, "a") * _data(p, "b")) ** 2)),
    Claim("inequality", True, r"\frac{x^2 + y^2}{2} \ge xy", "AM-GM for two squares"),
    Slow("inequality", False, r"\frac{x^2 + y^2}{2} \le xy", "the slip: reversed",
          oracle=lambda p: _violation((_f(p, "x") ** 2 + _f(p, "y") ** 2) / 2, _f(p, "x") * _f(p, "y"))),
    Slow("inequality", True, r"\log\mathbb{E}_q[A] \ge \mathbb{E}_q[\log A]", "Jensen for the ELBO, Blei et al. 2017"),
    Slow("inequality", False, r"\log\mathbb{E}_q[A] \le \mathbb{E}_q[\log A]", "the slip: Jensen reversed"),
    Slow("inequality", True, r"e^x \ge 1 + x", "the tangent line bound"),
    Slow("inequality", False, r"e^x \le 1 + x", "the slip: reversed",
          oracle=lambda p: _violation(math.exp(_f(p, "x")), 1 + _f(p, "x"))),
    Slow("inequality", True,
          r"\frac{1}{n}\sum_{i=1}^n x_i^2 \ge \left(\frac{1}{n}\sum_{i=1}^n x_i\right)^2", "Jensen for the square"),
    Slow("inequality", False,
          r"\frac{1}{n}\sum_{i=1}^n x_i^2 \le \left(\frac{1}{n}\sum_{i=1}^n x_i\right)^2", "the slip: reversed",
          oracle=lambda p: _violation(np.mean(_data(p, "x") ** 2), np.mean(_data(p, "x")) ** 2)),
    Slow("inequality", True, r"|a + b| \le |a| + |b|", "the triangle inequality"),
    Slow("inequality", False, r"\sigma(z) > 1", "the slip: a sigmoid above 1",
          oracle=lambda p: _violation(1.0, _sigmoid(_f(p, "z")))),

    # ---- sums and products over data ----
    Slow("sum/product", True, r"\sum_{i=1}^n \left(x_i - \frac{1}{n}\sum_{j=1}^n x_j\right) = 0",
          "deviations from the mean sum to zero"),
    Slow("sum/product", False,
          r"\sum_{i=1}^n \left(x_i - \frac{1}{n}\sum_{j=1}^n x_j\right)^2 = \sum_{i=1}^n x_i^2 - \left(\sum_{i=1}^n x_i\right)^2",
          "the slip: the 1/n dropped",
          oracle=lambda p: (lambda x: np.sum((x - x.mean()) ** 2) - np.sum(x ** 2) + np.sum(x) ** 2)(_data(p, "x"))),
    Slow("sum/product", True,
          r"\sum_{i=1}^n \left(x_i - \frac{1}{n}\sum_{j=1}^n x_j\right)^2 = \sum_{i=1}^n x_i^2 - \frac{1}{n}\left(\sum_{i=1}^n x_i\right)^2",
          "the computational formula of the sum of squares"),
    Slow("sum/product", True, r"\log\prod_{i=1}^n \theta e^{-\theta x_i} = n\log\theta - \theta\sum_{i=1}^n x_i",
          "exponential log-likelihood"),
    Slow("sum/product", False, r"\log\prod_{i=1}^n \theta e^{-\theta x_i} = \log\theta - \theta\sum_{i=1}^n x_i",
          "the slip: a missing n",
          oracle=lambda p: (_f(p, "n") - 1) * math.log(_f(p, "theta"))),
    Slow("sum/product", False, r"\log\sum_{i=1}^n e^{x_i} = \sum_{i=1}^n x_i", "the slip: the log of a sum split",
          oracle=lambda p: math.log(np.sum(np.exp(_data(p, "x")))) - np.sum(_data(p, "x"))),
    Claim("sum/product", False, r"\log(a + b) = \log a + \log b", "the slip: the log of a sum split",
          oracle=lambda p: math.log(_f(p, "a") + _f(p, "b")) - math.log(_f(p, "a")) - math.log(_f(p, "b"))),
    Claim("sum/product", True, r"\sum_{i=1}^n c\,x_i = c\sum_{i=1}^n x_i", "a constant out of a sum"),
    Claim("sum/product", True, r"\prod_{i=1}^n e^{x_i} = e^{\sum_{i=1}^n x_i}", "a product of exponentials"),
    Claim("sum/product", False, r"\prod_{i=1}^n 2x_i = 2\prod_{i=1}^n x_i", "the slip: 2^n for 2",
          oracle=lambda p: (2 ** _f(p, "n") - 2) * np.prod(_data(p, "x"))),
    Slow("sum/product", True, r"\sum_{i=1}^n (a x_i + b) = a\sum_{i=1}^n x_i + nb", "a sum of an affine map"),
    Slow("sum/product", False, r"\sum_{i=1}^n (a x_i + b) = a\sum_{i=1}^n x_i + b", "the slip: a missing n",
          oracle=lambda p: (_f(p, "n") - 1) * _f(p, "b")),

    # ---- derivatives in vectors written \mathbf, \boldsymbol, \vec, with \top, ^T, ', \intercal ----
    Claim("vector notation", True, r"\nabla_{\boldsymbol{\theta}} \boldsymbol{\theta}^\top\boldsymbol{\theta} = 2\boldsymbol{\theta}",
          "the gradient of a squared norm", dict(namespace=vectors("theta"))),
    Claim("vector notation", False, r"\nabla_{\boldsymbol{\theta}} \boldsymbol{\theta}^\top\boldsymbol{\theta} = \boldsymbol{\theta}",
          "the slip: a dropped 2", dict(namespace=vectors("theta")), oracle=lambda p: _m(p, "theta")),
    Claim("vector notation", True, r"\frac{\partial}{\partial \vec{x}} (\vec{x}^{\intercal} \vec{b}) = \vec{b}",
          "ashwinreddy/wiki Mathematics/Vector-Calculus/Gradient.md", dict(namespace=vectors("x", "b"))),
    Claim("vector notation", False, r"\frac{\partial}{\partial \vec{x}} \vec{x}^\intercal B\vec{x} = 2B\vec{x}",
          "the slip: 2Bx for a non-symmetric B", dict(namespace={**vectors("x"), **matrices("B")}),
          oracle=lambda p: (_m(p, "B").T - _m(p, "B")) @ _m(p, "x")),
    Claim("vector notation", True, r"\frac{\partial}{\partial x}(x'Ax) = (A + A')x",
          "fediskhakov/OptimCourse problem_sets/epsilon2_formulation.md (primes as transposes)",
          dict(namespace={**vectors("x"), **matrices("A")})),
    Claim("vector notation", False, r"\frac{\partial}{\partial x}(x'Ax) = 2A'x", "the slip: 2A'x for a non-symmetric A",
          dict(namespace={**vectors("x"), **matrices("A")}),
          oracle=lambda p: (_m(p, "A") - _m(p, "A").T) @ _m(p, "x")),
    Claim("vector notation", True, (r"\mathbf{w} \in \mathbb{R}^d",
                                    r"\nabla_{\mathbf{w}} \frac{1}{2}\mathbf{w}^\top\mathbf{w} = \mathbf{w}"),
          "a vector declared in the notes, not in namespace="),
    Claim("vector notation", False, (r"\mathbf{w} \in \mathbb{R}^d",
                                     r"\nabla_{\mathbf{w}} \frac{1}{2}\mathbf{w}^\top\mathbf{w} = \frac{1}{2}\mathbf{w}"),
          "the slip: the 1/2 kept", oracle=lambda p: _m(p, "w") / 2),
    Claim("vector notation", True, r"\nabla_{\mathbf{x}} \|\mathbf{x} - \boldsymbol{\mu}\|^2 = 2(\mathbf{x} - \boldsymbol{\mu})",
          "k-means centroid update, CS229 notes 7a", dict(namespace=vectors("x", "mu"))),
    Claim("vector notation", False, r"\nabla_{\mathbf{x}} \|\mathbf{x} - \boldsymbol{\mu}\|^2 = 2(\boldsymbol{\mu} - \mathbf{x})",
          "the slip: a sign", dict(namespace=vectors("x", "mu")),
          oracle=lambda p: 4 * (_m(p, "x") - _m(p, "mu"))),
    Slow("vector notation", True,
          r"\frac{\partial}{\partial\boldsymbol{\mu}}(\mathbf{x}-\boldsymbol{\mu})^\top\Sigma^{-1}(\mathbf{x}-\boldsymbol{\mu}) = -2\Sigma^{-1}(\mathbf{x}-\boldsymbol{\mu})",
          "multivariate normal MLE of the mean, Matrix Cookbook (86)",
          dict(namespace={**vectors("x", "mu"), **matrices("Sigma")}, symmetric=["Sigma"])),
    Claim("vector notation", False,
          r"\frac{\partial}{\partial\boldsymbol{\mu}}(\mathbf{x}-\boldsymbol{\mu})^\top\Sigma^{-1}(\mathbf{x}-\boldsymbol{\mu}) = 2\Sigma^{-1}(\mathbf{x}-\boldsymbol{\mu})",
          "the slip: the inner derivative's sign",
          dict(namespace={**vectors("x", "mu"), **matrices("Sigma")}, symmetric=["Sigma"]),
          oracle=lambda p: -4 * np.linalg.solve(_m(p, "Sigma"), _m(p, "x") - _m(p, "mu"))),
    Slow("vector notation", True,
          r"\nabla_\mathbf{w} \sum_{i=1}^n (y_i - \mathbf{w}^\top\mathbf{x}_i)^2 = -2\sum_{i=1}^n (y_i - \mathbf{w}^\top\mathbf{x}_i)\mathbf{x}_i",
          "least squares written over the data, nonlinear-regression notes"),
    Slow("vector notation", False,
          r"\nabla_\mathbf{w} \sum_{i=1}^n (y_i - \mathbf{w}^\top\mathbf{x}_i)^2 = -2\sum_{i=1}^n (y_i - \mathbf{w}^\top\mathbf{x}_i)",
          "the slip: the x_i of the chain rule dropped",
          oracle=lambda p: (lambda r: -2 * np.sum(r * _data(p, "x")) + 2 * np.sum(r))(
              _data(p, "y") - np.asarray(p["w"], dtype=float).item() * _data(p, "x"))),

    # ---- plain text ----
    Claim("plain text", True, "d/dx x^2 e^x = (2x + x^2) e^x", "typed in plain text"),
    Claim("plain text", False, "d/dx x^2 exp(x) = 2x exp(x)", "the slip: the product rule forgotten",
          oracle=lambda p: _f(p, "x") ** 2 * math.exp(_f(p, "x"))),
    Slow("plain text", True, "log(a*b) = log(a) + log(b)", "typed in plain text"),
    Claim("plain text", False, "log(a + b) = log(a) * log(b)", "the slip: the log of a sum",
          oracle=lambda p: math.log(_f(p, "a") + _f(p, "b")) - math.log(_f(p, "a")) * math.log(_f(p, "b"))),
    Claim("plain text", True, "(a+b)^2 = a^2 + 2ab + b^2", "typed in plain text"),
    Claim("plain text", False, "(a-b)^2 = a^2 - b^2", "the slip: the cross term",
          oracle=lambda p: (_f(p, "a") - _f(p, "b")) ** 2 - _f(p, "a") ** 2 + _f(p, "b") ** 2),
    Claim("plain text", True, "d/dtheta (theta - x)^2 / 2 = theta - x", "typed in plain text"),
    Claim("plain text", False, "d/dtheta (x - theta)^2 = 2(x - theta)", "the slip: the inner derivative's sign",
          oracle=lambda p: -4 * (_f(p, "x") - _f(p, "theta"))),
    Claim("plain text", True, "exp(a) * exp(b) = exp(a + b)", "typed in plain text"),
    Claim("plain text", False, "exp(a + b) = exp(a) + exp(b)", "the slip: exp read as linear",
          oracle=lambda p: math.exp(_f(p, "a") + _f(p, "b")) - math.exp(_f(p, "a")) - math.exp(_f(p, "b"))),

    # ---- chains of 2-5 steps ----
    Claim("chain", True, r"\frac{d}{dx} x e^{x} = e^x + x e^x = (1+x)e^x", "the product rule in two steps"),
    Claim("chain", False, r"\frac{d}{dx} x e^{x} = e^x + x e^x = (1+2x)e^x", "the slip: a factor in the last step",
          oracle=lambda p: -_f(p, "x") * math.exp(_f(p, "x"))),
    Claim("chain", True, r"\frac{d}{dz}\log\sigma(z) = \frac{\sigma(z)(1-\sigma(z))}{\sigma(z)} = 1 - \sigma(z)",
          "the log-sigmoid's derivative"),
    Claim("chain", False, r"\frac{d}{dz}\log\sigma(z) = \frac{\sigma(z)(1-\sigma(z))}{\sigma(z)} = \sigma(z)",
          "the slip: the cancellation", oracle=lambda p: 1 - 2 * _sigmoid(_f(p, "z"))),
    Claim("chain", True,
          r"\mathbb{E}[(X - \mu)^2] = \mathbb{E}[X^2 - 2\mu X + \mu^2] = \mathbb{E}[X^2] - 2\mu\mathbb{E}[X] + \mu^2",
          "expanding the variance"),
    Claim("chain", False,
          r"\mathbb{E}[(X - \mu)^2] = \mathbb{E}[X^2 - 2\mu X + \mu^2] = \mathbb{E}[X^2] - \mu\mathbb{E}[X] + \mu^2",
          "the slip: a dropped 2"),
    Slow("chain", True, r"\int_0^\infty \frac{1}{y\sqrt{2\pi}}e^{-\frac{(\log y)^2}{2}}\,dy = 1",
          "the log-normal density after the change of variables y = e^x"),
    Slow("chain", False, r"\int_0^\infty \frac{1}{\sqrt{2\pi}}e^{-\frac{(\log y)^2}{2}}\,dy = 1",
          "the slip: the Jacobian 1/y of the change of variables forgotten (the integral is e^{1/2})",
          oracle=lambda p: _quad(lambda y: math.exp(-math.log(y) ** 2 / 2) / math.sqrt(2 * math.pi), 0, math.inf) - 1),
    Slow("chain", True, r"\int_0^\infty \frac{\lambda}{2} e^{-\lambda y/2}\,dy = 1",
          "the density of Y = 2X for X ~ Exp(lambda)"),
    Slow("chain", False, r"\int_0^\infty \lambda e^{-\lambda y/2}\,dy = 1",
          "the slip: the Jacobian 1/2 of y = 2x forgotten",
          oracle=lambda p: 1.0),
]


# ---- measuring ----

def outcome(claim: Claim) -> tuple[str, Any]:
    """``("holds" | "wrong" | "undecided" | "crash", detail)``; detail is the counterexample of a wrong claim."""
    try:
        if isinstance(claim.text, str) and _relations(claim.text) == 1:
            verdict = symml.check(claim.text, **claim.options)
            if verdict.kind.holds:
                return "holds", verdict
            if verdict.kind is VerdictKind.NOT_EQUIVALENT:
                return "wrong", verdict.counterexample
            return "undecided", verdict.reason
        steps = [claim.text] if isinstance(claim.text, str) else list(claim.text)
        report = symml.check_steps(steps, **claim.options)
    except SymmlError as error:
        return "undecided", f"{type(error).__name__}: {error}"
    except Exception as error:  # noqa: BLE001 -- a crash is what is measured
        return "crash", f"{type(error).__name__}: {error}"
    if report.first_wrong is not None:
        return "wrong", report.first_wrong.counterexample
    judged = [c for c in report.checks if c.status in (StepStatus.HOLDS, StepStatus.UNCHECKED, StepStatus.UNDECIDED)]
    if judged and all(c.status is StepStatus.HOLDS for c in judged):
        return "holds", report
    return "undecided", "; ".join(f"{c.label} {c.status.value}: {c.note}" for c in judged) or "nothing checked"


def _relations(text: str) -> int:
    import re

    bounds = re.findall(r"\\le\b|\\ge\b|\\leq\b|\\geq\b|[<>]", text)
    return len(re.findall(r"(?<![<>!\\])=", text)) + 2 * len(bounds)  # a bound is checked by check_steps


def point_of(counterexample: Any) -> dict:
    return {str(name): value for name, value in counterexample.values}


def confirmed(claim: Claim, counterexample: Any) -> bool | None:
    """Is the counterexample one, by the claim's oracle (None: no oracle)?"""
    if claim.oracle is None or counterexample is None:
        return None
    try:
        difference = np.asarray(claim.oracle(point_of(counterexample)), dtype=float)
    except (KeyError, ValueError, TypeError):  # the point is not in the oracle's names
        return False
    return bool(np.max(np.abs(difference)) > 1e-9)


def measure(claims: list[Claim]) -> list[tuple[Claim, str, Any, float]]:
    rows = []
    for claim in claims:
        start = time.perf_counter()
        result, detail = outcome(claim)
        rows.append((claim, result, detail, time.perf_counter() - start))
    return rows


def table(rows: list[tuple[Claim, str, Any, float]]) -> str:
    categories = sorted({claim.category for claim, *_ in rows}, key=[c.category for c, *_ in rows].index)
    lines = [f"{'category':16} {'true: holds/undec/WRONG':>24} {'false: wrong/undec/HOLDS':>25} {'crash':>6}"]
    for category in [*categories, "all"]:
        mine = [r for r in rows if category in ("all", r[0].category)]
        true = [r[1] for r in mine if r[0].holds]
        false = [r[1] for r in mine if not r[0].holds]
        lines.append(f"{category:16} {true.count('holds'):>10}/{true.count('undecided')}/{true.count('wrong'):<10} "
                     f"{false.count('wrong'):>11}/{false.count('undecided')}/{false.count('holds'):<10} "
                     f"{sum(r[1] == 'crash' for r in mine):>5}")
    times = [r[3] for r in rows]
    lines.append(f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s")
    return "\n".join(lines)


if __name__ == "__main__":
    selected = [c for c in CLAIMS if len(sys.argv) < 2 or sys.argv[1] in c.category]
    measured = measure(selected)
    for claim, result, detail, seconds in measured:
        expected = "holds" if claim.holds else "wrong"
        check = ""
        if result == "wrong" and not claim.holds:
            check = {None: " (no oracle)", True: " (confirmed)", False: " (NOT A COUNTEREXAMPLE)"}[confirmed(claim, detail)]
        mark = "ok " if result == expected else "-- "
        print(f"{mark}{seconds:5.2f}s {result:9} {claim.category:15} {claim.label[:110]}{check}")
        if result == "wrong" and detail is not None and check != " (confirmed)":
            print(f"        at {point_of(detail)}"[:400])
        if result != expected:
            print(f"        {str(detail)[:300]}")
    print(f"{sum(c.holds for c in selected)} true, {sum(not c.holds for c in selected)} false")
    print(table(measured))
