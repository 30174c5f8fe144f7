"""Every LaTeX document symml writes compiles with pdflatex, with no missing glyph, and its first page renders.

All documents compile in one module-scoped fixture, two pdflatex processes at a time (CI has two cores).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy as sp

import symml
from derivations import build, entry_names, notes_latex
from tests.rendering.tex import Compiled, finish, first_page_png, require_tex, start


def _one_of_each_kind() -> dict[str, str]:
    """A document of each kind of derivation made outside the catalog (user input, not catalog entries)."""
    n, d = symml.dims("n d")
    X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    lam = sp.Symbol("lambda", positive=True)
    return {
        "kind.mle": symml.derive.mle("Poisson").latex(document=True),
        "kind.gradient": symml.derive.gradient(symml.losses.logistic(X, w, y), w).latex(document=True),
        "kind.hessian": symml.derive.hessian(symml.losses.logistic(X, w, y), w).latex(document=True),
        "kind.stationary": symml.derive.stationary_point(symml.losses.ridge(X, w, y, lam), w).latex(document=True),
    }


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> dict[str, Compiled]:
    require_tex()
    sources = {name: build(name).latex(document=True) for name in entry_names()}
    sources.update(_one_of_each_kind())
    sources["catalog.notes"] = notes_latex()
    root = tmp_path_factory.mktemp("pdflatex")
    results: dict[str, Compiled] = {}
    pending = list(sources.items())
    running: list[tuple[str, object]] = []
    while pending or running:
        while pending and len(running) < 2:
            name, source = pending.pop()
            running.append((name, start(source, root / name)))
        name, process = running.pop(0)
        results[name] = finish(process, root / name)  # type: ignore[arg-type]
    return results


def _documents() -> list[str]:
    return [*entry_names(), "kind.mle", "kind.gradient", "kind.hessian", "kind.stationary", "catalog.notes"]


@pytest.mark.parametrize("name", _documents())
def test_document_compiles_with_pdflatex_without_missing_glyphs(compiled, name):
    result = compiled[name]
    assert result.pdf is not None, result.log[-1500:]
    assert result.missing_glyphs() == []


@pytest.mark.parametrize("name", _documents())
def test_no_line_runs_into_the_margin(compiled, name):
    # a long equation is broken across lines (symml.render.line_breaks); pdflatex reports one it could not fit
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", compiled[name].log)]
    assert max(widths, default=0.0) < 5.0, f"{name}: lines past the margin by {widths} pt"


@pytest.mark.parametrize("name", ["mle.normal", "matrix.logistic_hessian", "kind.stationary", "catalog.notes"])
def test_first_page_renders_to_an_image(compiled, name):
    png = first_page_png(compiled[name].pdf)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 5_000  # a page with text, not a blank one


def test_catalog_pdf_has_a_table_of_contents_and_a_section_per_kind():
    source = notes_latex()
    assert "\\tableofcontents" in source
    assert "\\section{Maximum likelihood}" in source and "\\section{Matrix calculus}" in source


def test_catalog_pdf_command_writes_a_pdf(tmp_path):
    require_tex()
    from derivations.__main__ import main

    out = tmp_path / "notes.pdf"
    assert main(["--pdf", str(out), "--only", "mle.normal", "matrix.ridge_solution"]) == 0
    assert Path(out).read_bytes()[:4] == b"%PDF"
