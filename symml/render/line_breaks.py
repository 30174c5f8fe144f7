"""Long display equations broken across lines, as a typesetter breaks them: before a relation or a + or - sign.

TeX never breaks a display equation: a line wider than the page runs into the margin (pdflatex's "Overfull
\\hbox"), and KaTeX in a notebook makes it scroll. :func:`broken` estimates the printed width of a line of LaTeX
(:func:`width`, in ems of the body font: each glyph by its class, scripts at 70%, a fraction as wide as its wider
part, a sum as wide as its limits) and, past the line width, sets it as an ``aligned`` block broken before the
signs at the top level, the first line aligned at its relation and the others indented under it (amsmath's
advice for multi-line equations, *Math into LaTeX* 8.4). A term still too wide is opened at its bracket,
``\\log\\left(a + b\\right)`` as ``\\log\\left(a \\right.`` and ``\\left. + b\\right)``; a product too wide is broken
before a large factor, the new line beginning with ``\\cdot``; a fraction or root wider than most of the line is
first written on the line (``\\frac{1}{D} \\left(N\\right)``, :func:`_unstacked`), since TeX cannot break a stacked
one. :func:`inline` does the same for inline math in a sentence. The value printed is the same; only the layout
changes. A line is read once (:class:`_Measured`), so breaking costs time in proportion to its length.

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

import bisect
import re
from typing import Iterator

__all__ = ["broken", "inline", "width", "relation_split", "LINE_WIDTH", "LEAD_SHARE"]

#: The width a display line may take, in ems of a 10 pt body font: an A4/letter page with 2 cm margins, less the
#: indent of a numbered step (25 pt), less a margin of error of the estimate.
LINE_WIDTH = 42.0
#: A line is aligned at its relation when what precedes the relation takes at most this share of the line width.
LEAD_SHARE = 0.35

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
        if tex[position] in _STRUCTURED:
            added, position = _element(tex, position)
            total += added
        else:  # (inline: most of a line is plain glyphs)
            total += _GLYPH_WIDTH[tex[position]]
            position += 1
    return total


def _advances(tex: str) -> Iterator[tuple[int, float]]:
    """Each element at the top level of ``tex`` (a glyph, a command with its arguments, a script, a braced group):
    where it begins, and its width. A line is measured once; a part of it between two elements is the difference
    of their running widths."""
    position = 0
    while position < len(tex):
        start = position
        added, position = _element(tex, position)
        yield start, added


_STRUCTURED = frozenset("\\^_{")


def _element(tex: str, position: int) -> tuple[float, int]:
    """The width of the element at ``position`` and where it ends."""
    character = tex[position]
    if character == "\\":
        return _command_width(tex, position)
    if character in "^_":
        script, position = _group(tex, position + 1)
        added = _SCRIPT * width(script)
        if position < len(tex) and tex[position] in "^_" and tex[position] != character:  # x_{i}^{2}: stacked
            other, position = _group(tex, position + 1)
            added = max(added, _SCRIPT * width(other))
        return added, position
    if character == "{":
        inner, position = _group(tex, position)
        return width(inner), position
    return _GLYPH_WIDTH[character], position + 1


_GLYPHS = {" ": 0.0, "&": 0.0, "}": 0.0, "+": 1.22, "-": 1.22, "=": 1.33, "<": 1.33, ">": 1.33, "(": 0.39,
           ")": 0.39, "[": 0.28, "]": 0.28, "|": 0.28, ",": 0.45, ";": 0.45, ".": 0.28, "'": 0.3, "/": 0.5}
class _GlyphWidths(dict):
    """The width of each glyph: from the table, else a letter's or another symbol's."""

    def __missing__(self, character: str) -> float:
        self[character] = _GLYPHS.get(character, 0.55 if character.isalpha() else 0.5)
        return self[character]


_GLYPH_WIDTH = _GlyphWidths()


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
#: The tokens that open or close a bracket (braces, brackets, \left/\right with its delimiter, environments); any
#: other command is matched whole, so that its letters and escaped braces are not taken for brackets.
_BRACKET = re.compile(r"\\(left|right)(?![A-Za-z]) *(?:\\[A-Za-z]+|\\.|.)|\\(begin|end)(?![A-Za-z])|\\([{}])"
                      r"|\\[A-Za-z]+|\\.|([{(\[])|([})\]])")


class _Measured:
    """A line read once, so that breaking it costs time in proportion to its length: where each bracket opens or
    closes (with the depth after it), the \\right of each \\left, where each sign is; and, for a line to be broken,
    the running width at each element (:meth:`measure`)."""

    def __init__(self, tex: str) -> None:
        self.tex = tex
        self.brackets: list[int] = []
        self.after: list[int] = []
        self.lefts: list[int] = []
        self.right_of: dict[int, int] = {}
        self.inside: dict[int, int] = {}  # \\left -> where its content begins (after the delimiter)
        depth, opened = 0, []
        for match in _BRACKET.finditer(tex):
            command, environment, escaped, opening, closing = match.groups()
            if command == "left" or environment == "begin" or escaped == "{" or opening:
                depth += 1
            elif command == "right" or environment == "end" or escaped == "}" or closing:
                depth -= 1
            else:
                continue
            self.brackets.append(match.start())
            self.after.append(depth)
            if command == "left":
                opened.append(match.start())
                self.inside[match.start()] = match.end()
                if not match.group(0).endswith("."):
                    self.lefts.append(match.start())
            elif command == "right" and opened:
                self.right_of[opened.pop()] = match.start()
        self.signs = [match.start() for match in _SIGN.finditer(tex)]
        self.factors = [match.start() for match in _FACTOR.finditer(tex)]
        self.factor_starts: set[int] = set()  # the factors a line may begin with (after a \\cdot)
        self.before: dict[int, float] = {}

    def measure(self) -> None:
        total = 0.0
        for start, added in _advances(self.tex):
            self.before[start] = total
            total += added
        self.before[len(self.tex)] = total

    def depth(self, position: int) -> int:
        """The bracket depth at ``position``: of the brackets opened before it, how many are still open."""
        before = bisect.bisect_left(self.brackets, position)
        return self.after[before - 1] if before else 0

    def span_width(self, start: int, end: int) -> float:
        if start in self.before and end in self.before:
            return self.before[end] - self.before[start]
        return width(self.tex[start:end])

    def text(self, span: tuple[int, int]) -> str:
        return self.tex[span[0]:span[1]]


Span = tuple[int, int]
#: Where a product may be broken: the space before a large factor (a bracket, a fraction, a root, a function), after
#: the end of the factor before it, or before a product sign; the new line begins with the sign (a \cdot if none).
_FACTOR = re.compile(r"(?<=[\w})\]]) (?=\\(?:left|frac|sqrt|exp|log|operatorname|Gamma|sum|prod|odot|cdot|times)"
                     r"(?![A-Za-z])|\()")
_PRODUCT_SIGNS = ("\\odot", "\\cdot", "\\times")


def _pieces(line: _Measured, start: int, end: int, level: int = 0) -> list[Span]:
    """``line.tex[start:end]`` cut before each relation and binary sign at bracket depth ``level``; a sign that
    follows another sign (``= - a``) is unary and stays with its operand."""
    signs = line.signs[bisect.bisect_left(line.signs, start):bisect.bisect_left(line.signs, end)]
    cuts = [sign for sign in signs if line.depth(sign) == level]
    merged: list[Span] = []
    for span in zip([start, *cuts], [*cuts, end]):
        if merged and (_is_sign(line, merged[-1]) or not line.text(merged[-1]).strip()):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return [span for span in merged if line.text(span).strip()]


def _factors(line: _Measured, start: int, end: int, level: int) -> list[Span]:
    """``line.tex[start:end]``, a product, cut before each large factor outside every bracket opened in it (at
    bracket depth ``level``, or less past the close of a bracket it begins in)."""
    factors = line.factors[bisect.bisect_right(line.factors, start):bisect.bisect_left(line.factors, end)]
    cuts, lowest, seen = [], level, bisect.bisect_right(line.brackets, start)
    for factor in factors:
        reached = bisect.bisect_left(line.brackets, factor)
        lowest = min([lowest, *line.after[seen:reached]])
        seen = reached
        if line.depth(factor) == lowest:
            cuts.append(factor)
    line.factor_starts.update(cuts)
    return list(zip([start, *cuts], [*cuts, end]))


def _is_sign(line: _Measured, span: Span) -> bool:
    return span[1] - span[0] <= 12 and _SIGN.fullmatch(line.text(span) + " ") is not None


def _opened(line: _Measured, span: Span, room: float) -> list[Span] | None:
    """A term with a bracketed sum (or product) in it, ``c \\log\\left(a + b\\right)``, cut inside its widest
    outermost brackets that close in it: ``c \\log\\left(a``, `` + b\\right)``; None when it has no such bracket
    at least half the ``room`` wide."""
    start, end = span
    cuts: list[tuple[float, list[Span]]] = []
    enclosed_until = start  # (a bracket inside one already considered is not outermost)
    for opening in line.lefts[bisect.bisect_left(line.lefts, start):bisect.bisect_left(line.lefts, end)]:
        closing = line.right_of.get(opening, end)
        if opening < enclosed_until or closing >= end:
            continue
        enclosed_until = closing
        level = line.depth(opening) + 1
        inside = line.inside[opening]
        inner = _pieces(line, inside, closing, level) if inside < closing else []
        if len(inner) == 1:  # a product in the bracket: cut before its factors
            inner = _factors(line, inside, closing, level)
        inner_width = line.span_width(inside, closing)
        if len(inner) > 1 and inner_width > room / 2:  # a short bracket is not worth opening
            cuts.append((inner_width, [(start, inner[0][1]), *inner[1:-1], (inner[-1][0], end)]))
    return max(cuts, key=lambda cut: cut[0])[1] if cuts else None


def _open_brackets(text: str) -> int:
    """How many ``\\left`` of ``text`` its own ``\\right`` do not close (negative: closes more than it opens)."""
    return len(re.findall(r"\\left\b", text)) - len(re.findall(r"\\right\b", text))


def _terms(line: _Measured, pieces: list[Span], room: float, levels: int = 4) -> list[Span]:
    """The ``pieces``, each one wider than ``room`` opened at its brackets, or cut before its factors (up to
    ``levels`` deep)."""
    out: list[Span] = []
    for piece in pieces:
        inner = _opened(line, piece, room) if levels and line.span_width(*piece) > room else None
        if levels and inner is None and line.span_width(*piece) > room:
            inner = _factors(line, *piece, line.depth(piece[0])) or None
            inner = inner if inner and len(inner) > 1 else None
        out.extend(_terms(line, inner, room, levels - 1) if inner else [piece])
    return out


def broken(tex: str, room: float = LINE_WIDTH) -> str:
    """``tex`` as it is when it fits in ``room`` ems; else an ``aligned`` block broken before relations and
    signs at the top level (and inside a bracket where a term alone is too wide)."""
    if "&" in _ENVIRONMENT.sub("", tex) or "\\\\" in _ENVIRONMENT.sub("", tex):
        return tex  # laid out already (a cases block or a matrix inside the line is one term: it is broken around)
    if width(tex) <= room:
        return tex
    line = _Measured(_unstacked(tex, _UNSTACKED_SHARE * room))
    line.measure()
    tex = line.tex
    pieces = _pieces(line, 0, len(tex))
    relation_piece = next((piece for piece in pieces if _is_relation(line.text(piece))), None)
    lead_width = line.span_width(0, relation_piece[0]) if relation_piece else 0.0
    aligned_at_relation = 0 < lead_width <= LEAD_SHARE * room
    indent = lead_width + 1.33 + 1.0 if aligned_at_relation else 2.0
    spans = _terms(line, pieces, room - indent)  # a term is opened where it does not fit beside the indent
    if len(spans) < 2:
        return tex
    terms = [line.text(span) for span in spans]
    first_relation = next((k for k, term in enumerate(terms) if _is_relation(term)), None)
    lead = "".join(terms[:first_relation]) if first_relation else ""
    lines: list[str] = []
    current, current_width, depth = "", 0.0, 0
    for position, (term, span) in enumerate(zip(terms, spans)):
        depth_before, depth = depth, depth + _open_brackets(term)
        term_width = line.span_width(*span)
        if aligned_at_relation and position <= first_relation:  # type: ignore[operator]
            if position == first_relation:  # "L ={} & ...": the lines after it are aligned under its right side
                relation = _SIGN.match(term + " ")
                assert relation is not None
                current = f"{lead.rstrip()} {relation.group(1)}{{}} & {term[relation.end():].lstrip()}"
                current_width = lead_width + term_width
            continue
        room_left = room - (indent if lines else 0.0)
        if current and current_width + term_width > room_left:
            lines.append(current + " \\right." * depth_before)
            quad = not _is_relation(term)
            product = "\\cdot " if span[0] in line.factor_starts and not term.lstrip().startswith(_PRODUCT_SIGNS) else ""
            current = "\\left. " * depth_before + ("\\quad {}" if quad else "") + product + term.lstrip()
            current_width = (_SPACES["quad"] if quad else 0.0) + (1.22 if product else 0.0) + term_width
        else:
            current += term
            current_width += term_width
    lines.append(current)
    if len(lines) == 1:  # no break helps: a single term is wider than the line
        return tex
    if not aligned_at_relation:
        lines = [f"& {line.lstrip()}" for line in lines]
    else:
        lines = [lines[0], *(f"& {line.lstrip()}" for line in lines[1:])]
    body = " \\\\\n".join(line.rstrip() for line in lines)
    return f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"


#: A block of rows and columns (cases, a matrix), innermost first: its & and \\\\ are its own.
_ENVIRONMENT = re.compile(r"\\begin\{(\w+\*?)\}(?:(?!\\begin\{).)*?\\end\{\1\}", re.S)

#: A fraction or root wider than this share of the line is written on the line (it cannot be broken stacked).
_UNSTACKED_SHARE = 0.65


def inline(tex: str, room: float = LINE_WIDTH) -> str:
    """Inline math (in a sentence) that TeX can break across lines: where it is wider than half of ``room``, its fractions
    and roots wider than a third of it are written on the line with plain brackets, ``(N)/(D)`` and ``(X)^{1/2}``,
    and its other brackets lose ``\\left``/``\\right`` (TeX breaks a formula in a paragraph after a relation or a
    sign outside every group, and \\frac, \\sqrt and \\left...\\right are groups). The same value.

    >>> inline(r"x = \\frac{a + b}{c}", room=4.0)
    'x = (a + b)/(c)'
    """
    if width(tex) <= room / 2:  # (it begins anywhere in a line of text)
        return tex
    return re.sub(r"\\(?:left|right)(?=[()\[\]])", "", _unstacked(tex, room / 3, inline=True))


def _unstacked(tex: str, limit: float, inline: bool = False) -> str:
    """``tex`` with each fraction and root wider than ``limit`` ems (outside scripts) written on the line, so that
    the sums in it can be broken: ``\\frac{N}{D}`` as ``\\frac{1}{D} \\left(N\\right)``, or, its denominator wide
    too, ``\\left(N\\right) / \\left(D\\right)``; ``\\sqrt{X}`` as ``\\left(X\\right)^{1/2}``. The same value.

    >>> _unstacked(r"\\frac{a + b}{2} + \\sqrt{c}", limit=1.0)
    '\\\\frac{1}{2} \\\\left(a + b\\\\right) + \\\\sqrt{c}'
    """
    if "\\frac" not in tex and "\\sqrt" not in tex:
        return tex
    out: list[str] = []
    position = 0
    while position < len(tex):
        character = tex[position]
        if tex.startswith("\\frac", position) and not tex[position + 5:position + 6].isalpha():
            numerator, after_numerator = _group(tex, position + 5)
            denominator, end = _group(tex, after_numerator)
            wide_numerator, wide_denominator = width(numerator) > limit, width(denominator) > limit
            numerator, denominator = _unstacked(numerator, limit, inline), _unstacked(denominator, limit, inline)
            if inline and (wide_numerator or wide_denominator):
                out.append(f"({numerator})/({denominator})")
            elif wide_denominator:
                out.append(f"\\left({numerator}\\right) / \\left({denominator}\\right)")
            elif wide_numerator:
                out.append(f"\\frac{{1}}{{{denominator}}} \\left({numerator}\\right)")
            else:
                out.append(f"\\frac{{{numerator}}}{{{denominator}}}")
            position = end
        elif tex.startswith("\\sqrt{", position):
            radicand, end = _group(tex, position + 5)
            inner = _unstacked(radicand, limit, inline)
            out.append(f"\\sqrt{{{inner}}}" if width(radicand) <= limit else f"({inner})^{{1/2}}" if inline
                       else f"\\left({inner}\\right)^{{1/2}}")
            position = end
        elif character in "^_":  # a script is set small: left as it is
            script, end = _group(tex, position + 1)
            out.append(tex[position:end])
            position = end
        elif character == "\\":
            command = _COMMAND.match(tex, position)
            assert command is not None
            out.append(command.group(0))
            position = command.end()
        else:
            out.append(character)
            position += 1
    return "".join(out)


def _is_relation(term: str) -> bool:
    sign = _SIGN.match(term + " ") if term.startswith(" ") else None
    return sign is not None and _RELATION.match(sign.group(1)) is not None


def relation_split(tex: str) -> tuple[str, str, str] | None:
    """``tex`` cut at its first relation outside every bracket: (left side, relation, right side); None when it
    has none, or has an alignment tab or a line break outside an environment (it is laid out already).

    >>> relation_split(r"\\hat{\\mu} = \\frac{1}{n} \\sum_{i} x_{i}")
    ('\\\\hat{\\\\mu}', '=', '\\\\frac{1}{n} \\\\sum_{i} x_{i}')
    >>> relation_split(r"f(a = b)") is None
    True
    """
    line = _Measured(tex)
    if any(line.depth(match.start()) == 0 for match in _LAYOUT.finditer(tex)):
        return None
    for sign in line.signs:
        match = _SIGN.match(tex, sign)
        assert match is not None
        if line.depth(sign) == 0 and _RELATION.match(match.group(1)):
            return tex[:sign].rstrip(), match.group(1), tex[match.end():].lstrip()
    return None


_LAYOUT = re.compile(r"&|\\\\")
