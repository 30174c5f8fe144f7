"""``symml mle`` (stub: being built)."""
from __future__ import annotations

from typing import Any


def add_mle_command(commands: Any) -> None:
    command = commands.add_parser("mle", help="derive a maximum-likelihood estimator")
    command.set_defaults(run=lambda arguments: 0)
