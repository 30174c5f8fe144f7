"""A function letter that opens a row and is defined by it, L(w) = ..., is a function even where the notes also
write L alone (∇_w L): read as the product L·w the definition was unchecked ("cannot define L*w")."""
from symml.checker.notes import check_notes
from symml.checker.steps import StepStatus


def _statuses(tmp_path, text):
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    return [check.status for check in check_notes(path).checks]


def test_a_call_defined_by_its_row_is_a_function_where_the_letter_also_stands_alone(tmp_path):
    statuses = _statuses(tmp_path, "The loss is $L(w) = (y - a w)^2$.\n\n$$\n\\nabla_w L = 2a(a w - y)\n$$\n\n"
                                   "$$\n\\frac{d}{dw} L(w) = -2a(y - a w)\n$$\n")
    assert statuses[0] is StepStatus.DEFINITION and StepStatus.WRONG not in statuses
    assert statuses[-1] is StepStatus.HOLDS


def test_the_slip_in_a_derivative_of_the_defined_function_is_wrong(tmp_path):
    statuses = _statuses(tmp_path, "The loss is $L(w) = (y - a w)^2$ and $L$ is convex.\n\n"
                                   "$$\n\\frac{d}{dw} L(w) = -a(y - a w)\n$$\n")
    assert statuses[0] is StepStatus.DEFINITION and statuses[-1] is StepStatus.WRONG
