r"""The notes checker: every chain of equalities in the display math of a Markdown or LaTeX file.

Display math is ``$$ ... $$`` (Markdown and LaTeX), ``\[ ... \]``, and the ``align``, ``align*``,
``equation``, ``equation*``, ``gather`` and ``multline`` environments (``aligned``/``split`` inside are
unwrapped). Each row (rows are split at ``\\`` and at ``\implies``/``\Rightarrow``; ``&``, ``\label``,
``\tag``, ``\text{...}`` and ``\nonumber`` are dropped) is read by :mod:`symml.checker.parse_latex`. A row
that starts with a relation (``&= ...``) continues the chain of the row above. The chains of the whole file are then checked in order by
:func:`symml.checker.steps.check_items`, so a definition (``\ell(\mu) = ...``, ``f(x) := ...``) made in one
block is used by later ones, and a condition (``... = 0``) by the equations after it. A row that cannot be read
is reported as unchecked, never as wrong.

>>> report = check_notes_text("$$ (a+b)^2 = a^2 + 2ab + b^2 = a^2 + b^2 $$", kind="md")
>>> bool(report), report.first_wrong.label
(False, 'line 1')
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import sympy as sp

from symml.checker.additive_constants import CONSTANT_WORD
from symml.checker.condition_claims import excuse_rescaled_conditions
from symml.checker.events import writes_events
from symml.checker.facts_in_words import reconsider
from symml.checker.file_shapes import declare_file_shapes, definite_file_matrices
from symml.checker.latex_environments import protect_environments
from symml.checker.index_conditions import index_condition, under_index_condition
from symml.checker.inline_definitions import with_inline_definitions
from symml.checker.matrix_notation import declare_matrices, defines_matrix, matrix_options
from symml.checker.function_letters import function_letters
from symml.checker.latex_tokens import TRAILING, called_letters
from symml.checker.identity_matrix import read_identity_as_one
from symml.checker.markdown_math import restore as restore_markdown, without_blockquotes
from symml.checker.maximisers import maximiser_chain, maximiser_items
from symml.checker.sections import section_of_lines
from symml.checker.signatures import SIGNATURE, without_signature
from symml.checker.parse_latex import parse_latex, standalone_letters
from symml.checker.declared_laws import declare_law
from symml.checker.stated_facts import stated_sums, use_stated_facts
from symml.checker.steps import Item, StepCheck, StepStatus, check_items, items_of_chain
from symml.checker.vocabulary import Namespace
from symml.errors import ParseError, SymmlError
from symml.render.display import ShownInNotebooks

__all__ = ["check_notes", "check_notes_text", "NotesReport", "display_rows"]

_ENVIRONMENTS = r"(?:align|equation|gather|multline|eqnarray)\*?"
_TEX_DISPLAY = re.compile(rf"\\begin\{{({_ENVIRONMENTS})\}}(.*?)\\end\{{\1\}}|\\\[(.*?)\\\]|\$\$(.*?)\$\$", re.S)
_MARKDOWN_DISPLAY = re.compile(rf"\$\$(.*?)\$\$|\\begin\{{({_ENVIRONMENTS})\}}(.*?)\\end\{{\2\}}", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_TEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
_INNER = re.compile(r"\\(?:begin|end)\{(?:aligned|split|gathered|alignedat|array|align|equation|gather|multline|"
                    r"eqnarray)\*?\}(?:\{[^}]*\})?|(?<=\\\\)\\(?=\s)|(?<!\\)\\(?=\s)")
_DROPPED = re.compile(r"\\(?:label|tag|text|textrm|mbox|intertext|textbf|textit|href\{[^{}]*\})\{[^{}]*\}"
                      r"(?!\s*(?:\\(?:big|Big|bigg|Bigg|left)\s*)?[(\[']|\s*\^\s*\\prime)"  # \text{KL}(q || p), \text{ReLU}'(z)
                      r"(?!\s*\^\s*(?:\{[^{}]*\}|\w)\s*(?:\\(?:big|Big|bigg|Bigg|left)\s*)?\()"  # \text{bias}^2(\hat f)
                      r"|\\(?:nonumber|notag|displaystyle|newline)|\\tag\s*\w|(?<!&)&(?!&)")  # \tag1: one token
#: A one-word text in a subscript or superscript, ``\mu_\text{MLE}``, ``\theta_{\text{MAP}}``: part of a name.
_NAME_SCRIPT = re.compile(r"[_^]\s*\{?\s*$")
_ONE_WORD = re.compile(r"\\[A-Za-z]+\{\s*[A-Za-z0-9]+\s*\}")


#: A function written as a word in upright type, ``\text{log } q(z)``, ``\mathrm{exp}(x)``: the function, not a text
#: (dropped, it would leave its argument alone: ``\text{log } a + \text{log } b`` read as a + b).
_FUNCTION_WORD = re.compile(r"\\(?:text|textrm|mathrm|operatorname|rm|mbox)\s*\{\s*(log|ln|exp)\s*\}")
#: ``\text{argmax}``, ``\mbox{arg min}``: the operator, not a text (dropped, it would leave its objective alone).
_OPERATOR_WORD = re.compile(r"\\(?:text|textrm|mbox)\s*\{\s*arg\s*(max|min)\s*\}")


def _dropped(match: re.Match, piece: str) -> str:
    """What a dropped command leaves: blanks, unless it is a one-word text in a script (part of a name)."""
    if _ONE_WORD.fullmatch(match.group()) and _NAME_SCRIPT.search(piece[:match.start()]):
        return match.group()
    return " " * len(match.group())


#: Where a justification or a side condition starts on a row: ``\quad (\because ...)``, ``&& \text{...}``.
_JUSTIFICATION = re.compile(r"\\q?quad|&&|\\because|\\therefore|\\forall|\\text\s*\{\s*(?:if|for|where|s\.t\.|since)")
_ROW_BREAK = re.compile(r"\\\\(?:\[[^\]]*\])?")
#: Implication arrows separate statements on one row: each side is read on its own.
_IMPLICATION = re.compile(r"\\(?:implies|impliedby|Rightarrow|Longrightarrow|Leftrightarrow|Longleftrightarrow|iff|"
                         r"to)(?![A-Za-z])|=>"
                          r"|\\(?:rightarrow|longrightarrow)(?![A-Za-z])")
_RELATION = re.compile(r"[=<>]|\\(?:neq?|leq?|geq?|in|notin|forall)(?![A-Za-z])")
#: The upper limit of a sum or product: ``\sum_{i=1}^{N}``, ``\prod_{k=1}^K``.
_UPPER_LIMIT = re.compile(r"\\(?:sum|prod)(?:\\limits)?_(?:\{[^{}]*\}|\w)\s*\^\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z])(?![A-Za-z]))")
#: A row that goes on with the expression of the row above: it starts with an operator.
_CONTINUES = re.compile(r"[+-]|\\(?:cdot|times)(?![A-Za-z])")
#: Spacing at the start of a row (``\qquad + ...``, ``\; - ...``), which lines up a continued expression.
_SPACING = re.compile(r"^(?:\\(?:q?quad|[,;:!])(?![A-Za-z])\s*)+")
#: A list with an ellipsis: ``(y_1, y_2, \cdots, y_m)``, ``x_1, x_2, …, x_n``.
_LISTED = re.compile(r",\s*(?:\\[lc]?dots|\.\.\.|…)\s*,")
#: An optimisation problem or an estimator defined by one: ``\max_{\alpha} ...``, ``\hat w = \arg\min_w ...``.
_OPTIMISATION = re.compile(r"(?:[^=]*=\s*)?(?:\\operatorname\{?|\\mathop\{?|\\)?(?:arg\s*\\?,?\s*)?\\?(?:min|max)"
                           r"(?:imi[sz]e)?\}?\s*_")
#: The values a variable takes, listed: ``x = 0,1``, ``y = -1, 1`` (a domain, not an equation).
_VALUES = re.compile(r"\s*\\?[A-Za-z]+(?:_\{?\w+\}?)?\s*=\s*-?\d+(?:\s*,\s*-?\d+)+\s*")
#: The relations of a declaration: a distribution (``\sim``) or a set (``\in``).
_DECLARES = re.compile(r"\\(?:sim|in)(?![A-Za-z])")
#: A name defined in words (``N = \text{number of data points}``: the text dropped) or as a set given by a
#: condition (``I_0 = \{i : y^{(i)} = 0\}``): what a name means, not a claim.
_IN_WORDS = re.compile(r"[^=]*(?:=|\\coloneqq|\\triangleq)\s*")
_SET_BUILDER = re.compile(r"[^=]*=\s*\\\{[^{}:|]*(?::|\\mid|\|)")
#: ``<!-- symml: assume sigma > 0 -->`` or ``% symml: assume p in (0, 1)``: assumptions stated in the notes.
_DIRECTIVE = re.compile(r"symml:\s*assume\s+([^\n]*?)\s*(?:-->|$)", re.M)
#: The budget of each simplify stage of a step of notes (symml.check gives a lone claim 5 s): a file has a hundred
#: steps, and a step that agrees at random points but resists simplify (a log of a product of densities, measured
#: 10-20 s a step at 5 s) is decided numerically either way; only "proved symbolically" is lost.
NOTES_SIMPLIFY_SECONDS = 1.0
#: Assumptions from notation (stated in the report): sizes are positive integers, scales positive, p a probability.
_NOTATION = {"n": "positive integer", "m": "positive integer", "N": "positive integer", "K": "positive integer",
             "sigma": "positive", "lambda": "positive", "tau": "positive", "p": "probability"}


@dataclass(frozen=True)
class NotesReport(ShownInNotebooks):
    """The checks of a notes file, grouped by chain; truthy iff no step is wrong.

    Attributes:
        source: the file name (or "<text>").
        chains: ``(first line, last line, checks)`` per chain of equalities, in file order.
    """

    source: str
    chains: tuple[tuple[int, int, tuple[StepCheck, ...]], ...]
    seconds: float = 0.0
    assumed: tuple[str, ...] = ()

    @property
    def checks(self) -> tuple[StepCheck, ...]:
        return tuple(check for _, _, checks in self.chains for check in checks)

    @property
    def first_wrong(self) -> StepCheck | None:
        return next((c for c in self.checks if c.status is StepStatus.WRONG), None)

    def __bool__(self) -> bool:
        return self.first_wrong is None

    def counts(self) -> dict[str, int]:
        """How many steps have each status, and how many rows were read."""
        counts = {status.value: sum(c.status is status for c in self.checks) for status in StepStatus}
        lines = {c.label for c in self.checks}
        unread = {c.label for c in self.checks if c.note.startswith("could not read")}
        return {"read": len(lines - unread), **counts}

    def summary(self) -> str:
        wrong = self.first_wrong
        counts = self.counts()
        tally = (f"read {counts['read']} rows: {counts['holds']} steps hold, {counts['wrong']} wrong, "
                 f"{counts['unchecked']} unchecked, {counts['undecided']} undecided, {counts['condition']} "
                 f"conditions, {counts['definition']} definitions ({self.seconds:.1f} s)")
        return tally if wrong is None else f"{wrong.label} {wrong.note}; {tally}"

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: ``{"file", "steps": [...], "summary", "assumed"}``."""
        return {"file": self.source, "steps": [check.as_dict() for check in self.checks],
                "summary": {**self.counts(), "seconds": round(self.seconds, 3)}, "assumed": list(self.assumed)}

    def markdown(self) -> str:
        return self._steps().markdown()

    def latex(self) -> str:
        return self._steps().latex()

    def _steps(self) -> Any:
        from symml.checker.steps import StepsReport

        return StepsReport(self.checks, title=self.source)

    def __str__(self) -> str:
        lines = [f"{self.source}: {self.summary()}"]
        for first, last, checks in self.chains:
            lines.append(f"  chain at line {first}" if first == last else f"  chain at lines {first}-{last}")
            lines.extend(f"    {check.text()}" for check in checks)
        return "\n".join(lines)


