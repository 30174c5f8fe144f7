"""The entry points: each call returns one finished, immutable :class:`~symml.Derivation`.

- :func:`mle`: maximum-likelihood estimators of a model's parameters.
- :func:`gradient`, :func:`jacobian`, :func:`hessian`: matrix calculus at matrix level.
"""
from symml.matrix_calculus import gradient, hessian, jacobian
from symml.mle import mle

__all__ = ["mle", "gradient", "hessian", "jacobian"]
