"""The catalog: every entry is discovered, and ``python -m derivations --out DIR`` writes KaTeX-clean notes."""
from __future__ import annotations

import pytest

from derivations import entry, entry_names
from derivations.__main__ import main

MLE_FAMILIES = {  # issue 3's list of families, each with at least one entry
    "bernoulli", "binomial", "geometric", "poisson", "exponential", "normal", "lognormal", "rayleigh", "pareto",
    "weibull_scale", "gamma_rate", "laplace_scale", "maxwell", "uniform_zero_theta", "uniform",
    "shifted_exponential", "laplace_location", "gamma_shape", "weibull_shape", "beta", "student_t_location",
}


def test_every_family_of_the_issue_has_an_entry():
    assert {f"mle.{family}" for family in MLE_FAMILIES} <= set(entry_names())


def test_every_entry_has_a_module_docstring():
    assert all((entry(name).__doc__ or "").strip() for name in entry_names())


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    out = tmp_path_factory.mktemp("notes")
    assert main(["--out", str(out)]) == 0
    return out


def _note(notes, name, suffix):
    return notes.joinpath(*name.split(".")).with_suffix(suffix).read_text()


def test_notes_are_written_in_markdown_and_latex_for_every_entry(notes):
    for name in entry_names():
        assert "$$" in _note(notes, name, ".md")
        assert "\\begin{document}" in _note(notes, name, ".tex")


@pytest.mark.parametrize("suffix", [".tex", ".md"])
def test_every_note_renders_in_katex(notes, katex, suffix):
    failures = {name: katex.errors(_note(notes, name, suffix)) for name in entry_names()}
    assert not any(failures.values()), failures


def test_index_links_every_entry(notes):
    index = (notes / "index.md").read_text()
    assert all(f"({name.replace('.', '/')}.md)" in index for name in entry_names())


def test_unknown_entry_is_a_one_line_error(capsys, tmp_path):
    assert main(["--out", str(tmp_path), "--only", "mle.nonesuch"]) == 2
    assert capsys.readouterr().err.startswith("derivations: error: no catalog entry 'mle.nonesuch'")
