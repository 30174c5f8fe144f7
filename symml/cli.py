"""The ``symml`` command: one sub-command per job, each defined beside the code it drives.

    symml mle Normal --wrt mu sigma --format text
    symml gradient "sum(softplus(X@w)) - y.T@X@w" --wrt w --matrix X:n,d --vector w:d --vector y:n
    symml check notes.md
    symml list families
    symml catalog --out notes/

Start-up is kept short by importing only what the command needs: ``symml --help`` imports neither SymPy nor
NumPy (each sub-command is registered by name and help line, and its module is imported only when it runs).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any, Sequence

from symml.errors import SymmlError

__all__ = ["main", "add_output_options", "check_output_options", "print_derivation"]

FORMATS = ("text", "latex", "markdown")

#: ``name: (help line, module, function adding the sub-command to argparse's sub-parsers)``.
_COMMANDS = {
    "mle": ("derive a maximum-likelihood estimator", "symml.mle.cli", "add_mle_command"),
    "gradient": ("derive the gradient of a matrix expression", "symml.matrix_calculus.cli", "add_gradient_command"),
    "hessian": ("derive the Hessian of a matrix expression", "symml.matrix_calculus.cli", "add_hessian_command"),
    "check": ("check the chains of equalities in Markdown/LaTeX notes", "symml.checker.cli", "add_check_command"),
    "list": ("list the families symml mle accepts, or the catalog's entries", "symml.cli", "_add_list_command"),
    "catalog": ("write the catalog's worked derivations as notes (symml catalog --help)", None, None),
}


class _ArgumentParser(argparse.ArgumentParser):
    """argparse reading an argument that starts with a single ``-`` and is not an option as a positional: an
    expression such as ``-transpose(y)@log(softmax(z))`` (argparse took it for an option and asked for the
    expression). The sub-parsers are of this class too (argparse makes them of the parent's class)."""

    def _parse_optional(self, arg_string: str) -> Any:
        if arg_string[:1] == "-" and arg_string[1:2] not in ("-", "") and arg_string not in self._option_string_actions:
            return None  # none of symml's options is a single dash but -h: this is a negated expression
        return super()._parse_optional(arg_string)


def _parser(command: str | None) -> argparse.ArgumentParser:
    """The parser, with the full sub-parser of ``command`` only (the others are listed by name and help)."""
    parser = _ArgumentParser(prog="symml", description="Symbolic derivations for ML mathematics.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_line, module, adder) in _COMMANDS.items():
        if name == command and module is not None and adder is not None:
            getattr(importlib.import_module(module), adder)(commands)
        else:
            commands.add_parser(name, help=help_line)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (errors print one line to stderr and return 2)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((argument for argument in argv if not argument.startswith("-")), None)
    try:
        if command == "catalog":
            return _catalog(argv[argv.index("catalog") + 1 :])
        arguments = _parser(command).parse_args(argv)
        return int(arguments.run(arguments) or 0)
    except SymmlError as error:
        print(f"symml: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader stopped early (symml list families | head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the final flush does not fail
        return 0


def _catalog(argv: list[str]) -> int:
    """``symml catalog ...`` is ``python -m derivations ...``: the catalog ships with symml."""
    from derivations.__main__ import main as catalog_main

    return catalog_main(argv, prog="symml catalog")


def _add_list_command(commands: Any) -> None:
    command = commands.add_parser("list", help=_COMMANDS["list"][0],
                                  description="List the sympy.stats families `symml mle` accepts, or the "
                                              "entries of the catalog of worked derivations.")
    command.add_argument("what", choices=("families", "catalog"), help="what to list")
    command.set_defaults(run=_run_list)


def _run_list(arguments: argparse.Namespace) -> int:
    if arguments.what == "families":
        from symml.mle.families import family_names

        print("\n".join(family_names()))
    else:
        from derivations import entry_names

        print("\n".join(entry_names()))
    return 0


def add_output_options(command: argparse.ArgumentParser) -> None:
    """``--format``, ``--document`` and ``--verify``, shared by the commands that print a derivation."""
    command.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    command.add_argument("--document", action="store_true", help="with --format latex: a complete LaTeX document")
    command.add_argument("--verify", action="store_true", help="also check the result numerically")


def check_output_options(arguments: argparse.Namespace) -> None:
    """Refuse ``--document`` without ``--format latex`` (before any derivation runs)."""
    if arguments.document and arguments.format != "latex":
        raise SymmlError(f"--document needs --format latex (a complete LaTeX document), not --format {arguments.format}")


def print_derivation(derivation: Any, arguments: argparse.Namespace, **verify_options: Any) -> int:
    """Print the derivation in ``arguments.format``, then with ``--verify`` its numeric check; the exit status
    is 1 when the check fails, 0 otherwise."""
    if arguments.format == "latex":
        print(derivation.latex(document=arguments.document))
    elif arguments.format == "markdown":
        print(derivation.markdown())
    else:
        print(derivation.text())
    if not arguments.verify:
        return 0
    report = derivation.verify(**verify_options)
    if arguments.format == "markdown":
        print("\n" + report._repr_markdown_())
    elif arguments.format == "latex":
        print("\n".join("% " + line for line in ["", *str(report).splitlines()]))
    else:
        print("\n" + str(report))
    return 0 if report.passed else 1
