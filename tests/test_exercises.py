"""Tests for gan_utils.exercises: the self-checks that exercise cells call."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from gan_utils.conventions import student_copy
from gan_utils.exercises import (NOT_ATTEMPTED, NotAttempted, check_choice, check_close, check_function, check_shape,
                                  exercise, require)


def test_check_close_passes_for_numbers_tensors_and_arrays(capsys):
    assert check_close("mean", 0.5000001, 0.5)
    assert check_close("t", torch.tensor([1.0, 2.0]), np.array([1.0, 2.0]))
    assert check_close("list", [1, 2, 3], (1.0, 2.0, 3.0))
    assert capsys.readouterr().out.count("✓") == 3


def test_check_close_explains_a_wrong_value_with_the_hint():
    with pytest.raises(AssertionError, match=r"(?s)got 0\.6.*expected 0\.5.*Hint: divide by 255"):
        check_close("mean", 0.6, 0.5, atol=1e-3, hint="divide by 255")


def test_check_close_reports_a_shape_mismatch():
    with pytest.raises(AssertionError, match=r"shape \(3,\), expected \(2,\)"):
        check_close("v", torch.zeros(3), torch.zeros(2))


def test_check_close_reports_nan():
    with pytest.raises(AssertionError, match="NaN"):
        check_close("v", float("nan"), 0.0)


def test_check_close_respects_relative_tolerance():
    assert check_close("big", 1000.5, 1000.0, atol=0.0, rtol=1e-3)
    with pytest.raises(AssertionError):
        check_close("big", 1002.0, 1000.0, atol=0.0, rtol=1e-3)


@pytest.mark.parametrize("atol", [-1.0, float("inf"), "0.1"])
def test_check_close_rejects_bad_tolerance(atol):
    with pytest.raises(ValueError, match="atol"):
        check_close("x", 1.0, 1.0, atol=atol)


def test_check_close_rejects_non_numeric_values():
    with pytest.raises(AssertionError, match="expected a number"):
        check_close("x", "abc", 1.0)


def test_check_shape_with_wildcards(capsys):
    assert check_shape("x", torch.zeros(5, 1, 28, 28), (None, 1, 28, 28))
    assert "✓ x has shape (5, 1, 28, 28)" in capsys.readouterr().out
    with pytest.raises(AssertionError, match=r"shape \(5, 28, 28\), expected \(any, 1, 28, 28\)"):
        check_shape("x", torch.zeros(5, 28, 28), (None, 1, 28, 28))
    with pytest.raises(AssertionError, match="has no shape"):
        check_shape("x", [1, 2], (2,))


def test_check_function_passes_all_cases(capsys):
    def double(x, scale=2):
        return x * scale

    assert check_function(double, [((1.0,), 2.0), ((torch.tensor([1.0, 2.0]),), {"scale": 3}, [3.0, 6.0])])
    assert "✓ double: 2 cases passed" in capsys.readouterr().out


def test_check_function_names_the_failing_case():
    with pytest.raises(AssertionError, match=r"(?s)double case 2: got 5, expected 4.*Hint: multiply"):
        check_function(lambda x: x * 2 if x < 2 else x + 3, [((1,), 2), ((2,), 4)], name="double",
                       hint="multiply")


def test_check_function_treats_a_stub_as_not_attempted(capsys):
    def stub(x):
        raise NotImplementedError("Exercise: write it")

    assert check_function(stub, [((1,), 1)]) is False
    assert NOT_ATTEMPTED in capsys.readouterr().out


def test_check_function_lets_other_errors_through():
    def broken(x):
        raise ZeroDivisionError("oops")

    with pytest.raises(ZeroDivisionError):
        check_function(broken, [((1,), 1)])


@pytest.mark.parametrize("fn, cases, error", [
    (42, [((1,), 1)], TypeError),
    (abs, [], ValueError),
    (abs, [(1, 1)], ValueError),
    (abs, [((1,), 1, 2, 3)], ValueError),
])
def test_check_function_rejects_bad_arguments(fn, cases, error):
    with pytest.raises(error):
        check_function(fn, cases)


def test_exercise_block_catches_only_the_stub(capsys):
    with exercise("histogram"):
        raise NotImplementedError
    assert f"histogram: {NOT_ATTEMPTED}" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        with exercise("histogram"):
            check_close("x", 1.0, 2.0)


def test_a_stubbed_solution_runs_as_not_attempted(capsys):
    """End to end: the student copy of a solution cell, executed, prints the friendly note."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "def f(x):\n    # BEGIN SOLUTION double x\n    return 2 * x\n    # END SOLUTION\n"
        "ok = check_function(f, [((1,), 2)])")])
    namespace = {"check_function": check_function}
    exec(nb.cells[0].source, namespace)
    assert namespace["ok"] is True
    exec(student_copy(nb).cells[0].source, namespace)
    assert namespace["ok"] is False
    assert NOT_ATTEMPTED in capsys.readouterr().out


# --------------------------------------------------------------------------- top-level choices and None
def test_check_choice_accepts_the_right_value_and_treats_none_as_not_attempted(capsys):
    assert check_choice("BEST_K", 1, 1)
    assert check_choice("LR", 2e-4 + 1e-9, [1e-3, 2e-4], atol=1e-6)
    assert check_choice("SHAPE", "ring", {"ring", "grid"})
    assert check_choice("BEST_K", None, 1) is False
    out = capsys.readouterr().out
    assert "✓ BEST_K = 1" in out and "✓ LR" in out and "✓ SHAPE = 'ring'" in out
    assert f"BEST_K: {NOT_ATTEMPTED} (set BEST_K to your choice instead of None)" in out


def test_check_choice_rejects_a_wrong_value_with_the_hint():
    with pytest.raises(AssertionError, match=r"(?s)✗ BEST_K: you chose 5, expected 1.*Hint: one D step"):
        check_choice("BEST_K", 5, 1, hint="one D step")
    with pytest.raises(AssertionError, match=r"expected one of 1, 2"):
        check_choice("K", 3, (1, 2))
    with pytest.raises(AssertionError, match="you chose True"):
        check_choice("K", True, 1)          # a bool is not the number 1
    with pytest.raises(AssertionError):
        check_choice("LR", 2.1e-4, 2e-4)    # atol 0 by default: an exact choice
    with pytest.raises(ValueError, match="at least one"):
        check_choice("K", 1, [])
    with pytest.raises(ValueError, match="atol"):
        check_choice("K", 1, 1, atol=-1)


def test_check_close_and_check_shape_treat_none_as_not_attempted(capsys):
    assert check_close("mean", None, 0.5) is False
    assert check_shape("x", None, (2,)) is False
    out = capsys.readouterr().out
    assert out.count(NOT_ATTEMPTED) == 2 and "mean: " in out and "x: " in out
    with pytest.raises(AssertionError, match="NaN"):   # a NaN result is still a wrong answer
        check_close("mean", float("nan"), 0.5)


def test_require_stops_an_exercise_block_politely(capsys):
    reached = []
    with exercise("plot the race"):
        k = require("BEST_K", None)
        reached.append(k)
    assert reached == []
    assert f"plot the race: {NOT_ATTEMPTED} (it needs BEST_K, which is still None" in capsys.readouterr().out
    assert require("BEST_K", 0) == 0        # a falsy value that is not None is an answer
    with pytest.raises(NotAttempted):
        require("BEST_K", None)
    assert issubclass(NotAttempted, NotImplementedError)
