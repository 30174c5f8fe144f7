"""``symml mle``: the derivation in three formats, the verification, and one-line errors with exit status 2."""
from __future__ import annotations

import subprocess
import sys

import pytest

from symml.cli import main
from tests.cli import run_cli as _run


def test_text_output_ends_with_the_result(capsys):
    status, out, _ = _run(capsys, "mle", "Poisson")
    assert status == 0 and out.startswith("Maximum likelihood for X ∼ Poisson(λ)") and "Result" in out


def test_latex_output_is_a_katex_clean_document(capsys, katex):
    status, out, _ = _run(capsys, "mle", "Normal", "--wrt", "mu", "sigma", "--format", "latex", "--document")
    assert status == 0 and "\\begin{document}" in out and katex.errors(out) == []


def test_markdown_output_with_verification(capsys, katex):
    status, out, _ = _run(capsys, "mle", "Exponential", "--format", "markdown", "--verify")
    assert status == 0 and "$$" in out and "passed" in out and katex.errors(out) == []


def test_verify_at_given_values_in_text(capsys):
    status, out, _ = _run(capsys, "mle", "Normal", "--wrt", "sigma", "--verify", "--at", "mu=2", "sigma=0.5",
                          "--sample-size", "200", "--seed", "3")
    assert status == 0 and "Verification passed" in out and "mu = 2, sigma = 0.5" in out and "seed: 3" in out


def test_unknown_family_is_one_line_listing_the_families(capsys):
    status, out, err = _run(capsys, "mle", "Nornal")
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "unknown family 'Nornal'" in err and "Normal, Pareto, Poisson" in err


def test_unknown_parameter_is_one_line_listing_the_parameters(capsys):
    status, _, err = _run(capsys, "mle", "Normal", "--wrt", "tau")
    assert status == 2 and err.count("\n") == 1 and "'tau' is not a parameter" in err and "mu, sigma" in err


def test_malformed_verify_value_is_one_line(capsys):
    status, _, err = _run(capsys, "mle", "Poisson", "--verify", "--at", "lambda=fast")
    assert status == 2 and err.count("\n") == 1 and "NAME=VALUE" in err


def test_unknown_format_is_refused_by_argparse(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["mle", "Normal", "--format", "html"])
    assert exit_.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_python_dash_m_symml_runs_the_same_command():
    done = subprocess.run([sys.executable, "-m", "symml", "mle", "Nornal"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("symml: error: unknown family 'Nornal'")
