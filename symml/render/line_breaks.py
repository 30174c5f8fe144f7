"""Long display equations broken across lines, as a typesetter breaks them: before a relation or a + or - sign.

TeX never breaks a display equation: a line wider than the page runs into the margin (pdflatex's "Overfull
\\hbox"), and KaTeX in a notebook makes it scroll. :func:`broken` estimates the printed width of a line of LaTeX
(:func:`width`, in ems of the body font: each glyph by its class, scripts at 70%, a fraction as wide as its wider
part, a sum as wide as its limits) and, past the line width, sets it as an ``aligned`` block broken before the
signs at the top level, the first line aligned at its relation and the others indented under it (amsmath's
advice for multi-line equations, *Math into LaTeX* 8.4). A term still too wide is opened at its bracket,
``\\log\\left(a + b\\right)`` as ``\\log\\left(a \\right.`` and ``\\left. + b\\right)``. The value printed is the
same; only the layout changes.

>>> print(broken("L = a + b", room=100))
L = a + b
>>> print(broken("L = " + " + ".join(f"x_{{{k}}}" for k in range(12)), room=12))
\\begin{aligned}
L ={} & x_{0} + x_{1} + x_{2} + x_{3} + x_{4} \\\\
& \\quad {}+ x_{5} + x_{6} + x_{7} \\\\
& \\quad {}+ x_{8} + x_{9} + x_{10} \\\\
& \\quad {}+ x_{11}
\\end{aligned}
"""
from __future__ import annotations

import re
from typing import Iterator

__all__ = ["broken", "width", "LINE_WIDTH"]

#: The width a display line may take, in ems of a 10 pt body font: an A4/letter page with 2 cm margins, less the
#: indent of a numbered step (25 pt), less a margin of error of the estimate.
LINE_WIDTH = 42.0

# --- the estimate of a line's printed width (ems) -------------------------------------------------------------
_SCRIPT = 0.7  # a sub- or superscript is set at 70%
_RELATIONS = frozenset({"le", "ge", "leq", "geq", "approx", "propto", "ne", "neq", "sim", "in", "mid", "to",
                        "equiv", "mapsto", "succeq", "preceq", "succ", "prec", "subseteq", "Rightarrow"})
_BINARY = frozenset({"cdot", "odot", "otimes", "times", "pm", "circ", "cap", "cup", "setminus"})
_WORDS = frozenset({"operatorname", "mathrm", "text", "textbf", "mathit", "textit", "mathsf"})
_ACCENTS = frozenset({"bar", "hat", "tilde", "overline", "mathbf", "mathcal", "mathbb", "boldsymbol", "dot",
                      "widehat", "widetilde", "check", "vec", "underline"})
