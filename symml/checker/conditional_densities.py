r"""Conditional densities outside expectations: ``p(z \mid x)`` is not the joint ``p(z, x)``.

A density written with a bar (``p(z \mid x)``, ``q(z | x)``) or with parameters after a semicolon (``p(x; \theta)``,
the same density of x given theta in the frequentist's spelling) is read as the application of ``p`` to all its
arguments, marked as a conditional on its last ``k`` arguments (a SymPy function ``p`` with the attribute
``given = k``). It prints as ``p(z, x)``, and whatever the notes define for ``p`` (``p(x \mid \theta) = \theta
e^{-\theta x}``) applies to it as before; but it is another object than the joint ``p(z, x)``.

Before a claim is decided (:func:`joints_of_conditionals`), the conditionals of each density are settled:

- when every application of the density in the claim is a conditional on the same arguments (``\prod_i p(x_i \mid
  \theta)``, ``\log p(y \mid \theta) = \sum_i \log p(y_i \mid \theta)``), nothing relates them to other
  densities: they are the function ``p`` of their arguments, as a likelihood is;
- otherwise (a joint, a marginal or a conditional on other arguments in the same claim) each conditional is the
  joint over the marginal of what it is conditioned on, ``p(z \mid x) = p(x, z) / p(x)``, and a joint is the same
  function whatever the order of its variables (``p(z, x) = p(x, z)``). Bayes' rule and the product rule are then
  algebra, and ``p(z \mid x) = p(z, x)`` or ``p(z \mid x) = p(x \mid z)`` hold only for particular densities
  (undecided, never "Equivalent"). The marginal ``p(x)`` is another function, of fewer arguments.

The joint and marginal of the data vector ``y`` as a whole (read as ``p_y`` next to ``y_i``) keep that name.

>>> import sympy as sp
>>> x, z = sp.symbols("x z")
>>> p = sp.Function("p")
>>> joints_of_conditionals(conditional(p(z, x), 1), p(z, x))
(p(x, z)/p(x), p(x, z))
>>> joints_of_conditionals(conditional(p(z, x), 1), conditional(p(x, z), 1) * p(z) / p(x))
(p(x, z)/p(x), p(x, z)/p(x))
>>> theta = sp.Symbol("theta")
>>> likelihood = joints_of_conditionals(conditional(p(x, theta), 1), p(x, theta))[0]  # mixed: joint / marginal
>>> likelihood, given_count(joints_of_conditionals(conditional(p(x, theta), 1), 0)[0])
(p(theta, x)/p(theta), 0)
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.ellipses import ELLIPSIS, ranges_of, read_ellipsis
from symml.checker.latex_tokens import SEPARATORS

if TYPE_CHECKING:
    from symml.checker.latex_names import NamesMixin

__all__ = ["CONDITIONAL_LETTERS", "conditional", "conditional_density", "density_arguments", "given_count",
           "joints_of_conditionals"]

#: Letters whose bar is a conditional: a density ``p`` or an approximating ``q`` (``P`` and ``\Pr`` are
#: probabilities of events, :mod:`symml.checker.events`).
CONDITIONAL_LETTERS = ("p", "q")


def conditional(application: AppliedUndef, given: int) -> AppliedUndef:
    """``application`` marked as a conditional density on its last ``given`` arguments."""
    return sp.Function(str(application.func), given=given)(*application.args)


def given_count(application: Any) -> int:
    """On how many (last) arguments ``application`` is conditioned: 0 for anything but a conditional density."""
    return getattr(getattr(application, "func", None), "given", None) or 0


def conditional_density(reader: "NamesMixin", name: str) -> Any:
    """``name(a, b \\mid c, d)`` or ``name(a; \\theta)`` ahead of the reader: the conditional density, a
    function of ``a, b, c, d`` conditioned on the last two (see the module)."""
    conditioned, given = density_arguments(reader)
    arguments = [*conditioned, *given]
    whole = [a for a in arguments
             if isinstance(a, (sp.Symbol, sp.MatrixSymbol)) and a.name in reader.namespace.vectors]
    # p(y | theta) of the whole data vector: the joint density p_y, another function than p(y_i | theta)
    application = reader.namespace.call(f"{name}_{whole[0].name}" if whole else name, arguments)
    return conditional(application, len(given))


def density_arguments(reader: "NamesMixin") -> tuple[list[Any], list[Any]]:
    """The bracketed arguments of a density ahead of the reader, split at its first bar (``|``, ``;``,
    ``\\mid``): what it is a density of, and what it is conditioned on (empty without a bar)."""
    reader.take()  # (
    groups: list[list[Any]] = [[]]
    reader.in_absolute_value += 1  # a bar separates what is conditioned on here
    try:
        groups[-1].append(reader.argument())
        while reader.at("char", ",") or reader.peek() in SEPARATORS:
            if reader.take() in SEPARATORS and len(groups) == 1:
                groups.append([])
            groups[-1].append(ELLIPSIS if read_ellipsis(reader) else reader.argument())
    finally:
        reader.in_absolute_value -= 1
    reader.expect("char", ")")
    conditioned, given = (ranges_of(group, reader) for group in (*groups, [])[:2])
    return conditioned, given


def joints_of_conditionals(left: Any, right: Any) -> tuple[Any, Any]:
    """Both sides of a claim with their conditional densities settled (see the module)."""
    sides = (left, right)
    applications = {a for side in sides if isinstance(side, sp.Basic) for a in side.atoms(AppliedUndef)}
    if not any(given_count(a) for a in applications):
        return left, right
    families: dict[str, list[AppliedUndef]] = {}
    for application in applications:
        letter = _letter(application)
        if letter is not None:
            families.setdefault(letter, []).append(application)
    replacements: dict[Any, Any] = {}
    for letter, members in families.items():
        conditionals = [a for a in members if given_count(a)]
        if not conditionals:
            continue
        conditions = {a.args[len(a.args) - given_count(a):] for a in conditionals}
        if len(conditionals) == len(members) and len(conditions) == 1:  # likelihoods: the function p itself
            replacements.update({a: sp.Function(str(a.func))(*a.args) for a in conditionals})
            continue
        vectors = {name.split("_", 1)[1] for name in map(str, (a.func for a in members)) if "_" in name}
        for application in members:
            replacements[application] = _as_joint(letter, application, vectors)
    return tuple(side.xreplace(replacements) if isinstance(side, sp.Basic) else side
                 for side in sides)


def _letter(application: AppliedUndef) -> str | None:
    """The density letter of ``p(...)`` or of the density ``p_y(y, ...)`` of a whole data vector; else None."""
    name = str(application.func)
    letter, _, vector = name.partition("_")
    if letter not in CONDITIONAL_LETTERS:
        return None
    if not vector or any(isinstance(a, sp.Symbol) and a.name == vector for a in application.args):
        return letter
    return None


def _density(letter: str, arguments: tuple[Any, ...], vectors: set[str]) -> Any:
    """The joint density of ``arguments`` (in one order), named for the first whole data vector among them."""
    ordered = sorted(arguments, key=sp.default_sort_key)
    whole = [a for a in ordered if isinstance(a, sp.Symbol) and a.name in vectors]
    return sp.Function(f"{letter}_{whole[0].name}" if whole else letter)(*ordered)


def _as_joint(letter: str, application: AppliedUndef, vectors: set[str]) -> Any:
    """A conditional as joint over marginal; a joint with its variables in one order; a marginal as it is."""
    given = given_count(application)
    if not given:
        return _density(letter, application.args, vectors) if len(application.args) > 1 else application
    return (_density(letter, application.args, vectors)
            / _density(letter, application.args[len(application.args) - given:], vectors))
