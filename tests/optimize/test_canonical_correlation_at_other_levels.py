"""CCA with the constraints at other levels, aᵀΣ_xx a = c₁, bᵀΣ_yy b = c₂ (c₁, c₂ > 0): a = √c₁ ã, b = √c₂ b̃
puts both at level 1 and multiplies the bilinear objective by √(c₁c₂); the unit problem's generalised eigenproblem
follows, then the scale back. It was refused (only levels 1). Oracles: numpy CCA by whitening (the optimal value
is √(c₁c₂) times the top singular value of Σ_xx^(−½) Σ_xy Σ_yy^(−½)) and SLSQP under both constraints.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

d = symml.dims("d")
RNG = np.random.default_rng(72)


def _spd(size: int) -> np.ndarray:
    root = RNG.normal(size=(size, size))
    return root @ root.T + 0.5 * np.eye(size)


def _top_correlation(Sxx: np.ndarray, Syy: np.ndarray, Sxy: np.ndarray) -> float:
    def inverse_root(S: np.ndarray) -> np.ndarray:
        values, vectors = np.linalg.eigh(S)
        return vectors @ np.diag(values**-0.5) @ vectors.T

    return float(np.linalg.svd(inverse_root(Sxx) @ Sxy @ inverse_root(Syy), compute_uv=False)[0])


def _problem(p, q, levels):
    a, b = symml.vector("a", p), symml.vector("b", q)
    Sxy = symml.matrix("Sigma_xy", p, q)
    Sxx, Syy = symml.matrix("Sigma_xx", p, p, symmetric=True), symml.matrix("Sigma_yy", q, q, symmetric=True)
    return symml.derive.maximize(a.T @ Sxy @ b, wrt=[a, b], subject_to=[symml.Eq(a.T @ Sxx @ a, levels[0]),
                                                                       symml.Eq(b.T @ Syy @ b, levels[1])])


@pytest.mark.parametrize(("p", "q"), [(3, 2), (d, 2)])
def test_the_optimum_at_levels_two_and_three_is_root_six_times_the_top_correlation(p, q):
    derivation = _problem(p, q, (2, 3))
    Sxx, Syy, Sxy = _spd(3), _spd(2), RNG.normal(size=(3, 2))
    found = derivation.numpy()(Sigma_xx=Sxx, Sigma_yy=Syy, Sigma_xy=Sxy)
    a0, b0 = found["a"], found["b"]
    assert a0 @ Sxx @ a0 == pytest.approx(2.0) and b0 @ Syy @ b0 == pytest.approx(3.0)
    assert a0 @ Sxy @ b0 == pytest.approx(np.sqrt(6.0) * _top_correlation(Sxx, Syy, Sxy), rel=1e-10)
    slsqp = optimize.minimize(lambda z: -(z[:3] @ Sxy @ z[3:]), np.full(5, 0.5), method="SLSQP",
                              constraints=[{"type": "eq", "fun": lambda z: z[:3] @ Sxx @ z[:3] - 2},
                                           {"type": "eq", "fun": lambda z: z[3:] @ Syy @ z[3:] - 3}],
                              options={"ftol": 1e-14, "maxiter": 500})
    assert a0 @ Sxy @ b0 >= -slsqp.fun - 1e-7
    assert derivation.steps[0].title == "Rescale to level 1" and derivation.steps[-1].title == "Scale back"
    assert derivation.verify()


def test_symbolic_positive_levels_are_read_at_numpy_time():
    c1, c2 = sp.symbols("c_1 c_2", positive=True)
    derivation = _problem(3, 2, (c1, c2))
    Sxx, Syy, Sxy = _spd(3), _spd(2), RNG.normal(size=(3, 2))
    found = derivation.numpy()(Sigma_xx=Sxx, Sigma_yy=Syy, Sigma_xy=Sxy, c_1=0.5, c_2=4.0)
    assert found["a"] @ Sxy @ found["b"] == pytest.approx(np.sqrt(2.0) * _top_correlation(Sxx, Syy, Sxy), rel=1e-10)
    assert derivation.verify()


def test_a_negative_level_is_an_empty_feasible_set():
    with pytest.raises(symml.InfeasibleError, match="must be positive"):
        _problem(3, 2, (-1, 1))
