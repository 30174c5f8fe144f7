"""numpy() and verify() dispatch on the problem's type; a kind's lazily named modules load before every dispatch."""
import pytest

from symml.errors import UnsupportedOperationError
from symml.operations import numpy_function, register_lazily, verify


class _Unregistered:
    pass


class _Lazy:
    pass


def test_an_operation_without_an_implementation_names_the_problem_type():
    with pytest.raises(UnsupportedOperationError, match="_Unregistered"):
        numpy_function(_Unregistered(), None)


def test_importing_one_provider_early_does_not_hide_the_others(monkeypatch):
    # One module registered numpy() for the type on import; verify() lives in another, still unimported module.
    numpy_function.register(_Lazy)(lambda problem, derivation, **options: "numpy")
    imported = []
    monkeypatch.setattr("importlib.import_module", lambda name: imported.append(name) or verify.register(_Lazy)(
        lambda problem, derivation, **options: "verified"))
    register_lazily(_Lazy, "a.provider.of.verify")
    assert numpy_function(_Lazy(), None) == "numpy"
    assert imported == ["a.provider.of.verify"] and verify(_Lazy(), None) == "verified"
