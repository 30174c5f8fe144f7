"""The lines of a display set as a typesetter sets several equations: aligned on their relation signs.

A step that shows several equations (the score equations, the definitions after "where") reads down its ``=``
signs when they are set one under another, as amsmath's ``align`` does; centred one by one they zigzag
(*Math into LaTeX* 6.4; Mittelbach & Goossens, *The LaTeX Companion* 8.2). :func:`display_rows` groups each run of
two or more consecutive equations into one ``aligned`` block, the left sides set flush right before the relation
and the right sides flush left after it (``L ={} & R``, the way :func:`~symml.render.line_breaks.broken` aligns
the lines of one long equation, so that a long equation of the run is broken into rows of the same block). A line
that is not an equation ("where", a matrix alone), or whose left side is too wide to align under, stays a row of
its own. Both LaTeX (``gather*``) and KaTeX (``gathered``) set these rows.

>>> print("\\n".join(display_rows(["a = 1", r"\\text{where}", "b_{1} = 2", "c = 3 + d"])))
a = 1
\\text{where}
\\begin{aligned}
b_{1} ={} & 2 \\\\
c ={} & 3 + d
\\end{aligned}
"""
from __future__ import annotations

from typing import Callable

from symml.render.line_breaks import LEAD_SHARE, LINE_WIDTH, broken, relation_split, width

__all__ = ["display_rows"]

Breaking = Callable[[str, float], str]


def display_rows(lines: list[str], breaking: Breaking = broken, room: float = LINE_WIDTH) -> list[str]:
    """The rows of a display (each centred by ``gather``): runs of equations as ``aligned`` blocks, any other line
    alone; every line too wide for ``room`` broken by ``breaking`` (:func:`~symml.render.line_breaks.broken`, or a
    memo of it shared by the displays of one document)."""
    rows: list[str] = []
    run: list[tuple[str, tuple[str, str, str]]] = []
    for line in [*lines, None]:
        sides = relation_split(line) if line is not None else None
        if sides is not None and width(sides[0]) <= LEAD_SHARE * room:
            run.append((line, sides))  # type: ignore[arg-type]
            continue
        if len(run) >= 2:
            rows.append(_aligned(run, breaking, room))
        else:
            rows.extend(breaking(equation, room) for equation, _ in run)
        run = []
        if line is not None:
            rows.append(breaking(line, room))
    return rows


def _aligned(run: list[tuple[str, tuple[str, str, str]]], breaking: Breaking, room: float) -> str:
    """Equations, each with its (left side, relation, right side), as one ``aligned`` block at their relations; one
    too wide is broken into rows of the block, in the room that the widest left side leaves it."""
    lefts = [width(left) for _, (left, _, _) in run]
    rows: list[str] = []
    for (line, (left, relation, right)), left_width in zip(run, lefts):
        laid_out = breaking(line, room - (max(lefts) - left_width))
        if laid_out.startswith(f"\\begin{{aligned}}\n{left} {relation}{{}} & "):  # aligned at its relation
            rows.extend(laid_out.removeprefix("\\begin{aligned}\n").removesuffix("\n\\end{aligned}").split(" \\\\\n"))
        else:
            rows.append(f"{left} {relation}{{}} & {right}")
    body = " \\\\\n".join(rows)
    return f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"
