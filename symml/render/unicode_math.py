"""LaTeX -> one line of Unicode, for terminals: the text renderer's math is the LaTeX printer's, re-spelt.

Every formula symml prints in a terminal first goes through the one LaTeX printer, so the text shows the same
notation, order and grouping as the PDF; this module only re-spells the LaTeX symml emits (fractions, roots,
sums, accents, matrices, super- and subscripts, Greek letters, operators) in Unicode. An unknown command loses
only its backslash.

>>> readable(r"x \\in \\left(-\\infty, \\infty\\right)")
'x ∈ (−∞, ∞)'
>>> readable(r"\\hat{\\sigma}^{2} = \\frac{1}{n} \\sum_{i=1}^{n} \\left(x_{i} - \\bar{x}\\right)^{2}")
'σ̂² = (1/n) ∑ᵢ₌₁ⁿ (xᵢ − x̄)²'
>>> readable(r"\\frac{n \\left(\\bar{x} - \\mu\\right)}{\\sigma^{2}}")
'n(x̄ − μ)/σ²'
>>> readable(r"X^{\\top} \\operatorname{diag}\\left(\\sigma\\left(X w\\right)\\right) X")
'Xᵀ diag(σ(Xw)) X'
>>> readable(r"\\hat{N} = \\left\\lceil{\\bar{x}}\\right\\rceil")  # an integer estimate: was \\lceilx̄\\rceil
'N̂ = ⌈x̄⌉'
>>> readable(r"\\begin{cases} 0 & \\text{for}\\: x \\leq 0 \\\\x & \\text{otherwise} \\end{cases}")
'{0 for x ≤ 0; x otherwise}'
"""
from __future__ import annotations

import re
import unicodedata
from typing import Union

__all__ = ["readable", "width"]

