"""``symml check FILE|DIR...``: check the derivations in Markdown or LaTeX notes.

Prints a report per file (``--format text|json|markdown``; JSON is one object per file, one per line) with line
numbers and a summary line. Exit status: 0 when every checked step holds, 1 when a step is wrong (so it can run
in a notes repository's CI), 2 when a file could not be read or the command was misused.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from symml.checker.notes import check_notes
from symml.errors import SymmlError

__all__ = ["add_check_command", "notes_files"]

_SUFFIXES = (".md", ".markdown", ".tex", ".latex", ".ltx")


def add_check_command(commands: Any) -> None:
    """Register ``check`` on the ``symml`` command's sub-parsers."""
    command = commands.add_parser("check", help="check the derivations in Markdown/LaTeX notes",
                                  description="Check every derivation in the display math of .md and .tex files "
                                              "(directories: every such file under them); exit status 0 when "
                                              "every checked step holds, 1 when a step is wrong, 2 when a file "
                                              "cannot be read.")
    command.add_argument("files", nargs="+", metavar="FILE", help="a .md or .tex file, or a directory")
    command.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="report format")
    command.add_argument("--seed", type=int, default=0, help="random seed of the numeric probe")
    command.add_argument("--points", type=int, default=8, help="random points that must agree")
    command.set_defaults(run=_run)


def notes_files(paths: list[str]) -> list[Path]:
    """The notes files named by ``paths``: files as given, directories searched for .md/.tex files."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            # os.walk skips what it cannot list (/proc, unreadable folders), where Path.rglob raised
            found.extend(sorted(Path(folder, file) for folder, _, files in os.walk(path) for file in files
                                if Path(file).suffix.lower() in _SUFFIXES))
        else:
            found.append(path)
    return found


def _run(arguments: argparse.Namespace) -> int:
    status = 0
    for path in notes_files(arguments.files):
        try:
            report = check_notes(path, seed=arguments.seed, points=arguments.points)
        except SymmlError as error:
            print(f"symml check: {error}", file=sys.stderr)
            status = 2
            continue
        except OSError as error:  # vanished, unreadable, or not a file
            print(f"symml check: cannot read {path}: {error.strerror or error}", file=sys.stderr)
            status = 2
            continue
        if arguments.format == "json":
            print(json.dumps(report.as_dict(), ensure_ascii=False))
        elif arguments.format == "markdown":
            print(report.markdown())
        else:
            print(report)
        if not report and status == 0:
            status = 1
    return status
