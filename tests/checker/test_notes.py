"""The notes checker and the ``symml check`` command."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from symml.checker.notes import check_notes, check_notes_text, display_rows
from symml.checker import StepStatus
from symml.cli import main

DATA = Path(__file__).parent / "data"
GAUSSIAN = DATA / "gaussian_mean.md"
RIDGE = DATA / "ridge.tex"


@pytest.fixture(scope="module")
def gaussian_report():
    return check_notes(GAUSSIAN)


@pytest.fixture
def small_notes(tmp_path):
    """A correct and a wrong one-line notes file."""
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text("$$\n(a+b)^2 = a^2 + 2ab + b^2\n$$\n")
    bad.write_text("Expand:\n\n$$\n(a+b)^2 = a^2 + b^2\n$$\n")
    return good, bad


def _line_of(path: Path, fragment: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), start=1) if fragment in line)


def test_markdown_notes_point_at_the_wrong_steps_line(gaussian_report):
    report = gaussian_report
    assert not report
    wrong_line = _line_of(GAUSSIAN, r"= \sum_{i=1}^{n} x_i - \mu")
    assert report.first_wrong.label == f"line {wrong_line}"
    assert [c.status for c in report.checks].count(StepStatus.WRONG) == 1


def test_a_definition_line_is_not_a_claim_and_later_lines_use_it(gaussian_report):
    report = gaussian_report
    first, derivative = report.checks[0], report.checks[2]
    assert first.status is StepStatus.DEFINITION and "ell" in first.note
    assert derivative.status is StepStatus.HOLDS  # d ell / d mu, with ell replaced by its definition


def test_math_in_code_fences_is_ignored():
    rows = [row for block in display_rows(GAUSSIAN.read_text(), "md") for row in block]
    assert all("x = 2" not in text for _, text in rows)


def test_latex_environments_give_rows_with_their_line_numbers():
    blocks = display_rows(RIDGE.read_text(), "tex")
    lines = [[number for number, _ in block] for block in blocks]
    assert lines == [[6, 7], [11], [15], [19, 20]]  # align*, equation, \[ \], align; comments skipped


def test_latex_notes_continue_align_chains_and_find_the_wrong_row():
    report = check_notes(RIDGE)
    assert report.first_wrong.label == "line 20"
    assert [c.label for c in report.checks if c.status is StepStatus.HOLDS] == ["line 7", "line 11", "line 15",
                                                                                 "line 19"]


def test_report_groups_checks_by_chain_with_line_ranges():
    text = str(check_notes(RIDGE))
    assert "chain at lines 6-7" in text and "chain at line 11" in text and "line 20" in text


def test_unreadable_rows_are_unchecked_not_wrong():
    report = check_notes_text("$$ \\wp(x) = 1 $$\n$$ x + x = 2x $$", kind="md")
    assert report and report.checks[0].status is StepStatus.UNCHECKED and "could not read" in report.checks[0].note


def test_command_exit_status_is_one_for_a_wrong_step_and_zero_otherwise(small_notes, capsys):
    good, bad = small_notes
    assert main(["check", str(good)]) == 0
    assert main(["check", str(bad)]) == 1
    assert "line 4" in capsys.readouterr().out


def test_command_missing_file_is_a_one_line_error_with_status_two(capsys):
    assert main(["check", "no-such-notes.md"]) == 2
    assert "cannot read the notes file" in capsys.readouterr().err


def test_command_on_a_folder_skips_nothing_readable_and_reports_a_dangling_link_in_one_line(tmp_path, capsys):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "sum.md").write_text("$$ x + x = 2x $$\n")
    (tmp_path / "notes" / "gone.md").symlink_to(tmp_path / "nowhere.md")  # Path.rglob + is_file raised under /proc
    assert main(["check", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "sum.md" in captured.out and "gone.md" in captured.err and "Traceback" not in captured.err


def test_python_dash_m_symml_check_behaves_like_the_command(small_notes):
    _, bad = small_notes
    done = subprocess.run([sys.executable, "-m", "symml", "check", str(bad)], capture_output=True, text=True,
                          cwd=Path(__file__).parents[2])
    assert done.returncode == 1 and "line 4" in done.stdout


def test_notes_report_markdown_renders_in_katex(katex):
    assert katex.errors(check_notes(RIDGE)._repr_markdown_()) == []


def test_an_implication_arrow_separates_a_condition_from_its_solution():
    good = check_notes_text(r"$$ 2\theta - 4 = 0 \implies \theta = 2 $$", kind="md")
    bad = check_notes_text(r"$$ 2\theta - 4 = 0 \Rightarrow \theta = 4 $$", kind="md")
    assert good and [c.status for c in good.checks] == [StepStatus.CONDITION, StepStatus.HOLDS]
    assert not bad and bad.first_wrong.counterexample is not None
