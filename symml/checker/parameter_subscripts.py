r"""A function whose subscript names its parameter: ``q_\theta(x)``, ``p_\theta(\tau)``, ``\pi_\theta(a | s)``,
``g_\phi(\epsilon)``.

Variational inference and policy gradients write the parameter a density depends on as its subscript, then
differentiate by it: ``\nabla_\theta \int p_\theta(\tau) r(\tau) d\tau``. Read as a function ``q_theta`` of ``x``
alone, every derivative by θ of it vanished, and a step that drops a factor under such a derivative "held"
(``\int \nabla_\theta q_\theta(x) x^2 dx = \int \nabla_\theta q_\theta(x) dx``, both zero). The function is a
function of its arguments and of the parameter: ``q_theta(x, theta)``.

A density so written (``p_\theta``, ``q_\phi``) is the family's density given its parameter, and a bar in it a
further condition: ``p_\theta(x \mid z)`` is ``p(x \mid z, \theta)``, another object than the joint
``p_\theta(x, z)`` (which it was read as, so ``p_\theta(x, z) = p_\theta(x \mid z)`` "held"), related to it by the
product rule as :mod:`symml.checker.conditional_densities` relates conditionals: ``p_\theta(x, z) = p_\theta(x
\mid z) p_\theta(z)`` holds, for every density. Inside an expectation the conditional is the joint over the
marginal, as ``p(z \mid x)`` is there.

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"\nabla_\theta q_\theta(x)")[0][1]
Derivative(q_theta(x, theta), theta)
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy as sp

from symml.checker.conditional_densities import CONDITIONAL_LETTERS, conditional, density_arguments
from symml.checker.latex_tokens import GREEK

if TYPE_CHECKING:
    from symml.checker.latex_names import NamesMixin

__all__ = ["parametrised_call"]


def parametrised_call(reader: "NamesMixin", name: str) -> Any:
    """``_\\theta(...)`` or ``_{\\theta}(...)`` ahead (after the name ``name``): the function ``name_theta`` of the
    arguments and of θ; else None, nothing read."""
    if reader.peek() != ("char", "_"):
        return None
    braced = reader.peek(1) == ("char", "{")
    parameter = reader.peek(2 if braced else 1)
    after = 4 if braced else 2
    if parameter[0] != "cmd" or parameter[1] not in GREEK or parameter[1] in ("pi", "infty", "ell") \
            or (braced and reader.peek(3) != ("char", "}")) or reader.peek(after) != ("char", "("):
        return None
    reader.position += after
    function, theta = f"{name}_{parameter[1]}", reader.namespace.name(parameter[1])
    if name not in CONDITIONAL_LETTERS:
        return reader.namespace.call(function, [*reader.call_arguments(), theta])
    conditioned, given = density_arguments(reader)
    if reader.expectation_depth:  # inside an expectation, as p(z | x) there: joint over marginal
        joint = reader.namespace.call(function, [*sorted([*conditioned, *given], key=sp.default_sort_key), theta])
        return joint / reader.namespace.call(function, [*sorted(given, key=sp.default_sort_key), theta]) if given else joint
    return conditional(reader.namespace.call(function, [*conditioned, *given, theta]), len(given) + 1)