_SPACES = {"quad": 1.0, "qquad": 2.0, ",": 0.17, ":": 0.22, ";": 0.28, "!": -0.17, " ": 0.33}
_LARGE = frozenset({"sum", "prod", "int", "max", "min", "sup", "inf", "lim"})
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def _group(tex: str, start: int) -> tuple[str, int]:
    """The argument that begins at ``start`` (a braced group, a command or one character) and where it ends."""
    while start < len(tex) and tex[start] == " ":
        start += 1
    if start >= len(tex):
        return "", start
    if tex[start] == "{":
        depth = 0
        for position in range(start, len(tex)):
            if tex[position] == "\\":
                continue
            if tex[position] == "{" and tex[position - 1] != "\\":
                depth += 1
            elif tex[position] == "}" and tex[position - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return tex[start + 1:position], position + 1
        return tex[start + 1:], len(tex)
    if tex[start] == "\\":
        match = _COMMAND.match(tex, start)
        assert match is not None
        return match.group(0), match.end()
    return tex[start], start + 1


def _environment_width(environment: str, body: str) -> float:
    """A matrix or cases block: its columns' widest cells side by side, with the space between columns."""
    rows = [row.split("&") for row in re.split(r"\\\\", body) if row.strip()]
    columns = max((len(row) for row in rows), default=0)
    cells = [max((width(row[k]) for row in rows if k < len(row)), default=0.0) for k in range(columns)]
    return sum(cells) + (columns - 1) * (1.0 if "matrix" in environment else 2.0) + 1.0


def width(tex: str) -> float:
    """The printed width of ``tex`` (display math) in ems, estimated glyph by glyph.

    >>> round(width(r"\\frac{a + b}{2}"), 1)  # a + b: two letters and a sign, over a shorter 2
    2.6
    """
    total, position = 0.0, 0
    while position < len(tex):
        character = tex[position]
        if character == "\\":
            added, position = _command_width(tex, position)
            total += added
        elif character in "^_":
            script, position = _group(tex, position + 1)
            added = _SCRIPT * width(script)
            if position < len(tex) and tex[position] in "^_" and tex[position] != character:  # x_{i}^{2}: stacked
                other, position = _group(tex, position + 1)
                added = max(added, _SCRIPT * width(other))
            total += added
        elif character == "{":
            inner, position = _group(tex, position)
            total += width(inner)
        else:
            total += _GLYPHS.get(character, 0.55 if character.isalpha() else 0.5)
            position += 1
    return total


_GLYPHS = {" ": 0.0, "&": 0.0, "}": 0.0, "+": 1.22, "-": 1.22, "=": 1.33, "<": 1.33, ">": 1.33, "(": 0.39,
           ")": 0.39, "[": 0.28, "]": 0.28, "|": 0.28, ",": 0.45, ";": 0.45, ".": 0.28, "'": 0.3, "/": 0.5}


def _command_width(tex: str, start: int) -> tuple[float, int]:
    """The width of the command at ``start`` with its arguments, and where they end."""
    match = _COMMAND.match(tex, start)
    assert match is not None
    name, position = match.group(1), match.end()
    if name in ("frac", "dfrac", "tfrac", "binom"):
        numerator, position = _group(tex, position)
        denominator, position = _group(tex, position)
        return max(width(numerator), width(denominator)) + 0.3, position
    if name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr"):
        delimiter, position = _group(tex, position)
        return (0.0 if delimiter == "." else 0.45), position
    if name in _WORDS:
        word, position = _group(tex, position)
        return 0.5 * len(re.sub(r"\\[A-Za-z]+|[{}\\]", "", word)) + 0.17, position
    if name in _ACCENTS:
        argument, position = _group(tex, position)
        return width(argument), position
    if name == "sqrt":
        if tex.startswith("[", position):
            position = tex.index("]", position) + 1
        argument, position = _group(tex, position)
        return width(argument) + 0.9, position
    if name in _LARGE:  # limits below and above in display: as wide as the wider of them
        limits = 0.0
        while position < len(tex) and tex[position] in "_^":
            script, position = _group(tex, position + 1)
            limits = max(limits, _SCRIPT * width(script))
        return max(1.45 if name in ("sum", "prod", "int") else 1.5, limits) + 0.17, position
    if name == "begin":
        environment, position = _group(tex, position)
        end = tex.find(f"\\end{{{environment}}}", position)
        end = len(tex) if end < 0 else end
        return _environment_width(environment, tex[position:end]), min(len(tex), end + len(environment) + 6)
    if name in _SPACES:
        return _SPACES[name], position
    if name in _RELATIONS:
        return 1.33, position
    if name in _BINARY:
        return 1.22, position
    if name in ("log", "exp", "det", "ln", "sin", "cos", "tan", "tanh", "arg"):
        return 0.5 * len(name) + 0.17, position
    if name in ("{", "}", "|", "\\"):
        return (0.0 if name == "\\" else 0.5), position
    return 0.6, position  # a Greek letter or a symbol


# --- the places a line may be broken ---------------------------------------------------------------------------
_SIGN = re.compile(r" (=|\\leq?|\\geq?|<|>|\\approx|\\propto|\\neq?|\+|-|\\pm) ")
_RELATION = re.compile(r"(=|\\leq?|\\geq?|<|>|\\approx|\\propto|\\neq?)$")
_OPENING = ("\\left", "\\begin")
_CLOSING = ("\\right", "\\end")


def _depths(tex: str) -> Iterator[tuple[int, int]]:
    """Each position of ``tex`` (a bracket, a character, the start of a delimiting command) with its bracket
    depth: braces, brackets, \\left/\\right and environments all count; a bracket is at the depth outside it."""
    depth, position = 0, 0
    while position < len(tex):
        character = tex[position]
        if character == "\\":
            match = _COMMAND.match(tex, position)
            assert match is not None
            command = match.group(0)
            if command in _OPENING or command == "\\{":
                yield position, depth
                depth += 1
            elif command in _CLOSING or command == "\\}":
                depth -= 1
                yield position, depth
            position = match.end()
            if command in ("\\left", "\\right"):  # its delimiter is part of it
                position = _group(tex, position)[1]
            continue
        if character in "{([":
            yield position, depth
            depth += 1
        elif character in "})]":
            depth -= 1
            yield position, depth
        else:
            yield position, depth
        position += 1


def _pieces(tex: str) -> list[str]:
    """``tex`` cut before each relation and binary sign at the top level; a sign that follows another sign
    (``= - a``) is unary and stays with its operand."""
    top = {position for position, depth in _depths(tex) if depth == 0}
    cuts = [match.start() for match in _SIGN.finditer(tex) if match.start() in top]
    pieces = [tex[start:end] for start, end in zip([0, *cuts], [*cuts, len(tex)])]
    merged: list[str] = []
    for piece in pieces:
        if merged and _SIGN.fullmatch(merged[-1] + " ") or (merged and not merged[-1].strip()):
            merged[-1] += piece
        else:
            merged.append(piece)
    return [piece for piece in merged if piece.strip()]


def _opened(piece: str, room: float) -> list[str] | None:
    """A term with a bracketed sum in it, ``c \\log\\left(a + b\\right)``, cut inside its widest outermost
    brackets: ``c \\log\\left(a``, `` + b\\right)``; None when it has no such bracket at least half the
    ``room`` wide."""
    cuts: list[tuple[float, list[str]]] = []
    for opening, depth in _depths(piece):
        if depth or not piece.startswith("\\left", opening) or piece.startswith("\\left.", opening):
            continue
        inside = _group(piece, opening + len("\\left"))[1]
        closing = _matching_right(piece, inside)
        if closing is not None:
            inner = _pieces(piece[inside:closing])
            if len(inner) > 1 and width(piece[inside:closing]) > room / 2:  # a short bracket is not worth opening
                cuts.append((width(piece[inside:closing]),
                             [piece[:inside] + inner[0], *inner[1:-1], inner[-1] + piece[closing:]]))
    return max(cuts, key=lambda cut: cut[0])[1] if cuts else None


def _matching_right(tex: str, inside: int) -> int | None:
    """Where the ``\\right`` that closes the ``\\left`` just before ``inside`` begins."""
    depth = 0
    for match in re.finditer(r"\\left\b|\\right\b", tex[inside:]):  # (not \rightarrow)
        if match.group(0) == "\\left":
            depth += 1
        elif depth == 0:
            return inside + match.start()
        else:
            depth -= 1
    return None


def _open_brackets(text: str) -> int:
    """How many ``\\left`` of ``text`` its own ``\\right`` do not close (negative: closes more than it opens)."""
    return len(re.findall(r"\\left\b", text)) - len(re.findall(r"\\right\b", text))


def _terms(pieces: list[str], room: float, levels: int = 3) -> list[str]:
    """The ``pieces``, each one wider than ``room`` opened at its brackets (up to ``levels`` deep)."""
    out: list[str] = []
    for piece in pieces:
        inner = _opened(piece, room) if levels and width(piece) > room else None
        out.extend(_terms(inner, room, levels - 1) if inner else [piece])
    return out


def broken(tex: str, room: float = LINE_WIDTH) -> str:
    """``tex`` as it is when it fits in ``room`` ems; else an ``aligned`` block broken before relations and
    signs at the top level (and inside a bracket where a term alone is too wide)."""
    if width(tex) <= room or "&" in tex or "\\\\" in tex:
        return tex
    terms = _terms(_pieces(tex), room)
    if len(terms) < 2:
        return tex
    first_relation = next((k for k, term in enumerate(terms) if _is_relation(term)), None)
    lead = "".join(terms[:first_relation]) if first_relation else ""
    aligned_at_relation = bool(lead) and width(lead) <= 0.35 * room
    indent = width(lead) + 1.33 + 1.0 if aligned_at_relation else 2.0
    lines: list[str] = []
    current, depth = "", 0
    for position, term in enumerate(terms):
        depth_before, depth = depth, depth + _open_brackets(term)
        if aligned_at_relation and position <= first_relation:  # type: ignore[operator]
            if position == first_relation:  # "L ={} & ...": the lines after it are aligned under its right side
                relation = _SIGN.match(term + " ")
                assert relation is not None
                current = f"{lead.rstrip()} {relation.group(1)}{{}} & {term[relation.end():].lstrip()}"
            continue
        room_left = room - (indent if lines else 0.0)
        if current and width(current + term) > room_left:
            lines.append(current + " \\right." * depth_before)
            current = "\\left. " * depth_before + ("\\quad {}" if not _is_relation(term) else "") + term.lstrip()
        else:
            current += term
    lines.append(current)
    if len(lines) == 1:  # no break helps: a single term is wider than the line
        return tex
    if not aligned_at_relation:
        lines = [f"& {line.lstrip()}" for line in lines]
    else:
        lines = [lines[0], *(f"& {line.lstrip()}" for line in lines[1:])]
    body = " \\\\\n".join(line.rstrip() for line in lines)
    return f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"


def _is_relation(term: str) -> bool:
    sign = _SIGN.match(term + " ") if term.startswith(" ") else None
    return sign is not None and _RELATION.match(sign.group(1)) is not None
