"""``symml mle``: derive a maximum-likelihood estimator of a sympy.stats family from the command line.

    symml mle Normal --wrt mu sigma --format text
    symml mle Gamma --wrt k theta --format markdown --verify
    python -m symml mle Poisson --format latex --document
    symml mle --logpdf "log(theta) - theta*x" --data x --support 0,oo
    symml mle --pdf "theta*x**(theta - 1)" --support 0,1


The family is a sympy.stats name (``symml.mle.families.family_names()``, ``symml list families``); its
parameters are named as ``symml.mle.families.random_variable`` names them (Normal: mu, sigma; Binomial: m, p).
Instead of a family, ``--logpdf`` takes your own log-density of one observation ``--data`` (or ``--pdf`` the density
itself; LaTeX or plain text, read without running code; ``--support LOW,HIGH``, default the real line). Unknown families (with the close names: "did you mean Normal?") and parameters end with a one-line error that
lists what is available (exit status 2); the arguments are checked before the derivation runs. With
``--verify`` the numeric check is printed after the derivation and the exit status is 1 when it fails.
"""
from __future__ import annotations

import argparse
from typing import Any

from symml.cli import add_output_options, check_output_options, print_derivation
from symml.errors import ParameterError

__all__ = ["add_mle_command", "run_mle"]


def add_mle_command(commands: Any) -> None:
    """Add the ``mle`` sub-command to an argparse sub-parsers object."""
    command = commands.add_parser(
        "mle",
        help="derive a maximum-likelihood estimator",
        description="Derive the maximum-likelihood estimators of a sympy.stats family, step by step.",
    )
    command.add_argument("family", nargs="?",
                         help="a sympy.stats family: Normal, Poisson, Gamma, ... (symml list families)")
    command.add_argument("--logpdf", metavar="TEXT", help="instead of a family: your log-density of one observation, "
                         "e.g. 'log(theta) - theta*x' or LaTeX")
    command.add_argument("--pdf", metavar="TEXT", help="instead of a family or --logpdf: the density of one "
                         "observation, e.g. 'theta*exp(-theta*x)'")
    command.add_argument("--data", default="x", metavar="NAME",
                         help="with --logpdf or --pdf: the observation (default: x)")
    command.add_argument("--support", metavar="LOW,HIGH", help="with --logpdf or --pdf: the support, e.g. 0,oo "
                         "(default: the real line)")
    command.add_argument("--wrt", nargs="+", metavar="PARAMETER", help="the parameters to estimate (default: all)")
    add_output_options(command)
    command.add_argument("--at", nargs="+", default=(), metavar="NAME=VALUE", help="true parameter values for --verify")
    command.add_argument("--seed", type=int, default=0, help="seed of the --verify sample (default: 0)")
    command.add_argument("--sample-size", type=int, default=1000, help="size of the --verify sample (default: 1000)")
    command.set_defaults(run=run_mle)


def run_mle(arguments: argparse.Namespace) -> int:
    """Print the derivation (and the verification); returns the exit status.

    The arguments are checked before the derivation runs, so a mistake is reported at once.
    """
    check_output_options(arguments)
    at = _values(arguments.at)
    from symml.mle import mle
    from symml.mle.families import parameters_of, random_variable

    typed = arguments.logpdf is not None or arguments.pdf is not None
    if [arguments.family, arguments.logpdf, arguments.pdf].count(None) != 2:
        raise ParameterError("give a family (symml mle Normal), --logpdf or --pdf, one of the three")
    model = _typed_model(arguments) if typed else random_variable(arguments.family)
    names = [parameter.name for parameter in (model.parameters if typed else parameters_of(model))]
    unknown = sorted(set(at) - set(names))
    if unknown:
        raise ParameterError(f"--at names {', '.join(map(repr, unknown))}, not a parameter of "
                             f"{arguments.family or 'the log-density'}; "
                             f"its parameters are: {', '.join(names)}")
    derivation = mle(model, wrt=arguments.wrt)
    return print_derivation(derivation, arguments, at=at, seed=arguments.seed, sample_size=arguments.sample_size)


def _typed_model(arguments: argparse.Namespace) -> Any:
    """The user's model from ``--logpdf`` (or ``--pdf``), ``--data`` and ``--support``."""
    import sympy as sp

    from symml.model import Model
    from symml.user_text import read_expression

    support = None
    if arguments.support is not None:
        ends = arguments.support.split(",")
        if len(ends) != 2:
            raise ParameterError(f"--support expects LOW,HIGH (e.g. 0,oo), got {arguments.support!r}")
        support = sp.Interval(*(read_expression(end, "an end of the support") for end in ends))
    return Model(logpdf=arguments.logpdf, pdf=arguments.pdf, data=arguments.data, support=support)


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
