"""Every public operation on a Derivation runs under a budget; past it, a BudgetExceededError names the operation."""
from dataclasses import dataclass

import pytest
import sympy as sp

import symml.derivation
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError
from symml.operations import numpy_function, verify


@dataclass(frozen=True)
class _SlowProblem:
    title: str = "a slow problem"


def _spin(*args, **kwargs):
    while True:
        pass


numpy_function.register(_SlowProblem)(_spin)
verify.register(_SlowProblem)(_spin)


def _big_derivation():
    x = sp.symbols("x0:400")
    huge = sp.Add(*[sp.sqrt(s) ** 3 / (1 + s) for s in x])
    return Derivation(problem=_SlowProblem(), steps=(Step("Big", huge),), result=huge, summary=(huge,))


@pytest.mark.parametrize("operation", ["numpy", "verify"])
def test_an_operation_past_its_budget_raises_naming_it(monkeypatch, operation):
    monkeypatch.setattr(symml.derivation, f"{operation.upper()}_SECONDS", 0.2)
    derivation = Derivation(problem=_SlowProblem(), steps=(), result=sp.S.One)
    with pytest.raises(BudgetExceededError, match=rf"{operation}\(\) of the derivation 'a slow problem'"):
        getattr(derivation, operation)()


@pytest.mark.parametrize(
    "render, name",
    [(lambda d: d.latex(), "latex()"), (lambda d: d.markdown(), "markdown()"), (str, "text()"),
     (lambda d: d._repr_latex_(), "_repr_latex_()"), (lambda d: d._repr_markdown_(), "markdown()")],
)
def test_rendering_past_its_budget_raises_naming_the_renderer(monkeypatch, render, name):
    monkeypatch.setattr(symml.derivation, "RENDER_SECONDS", 0.05)
    with pytest.raises(BudgetExceededError, match=rf"{name.replace('(', '[(]').replace(')', '[)]')} of the derivation"):
        render(_big_derivation())
