"""The Box–Muller transform, derived by the change-of-variables theorem.

With U₁, U₂ independent Uniform(0, 1), R = √(−2 log U₁) and Θ = 2πU₂, the pair Z = (R cos Θ, R sin Θ) has density

.. math:: f_Z(z) = f_U(u(z))\\,\\left|\\det \\frac{\\partial u}{\\partial z}\\right|
          = \\frac{e^{-z_1^2/2}}{\\sqrt{2\\pi}} \\cdot \\frac{e^{-z_2^2/2}}{\\sqrt{2\\pi}}

(Box & Muller 1958; Devroye 1986, V.4): the inverse map u(z) is found by solving R² = z₁² + z₂² for u₁ and
reading the angle for u₂; its Jacobian is computed by the calculus engine; the joint density factorises into
two N(0, 1) densities, so Z₁ and Z₂ are independent standard normals. ``numpy()`` returns the sampler
``sample(size, rng=None)`` (an array of shape (size, 2)).

>>> d = derive_box_muller()
>>> d.result
exp(-z_1**2/2)*exp(-z_2**2/2)/(2*pi)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp
import sympy.stats as st

from symml.budget import SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.operations import numpy_function, verify
from symml.probability.sampling import random_generator

__all__ = ["derive_box_muller", "BoxMullerProblem"]


@dataclass(frozen=True)
class BoxMullerProblem:
    """The forward map (u₁, u₂) -> (z₁, z₂) and the derived joint density of z."""

    title: str
    forward: tuple[sp.Expr, sp.Expr]
    uniforms: tuple[sp.Symbol, sp.Symbol]
    normals: tuple[sp.Symbol, sp.Symbol]
    density: sp.Expr


def derive_box_muller() -> Derivation:
    """(R cos Θ, R sin Θ) with R = √(−2 log U₁), Θ = 2πU₂ are independent N(0, 1): the change of variables.

    Returns:
        A Derivation whose ``result`` is the joint density of (Z₁, Z₂); ``numpy()`` returns
        ``sample(size, rng=None)``, an array of shape (size, 2).
    """
    from symml.calculus import jacobian

    u1, u2 = sp.symbols("u_1 u_2", positive=True)
    z1, z2 = sp.symbols("z_1 z_2", real=True)
    radius, angle = sp.sqrt(-2 * sp.log(u1)), 2 * sp.pi * u2
    forward = (radius * sp.cos(angle), radius * sp.sin(angle))
    # R² = Z₁² + Z₂² (cos² + sin² = 1) gives u₁; the angle gives u₂ = atan2(z₂, z₁)/(2π) mod 1, which on each
    # quadrant is atan(z₂/z₁)/(2π) plus a constant: the same derivatives
    squared = sp.simplify(sp.expand(forward[0] ** 2 + forward[1] ** 2))
    roots = within(SOLVE_SECONDS, "R² = z₁² + z₂² for u₁", sp.solve, sp.Eq(squared, z1**2 + z2**2), u1)
    inverse = (roots[0], sp.atan(z2 / z1) / (2 * sp.pi))
    inverse_jacobian = jacobian(list(inverse), [z1, z2])
    determinant = within(SIMPLIFY_SECONDS, "det ∂u/∂z", sp.simplify, inverse_jacobian.result.det())
    forward_jacobian = jacobian(list(forward), [u1, u2])
    forward_determinant = within(SIMPLIFY_SECONDS, "det ∂z/∂u", sp.simplify, forward_jacobian.result.det())
    consistent = within(SIMPLIFY_SECONDS, "det ∂u/∂z · det ∂z/∂u", sp.simplify,
                        determinant * forward_determinant.subs(u1, inverse[0])) == 1
    density = sp.Abs(determinant).simplify()  # f_U = 1 on the unit square, where u(z) lies
    parts = sp.separatevars(density, symbols=[z1, z2], dict=True)
    if not isinstance(parts, dict):
        raise AssertionError(f"the joint density {density} does not factorise")  # pragma: no cover - maths, not input
    total = {z: within(SOLVE_SECONDS, f"∫ over {z}", sp.integrate, parts[z], (z, -sp.oo, sp.oo)) for z in (z1, z2)}
    marginal = {z1: sp.simplify(parts[z1] * parts["coeff"] * total[z2]),
                z2: sp.simplify(parts[z2] * parts["coeff"] * total[z1])}
    standard = st.density(st.Normal("N", 0, 1))
    normal = all(sp.simplify(marginal[z] - standard(z)) == 0 for z in (z1, z2))
    result = parts["coeff"] * parts[z1] * parts[z2]
    f = sp.Function("f")
    R, Theta = sp.symbols("R Theta", positive=True)
    steps = (
        Step("The map", (sp.Eq(z1, R * sp.cos(Theta), evaluate=False), sp.Eq(z2, R * sp.sin(Theta), evaluate=False),
                         sp.Eq(R, radius, evaluate=False), sp.Eq(Theta, angle, evaluate=False)),
             "$(U_1, U_2)$ uniform on the unit square"),
        Step("Invert it", (sp.Eq(u1, inverse[0], evaluate=False), sp.Eq(u2, inverse[1], evaluate=False)),
             f"$R^2 = {sp.latex(squared)} = z_1^2 + z_2^2$ solved for $u_1$; the angle gives $u_2$ "
             "($\\operatorname{atan2}$, equal to $\\arctan(z_2/z_1)$ plus a constant on each quadrant): a bijection "
             "from the open square onto the plane minus a ray"),
        Step("Jacobian of the inverse map (calculus engine)",
             (sp.Eq(sp.Symbol("∂u/∂z"), inverse_jacobian.result, evaluate=False),
              sp.Eq(sp.Symbol("det ∂u/∂z"), determinant, evaluate=False)),
             "its product with the forward map's Jacobian determinant "
             f"${sp.latex(forward_determinant)}$ is one" + (" (shown)" if consistent else " (not shown symbolically)")),
        Step("Change of variables", sp.Eq(f(z1, z2), density, evaluate=False),
             "$f_Z(z) = f_U(u(z))\\,|\\det \\partial u / \\partial z|$ with $f_U = 1$ on the square"),
        Step("Factorise", (sp.Eq(f(z1, z2), sp.Mul(marginal[z1], marginal[z2], evaluate=False), evaluate=False),
                           sp.Eq(f(z1), marginal[z1], evaluate=False), sp.Eq(f(z2), marginal[z2], evaluate=False)),
             "the joint density is a product of a function of $z_1$ and one of $z_2$, each integrating to one"
             + (": both are the $\\mathcal{N}(0, 1)$ density, so $Z_1$ and $Z_2$ are independent standard normals"
                if normal else "")),
    )
    problem = BoxMullerProblem("Box–Muller transform", forward, (u1, u2), (z1, z2), result)
    return Derivation(problem, steps, result, (sp.Eq(f(z1, z2), result, evaluate=False),),
                      remarks=("numpy() samples Z = (R cos Θ, R sin Θ) from uniforms, U₁ taken in (0, 1] so that "
                               "log U₁ is finite.",))


@numpy_function.register(BoxMullerProblem)
def _numpy(problem: BoxMullerProblem, derivation: Any, **options: Any) -> Callable[..., np.ndarray]:
    mapped = sp.lambdify(problem.uniforms, sp.Matrix(problem.forward).T, "numpy")

    def sample(size: int, rng: np.random.Generator | int | None = None) -> np.ndarray:
        generator = random_generator(rng)
        u1 = 1.0 - generator.uniform(size=size)  # in (0, 1]
        u2 = generator.uniform(size=size)
        return np.asarray(mapped(u1, u2)).reshape(2, size).T

    return sample


@verify.register(BoxMullerProblem)
def _verify(problem: BoxMullerProblem, derivation: Any, seed: int = 0, tolerance: float = 1e-6,
            **options: Any) -> Verification:
    """The derived density against 1/|det ∂z/∂u| with the forward map's Jacobian by central differences (the
    inverse function theorem), at random points of the square."""
    forward = sp.lambdify(problem.uniforms, list(problem.forward), "numpy")
    density = sp.lambdify(problem.normals, problem.density, "numpy")
    rng = np.random.default_rng(seed)
    comparisons = []
    for u in rng.uniform(0.05, 0.95, (5, 2)):
        h = 1e-6
        columns = [(np.array(forward(*(u + e))) - np.array(forward(*(u - e)))) / (2 * h) for e in np.eye(2) * h]
        numeric = 1.0 / abs(np.linalg.det(np.column_stack(columns)))
        derived = float(density(*forward(*u)))
        comparisons.append(Comparison(f"f_Z at u = ({u[0]:.3f}, {u[1]:.3f})", derived, numeric,
                                      relative_error(derived, numeric)))
    return Verification.from_comparisons(
        comparisons, method="1/|det| of the forward map's Jacobian by central differences", tolerance=tolerance,
        seed=seed)
