"""The ``symml`` command: listings, the catalog from any directory, and argument errors reported at once, in one
line, with exit status 2."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import symml.mle
from symml.cli import main
from tests.cli import run_cli as _run

ROOT = Path(__file__).resolve().parents[2]


def test_list_families_prints_one_family_per_line(capsys):
    status, out, _ = _run(capsys, "list", "families")
    assert status == 0 and out.splitlines() == list(symml.mle.families.family_names())


def test_list_catalog_prints_the_entries(capsys):
    from derivations import entry_names

    status, out, _ = _run(capsys, "list", "catalog")
    assert status == 0 and out.splitlines() == list(entry_names()) and "mle.normal" in out


def test_catalog_writes_notes_from_another_directory(tmp_path):
    # The package is on the path (as after `pip install .`), the working directory is elsewhere.
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "symml", "catalog", "--out", "notes", "--only", "mle.poisson"],
                          cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "notes" / "mle" / "poisson.md").read_text().startswith("#")
    assert (tmp_path / "notes" / "index.md").exists()


def test_catalog_forwards_its_options_to_python_dash_m_derivations(capsys):
    status, out, _ = _run(capsys, "catalog", "--list")
    assert status == 0 and "mle.normal" in out.splitlines()
    with pytest.raises(SystemExit):
        main(["catalog", "--help"])
    assert capsys.readouterr().out.startswith("usage: symml catalog")


def test_the_catalog_ships_with_the_package():
    import tomllib

    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    assert "derivations*" in include


def test_misspelt_family_suggests_the_close_names(capsys):
    status, _, err = _run(capsys, "mle", "Nornal")
    assert status == 2 and err.count("\n") == 1 and "did you mean Normal" in err


def test_bad_at_value_is_reported_before_the_derivation_runs(capsys, monkeypatch):
    monkeypatch.setattr(symml.mle, "mle", lambda *a, **k: pytest.fail("the derivation ran"))
    status, _, err = _run(capsys, "mle", "Normal", "--verify", "--at", "mu=fast")
    assert status == 2 and err.count("\n") == 1 and "NAME=VALUE" in err
    status, _, err = _run(capsys, "mle", "Normal", "--verify", "--at", "tau=1")
    assert status == 2 and err.count("\n") == 1 and "'tau', not a parameter of Normal" in err


@pytest.mark.parametrize("format_", ["text", "markdown"])
def test_document_without_latex_format_is_a_one_line_error(capsys, format_):
    status, out, err = _run(capsys, "mle", "Normal", "--document", "--format", format_)
    assert status == 2 and out == "" and err.count("\n") == 1 and "--document needs --format latex" in err


def test_unknown_command_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["mel"])
    assert exit_.value.code == 2 and "choose from" in capsys.readouterr().err


def test_a_listing_read_only_in_part_ends_quietly():
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(f"{sys.executable} -m symml list families | head -1", shell=True, cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout == "Arcsin\n" and done.stderr == ""


def test_mle_of_a_typed_log_density_prints_the_estimator_and_verifies_it(capsys):
    status, out, _ = _run(capsys, "mle", "--logpdf", "log(theta) - theta*x", "--support", "0,oo", "--verify",
                          "--at", "theta=2")
    assert status == 0 and "Verification passed" in out and "θ̂" in out


def test_mle_takes_a_family_or_a_log_density_not_both(capsys):
    status, _, err = _run(capsys, "mle", "Normal", "--logpdf=-x**2")
    assert status == 2 and "one of the three" in err


def test_mle_of_a_typed_density_prints_the_estimator_and_verifies_it(capsys):
    # the power-function density θx^(θ−1) on (0, 1): θ̂ = −1/mean(log x); --verify compares with scipy.optimize
    status, out, _ = _run(capsys, "mle", "--pdf", "theta*x**(theta - 1)", "--support", "0,1", "--verify",
                          "--at", "theta=2.5")
    assert status == 0 and "Verification passed" in out and "θ̂" in out
