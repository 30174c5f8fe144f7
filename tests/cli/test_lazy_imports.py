"""``import symml`` is light: public names and sub-packages load on first use, and every documented call works
after a bare ``import symml``."""
from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("sympy", "numpy", "scipy", "IPython")


def _loaded_after(code: str) -> list[str]:
    """The heavy top-level packages a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport sys\nprint('loaded:', *sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.splitlines()[-1].split()[1:]


def test_bare_import_loads_no_sympy_numpy_scipy_or_ipython():
    assert _loaded_after("import symml") == []


def test_help_of_the_command_loads_no_sympy_numpy_scipy_or_ipython():
    assert _loaded_after("from symml.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass") == []


def test_an_mle_derivation_loads_neither_numpy_scipy_nor_ipython():
    # symml.derive imports each engine on first use: the matrix engine's NumPy export stays unloaded
    assert _loaded_after("import symml\nsymml.derive.mle('Poisson').text()") == ["sympy"]


def test_symml_mle_loads_sympy_only_and_numpy_comes_with_the_first_numpy_call():
    assert _loaded_after("from symml.cli import main\nmain(['mle', 'Poisson'])") == ["sympy"]
    numeric = "import symml.mle\nd = symml.mle.mle('Poisson')\nd.numpy()(x=[1.0, 2.0]); d.verify()"
    assert _loaded_after(numeric) == ["numpy", "scipy", "sympy"]


def test_family_names_works_right_after_a_bare_import():
    done = subprocess.run([sys.executable, "-c", "import symml; print(symml.mle.families.family_names()[:2])"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "('Arcsin', 'Benini')", done.stderr


@pytest.mark.parametrize("name", __import__("symml").__all__)
def test_every_public_name_resolves(name):
    import symml

    assert getattr(symml, name) is not None and name in dir(symml)


def test_an_unknown_attribute_is_an_attribute_error():
    import symml

    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        symml.nonesuch  # noqa: B018


@pytest.mark.parametrize("module", ["symml", "symml.derive"])
def test_tab_completion_shows_no_imported_helpers(module):
    # IPython completes from dir(): importlib, Any and TYPE_CHECKING are how the module is written, not its API
    listed = set(dir(__import__("importlib").import_module(module)))
    assert not listed & {"importlib", "Any", "TYPE_CHECKING", "annotations"}
