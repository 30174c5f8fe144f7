"""``symml mle``: derive a maximum-likelihood estimator of a sympy.stats family from the command line.

    symml mle Normal --wrt mu sigma --format text
    symml mle Gamma --wrt k theta --format markdown --verify
    python -m symml mle Poisson --format latex --document

The family is a sympy.stats name (``symml.mle.families.family_names()``); its parameters are named as
``symml.mle.families.random_variable`` names them (Normal: mu, sigma; Binomial: m, p). Unknown families and
parameters end with a one-line error that lists what is available (exit status 2). With ``--verify`` the
numeric check is printed after the derivation and the exit status is 1 when it fails.
"""
from __future__ import annotations

import argparse
from typing import Any

from symml.errors import ParameterError

__all__ = ["add_mle_command", "run_mle"]

_FORMATS = ("text", "latex", "markdown")


def add_mle_command(commands: Any) -> None:
    """Add the ``mle`` sub-command to an argparse sub-parsers object."""
    command = commands.add_parser(
        "mle",
        help="derive a maximum-likelihood estimator",
        description="Derive the maximum-likelihood estimators of a sympy.stats family, step by step.",
    )
    command.add_argument("family", help="a sympy.stats family: Normal, Poisson, Gamma, ...")
    command.add_argument("--wrt", nargs="+", metavar="PARAMETER", help="the parameters to estimate (default: all)")
    command.add_argument("--format", choices=_FORMATS, default="text", help="output format (default: text)")
    command.add_argument("--document", action="store_true", help="with --format latex: a complete LaTeX document")
    command.add_argument("--verify", action="store_true", help="also check the result numerically on a simulated sample")
    command.add_argument("--at", nargs="+", default=(), metavar="NAME=VALUE", help="true parameter values for --verify")
    command.add_argument("--seed", type=int, default=0, help="seed of the --verify sample (default: 0)")
    command.add_argument("--sample-size", type=int, default=1000, help="size of the --verify sample (default: 1000)")
    command.set_defaults(run=run_mle)


def run_mle(arguments: argparse.Namespace) -> int:
    """Print the derivation (and the verification); returns the exit status."""
    from symml.mle import mle
    from symml.mle.families import random_variable

    derivation = mle(random_variable(arguments.family), wrt=arguments.wrt)
    if arguments.format == "latex":
        print(derivation.latex(document=arguments.document))
    elif arguments.format == "markdown":
        print(derivation.markdown())
    else:
        print(derivation.text())
    if not arguments.verify:
        return 0
    report = derivation.verify(at=_values(arguments.at), seed=arguments.seed, sample_size=arguments.sample_size)
    if arguments.format == "markdown":
        print("\n" + report._repr_markdown_())
    elif arguments.format == "latex":
        print("\n".join("% " + line for line in ["", *str(report).splitlines()]))
    else:
        print("\n" + str(report))
    return 0 if report.passed else 1


def _values(pairs: Any) -> dict[str, float]:
    """``["mu=1", "sigma=2"]`` -> ``{"mu": 1.0, "sigma": 2.0}``."""
    values = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            values[name.strip()] = float(value)
        except ValueError:
            raise ParameterError(f"--at expects NAME=VALUE with a number, got {pair!r}") from None
    return values
