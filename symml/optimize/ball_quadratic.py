"""The minimum of a quadratic gᵀw + ½wᵀHw on the ball wᵀw ≤ r², H any symmetric matrix (Moré & Sorensen 1983).

The KKT conditions of :mod:`symml.optimize.matrix_kkt` give w(ν) = −(H + νI)⁻¹g with ν = 2μ ≥ 0. For this problem
they are also sufficient for the global minimum with one more condition, H + νI ⪰ 0 (the S-lemma: zero duality
gap for one quadratic constraint; Nocedal & Wright Theorem 4.1), so ν ≥ max(0, −λ₁), λ₁ the smallest eigenvalue
of H. In H's eigenbasis (qᵢ, λᵢ) the secular equation reads Σ (qᵢᵀg)²/(λᵢ + ν)² = r², decreasing in ν there:

* λ₁ > 0 and ‖H⁻¹g‖ ≤ r: the Newton step, ν = 0;
* otherwise a root on (max(0, −λ₁), ∞) when the left side exceeds r² at the lower end (always when g has a
  component along λ₁'s eigenspace: the sum is infinite there), bracketed and found by Brent's method;
* the hard case (g ⟂ λ₁'s eigenspace and the sum at ν = −λ₁ below r²): ν = −λ₁ and
  w = −(H − λ₁I)⁺g + τz, z a unit eigenvector of λ₁, τ = √(r² − ‖(H − λ₁I)⁺g‖²) (either sign: both optimal).

>>> H, g = np.diag([-1.0, 2.0]), np.array([0.0, 1.0])  # indefinite, g ⟂ the lowest eigenvector
>>> np.round(minimum_on_ball(H, g, 1.0), 6)
array([ 0.942809, -0.333333])
"""
from __future__ import annotations

import numpy as np

__all__ = ["minimum_on_ball"]


def minimum_on_ball(H: np.ndarray, g: np.ndarray, r2: float) -> np.ndarray:
    """argmin gᵀw + ½wᵀHw subject to wᵀw ≤ r2, for a symmetric H (numpy.linalg.eigh) and r2 > 0."""
    from scipy.optimize import brentq

    values, vectors = np.linalg.eigh(np.atleast_2d(H))
    along = vectors.T @ np.ravel(g)
    radius = float(np.sqrt(r2))

    def excess(nu: float) -> float:
        shifted = values + nu
        return float(np.sum(np.divide(along, shifted, out=np.zeros_like(along), where=along != 0) ** 2) - r2)

    if values[0] > 0 and excess(0.0) <= 0:
        return -(vectors @ (along / values))
    scale = max(1.0, float(np.abs(values).max()))
    lowest = np.abs(values - values[0]) <= 1e-12 * scale
    low = max(0.0, -float(values[0]))
    on_lowest = float(np.linalg.norm(along[lowest]))
    size = float(np.linalg.norm(along))
    if values[0] > 0:
        start = 0.0  # the Newton step is outside the ball: excess(0) > 0
    elif on_lowest > 1e-12 * max(1.0, size):
        start = low + on_lowest / (2 * radius)  # there (qᵢᵀg)²/(λᵢ + ν)² alone is 4r²
    else:
        along = np.where(lowest, 0.0, along)
        rest = ~lowest
        inside = -(vectors[:, rest] @ (along[rest] / (values[rest] + low)))
        if inside @ inside <= r2:  # the hard case
            return inside + np.sqrt(r2 - inside @ inside) * vectors[:, 0]
        start = low + 1e-12 * scale  # without λ₁'s components the sum still exceeds r² at ν = −λ₁: a root above
    end = low + size / radius + 1e-12 * scale  # every λᵢ + ν ≥ ‖g‖/r there, so the sum is at most r²
    nu = float(brentq(excess, start, end, xtol=1e-15, rtol=4 * np.finfo(float).eps))
    return -(vectors @ np.divide(along, values + nu, out=np.zeros_like(along), where=along != 0))
