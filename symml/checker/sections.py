r"""Sections of notes: a heading starts another derivation.

Notes often work several problems one after another under headings ("### Step 2: MLE for f(x; theta) = ..."),
reusing the names of the first (L, ell, f) for another model. Under a new heading:

- an equation whose left side is a name defined under an earlier heading (``L(theta) = prod_i ...``) defines it
  anew when the name's earlier definition does not make it an identity: the notes restate the name for the new
  problem, they do not claim the old one equals the new one. A restatement that agrees with the earlier
  definition is still a claim, and holds;
- once a name is so defined anew, the conditions imposed before it are forgotten (``sum_i x_i = 2 n theta`` of the
  first problem does not hold in the second). A heading alone forgets nothing: notes also put the steps of one
  derivation under headings ("### 5. Solving for p", after the condition of "### 4").

>>> section_of_lines("# A\n$$x = 1$$\n## B\n$$y = 2$$", "md")
[1, 1, 2, 2]
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.decide import decide
from symml.checker.verdict import VerdictKind

__all__ = ["section_of_lines", "enter_section", "redefines"]

#: A Markdown heading (``## Step 2``), outside code fences; a LaTeX sectioning command (``\subsection{...}``).
_MARKDOWN_HEADING = re.compile(r"^ {0,3}#{1,6}\s")
_TEX_HEADING = re.compile(r"\\(?:part|chapter|section|subsection|subsubsection)\*?\s*\{")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def section_of_lines(text: str, kind: str = "md") -> list[int]:
    """The section of each line of ``text`` (index 0 is line 1): how many headings come before or on it."""
    sections, section, fenced = [], 0, False
    for line in text.splitlines():
        if kind != "tex" and _FENCE.match(line):
            fenced = not fenced
        if not fenced and (_TEX_HEADING.search(line) if kind == "tex" else _MARKDOWN_HEADING.match(line)):
            section += 1
        sections.append(section)
    return sections


def enter_section(state: Any, section: int) -> None:
    """Under a new heading the names defined so far may be defined anew."""
    if section != state.section:
        state.section = section
        state.earlier = set(state.definitions)


def redefines(state: Any, item_left: Any, left: Any, right: Any, options: dict) -> bool:
    """Whether the equation ``item_left = ...`` (read ``left = right`` with the definitions so far) defines anew
    a name defined under an earlier heading, rather than claiming something about it (see the module docstring)."""
    name = _name(item_left)
    if name not in state.earlier or not isinstance(left, sp.Basic) or not isinstance(right, sp.Basic):
        return False
    if decide(left, right, **options).kind is not VerdictKind.NOT_EQUIVALENT:
        return False
    state.earlier.discard(name)  # defined anew: a second statement under this heading is a claim about it
    state.condition = None  # another problem: the conditions of the one before do not hold in it
    state.imposed.clear()
    return True


def _name(left: Any) -> str | None:
    if isinstance(left, sp.log) and isinstance(left.args[0], AppliedUndef):  # log p(x | theta) = ...
        left = left.args[0]
    if isinstance(left, AppliedUndef) and all(isinstance(a, (sp.Symbol, sp.Indexed)) for a in left.args):
        return str(left.func)
    if isinstance(left, sp.Symbol):
        return str(left)
    return None
