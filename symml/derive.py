"""The entry points: each call returns one finished, immutable :class:`~symml.Derivation`.

- :func:`mle`: maximum-likelihood estimators of a model's parameters.
- :func:`gradient`, :func:`jacobian`, :func:`hessian`, :func:`laplacian`, :func:`directional_derivative`:
  matrix calculus at matrix level.
"""
from symml.matrix_calculus import directional_derivative, gradient, hessian, jacobian, laplacian
from symml.mle import mle

__all__ = ["mle", "gradient", "hessian", "jacobian", "laplacian", "directional_derivative"]
