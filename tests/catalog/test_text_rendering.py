"""Printed in a terminal, a derivation shows no raw LaTeX: the math in its prose is written in Unicode."""
import re

import pytest

from derivations import build, entry_names


@pytest.mark.parametrize("name", entry_names())
def test_plain_text_of_a_catalog_entry_has_no_latex_commands(name):
    assert re.findall(r"\\[A-Za-z]+", build(name).text()) == []
