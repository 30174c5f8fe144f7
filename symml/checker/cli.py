"""``symml check FILE`` (stub: being built)."""
from __future__ import annotations

from typing import Any


def add_check_command(commands: Any) -> None:
    command = commands.add_parser("check", help="check the equalities in a notes file")
    command.set_defaults(run=lambda arguments: 0)
