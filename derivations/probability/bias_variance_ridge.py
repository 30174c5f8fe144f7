"""Bias-variance decomposition of expected squared error for one-feature ridge regression with a fixed design:
bias^2 = lambda^2 beta^2 x0^2/(S + lambda)^2, variance = sigma^2 S x0^2/(S + lambda)^2, noise sigma^2 (S = sum x_i^2),
each by the expectation operator over T = sum x_i y_i ~ N(beta S, sigma^2 S), and shown to add up to E[(y_hat - y0)^2]
found directly. Shrinkage trades squared bias for variance.
"""
import symml


def derivation() -> symml.Derivation:
    return symml.derive.ridge_bias_variance()
