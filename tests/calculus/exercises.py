"""The test oracle: named scalar losses and calculus exercises, each with its function written in NumPy by hand.

The derivatives are never written here: tests compare symml's derived ones with finite differences of these
NumPy functions. Each case gives the variables' ranges where the function is defined and smooth enough.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp

x, y, z, t = sp.symbols("x y z t", real=True)
mu, s, target = sp.symbols("mu s y", real=True)
delta = sp.Symbol("delta", positive=True)
u = sp.Symbol("u", positive=True)


def sigmoid(a):
    return 1 / (1 + sp.exp(-a))


@dataclass(frozen=True)
class Case:
    name: str
    expr: sp.Expr
    wrt: tuple
    numpy: Callable[..., float]  # the function of the wrt values (then the fixed parameters), by hand
    low: float = -3.0
    high: float = 3.0
    fixed: tuple = ()  # values of the other symbols, in the order numpy takes them after wrt
    kinks: tuple = ()  # where the first variable's derivative jumps: points are drawn away from them


LOSSES = [
    Case("binary cross-entropy w.r.t. the logit",
         -target * sp.log(sigmoid(z)) - (1 - target) * sp.log(1 - sigmoid(z)), (z,),
         lambda z, y: y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z), fixed=(0.3,)),
    Case("sigmoid", sigmoid(z), (z,), lambda z: 1 / (1 + np.exp(-z))),
    Case("softplus", sp.log(1 + sp.exp(z)), (z,), lambda z: np.logaddexp(0, z)),
    Case("Huber", sp.Piecewise((z**2 / 2, sp.Abs(z) <= delta), (delta * (sp.Abs(z) - delta / 2), True)), (z,),
         lambda z, d: np.where(abs(z) <= d, z**2 / 2, d * (abs(z) - d / 2)), fixed=(1.0,), kinks=(-1.0, 1.0)),
    Case("VAE Gaussian KL w.r.t. (mu, s)", -(1 + s - mu**2 - sp.exp(s)) / 2, (mu, s),
         lambda m, s: -(1 + s - m**2 - np.exp(s)) / 2),
    Case("Gaussian NLL w.r.t. (mu, s)", (x - mu)**2 / (2 * sp.exp(s)) + s / 2 + sp.log(2 * sp.pi) / 2, (mu, s),
         lambda m, s, x: (x - m)**2 / (2 * np.exp(s)) + s / 2 + np.log(2 * np.pi) / 2, fixed=(0.7,)),
]

EXERCISES = [
    Case("x^2 e^x", x**2 * sp.exp(x), (x,), lambda x: x**2 * np.exp(x)),
    Case("sin x / x", sp.sin(x) / x, (x,), lambda x: np.sin(x) / x, low=0.2),
    Case("x log x", x * sp.log(x), (x,), lambda x: x * np.log(x), low=0.1),
    Case("x^x", x**x, (x,), lambda x: x**x, low=0.2),
    Case("sqrt(1 + x^2)", sp.sqrt(1 + x**2), (x,), lambda x: np.sqrt(1 + x**2)),
    Case("tan x", sp.tan(x), (x,), np.tan, low=-1.2, high=1.2),
    Case("atan(x^2)", sp.atan(x**2), (x,), lambda x: np.arctan(x**2)),
    Case("exp(-x^2/2)", sp.exp(-x**2 / 2), (x,), lambda x: np.exp(-x**2 / 2)),
    Case("(x^2 + 1)/(x - 4)", (x**2 + 1) / (x - 4), (x,), lambda x: (x**2 + 1) / (x - 4)),
    Case("log(cos x)", sp.log(sp.cos(x)), (x,), lambda x: np.log(np.cos(x)), low=-1.3, high=1.3),
    Case("2^x", 2**x, (x,), lambda x: 2.0**x),
    Case("tanh(3x) x", sp.tanh(3 * x) * x, (x,), lambda x: np.tanh(3 * x) * x),
    Case("|x - 1| + x^2", sp.Abs(x - 1) + x**2, (x,), lambda x: abs(x - 1) + x**2, kinks=(1.0,)),
    Case("hinge max(0, 1 - 2x)", sp.Max(0, 1 - 2 * x), (x,), lambda x: np.maximum(0, 1 - 2 * x), kinks=(0.5,)),
    Case("x^2 y + sin(y)", x**2 * y + sp.sin(y), (x, y), lambda x, y: x**2 * y + np.sin(y)),
    Case("exp(x y)", sp.exp(x * y), (x, y), lambda x, y: np.exp(x * y), low=-1.5, high=1.5),
    Case("Rosenbrock", (1 - x)**2 + 100 * (y - x**2)**2, (x, y), lambda x, y: (1 - x)**2 + 100 * (y - x**2)**2),
    Case("log(x^2 + y^2 + 1)", sp.log(x**2 + y**2 + 1), (x, y), lambda x, y: np.log(x**2 + y**2 + 1)),
    Case("x y z + z^3", x * y * z + z**3, (x, y, z), lambda x, y, z: x * y * z + z**3),
    Case("sin(x) cos(y) e^z", sp.sin(x) * sp.cos(y) * sp.exp(z), (x, y, z),
         lambda x, y, z: np.sin(x) * np.cos(y) * np.exp(z)),
    Case("x / sqrt(x^2 + y^2)", x / sp.sqrt(x**2 + y**2), (x, y), lambda x, y: x / np.sqrt(x**2 + y**2), low=0.3),
]