_SYMBOLS = {
    "infty": "∞", "in": "∈", "notin": "∉", "dots": "…", "ldots": "…", "cdots": "⋯", "times": "×", "cdot": "·",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "to": "→",
    "rightarrow": "→", "Rightarrow": "⇒", "mapsto": "↦", "cap": "∩", "cup": "∪", "wedge": "∧", "vee": "∨",
    "nabla": "∇", "partial": "∂", "sum": "∑", "prod": "∏", "odot": "⊙", "otimes": "⊗", "circ": "∘", "pm": "±",
    "sim": "∼", "top": "ᵀ", "ell": "ℓ", "lambda": "λ", "Lambda": "Λ", "quad": "  ", "qquad": "    ",
    "{": "{", "}": "}", "|": "‖", ",": " ", ";": " ", ":": " ", "!": "", " ": " ", "%": "%", "&": "&", "_": "_",
    "#": "#", "emptyset": "∅", "forall": "∀", "exists": "∃", "mid": "|", "propto": "∝", "equiv": "≡",
}
#: Floor and ceiling brackets, after \\left and \\right or alone (an integer estimate's ⌈x̄⌉).
_BRACKETS = {"\\lceil": "⌈", "\\rceil": "⌉", "\\lfloor": "⌊", "\\rfloor": "⌋"}
_SYMBOLS.update({bracket[1:]: shown for bracket, shown in _BRACKETS.items()})
_DROPPED = {"displaystyle", "limits", "big", "Big", "bigg", "Bigg", "nonumber"}
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ", "I": "I"}
_CALLIGRAPHIC = {"N": "𝒩", "U": "𝒰", "L": "ℒ", "O": "𝒪", "D": "𝒟", "X": "𝒳"}
_BOLD = {"1": "𝟏", "0": "𝟎"}
_ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "dot": "\u0307", "vec": "\u20d7"}
_SUPERSCRIPTS = dict(zip("0123456789+-−=()niᵀ", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵀ"))
_SUBSCRIPTS = dict(zip("0123456789+-−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ"))
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_&\[\]]|\s+|.", re.S)
_OPERATORS = set("+−=,/<>≤≥∈")

Node = Union[str, list]
_ENDS_A_FACTOR = {"+", "-", "=", ",", ";", "&", "\\\\", ")", "]", "<", ">", "\\right", "\\end", "\\quad", "\\qquad",
                  "\\leq", "\\geq", "\\le", "\\ge", "\\in", "\\to", "^", "_"}


def _parse(tex: str) -> list[Node]:
    """Tokens, with each brace group as a nested list."""
    stack: list[list[Node]] = [[]]
    for token in _TOKEN.findall(tex):
        if token == "{":
            stack.append([])
        elif token == "}" and len(stack) > 1:
            group = stack.pop()
            stack[-1].append(group)
        else:
            stack[-1].append(" " if token.isspace() else token)
    while len(stack) > 1:  # an unbalanced brace: keep what is there
        group = stack.pop()
        stack[-1].extend(group)
    return stack[0]


def _greek(name: str) -> str | None:
    case = "CAPITAL" if name[0].isupper() else "SMALL"
    letter = {"lambda": "lamda", "varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi"}.get(name, name)
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {letter.upper()}")
    except KeyError:
        return None


def width(text: str) -> int:
    """The columns ``text`` takes in a terminal (combining accents take none)."""
    return sum(0 if unicodedata.combining(c) else 1 for c in text)


def _top_level(text: str) -> str:
    """``text`` with each bracketed part (a norm ‖·‖ too) replaced by one placeholder."""
    depth, in_norm = 0, False
    kept: list[str] = []
    for c in text:
        if c == "‖" and (depth == 0 or (in_norm and depth == 1)):  # the same bar opens and closes a norm
            kept.extend("" if in_norm else "□")
            depth, in_norm = (depth - 1, False) if in_norm else (depth + 1, True)
            continue
        if depth == 0 and c in "([{":
            kept.append("□")
        depth += c in "([{"
        if depth == 0:
            kept.append(c)
        depth -= c in ")]}" and depth > 0
    return "".join(kept)


def _atomic(text: str) -> bool:
    outside = _top_level(text)
    return not (" " in outside.strip() or any(c in _OPERATORS for c in outside.lstrip("−")))


def _wrapped(text: str) -> str:
    return text if _atomic(text) else f"({text})"


def _script(text: str, table: dict[str, str], mark: str) -> str:
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return f"{mark}({text})" if len(text) > 1 else f"{mark}{text}"


class _Reader:
    def __init__(self, nodes: list[Node]) -> None:
        self.nodes, self.position = nodes, 0

    def next(self) -> Node | None:
        while self.position < len(self.nodes) and self.nodes[self.position] == " ":
            self.position += 1
        if self.position >= len(self.nodes):
            return None
        node = self.nodes[self.position]
        self.position += 1
        return node

    def peek(self) -> Node | None:
        position = self.position
        node = self.next()
        self.position = position
        return node

    def argument(self) -> str:
        node = self.next()
        return "" if node is None else _render([node])

    def raw(self) -> str:
        node = self.next()
        if isinstance(node, list):
            return "".join(n if isinstance(n, str) else "" for n in node)
        return node or ""


def _matrix(reader: _Reader, cells: str = ", ") -> str:
    """An environment's rows up to its ``\\end``: cells joined by ``cells``, rows by "; "."""
    rows: list[list[str]] = [[]]
    cell: list[Node] = []
    while (node := reader.next()) is not None:
        if node == "\\end":
            reader.raw()
            break
        if node in ("&", "\\\\"):
            rows[-1].append(_render(cell))
            cell = []
            if node == "\\\\":
                rows.append([])
        else:
            cell.append(node)
            if reader.position < len(reader.nodes) and reader.nodes[reader.position] == " ":
                cell.append(" ")
    rows[-1].append(_render(cell))
    return "; ".join(cells.join(c.strip() for c in row) for row in rows if any(c.strip() for c in row))


def _command(name: str, reader: _Reader) -> str:
    if name == "frac":
        numerator, denominator = _tidy(reader.argument()), _tidy(reader.argument(), hug=False)
        if numerator.startswith(("∂", "d")) and denominator.startswith(("∂", "d")) and len(numerator) <= 3:
            return f"{numerator}/{denominator.replace(' ', '')} "  # an operator: ∂/∂μ ℓ(μ, σ)
        quotient = f"{_wrapped(numerator)}/{_wrapped(denominator)}"
        following = reader.peek()
        # a quotient multiplying what follows is bracketed: (1/n) Σ ..., not 1/n Σ ...
        return f"({quotient})" if following is not None and following not in _ENDS_A_FACTOR else quotient
    if name == "binom":
        top, bottom = _tidy(reader.argument()), _tidy(reader.argument())
        return f"C({top}, {bottom})"
    if name == "sqrt":
        inside = _tidy(reader.argument())
        return f"√{inside}" if _atomic(inside) and len(inside) <= 2 else f"√({inside})"
    if name in ("left", "right", "bigl", "bigr"):  # a sized bracket is a bracket in a terminal
        delimiter = reader.raw()
        return {".": "", "\\{": "{", "\\}": "}", "\\|": "‖", "\\langle": "⟨", "\\rangle": "⟩", **_BRACKETS}.get(delimiter,
                                                                                                  delimiter)
    if name in _ACCENTS:
        inside = reader.argument()
        return inside + _ACCENTS[name] if width(inside) == 1 else f"{inside}{_ACCENTS[name]}"
    if name == "overline":
        return f"mean({reader.argument()})"
    if name == "mathbb":
        inside = reader.argument()
        return _BLACKBOARD.get(inside, inside)
    if name == "mathcal":
        inside = reader.argument()
        return _CALLIGRAPHIC.get(inside, inside)
    if name in ("mathbf", "boldsymbol"):
        inside = reader.argument()
        return _BOLD.get(inside, inside)
    if name == "mathit":  # one name of several letters: kept apart from its neighbours when products are joined
        inside = reader.argument()
        return f"{_WORD}{inside}{_WORD}" if len(inside) > 1 else inside
    if name in ("mathrm", "operatorname", "text", "textbf", "textit", "substack", "mathsf"):
        return reader.argument()
    if name == "begin":
        environment = reader.raw()
        if environment == "cases":  # a Piecewise: {0 for x ≤ 0; x otherwise}
            return "{" + _matrix(reader, cells=" ") + "}"
        return _matrix(reader) if environment.endswith("matrix") else ""
    if name in ("end", *_DROPPED):
        if name == "end":
            reader.raw()
        return ""
    if name in _SYMBOLS:
        return _SYMBOLS[name]
    return _greek(name) or name


def _render(nodes: list[Node]) -> str:
    reader = _Reader(nodes)
    out: list[str] = []
    while reader.position < len(nodes):
        node = nodes[reader.position]
        reader.position += 1
        if isinstance(node, list):
            out.append(_render(node))
        elif node in ("^", "_"):
            script = _tidy(reader.argument())
            table, mark = (_SUPERSCRIPTS, "^") if node == "^" else (_SUBSCRIPTS, "_")
            out.append(_script(script, table, mark))
        elif node.startswith("\\") and len(node) > 1:
            out.append(_command(node[1:], reader))
        elif node == "-":
            out.append("−")
        elif node == "~":
            out.append(" ")
        else:
            out.append(node)
    return "".join(out)


#: Marks the ends of a name of several letters while products are joined: 2 lam w stays 2 lam w, not 2lamw
_WORD = "\x00"
_LETTER = r"[A-Za-z\u0391-\u03a9\u03b1-\u03c9ℓ][\u0300-\u036f]*"
_SCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ"
_FACTORS_END = re.compile(rf"(?<![\w\u0300-\u036f^_/{_SCRIPTS}])\d*(?:{_LETTER}[{_SCRIPTS}]*)*$")
_FACTOR_START = re.compile(rf"{_LETTER}[{_SCRIPTS}]*(?![\w(])|{_LETTER}ᵀ(?=\()")  # Xᵀ(Xw − y) is a product
_WORDS = ("log", "exp", "det", "tr", "diag", "sum", "min", "max", "med", "mean", "vec", "sign", "relu", "softplus",
          "softmax", "logsumexp", "logdet", "tanh", "sin", "cos", "for", "and", "if", "of", "at")


def _juxtapose(text: str) -> str:
    """Products of one-letter factors written together, as by hand: 2 π -> 2π, μ x_i -> μxᵢ, X w -> Xw."""
    words = text.split(" ")
    out = [words[0]]
    for word in words[1:]:
        end = _FACTORS_END.search(out[-1])
        letters = re.sub(r"[^A-Za-z]", "", end.group(0)) if end else ""
        differential = re.match(r"d[A-Za-z\u0391-\u03a9\u03b1-\u03c9]", end.group(0)) if end else None
        if end and end.group(0) and _FACTOR_START.match(word) and not letters.endswith(_WORDS) and not differential:
            out[-1] += word
        else:
            out.append(word)
    # a numerator that became one product needs no brackets: (μxᵢ)/σ² -> μxᵢ/σ²
    return re.sub(r"(?<![\w\u0300-\u036f)])\(([^()\s/+−=,]+)\)/", r"\1/", " ".join(out))


def _tidy(text: str, hug: bool = True) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"([∂∇]) ", r"\1", text)
    if hug:
        text = re.sub(r"([A-Za-z0-9\u0370-\u03ff\u0300-\u036f²³¹)ᵀ]) \(", r"\1(", text)  # n (x − μ) -> n(x − μ)
    text = re.sub(r"\( ", "(", re.sub(r" \)", ")", text))
    return re.sub(r"(^|[(\[=,;]\s?)− ", r"\1−", text)  # a leading minus sign hugs its operand


def readable(tex: str) -> str:
    """The LaTeX ``tex`` written as one line of Unicode for a terminal."""
    return _juxtapose(_tidy(_render(_parse(tex)))).replace(_WORD, "")
