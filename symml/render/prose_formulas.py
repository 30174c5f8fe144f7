"""Formulas that the engine writes in its prose as plain text, found so that the renderers set them as math.

A step's justification names its symbols in words written for a terminal: "L is convex in w", "(f + g)' = f' + g'",
"constraints h = 0 and g ≤ 0", "each data sum is n times a sample mean". Set as text, the symbols come out upright
beside the italic ones of the displays, and a reader cannot tell that "n" in the sentence is the n of the formula
(the rule of every style guide: a symbol is math wherever it appears, *Math into LaTeX* 2.4). :func:`formula_runs`
cuts prose into text and the formulas in it: a single letter standing as a word (not the article "a", nor a letter
of an abbreviation such as i.i.d. or B&V), a letter applied to arguments (f(x), g(λ, ν)), a known function applied
(log, exp, det, sign), Greek and script characters, and these joined by operators (=, +, −, /, ·, ≤, ...).

>>> list(formula_runs("L is convex in w, so f'(u) = 0 when n > 2 (i.i.d. data, B&V 5.1)"))  # doctest: +NORMALIZE_WHITESPACE
[('math', 'L'), ('text', ' is convex in '), ('math', 'w'), ('text', ', so '), ('math', "f'(u) = 0"),
 ('text', ' when '), ('math', 'n > 2'), ('text', ' (i.i.d. data, B&V 5.1)')]
>>> formula_latex("det(λI − A) = x_new")
'\\\\det(λ I - A) = x_{\\\\mathrm{new}}'
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator

__all__ = ["formula_runs", "formula_latex"]

_GREEK = "α-ωΑ-Ωℓ"
_GREEK_NAMES = ("alpha", "beta", "gamma", "delta", "epsilon", "kappa", "lambda", "mu", "nu", "rho", "sigma", "tau",
                "theta", "phi", "psi", "omega", "Lambda", "Sigma", "Omega")  # (not Gamma: the distribution)
_SCRIPTS = "ᵀ⁻¹²³⁰-⁹ⁿ₀-₉ᵢⱼₖₙₘ"
_FUNCTIONS = ("log", "exp", "det", "sign", "abs", "tr", "diag", "sigmoid", "softplus", "relu", "Var", "Cov")
_SUBSCRIPT = r"_[A-Za-z0-9]{1,4}(?![A-Za-z0-9])"
# A symbol: one Latin letter or a Greek one (or its name), or letters joined by scripts (aᵀb, Xᵢⱼwⱼ) or by a Greek
# letter (QΛQᵀ, τx), with scripts, a subscript and primes; ∂, ∇ or √ before it.
_SYMBOL = (rf"[∂∇√]?(?:(?:{'|'.join(_GREEK_NAMES)})(?![A-Za-z])|[A-Za-z]{{1,2}}(?={_SUBSCRIPT})|[A-Za-z](?![A-Za-z])"
           rf"|(?=[A-Za-z{_GREEK}]*[{_SCRIPTS}{_GREEK}])[A-Za-z{_GREEK}][A-Za-z{_GREEK}{_SCRIPTS}]*"
           rf"|[∂∇](?![A-Za-z]))[{_SCRIPTS}]*(?:{_SUBSCRIPT})?['’]*")
# arguments in brackets: single letters, numbers and signs only (a bracketed remark in words is not a formula)
_INSIDE = rf"(?:[^()A-Za-z&;\[\]]|{_SUBSCRIPT}|(?<![A-Za-z])[A-Za-z](?![A-Za-z])|(?:{'|'.join(_FUNCTIONS)})(?=\())"
_BRACKETS = rf"\((?:{_INSIDE}|\({_INSIDE}*\))*\)"
_POWER = r"(?:\^(?:\d+|[A-Za-z]|\([^()]*\)))"
_AFTER_BRACKET = rf"(?:[{_SCRIPTS}]*['’*]*{_POWER}?)"
_OPERAND = (rf"(?:(?:(?:{'|'.join(_FUNCTIONS)})(?={_BRACKETS})|{_SYMBOL}\*?)(?:{_BRACKETS}{_AFTER_BRACKET})?{_POWER}?"
            rf"|{_BRACKETS}{_AFTER_BRACKET})")
_NUMBER = r"\d+(?:\.\d+)?"
_OPERATOR = r"(?:>=|<=|=|\+|-|−|/|·|×|<|>|≤|≥|≠|±|∈|→|←|⊙|≈|∝|\*(?!\())"
_TERM = rf"(?:{_OPERAND}|{_NUMBER})"
# a run begins and ends at a word boundary that is not inside an abbreviation (i.i.d., e.g., B&V, x's) nor a list in
# square brackets (a matrix's rows)
_BEFORE = r"(?<![\w'’.&\\$\[])"
_AFTER = r"(?![\w&$\[\]])(?!\.\w)(?!['’]s\b)"
_DIFFERENTIAL = r"d[A-Za-z](?![A-Za-z])"  # dA, dx: after an operator only ("do" is a word)
_RUN = re.compile(rf"{_BEFORE}{_TERM}(?:\s?{_OPERATOR}\s?[-−]?(?:{_TERM}|{_DIFFERENTIAL})|(?<=[){_SCRIPTS}])\s?{_OPERAND}|\s{_OPERAND})*{_AFTER}")
_ARTICLE = re.compile(r"[aA] (?=[^\W\d])")
_NOT_A_FORMULA = re.compile(r"[aA]|I|\d+(?:\.\d+)?")  # the article, the pronoun, a number alone


def formula_runs(text: str) -> Iterator[tuple[str, str]]:
    """Yield ("text", ...) and ("math", ...) pieces of plain prose (no ``$`` math in it) in order."""
    position = 0
    for match in _RUN.finditer(text):
        formula = match.group(0)
        if _NOT_A_FORMULA.fullmatch(formula) or not re.search(rf"[A-Za-z{_GREEK}]", formula):
            continue
        article = _ARTICLE.match(formula)  # "a Gamma density": the article before a symbol, not a product
        if article:
            yield from formula_runs(text[position:match.start() + article.end()])
            yield from formula_runs(text[match.start() + article.end():match.end()])
            position = match.end()
            continue
        if match.start() > position:
            yield "text", text[position:match.start()]
        yield "math", formula
        position = match.end()
    if position < len(text):
        yield "text", text[position:]


def formula_latex(formula: str) -> str:
    """A formula found in prose written as LaTeX math (its Unicode left for the caller to spell): known functions as
    operators, Greek names as letters, subscripts and bracketed powers in braces, a product's * as a space."""
    spelled = re.sub(rf"\b({'|'.join(_FUNCTIONS)})(?=\()", lambda m: (
        f"\\{m.group(1)}" if m.group(1) in ("log", "exp", "det") else f"\\operatorname{{{m.group(1)}}}"), formula)
    spelled = re.sub(rf"(?<![A-Za-z\\])({'|'.join(_GREEK_NAMES)})(?![A-Za-z])", r"\\\1 ", spelled)
    spelled = re.sub(r"_([A-Za-z0-9]{1,4})(?![A-Za-z0-9])", lambda m: (
        f"_{{\\mathrm{{{m.group(1)}}}}}" if len(m.group(1)) >= 3 and m.group(1).isalpha() else f"_{{{m.group(1)}}}"),
        spelled)
    spelled = re.sub(r"\^\(([^()]*)\)", r"^{\1}", spelled)
    spelled = re.sub(r"(?<=[\w)])\s?\*\s?(?=[\w(])", " ", spelled)
    spelled = re.sub(r">=", r"\\ge ", re.sub(r"<=", r"\\le ", spelled))
    spelled = re.sub(rf"(?<=[{_GREEK}])(?=[A-Za-z])", " ", spelled)  # λI: \lambda I, not \lambdaI
    # a run of script characters is one script: Xᵢⱼ is X_{ij}, uⁿ⁻¹ is u^{n-1} (not X_{i}_{j})
    spelled = re.sub("[ᵢⱼₖₙₘ₀-₉]+", lambda m: f"_{{{unicodedata.normalize('NFKC', m.group(0))}}}", spelled)
    spelled = re.sub("[ᵀ⁻¹²³⁰⁴-⁹ⁿ]+", lambda m: "^{" + unicodedata.normalize(
        "NFKC", m.group(0).replace("ᵀ", "\\top ").replace("⁻", "-")).strip() + "}", spelled)
    return spelled.replace("−", "-").replace("’", "'").replace("|", "\\mid ")
