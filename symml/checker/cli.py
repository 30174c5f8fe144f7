"""``symml check FILE...``: check the chains of equalities in Markdown or LaTeX notes.

Prints a report per file, with line numbers; exits with status 1 when a step is wrong (so it can run in a
notes repository's CI), 0 otherwise, and 2 on an error such as a missing file.
"""
from __future__ import annotations

import argparse
from typing import Any

from symml.checker.notes import check_notes

__all__ = ["add_check_command"]


def add_check_command(commands: Any) -> None:
    """Register ``check`` on the ``symml`` command's sub-parsers."""
    command = commands.add_parser("check", help="check the chains of equalities in Markdown/LaTeX notes",
                                  description="Check every chain of equalities in the display math of .md and "
                                              ".tex files; exit status 1 when a step is wrong.")
    command.add_argument("files", nargs="+", metavar="FILE", help="a .md or .tex file")
    command.add_argument("--format", choices=("text", "markdown"), default="text", help="report format")
    command.add_argument("--seed", type=int, default=0, help="random seed of the numeric probe")
    command.add_argument("--points", type=int, default=8, help="random points that must agree")
    command.set_defaults(run=_run)


def _run(arguments: argparse.Namespace) -> int:
    reports = [check_notes(path, seed=arguments.seed, points=arguments.points) for path in arguments.files]
    for report in reports:
        print(report._repr_markdown_() if arguments.format == "markdown" else report)
    return 0 if all(reports) else 1
