"""Calculus of explicit scalar functions and of losses written in index notation, step by step.

- :mod:`symml.calculus.scalar`: derivatives, gradients, Jacobians, Hessians, Laplacians and directional
  derivatives w.r.t. scalar symbols; :mod:`symml.calculus.taylor`: Taylor polynomials of several variables.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> derivative(x * sp.log(x), x).result
log(x) + 1
"""
from __future__ import annotations

from symml.calculus.scalar import derivative, directional_derivative, gradient, hessian, jacobian, laplacian
from symml.calculus.taylor import taylor

from symml.calculus import operations  # noqa: E402,F401 - registers numpy() and verify()

__all__ = ["derivative", "gradient", "jacobian", "hessian", "laplacian", "directional_derivative", "taylor"]