def check_notes(path: str | Path, **options: Any) -> NotesReport:
    """Check a ``.md`` or ``.tex`` file (see the module docstring); ``options`` go to the decision procedure."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SymmlError(f"cannot read the notes file {str(path)!r}: {error.strerror or error}") from None
    kind = "tex" if path.suffix.lower() in (".tex", ".latex", ".ltx") else "md"
    return check_notes_text(text, kind=kind, source=str(path), **options)


def check_notes_text(text: str, *, kind: str = "md", source: str = "<text>", **options: Any) -> NotesReport:
    """Check the display math of notes given as text; ``kind`` is "md" or "tex"."""
    started = time.monotonic()
    namespace = notes_namespace(text)
    for letter in function_letters(text, display_rows(text, kind)):  # A(\theta) = ..., then A(\eta): a function
        namespace.functions.setdefault(letter, sp.Function(letter))
    inferred = declare_file_shapes(text, kind, namespace)  # x^T (I + W^T W) x: the shapes the rows imply
    options = {"ranges": namespace.ranges, "simplify_seconds": NOTES_SIMPLIFY_SECONDS,
               **matrix_options(text, namespace, definite_file_matrices(inferred)), **options}
    items: list[Item] = []
    chain_of_item: list[int] = []
    chain_lines: list[list[int]] = []
    justification = ""
    sections = section_of_lines(text, kind)
    last_maximiser = None  # the last member of a row that is a chain of maximisers
    for block in with_inline_definitions(display_rows(text, kind), text):  # pmf $f(x; p) = ...$ in prose
        for line, row in block:
            claim, condition = _claim_of(row)
            if not claim:  # a justification row (\because ...): the next step may use it
                justification = f"line {line}"
                continue
            namespace.doubts = []
            claim, guesses = restore_markdown(without_signature(claim))  # g: R -> R g(x) = ..., **\pi**, \boxed{
            for guess in guesses:
                namespace.doubt(guess)
            if justification:
                namespace.doubt(f"the step may use the fact stated on {justification}, which symml does not apply")
                justification = ""
            on_indices = index_condition(condition)  # \quad i = j, \quad i \neq j: used on the row's sides
            if _RELATION.search(condition) and on_indices is None:
                namespace.doubt(f"the row carries a side condition symml does not use ({condition.strip()[:40]})")
            maximisers = maximiser_chain(claim)  # \hat y = \argmax_y P(y | x) = \argmax_y P(x | y) P(y)
            if maximisers is not None:
                continued = last_maximiser if claim.startswith("=") else None
                new = maximiser_items(maximisers, continued, f"line {line}", namespace)
                last_maximiser = maximisers[-1]
                items.extend(new)
                chain_lines.append([line])
                chain_of_item.extend([len(chain_lines) - 1] * len(new))
                continue
            last_maximiser = None
            declared = _declaration(claim)
            if declared:  # y_i \sim N(mu, sigma^2), w \in R^d: what the notes assume, not a claim
                declare_law(claim, namespace)
                items.append(Item(None, None, "declares", f"line {line}", note=f"declares {declared}"))
                chain_lines.append([line])
                chain_of_item.append(len(chain_lines) - 1)
                continue
            try:
                sides = parse_latex(claim, namespace)
            except ParseError as error:
                items.append(Item(None, None, "", f"line {line}", note=f"could not read: {error}"))
                chain_lines.append([line])
                chain_of_item.append(len(chain_lines) - 1)
                continue
            if on_indices is not None and sides[0][0] == "":
                sides = under_index_condition(sides, on_indices, namespace)
            elif on_indices is not None:  # a row continuing a chain: the condition would not hold on the rows above
                namespace.doubt(f"the row carries a side condition symml does not use ({condition.strip()[:40]})")
            if defines_matrix(claim, namespace):  # \hat y = Xw, read as y_hat wherever it appears
                items.append(Item(None, None, "declares", f"line {line}", note=f"defines {claim[:60]}"))
                chain_lines.append([line])
                chain_of_item.append(len(chain_lines) - 1)
                continue
            doubts = tuple(namespace.doubts)
            continues = sides[0][0] != "" and bool(chain_lines) and bool(items) and items[-1].right is not None
            if not continues:
                chain_lines.append([])
            chain_lines[-1].append(line)
            label = f"line {line}"
            new = ([Item(None, side, relation, label, doubts=doubts) for relation, side in sides] if continues
                   else items_of_chain(sides, label, fresh=True, doubts=doubts))
            new = [replace(item, section=sections[line - 1]) for item in new]
            items.extend(new)
            chain_of_item.extend([len(chain_lines) - 1] * len(new))
    checks = use_stated_facts(check_items(items, **options), stated_sums(text))  # one-hot labels said in the notes
    checks = tuple(excuse_rescaled_conditions(items, checks))  # d ell / d sigma = -n + S / sigma^2 = 0
    lines = text.splitlines()
    checks = tuple(reconsider(check, lines, namespace, options) for check in checks)
    grouped = [(min(lines), max(lines), tuple(c for c, k in zip(checks, chain_of_item) if k == index))
               for index, lines in enumerate(chain_lines)]
    return NotesReport(source, tuple(grouped), seconds=time.monotonic() - started,
                       assumed=tuple(namespace.assumed))


def _declaration(claim: str) -> str:
    """What a row declares (``y_i \\sim N(mu, sigma^2)``, ``x \\in R``): the row when ``\\sim`` or ``\\in`` is
    its relation (outside braces: ``\\sum_{x \\in X}`` declares nothing), else empty."""
    if SIGNATURE.fullmatch(claim) or _VALUES.fullmatch(claim) or _IN_WORDS.fullmatch(claim) \
            or _SET_BUILDER.match(claim):  # a signature g: R -> R; values x = 0, 1; N = (in words); a set
        return " ".join(claim.split())[:60]
    if _OPTIMISATION.match(claim):  # \\min_{w, b} ..., w^* = \\arg\\min_w ...: a problem stated, not a claim
        return " ".join(claim.split())[:60]
    if _LISTED.search(claim) and claim.count("=") <= 1 and not re.search(r"\||\\mid", claim):
        # w = (w_1, w_2, \\cdots, w_n): the vector w and its elements
        return " ".join(claim.split())[:60]
    depth = 0
    for position, character in enumerate(claim):
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth == 0 and _DECLARES.match(claim, position):
            return " ".join(claim.split())[:60]
    return ""


def _claim_of(row: str) -> tuple[str, str]:
    """The claim of a row without its justification or side condition (``\\quad (\\because ...)``,
    ``&& \\text{...}``, ``, \\quad i \\neq j``); empty when the whole row is a justification."""
    match = _JUSTIFICATION.search(row)
    condition = ""
    if match is not None and match.start() == 0 and match.group() == "&&":  # &\text{Prediction:} &&\hat y = Xw
        row = row[2:]
    elif match is not None:
        row, condition = row[:match.start()], row[match.start():]
    return TRAILING.sub("", row).strip(), condition


def notes_namespace(text: str) -> Namespace:
    """The names of a notes file: the letters it uses on their own, the assumptions from notation (sizes are
    positive integers, sigma/lambda/tau positive, p a probability) and those the notes state with
    ``symml: assume NAME > 0`` / ``>= 0`` / ``in (a, b)`` / ``integer``."""
    namespace = Namespace()
    namespace.letters = standalone_letters(re.sub(r"<!--.*?-->", " ", text, flags=re.S))  # not a source's URL
    namespace.called_letters = called_letters(text)
    namespace.vectors = set(re.findall(r"(?<![A-Za-z\\])([A-Za-z])_\{?[ijkn](?![A-Za-z])", text))
    namespace.upper_limits = {braced or bare for braced, bare in _UPPER_LIMIT.findall(text)}
    declare_matrices(text, namespace)
    read_identity_as_one(text, namespace)  # (I - K_k G) P_k^- beside matrices read as numbers
    namespace.events = writes_events(text)
    assume_notation(namespace)
    for statement in _DIRECTIVE.findall(text):
        match = re.fullmatch(r"\\?([A-Za-z][A-Za-z0-9_]*)\s*(>|>=|\\ge|\\geq|in|integer)\s*(.*)", statement.strip())
        if match is None:
            raise ParseError(f"cannot read the assumption {statement!r}: write 'symml: assume NAME > 0', "
                             "'NAME >= 0', 'NAME in (a, b)' or 'NAME integer'")
        name, relation, rest = match.groups()
        if relation == "in":
            bounds = re.fullmatch(r"\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)", rest.strip())
            if bounds is None:
                raise ParseError(f"cannot read the interval in {statement!r}: write (a, b) with numbers")
            namespace.ranges[name] = (bounds.group(1), bounds.group(2))
            namespace.assumptions[name] = {"real": True}
            namespace.assumed.append(f"{name} in ({bounds.group(1)}, {bounds.group(2)}) (stated)")
        elif relation == "integer":
            namespace.assumptions[name] = {"integer": True}
            namespace.assumed.append(f"{name} integer (stated)")
        else:
            namespace.assumptions[name] = {"positive": True} if relation == ">" else {"nonnegative": True}
            namespace.assumed.append(f"{name} {'> 0' if relation == '>' else '>= 0'} (stated)")
    return namespace


def assume_notation(namespace: Namespace) -> None:
    """The assumptions of ML notation, stated in the report: sizes positive integers, sigma/lambda/tau positive,
    p a probability (a name the user passed as a SymPy object keeps its own)."""
    for name, kind in _NOTATION.items():
        _assume(namespace, name, kind)


def _assume(namespace: Namespace, name: str, kind: str) -> None:
    if kind == "positive integer":
        namespace.assumptions[name] = {"integer": True, "positive": True}
    elif kind == "positive":
        namespace.assumptions[name] = {"positive": True}
    else:
        namespace.assumptions[name] = {"positive": True}
        namespace.ranges[name] = ("0", "1")
    namespace.assumed.append(f"{name}: {kind} (from notation)")


def _outside_braces(row: str) -> str:
    """The row without its brace groups (the ``i = 1`` of ``\\sum_{i = 1}^n`` is no relation of the row)."""
    while True:
        shorter = re.sub(r"\{[^{}]*\}", "", row)
        if shorter == row:
            return row
        row = shorter


def display_rows(text: str, kind: str = "md") -> list[list[tuple[int, str]]]:
    """The rows of each display-math block as ``(line number, LaTeX)``, line numbers counted from 1."""
    if kind == "tex":
        text = _TEX_COMMENT.sub(lambda m: " " * len(m.group()), text)
        pattern = _TEX_DISPLAY
    else:
        text = without_blockquotes(_FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text))
        pattern = _MARKDOWN_DISPLAY
    blocks = []
    for match in pattern.finditer(text):
        group = next(g for g in range(match.re.groups, 0, -1) if match.group(g) is not None)
        body, offset = protect_environments(match.group(group)), match.start(group)
        body = _INNER.sub(lambda m: " " * len(m.group()), body)
        pieces: list[tuple[int, str]] = []
        position = 0
        for piece in [*_ROW_BREAK.split(body)]:
            start = body.index(piece, position) if piece else position
            position = start + len(piece)
            piece = _FUNCTION_WORD.sub(lambda m: f"\\{m.group(1)} ", piece)
            piece = _OPERATOR_WORD.sub(lambda m: f"\\operatorname{{arg{m.group(1)}}}", piece)
            blanked = _DROPPED.sub(lambda m: _dropped(m, piece), CONSTANT_WORD.sub(r"\\mathrm{const}", piece))
            cleaned = " ".join(blanked.split()).rstrip(".,;")
            going_on = _SPACING.sub("", cleaned, count=1)  # "& \qquad + ...": spacing before the operator
            if cleaned and pieces and _CONTINUES.match(going_on) and not _RELATION.search(_outside_braces(going_on)):
                # "- \log B(a, b)" on a row of its own: the expression of the row above goes on
                pieces[-1] = (pieces[-1][0], f"{pieces[-1][1]} {going_on}")
            elif cleaned:
                leading = len(blanked) - len(blanked.lstrip())
                pieces.append((text.count("\n", 0, offset + start + leading) + 1, cleaned))
        rows = [(line, statement.strip()) for line, cleaned in pieces for statement in _IMPLICATION.split(cleaned)
                if statement.strip()]
        if rows:
            blocks.append(rows)
    return blocks
