r"""``check_steps``: where does a derivation go wrong?

Steps are checked in order, each against what came before:

- an expression continues the chain: it must equal the previous step's value (the right side of an equation);
- an equation whose left side is a new name (``ell(mu) = ...``, ``L = ...``, or any ``:=``) is a definition:
  not a claim; later steps may use the name, and it is replaced by its definition before checking;
- any other equation is first checked as an identity (``d/dmu ell(mu) = sum_i (x_i - mu)``);
- an equation that is not an identity is a condition (``sum_i (x_i - mu) = 0``). The first one, which sets an
  expression to zero, is imposed, not derived: marked *unchecked*, never wrong. A later one must follow from the
  previous condition: the same equation rearranged or rescaled, or ``mu = ...`` that satisfies it, or (after
  solving the previous condition for one of its symbols) an equation that holds at every solution; a point where
  the previous condition holds and this one does not is a counterexample. What cannot be checked is marked
  unchecked.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> report = check_steps(["(x + 1)**2", "x**2 + 2*x + 1", "x**2 + x + 1"])
>>> bool(report), report.first_wrong.label
(False, 'step 3')
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.budget import SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.checker.additive_constants import up_to_constant, variables_of_interest
from symml.checker.binary_labels import labels_make_it_hold
from symml.checker.bound_indices import bound_renamed
from symml.checker.chain_rule import chain_rule, derivative_by_defined_element, definitions_in_derivatives
from symml.checker.claims import namespace_for, parse_string
from symml.checker.decide import canonical_indices, decide, split_sums
from symml.checker.declared_steps import declarations, held_partially, names_after_differentiating
from symml.checker.condition_claims import logs_expanded, real_counterexample
from symml.checker.definition_chains import follow_definition
from symml.checker.failures import SYMPY_FAILURES
from symml.checker.implications import RECENT, implied_by
from symml.checker.intermediate_quantities import Uses
from symml.checker.maximisers import RELATIONS as MAXIMISER_RELATIONS, same_maximiser
from symml.checker.new_names import defines
from symml.checker.model_statements import MODEL_NOTE, states_the_model
from symml.checker.derivative_facts import DerivativeFacts, undefined_derivatives
from symml.checker.implicit_arguments import bare_function_values, applies, observation_functions
from symml.checker.condition_steps import step_under_conditions, where_condition_holds
from symml.checker.step_reports import Item, StepCheck, StepsReport, StepStatus
from symml.checker.sections import enter_section, redefines
from symml.checker.stationary_points import zero_of_the_previous_value
from symml.checker.typed_steps import without_prose
from symml.checker.verdict import Verdict, VerdictKind
from symml.derivation import Step
from symml.errors import BudgetExceededError, ParseError, SymmlError
from symml.render.printer import latex

__all__ = ["check_steps", "StepsReport", "StepCheck", "StepStatus", "Item", "check_items", "items_of_chain"]


def check_steps(steps: Sequence[Any], *, namespace: Mapping[str, Any] | None = None, **options: Any) -> StepsReport:
    """Check each step of a derivation against the previous ones (see the module docstring).

    Args:
        steps: expressions, equations (``Eq(l, r, evaluate=False)``), strings (plain or LaTeX, one relation
            each, or a chain ``a = b = c``) or :class:`symml.Step` records (their last line).
        namespace: names for the strings (see :func:`symml.check`).
        options: passed to the decision procedure (``points``, ``seed``, ``symmetric``, ...).

    Returns:
        a :class:`StepsReport`, truthy iff no step is wrong.
    """
    if isinstance(steps, (str, bytes)) or not isinstance(steps, Sequence):
        raise ParseError(f"check_steps takes a list of steps, got {type(steps).__name__}")
    names = namespace_for(steps, namespace)
    declared = declarations(steps, names)
    items: list[Item] = []
    for number, step in enumerate(steps, start=1):
        if number in declared:  # w \in R^d: where a name lives, no claim
            items.append(Item(None, None, "declares", f"step {number}", note=f"declares {declared[number]}"))
            continue
        items.extend(_items_of_step(step, names, f"step {number}"))
    return StepsReport(check_items(items, prose=False, **options))


def _items_of_step(step: Any, names: Any, label: str) -> list[Item]:
    if isinstance(step, Step):
        step = step.lines[-1]
    if isinstance(step, str):
        return items_of_chain(parse_string(step, names), label)
    if step is None:
        raise ParseError(f"{label} is None, not a step (an expression, an equation or a string)")
    if isinstance(step, (bool, sp.logic.boolalg.BooleanAtom)):
        raise ParseError(f"{label} was evaluated to {step} before symml saw it; use Eq(l, r, evaluate=False)")
    if isinstance(step, sp.Equality):
        return [Item(step.lhs, step.rhs, "=", label)]
    try:
        return [Item(None, sp.sympify(step, strict=True), "=", label)]
    except sp.SympifyError:
        raise ParseError(f"{label} is a {type(step).__name__}, not a step") from None


def items_of_chain(chain: list[tuple[str, Any]], label: str, *, fresh: bool = False,
                   doubts: tuple[str, ...] = ()) -> list[Item]:
    """A chain ``a = b = c`` as an equation ``a = b`` followed by expressions continuing it; ``fresh``: the chain
    starts anew (a lone expression is then compared with nothing)."""
    if len(chain) == 1:
        return [Item(None, chain[0][1], "=", label, fresh=fresh, doubts=doubts)]
    items = [Item(chain[0][1], chain[1][1], chain[1][0], label, doubts=doubts)]
    items.extend(Item(None, side, relation, label, doubts=doubts) for relation, side in chain[2:])
    return items


class _State:
    """What the steps so far established: definitions, names in use, the current value and condition."""

    def __init__(self) -> None:
        self.definitions: dict[str, tuple[tuple, Any]] = {}
        self.names: set[str] = set()
        self.value: Any = None
        self.value_label = ""
        self.value_before: Any = None  # the value before the current equation (what "v = s" may be a zero of)
        self.value_before_label = ""
        self._condition: tuple[Any, Any, str] | None = None
        self.imposed: list[tuple[Any, str]] = []  # every condition so far, as (left - right, label)
        self.domains: dict[str, tuple[str, str]] = {}  # names confined by a domain condition (alpha_i >= 0)
        self.unverified = ""  # the label of a side the chain went on from without checking it (a substitution)
        self.value_doubts: tuple[str, ...] = ()  # the guesses behind the current value
        self.definition_doubts: dict[str, tuple[str, ...]] = {}  # the guesses behind each definition
        self.uses = Uses()  # z^L differentiated before it is defined: its definition is one
        self.facts = DerivativeFacts()  # rows about derivatives of quantities never written out
        self.defining: Any = None  # the chain of the latest definition, while it goes on (definition_chains.py)
        self.head: Any = None  # the first side of the current chain (ln q(mu)): what "+ C" is constant in
        self.section = 0  # the heading of the notes the steps are under (sections.py)
        self.earlier: set[str] = set()  # names defined under an earlier heading, not since (sections.py)

    @property
    def condition(self) -> tuple[Any, Any, str] | None:
        """The latest condition ``(left, right, label)``; setting one also records it in ``imposed``."""
        return self._condition

    @condition.setter
    def condition(self, value: tuple[Any, Any, str] | None) -> None:
        self._condition = value
        if value is not None and not any(isinstance(side, sp.MatrixExpr) for side in value[:2]):
            if self.imposed and self.imposed[-1][1] == value[2]:  # d l / d s = A = 0: the row imposes A = 0
                self.imposed.pop()
            self.imposed.append((value[0] - value[1], value[2]))

    def inherited_doubts(self, *exprs: Any) -> tuple[str, ...]:
        """The guesses behind the definitions that ``exprs`` use."""
        names: set[str] = set()
        for expr in exprs:
            if isinstance(expr, sp.Basic):
                # z_i uses a definition of the vector z (z_j = ...), not one of a scalar z that shares its letter
                labels = {i.base.label for i in expr.atoms(sp.Indexed)}
                names |= {str(s) for s in expr.free_symbols - labels} | {str(f.func) for f in expr.atoms(AppliedUndef)}
                names |= {str(i.base) for i in expr.atoms(sp.Indexed)
                          if self.definitions.get(str(i.base), ((),))[0]}
        return tuple(d for name in sorted(names) for d in self.definition_doubts.get(name, ()))

    def expand(self, expr: Any) -> Any:
        """``expr`` with every defined name replaced by its definition."""
        if expr is None or not self.definitions or not isinstance(expr, sp.Basic):
            return expr
        defined = self.definitions

        def applied(e: Any) -> bool:  # p(x, z) is not the p(x) the notes defined
            return isinstance(e, AppliedUndef) and str(e.func) in defined and applies(e, *defined[str(e.func)])

        expr = expr.replace(applied, lambda e: defined[str(e.func)][1].xreplace(dict(zip(defined[str(e.func)][0],
                                                                                            e.args))))
        expr = expr.replace(lambda e: held_partially(e, defined),
                            lambda e: sp.Derivative(defined[str(e.expr.func)][1], *e.variable_count))
        expr = expr.replace(lambda e: isinstance(e, sp.Indexed) and str(e.base) in defined
                            and len(defined[str(e.base)][0]) == len(e.indices),
                            lambda e: bound_renamed(defined[str(e.base)][1], set().union(
                                *(sp.sympify(i).free_symbols for i in e.indices))).xreplace(
                                dict(zip(defined[str(e.base)][0], e.indices))))
        expr = expr.xreplace(bare_function_values(expr, defined))  # nabla_w L after L(w) = ...
        # a name defined without arguments stands for its definition; the label of data (z in z_i) does not
        labels = {indexed.base.label for indexed in expr.atoms(sp.Indexed)}
        replacements = {s: defined[str(s)][1] for s in expr.free_symbols - labels
                        if str(s) in defined and not defined[str(s)][0]}
        expr = definitions_in_derivatives(expr, replacements)  # dz/db of z = W a + b; dL/dz stays L of z
        variables = {v for derivative in expr.atoms(sp.Derivative) for v, _ in derivative.variable_count}
        return expr.xreplace({s: value for s, value in replacements.items() if s not in variables})

    def remember(self, *exprs: Any) -> None:
        for expr in exprs:
            if isinstance(expr, sp.Basic):
                self.names |= {str(s) for s in expr.free_symbols}
                self.names |= {str(f.func) for f in expr.atoms(AppliedUndef)}
                self.uses.remember(expr)

    def is_new_name(self, left: Any, right: Any) -> bool:
        if isinstance(left, sp.Symbol) and self.uses.defined_later(str(left)):  # z used before its definition
            return str(left) not in self.definitions and left not in right.free_symbols
        return defines(left, right, taken=self.names | set(self.definitions))


def check_items(items: Iterable[Item], *, prose: bool = True, **options: Any) -> tuple[StepCheck, ...]:
    """Check items in order (the engine behind :func:`check_steps` and the notes checker). Each step is checked
    in isolation: symml's own errors and SymPy's known failures in one step make that step unchecked (with
    the reason) and the next steps are still checked; nothing else is caught. ``prose``: whether prose around
    the steps may state what they use (notes); typed steps have none (:mod:`symml.checker.typed_steps`)."""
    state, checks = _State(), []
    for item in items:
        value_doubts, value_before = state.value_doubts, state.value
        enter_section(state, item.section)
        try:
            check = _check_item(item, state, options)
        except SymmlError as error:  # a step symml cannot check (shapes that do not fit, ...) is not wrong
            state.value, state.condition = None, None
            check = StepCheck(item.label, StepStatus.UNCHECKED, item.right, f"could not check: {error}")
        except SYMPY_FAILURES as error:
            state.value, state.condition = None, None
            check = StepCheck(item.label, StepStatus.UNCHECKED, item.right,
                              f"internal error: {type(error).__name__}: {error}")
        if not prose:
            check = without_prose(check, options)
        inherited = state.inherited_doubts(item.left, item.right)
        doubts = tuple(dict.fromkeys(item.doubts + value_doubts + inherited))
        if check.status is StepStatus.WRONG and doubts:
            check = StepCheck(check.label, StepStatus.UNCHECKED, check.math,
                              f"not reported wrong: the sides differ as read, but reading them took a guess "
                              f"({'; '.join(doubts)})", check.verdict)
        # the guesses behind the value the next step is compared with (kept when the value was kept: after a
        # wrong side the chain continues from the last side that held)
        if state.value is not None and state.value is not value_before:
            state.value_doubts = item.doubts + state.inherited_doubts(item.right)
        if check.status is StepStatus.DEFINITION:
            state.definition_doubts[_defined_name(item.left)] = item.doubts + inherited
        follow_definition(state, item, check.status.value,
                          _defined_name(item.left) if check.status is StepStatus.DEFINITION else None)
        if not (item.fresh and isinstance(item.right, (sp.Symbol, sp.Indexed))):  # $$y_i$$ in a sentence: a mention
            state.remember(item.left, item.right)
        checks.append(check)
    return tuple(checks)


def _check_item(item: Item, state: _State, options: dict) -> StepCheck:
    try:
        left, right = state.expand(item.left), state.expand(item.right)
    except ValueError:  # d ell_i / d p_hat_i, p_hat_i defined as sigma(w x_i): SymPy's derivative by an expression
        by_defined = derivative_by_defined_element((item.left, item.right), state.definitions)
        if by_defined is None:
            raise
        state.value = None
        return StepCheck(item.label, StepStatus.UNCHECKED, item.right, f"a derivative by {by_defined}, which the "
                         "notes define as a function of other names: symml does not differentiate by it")
    previous_head = state.head
    if item.left is not None or item.fresh:
        state.head = item.left
    if item.fresh and item.left is None and item.right is not None:
        state.value, state.value_label = right, item.label
        return StepCheck(item.label, StepStatus.GIVEN, right, "an expression, compared with nothing")
    if item.right is None and item.relation == "declares":
        return StepCheck(item.label, StepStatus.GIVEN, sp.Symbol("?"), f"{item.note}: an assumption, not a claim")
    if item.relation in MAXIMISER_RELATIONS.values():  # argmax_y f = argmax_y g: the same maximiser, not f = g
        state.value = None
        (variable, first), (_, second) = left.args, right.args
        verdict = same_maximiser(item.relation[3:], variable, first, second, **options)
        return _from_verdict(item.label, second, verdict, "")
    if item.right is None:
        state.value = None
        return StepCheck(item.label, StepStatus.UNCHECKED, sp.Symbol("?"), item.note)
    math = right if item.left is None else sp.Eq(item.left, item.right, evaluate=False)
    imposed = step_under_conditions(item, left, right, math, state, options)  # bounds, estimators, choices
    if imposed is not None:
        return imposed
    if item.relation not in ("=", ":="):
        state.value, state.value_label = right, item.label
        return StepCheck(item.label, StepStatus.UNCHECKED, math, f"the relation {item.relation} is not checked")
    stationary = zero_of_the_previous_value(item, left, right, math, state, previous_head, options)
    if stationary is not None:  # X^T X w = X^T y after the gradient: set to zero in words
        return stationary
    if item.left is None:
        if state.value is None:
            state.value, state.value_label = right, item.label
            return StepCheck(item.label, StepStatus.GIVEN, math, "the starting point")
        before = state.value
        if states_the_model(before, right):  # prod_i P(y_i | x_i) = prod_i sigma_i^y_i ...: the model, assumed
            state.value, state.value_label = right, item.label
            return StepCheck(item.label, StepStatus.GIVEN, math, MODEL_NOTE)
        verdict = decide(before, right, **options)
        if not verdict and undefined_derivatives(before):  # dL/dz W^L, where an earlier row gives dL/dz
            verdict = state.facts.follows(before, right, state.expand, options) or verdict
        if not verdict:  # ... + C_3 = ... + C_4: equal up to a constant in the chain's variable
            verdict = up_to_constant(before, right, variables_of_interest(state.head), **options) or verdict
        previous, state.value, state.value_label = state.value_label, right, item.label
        source = previous if previous != item.label else "the side before it"
        new_names = {str(s) for s in right.free_symbols} - state.names - set(state.definitions)
        valued = isinstance(right, sp.Number) and isinstance(before, sp.Symbol)  # "n = p = 1": values stated
        if not verdict and (right == 0 or isinstance(item.right, sp.Symbol) or new_names or valued):
            # "... = 0" ends a chain with a condition; "... = z" names what the chain equals: imposed, not derived
            combined = implied_by(before, state.imposed, **options) if right == 0 else None
            state.condition = (before, right, item.label)
            if combined is not None:
                return StepCheck(item.label, StepStatus.HOLDS, math, f"follows from {combined}")
            what = ("zero" if right == 0 else str(item.right) if isinstance(item.right, sp.Symbol)
                    else f"the value {right}" if valued
                    else f"an expression in the new name(s) {', '.join(sorted(new_names))}")
            return StepCheck(item.label, StepStatus.CONDITION, math,
                             f"a condition (the chain is set to {what}), imposed rather than derived",
                             verdict if new_names else None)  # the prose may define the new names (facts_in_words)
        check = _from_verdict(item.label, math, verdict, f"does not follow from {source}")
        if check.status is StepStatus.WRONG and state.unverified == previous:  # both read, they disagree
            check = StepCheck(item.label, StepStatus.WRONG, math, f"does not follow from {source} (which symml "
                              f"could not check: the slip may be in {source})", verdict)
        if check.status is StepStatus.WRONG:
            # the next side is compared with the last side that held, so one slip is reported once
            state.value, state.value_label = before, previous
        # after a side the chain could not check, it goes on from the notes' own sides
        state.unverified = item.label if check.status is StepStatus.UNCHECKED else ""
        return check
    if item.relation == ":=" or state.is_new_name(item.left, item.right) \
            or redefines(state, item.left, left, right, options):  # L(theta) = ... for the next problem
        _define(state, item.left, right)
        state.value, state.value_label = right, item.label
        return StepCheck(item.label, StepStatus.DEFINITION, math, f"defines {_defined_name(item.left)}")
    state.value_before, state.value_before_label = state.value, state.value_label
    state.value, state.value_label = right, item.label
    undefined = _undefined_derivative(left, right, state)
    path = chain_rule(item.left, item.right) if undefined is not None else None
    if undefined is not None:  # the chain rule, or a step that follows from such rows (derivative_facts.py)
        status, note, found = state.facts.judge(left, right, item.label, path, undefined, state.expand, options)
        return StepCheck(item.label, StepStatus(status), math, note, found)
    if states_the_model(left, right):  # P(y = 1 | x) = sigma(w^T x): the model, assumed
        return StepCheck(item.label, StepStatus.GIVEN, math, MODEL_NOTE)
    identity = decide(left, right, **options)
    if identity or identity.kind is VerdictKind.UNDECIDED:
        return _from_verdict(item.label, math, identity, "")
    if state.condition is not None and _same_unknowns(state.condition, left, right, item.label):
        held = state.condition
        implied = _follows_from_condition(item.label, math, left, right, state, options)
        if implied.status is StepStatus.WRONG:  # the next equation is checked against the last one that held
            state.condition = held
        return implied
    solved = _solved_for(left, right)
    if solved is not None:
        state.condition = (left, right, item.label)
        return _value_of_a_symbol(item.label, math, solved, state, options)
    if (left == 0 or right == 0 or any(isinstance(side, sp.Number) for side in (left, right))) \
            and not _differ_by_a_constant(left, right):  # 1 - E[...] = 2 with the E[...] known: false, not imposed
        combined = implied_by(left - right, state.imposed, **options)
        state.condition = (left, right, item.label)
        if combined is not None:
            return StepCheck(item.label, StepStatus.HOLDS, math, f"follows from {combined}")
        return StepCheck(item.label, StepStatus.CONDITION, math,
                         "a condition (an equation imposed, not an identity); the steps after it are checked "
                         "against it")
    return _from_verdict(item.label, math, identity, "is not an identity")


def _differ_by_a_constant(left: Any, right: Any) -> bool:
    """Whether the sides of an equation differ by a number other than zero once expanded: no value of any name
    makes it hold, so it imposes nothing (a claim that is false, not a condition)."""
    if not all(isinstance(side, sp.Expr) for side in (left, right)):
        return False
    difference = sp.expand(left - right)
    return difference.is_number and difference.is_zero is False


def _same_unknowns(condition: tuple[Any, Any, str], left: Any, right: Any, label: str) -> bool:
    """Whether an equation is about the same unknowns as the condition before it (a rearrangement or a solution
    of it), rather than a separate given (w x_1 + b = 0, then w x_2 + b = 0). An equation that drops some of them
    (0 = S / (2 s^2) after -n / (2 s) + S / (2 s^2) = 0) is one too, unless it gives one a value (b = 0 after
    w x + b = 0 is a choice, not a consequence) or stands apart from it (a constraint stated later, ||q|| = 1)."""
    before = (condition[0] - condition[1]).free_symbols
    now = (left - right).free_symbols
    next_row = _row_number(label) - _row_number(condition[2]) == 1
    return bool(now) and (now == before or (now < before and next_row and _solved_for(left, right) is None))


def _row_number(label: str) -> int:
    """The number a label ends with ("line 83" -> 83, "step 2" -> 2), else -1."""
    number = label.rsplit(" ", 1)[-1]
    return int(number) if number.isdigit() else -1


def _undefined_derivative(left: Any, right: Any, state: _State) -> Any:
    """A derivative of a bare name or function that no step defines (d L / d z_k with L never written out): its
    value is unknown, not zero."""
    for side in (left, right):
        if not isinstance(side, sp.Basic):
            continue
        for derivative in side.atoms(sp.Derivative):
            expr = derivative.expr
            if isinstance(expr, (sp.Symbol, AppliedUndef, sp.Indexed)) and not expr.has(sp.Sum):
                variables = {v for v, _ in derivative.variable_count}
                if isinstance(expr, sp.Symbol) or not (set(expr.args) & variables) or isinstance(expr, AppliedUndef):
                    return expr
            variables = {v for v, _ in derivative.variable_count}
            for applied in expr.atoms(AppliedUndef):  # d log p(x) / dx with p never written out
                if any(argument.has(*variables) for argument in applied.args):
                    return applied
    return None


def _define(state: _State, left: Any, body: Any) -> None:
    if isinstance(left, sp.log):  # log p(x | theta) = body defines the density p = exp(body)
        left, body = left.args[0], sp.exp(body)
    if isinstance(left, sp.Indexed):
        state.definitions[str(left.base)] = ((left.indices[0],), body)
    elif isinstance(left, AppliedUndef):
        state.definitions[str(left.func)] = (tuple(left.args), body)
        state.definitions.update(observation_functions(left, body, state.definitions))  # f(x; theta) of one x_i
    elif isinstance(left, sp.Symbol):
        state.definitions[str(left)] = ((), body)
    else:
        raise ParseError(f"cannot define {left}: only a name or a function of names can be defined")


def _defined_name(left: Any) -> str:
    if isinstance(left, sp.log):
        left = left.args[0]
    if isinstance(left, sp.Indexed):
        return str(left.base)
    return str(left.func) if isinstance(left, AppliedUndef) else str(left)


def _names(expr: Any) -> set[str]:
    """The names an expression uses: symbols that are not summation indices, and data (x in x_i)."""
    if not isinstance(expr, sp.Basic):
        return set()
    expr = names_after_differentiating(expr)  # d/dx (x + y - ...): y is gone
    bound = {limit[0] for operator in expr.atoms(sp.Sum, sp.Product) for limit in operator.limits}
    names = {str(s) for s in expr.free_symbols - bound if isinstance(s, sp.Symbol) and not s.is_integer}
    return names | {str(i.base) for i in expr.atoms(sp.Indexed)}


def _from_verdict(label: str, math: Any, verdict: Verdict, failure: str) -> StepCheck:
    if not verdict and verdict.kind is VerdictKind.NOT_EQUIVALENT and verdict.right != 0:
        # y_i beside y^T y of a declared vector y: one name, read entry-wise on one side and whole on the other
        whole = {str(m.name) for side in (verdict.left, verdict.right) if isinstance(side, sp.Basic)
                 for m in side.atoms(sp.MatrixSymbol)}
        different = (_names(verdict.left) ^ _names(verdict.right)) - whole
        if different and not _differ_by_a_constant(verdict.left, verdict.right):
            # y_i on one side, x_i^T q on the other: a substitution made in the prose (unless the names cancel)
            return StepCheck(label, StepStatus.UNCHECKED, math, "the sides use different names "
                             f"({', '.join(sorted(different))}): a substitution symml cannot see", verdict)
        fact = _fact_that_makes_it_hold(verdict)
        if fact is not None:  # a_i sum_k y_k - y_i = a_i - y_i: one-hot labels, said in the prose
            return StepCheck(label, StepStatus.UNCHECKED, math, f"holds if {fact}, which the notes may state in "
                             "words; symml does not assume it", verdict)
    if verdict:
        return StepCheck(label, StepStatus.HOLDS, math, verdict.headline(), verdict)
    if verdict.kind is VerdictKind.UNDECIDED:
        return StepCheck(label, StepStatus.UNDECIDED, math, verdict.reason, verdict)
    labels = labels_make_it_hold(verdict.left, verdict.right)
    if labels is not None:  # b^* = y_k - w^T x_k from y_k(w^T x_k + b^*) = 1: SVM labels are -1 or 1
        return StepCheck(label, StepStatus.UNCHECKED, math, f"holds if {labels}, which the notes may state in words; "
                         "symml does not assume it", verdict)
    return StepCheck(label, StepStatus.WRONG, math, failure, verdict)


def _fact_that_makes_it_hold(verdict: Verdict) -> str | None:
    """A sum over data that only one side keeps, and a value for it (0, 1 or n) under which the sides agree:
    the step then uses a fact about the data (labels sum to 1, centred data sum to 0), not an error."""
    if any(isinstance(side, sp.MatrixExpr) for side in (verdict.left, verdict.right)):
        return None  # a sum over data is a number; a gradient by a matrix is not differentiated here (doit fails)
    sides = [canonical_indices(sp.expand(split_sums(side.doit()))) for side in (verdict.left, verdict.right)]
    if any(getattr(side, "is_Matrix", False) for side in sides):
        return None
    sums = [{s for s in side.atoms(sp.Sum) if s.function.has(sp.Indexed)} for side in sides]
    for total in sorted(sums[0] ^ sums[1], key=sp.default_sort_key):
        for value in (sp.Integer(0), sp.Integer(1), total.limits[0][2]):
            if decide(*(side.xreplace({total: value}) for side in sides), points=4):
                index = total.limits[0][0]
                return f"{latex(total.xreplace({index: sp.Symbol('k', integer=True)}))} = {latex(value)}"
    return None


def _follows_from_condition(label: str, math: Any, left: Any, right: Any, state: _State, options: dict) -> StepCheck:
    """Does the condition ``left = right`` follow from the previous condition? (see the module docstring)"""
    assert state.condition is not None
    previous_left, previous_right, previous_label = state.condition
    state.condition = (left, right, label)
    failure = f"does not follow from {previous_label}"
    before, now = previous_left - previous_right, left - right
    for sign in (1, -1):
        if decide(now, sign * before, **options):
            return StepCheck(label, StepStatus.HOLDS, math, f"the equation of {previous_label} rearranged")
    solved = _solved_for(left, right)
    if solved is not None:
        symbol, solution = solved
        at_solution = before.xreplace({symbol: solution})
        verdict = decide(at_solution, sp.ZeroMatrix(*at_solution.shape) if isinstance(at_solution, sp.MatrixExpr)
                         else 0, **options)
        where = None if verdict else where_condition_holds(before, symbol, solution, options)  # a point of it
        verdict = verdict if where is None else where
        note = f"{symbol} = {solution} satisfies {previous_label}"
        return _from_verdict(label, math, verdict, failure + f" ({symbol} = {solution} does not satisfy it)") \
            if not verdict else StepCheck(label, StepStatus.HOLDS, math, note, verdict)
    linked = _linked_by_condition(before, now)
    for symbol, solutions in _solutions(before, now, options):
        if linked and symbol not in linked:  # tau fixed by another name's value: one reading of d tau^2 / d mu
            continue
        at_solutions = [logs_expanded(now).xreplace({symbol: s}) for s in solutions]
        verdicts = [decide(expr, 0, **options) for expr in at_solutions]
        if _differentiates(now, symbol):  # d sigma^2 / d mu after sigma^2 = S(mu) / m: sigma may depend on mu
            inside = [logs_expanded(now.xreplace({symbol: s})) for s in solutions]
            inside_verdicts = [decide(expr, 0, **options) for expr in inside]
            if all(inside_verdicts):
                return StepCheck(label, StepStatus.HOLDS, math, f"holds where {previous_label} gives {symbol} as a "
                                 f"function of the variable differentiated by")
            # wrong only where both readings (the name held fixed, or a function of the variable) fail
            verdicts = [v if v else w for v, w in zip(verdicts, inside_verdicts)]
        others = [c for c, imposed in state.imposed[-RECENT - 2:] if imposed not in (label, previous_label)]
        found = (real_counterexample(v, expr, symbol, s, others, options)
                 for v, expr, s in zip(verdicts, at_solutions, solutions))
        wrong = next((verdict for verdict in found if verdict is not None), None)
        if wrong is not None:
            return StepCheck(label, StepStatus.WRONG, math, f"{failure} (it fails where {previous_label} holds)",
                             wrong)
        if all(verdicts):
            return StepCheck(label, StepStatus.HOLDS, math, f"holds at every solution of {previous_label} "
                             f"for {symbol}")
    return StepCheck(label, StepStatus.UNCHECKED, math, f"an implication from {previous_label} symml cannot check")


def _value_of_a_symbol(label: str, math: Any, solved: tuple[Any, Any], state: _State, options: dict) -> StepCheck:
    """``v = s`` with no condition before it: a value (a solution or a choice), not an identity. It is checked
    where it can be: a zero of the expression the previous steps arrived at (a stationary point)."""
    symbol, solution = solved
    previous, previous_label = state.value_before, state.value_before_label
    if previous is not None and previous.has(symbol) and decide(previous.xreplace({symbol: solution}), 0, **options):
        return StepCheck(label, StepStatus.HOLDS, math, f"{symbol} = {solution} is a zero of {previous_label}")
    return StepCheck(label, StepStatus.CONDITION, math, f"a value for {symbol} (a solution or a choice), not an "
                     "identity; the steps after it are checked against it")


def _solved_for(left: Any, right: Any) -> tuple[Any, Any] | None:
    """``(v, s)`` when the equation reads ``v = s`` (or ``s = v``, or ``v^2 = s`` for a positive v) for a symbol v
    not in s."""
    for symbol, solution in ((left, right), (right, left)):
        if isinstance(symbol, sp.Pow) and isinstance(symbol.base, sp.Symbol) and symbol.base.is_positive \
                and symbol.exp.is_number and symbol.exp != 0:
            symbol, solution = symbol.base, solution ** (1 / symbol.exp)
        if isinstance(symbol, (sp.Symbol, sp.MatrixSymbol)) and symbol not in solution.free_symbols:
            return symbol, solution
    return None


def _solutions(before: Any, now: Any, options: dict) -> Iterable[tuple[Any, list]]:
    """Solutions of ``before = 0`` for each symbol it shares with ``now`` (under the solve budget)."""
    # a solution is kept only if it satisfies ``before`` itself (checked below), so the rewrite cannot mislead
    expanded = logs_expanded(before)
    # a variable the step differentiates by is free in it: a value for it holds at a point, not around it
    varied = {v for derivative in now.atoms(sp.Derivative) for v, _ in derivative.variable_count}
    candidates = sorted((s for s in expanded.free_symbols & now.free_symbols
                         if isinstance(s, sp.Symbol) and not s.is_integer and s not in varied), key=str)
    for symbol in candidates:
        try:
            solutions = within(SOLVE_SECONDS, f"solve for {symbol}", sp.solve, expanded, symbol)
        except BudgetExceededError:
            continue
        except (NotImplementedError, TypeError, ValueError):
            continue
        solutions = [s for s in solutions if symbol not in s.free_symbols
                     and decide(before.xreplace({symbol: s}), 0, points=4,  # under the caller's simplify budget
                                simplify_seconds=options.get("simplify_seconds", SIMPLIFY_SECONDS))]
        if solutions:
            yield symbol, solutions


def _differentiates(expr: Any, symbol: Any) -> bool:
    """Whether ``expr`` holds a derivative of something written with ``symbol`` (by another variable)."""
    return any(derivative.expr.has(symbol) for derivative in expr.atoms(sp.Derivative))


def _linked_by_condition(before: Any, now: Any) -> set[Any]:
    """The names that ``now`` differentiates by a variable the condition ``before = 0`` ties them to (``tau`` in
    d tau^2 / d mu after tau^2 = (a - mu)^2 + 1): each may be a function of that variable, so the step is read
    both ways for them, and a value of another name (which holds tau fixed) is only one of the readings."""
    linked: set[Any] = set()
    for derivative in now.atoms(sp.Derivative):
        variables = {v for v, _ in derivative.variable_count}
        if variables & before.free_symbols:
            linked |= (derivative.expr.free_symbols & before.free_symbols) - variables
    return linked
