"""Tests of the ``symml`` command, the package's import cost and the test suite's own settings."""
from __future__ import annotations

from symml.cli import main


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``symml ARGV`` run in-process."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err
