"""A real LaTeX renderer for the tests: KaTeX (from the npm registry) parses every formula symml prints.

Why KaTeX rather than a TeX engine: it installs in about a second with no system packages, it parses the same
amsmath environments symml emits (gather*, aligned), and its errors name the offending token. Its node process
is started once per test session and answers one JSON line per formula.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

KATEX_DIR = Path(__file__).parent / "katex"

_DISPLAY_ENVIRONMENTS = ("gather*", "gathered", "aligned", "align*", "equation*")
_DISPLAY = re.compile(
    r"\\begin\{(" + "|".join(re.escape(e) for e in _DISPLAY_ENVIRONMENTS) + r")\}(.*?)\\end\{\1\}", re.S
)
_DOLLARS = re.compile(r"\$\$(.*?)\$\$|\$([^$]+?)\$", re.S)

# Environments KaTeX accepts only inside display math; their content is checked as an aligned block.
_STANDALONE = {"gather*": "gathered", "align*": "aligned", "equation*": None}


def math_blocks(source: str) -> list[tuple[str, bool]]:
    """The formulas of a LaTeX or Markdown source, each with whether it is display math."""
    blocks: list[tuple[str, bool]] = []
    consumed: list[tuple[int, int]] = []
    for match in _DOLLARS.finditer(source):
        display, inline = match.group(1), match.group(2)
        blocks.append((display if display is not None else inline, display is not None))
        consumed.append(match.span())
    for match in _DISPLAY.finditer(source):
        if any(start <= match.start() < end for start, end in consumed):
            continue  # already checked as part of a $$ block
        environment, body = match.group(1), match.group(2)
        wrapper = _STANDALONE.get(environment, environment)
        tex = f"\\begin{{{wrapper}}}{body}\\end{{{wrapper}}}" if wrapper else body
        blocks.append((tex, True))
    return blocks


class KatexRenderer:
    """A long-lived KaTeX process; ``errors(source)`` lists the formulas of ``source`` that do not parse."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None or not (KATEX_DIR / "node_modules" / "katex").is_dir():
            raise FileNotFoundError(
                f"KaTeX is not installed: run `npm install --prefix {KATEX_DIR}` (node and npm are needed)"
            )
        self._process = subprocess.Popen(
            [node, str(KATEX_DIR / "check.js")],
            cwd=KATEX_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def error(self, tex: str, display: bool = True) -> str | None:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
        self._process.stdin.flush()
        answer = json.loads(self._process.stdout.readline())
        return None if answer["ok"] else answer["error"]

    def errors(self, source: str) -> list[str]:
        blocks = math_blocks(source)
        assert blocks, "no formula found to check"
        found = []
        for tex, display in blocks:
            message = self.error(tex, display)
            if message is not None:
                found.append(f"{message}\n  in: {tex[:300]}")
        return found

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=10)
