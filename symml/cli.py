"""The ``symml`` command: one sub-command per job, each defined beside the code it drives.

    symml mle Normal --wrt mu sigma --format text
    symml check notes.md
"""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from symml.errors import SymmlError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from symml.checker.cli import add_check_command
    from symml.mle.cli import add_mle_command

    parser = argparse.ArgumentParser(prog="symml", description="Symbolic derivations for ML mathematics.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_mle_command(commands)
    add_check_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (errors print one line to stderr and return 2)."""
    arguments = _parser().parse_args(argv)
    try:
        return int(arguments.run(arguments) or 0)
    except SymmlError as error:
        print(f"symml: error: {error}", file=sys.stderr)
        return 2
