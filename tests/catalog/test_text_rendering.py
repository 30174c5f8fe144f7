"""Printed in a terminal, a derivation shows the LaTeX printer's notation in Unicode: no raw LaTeX, no raw SymPy,
and no line wider than the terminal."""
import functools
import re

import pytest

from derivations import build, entry_names
from symml.render.unicode_math import width

RAW_SYMPY = ("Scalar(", "HadamardProduct", "DiagMatrix", "MatMul", "MatAdd", "Transpose(", "Inverse(", ".T*",
             "polygamma", "Sum(", "Indexed", "Piecewise", "**")


@functools.lru_cache(maxsize=None)
def _text(name: str) -> str:
    return build(name).text(width=80)


@pytest.mark.parametrize("name", entry_names())
def test_plain_text_of_a_catalog_entry_has_no_latex_commands(name):
    assert re.findall(r"\\[A-Za-z]+", _text(name)) == []


@pytest.mark.parametrize("name", entry_names())
def test_plain_text_of_a_catalog_entry_shows_no_raw_sympy(name):
    text = _text(name)
    assert [word for word in RAW_SYMPY if word in text] == []


@pytest.mark.parametrize("name", entry_names())
def test_plain_text_of_a_catalog_entry_fits_80_columns(name):
    assert max(width(line) for line in _text(name).splitlines()) <= 80


def test_text_width_defaults_to_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert max(width(line) for line in build("mle.student_t_location").text().splitlines()) <= 60
