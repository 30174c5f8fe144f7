"""README.md runs as written: its Python blocks execute (in order, sharing names, as a reader would paste them)
and the values its comments show are the values computed; its shell commands are the lines CI runs.

A comment after a statement is checked where it shows a value: a leading quoted string must occur in
``str(value)``, and every decimal number in it must equal the value's numbers (in order) to the digits shown.
"""
from __future__ import annotations

import ast
import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
_DECIMAL = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")


def _blocks(language: str, text: str = README) -> list[str]:
    return [body for lang, body in _BLOCK.findall(text) if lang == language]


def _shown(source_lines: list[str], statement: ast.stmt) -> str:
    """The comment on a statement's last line (its shown value), or ''."""
    line = source_lines[statement.end_lineno - 1]
    return line.split("  #", 1)[1].strip() if "  #" in line else ""


def _check_shown(value: object, comment: str) -> None:
    quoted = re.match(r'"([^"]+)"', comment)
    if quoted:
        assert quoted.group(1) in str(value), f"README shows {quoted.group(1)!r}, got {str(value)[:300]!r}"
    shown = _DECIMAL.findall(comment)
    if shown:
        actual = [float(number) for number in _DECIMAL.findall(repr(value))]
        assert len(actual) == len(shown), f"README shows {shown}, got {value!r}"
        for text, number in zip(shown, actual):
            digits = len(text.split(".")[1])
            assert abs(float(text) - number) <= 0.5 * 10.0 ** -digits + 1e-12, f"README shows {text}, got {number}"


def _run_block(block: str, namespace: dict) -> int:
    """Execute a README block statement by statement; returns how many shown values were checked."""
    lines = block.splitlines()
    checked = 0
    for statement in ast.parse(block).body:
        code = compile(ast.Module([statement], []), "README.md", "exec")
        if isinstance(statement, ast.Expr):
            code = compile(ast.Expression(statement.value), "README.md", "eval")
        with contextlib.redirect_stdout(io.StringIO()):
            value = eval(code, namespace)
        comment = _shown(lines, statement)
        if isinstance(statement, ast.Expr) and comment:
            _check_shown(value, comment)
            checked += bool(re.match(r'"', comment) or _DECIMAL.search(comment))
    return checked


def test_the_python_examples_run_and_show_the_values_they_compute():
    namespace: dict = {}
    checked = sum(_run_block(block, namespace) for block in _blocks("python"))
    assert checked >= 8  # the numbers and verdicts the README shows


def test_the_shown_values_are_checked():
    with pytest.raises(AssertionError, match="README shows 0.909"):
        _check_shown({"mu": 0.9039434464740261}, '{"mu": 0.909}')
    with pytest.raises(AssertionError, match="README shows 'passed'"):
        _check_shown("Verification failed", '"passed": simulated')
    _check_shown({"mu": 0.9039434464740261, "sigma": 1.9535059247142104}, '{"mu": 0.904, "sigma": 1.954}')


def test_every_symml_name_the_readme_mentions_resolves_after_a_bare_import():
    names = sorted(set(re.findall(r"\bsymml(?:\.[A-Za-z_]\w*)+", README)) - {"symml.cli"})
    probe = "import functools, symml\n" + "\n".join(
        f"functools.reduce(getattr, {name.split('.')[1:]!r}, symml)" for name in names)
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "symml.mle.families.family_names" in names


def test_ci_runs_the_readme_commands_line_by_line():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [part.strip() for block in _blocks("bash", quick_start) for part in block.strip().split("&&")]
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert commands[0] == "python3 -m venv .venv" and "pip install" not in " ".join(commands[:1])
    positions = [ci_lines.index(command) for command in dict.fromkeys(commands)]
    assert positions == sorted(positions), "CI runs the README's commands in the README's order"
