"""Self-checks for the exercise cells: a friendly ✓, or a hint that says what is wrong.

Every exercise in the course is a function the student completes between
``# BEGIN SOLUTION`` and ``# END SOLUTION`` (student copies replace that block with
``raise NotImplementedError``), followed by a check::

    check_function(to_signed, [((torch.tensor([0, 255], dtype=torch.uint8),), torch.tensor([-1., 1.]))])

* a right answer prints ``✓ ...`` and returns True;
* a wrong answer raises ``AssertionError`` whose message shows what came out, what was
  expected and a hint;
* an exercise not attempted yet (the stub's ``NotImplementedError``) prints
  "Exercise not attempted yet" and returns False instead of a traceback, so the rest
  of the notebook still runs.

``with exercise("name"): ...`` gives the same treatment to any block of code.

A value the student must *choose* (a learning rate, a prediction) lives at top level, starts as
``None`` outside the solution markers, and is checked with :func:`check_choice`::

    BEST_K = None          # your choice
    # BEGIN SOLUTION set BEST_K to the number of D steps that kept D alive
    BEST_K = 1
    # END SOLUTION
    check_choice("BEST_K", BEST_K, 1, hint="...")

``None`` counts as "not attempted" there and in :func:`check_close` and :func:`check_shape`
(they print the line and return False); :func:`require` stops a ``with exercise(...)`` block
politely when a later cell needs a value that is still ``None``.
Taught in 00_introduction §7 ("Exercises").
"""
from __future__ import annotations

import contextlib
import math
from typing import Any, Callable, Iterator, Sequence

import numpy as np

NOT_ATTEMPTED = "Exercise not attempted yet"


class NotAttempted(NotImplementedError):
    """Raised by :func:`require` for a value still ``None``; ``with exercise(...)`` prints the note."""


def _not_attempted(name: str, what: str = "replace the `raise NotImplementedError` line") -> bool:
    print(f"… {name}: {NOT_ATTEMPTED} ({what}).")
    return False


def _as_array(value: Any, name: str) -> np.ndarray:
    """A float64 NumPy view of a number, sequence, NumPy array or torch tensor."""
    try:
        import torch

        if isinstance(value, torch.Tensor):
            return value.detach().cpu().double().numpy()
    except ImportError:  # pragma: no cover - torch is a core dependency
        pass
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise AssertionError(f"✗ {name}: expected a number, array or tensor, got {type(value).__name__}") from e
    return arr


def _short(arr: np.ndarray) -> str:
    return np.array2string(arr, precision=4, threshold=12, edgeitems=3) if arr.ndim else f"{float(arr):.6g}"


def _compare(name: str, value: Any, expected: Any, atol: float, rtol: float, hint: str | None) -> None:
    got, want = _as_array(value, name), _as_array(expected, "expected")
    tip = f"\n  Hint: {hint}" if hint else ""
    if got.shape != want.shape:
        raise AssertionError(f"✗ {name}: shape {got.shape}, expected {want.shape}{tip}")
    if np.isnan(got).any() and not np.isnan(want).any():
        raise AssertionError(f"✗ {name}: contains NaN: {_short(got)}{tip}")
    if not np.allclose(got, want, atol=atol, rtol=rtol, equal_nan=True):
        worst = float(np.nanmax(np.abs(got - want))) if got.size else 0.0
        raise AssertionError(f"✗ {name}: got {_short(got)}, expected {_short(want)} "
                             f"(largest difference {worst:.3g} > tolerance {atol:g}){tip}")


def _check_tolerance(atol: float, rtol: float) -> None:
    if not (isinstance(atol, (int, float)) and atol >= 0 and math.isfinite(atol)):
        raise ValueError(f"atol must be a finite number >= 0, got {atol!r}")
    if not (isinstance(rtol, (int, float)) and rtol >= 0 and math.isfinite(rtol)):
        raise ValueError(f"rtol must be a finite number >= 0, got {rtol!r}")


def check_close(name: str, value: Any, expected: Any, atol: float = 1e-6, rtol: float = 0.0,
                hint: str | None = None) -> bool:
    """Check ``|value - expected| <= atol + rtol * |expected|`` elementwise (shapes must match)."""
    _check_tolerance(atol, rtol)
    if value is None:
        return _not_attempted(name, "it is still None")
    _compare(name, value, expected, atol, rtol, hint)
    print(f"✓ {name}")
    return True


def check_shape(name: str, value: Any, expected: Sequence[int | None], hint: str | None = None) -> bool:
    """Check ``value.shape`` against ``expected``; ``None`` in ``expected`` matches any size."""
    if value is None:
        return _not_attempted(name, "it is still None")
    shape = getattr(value, "shape", None)
    if shape is None:
        raise AssertionError(f"✗ {name}: has no shape (it is a {type(value).__name__}); expected a tensor or array")
    shape, expected = tuple(shape), tuple(expected)
    ok = len(shape) == len(expected) and all(e is None or s == e for s, e in zip(shape, expected))
    if not ok:
        want = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        tip = f"\n  Hint: {hint}" if hint else ""
        raise AssertionError(f"✗ {name}: shape {shape}, expected {want}{tip}")
    print(f"✓ {name} has shape {shape}")
    return True


def check_function(fn: Callable, cases: Sequence[tuple], name: str | None = None, atol: float = 1e-6,
                   rtol: float = 0.0, hint: str | None = None) -> bool:
    """Call ``fn`` on each case and compare with the expected output.

    ``cases`` is a list of ``(args, expected)`` or ``(args, kwargs, expected)``; ``args`` is a
    tuple. Returns True when every case passes, False when ``fn`` is still a stub.
    """
    if not callable(fn):
        raise TypeError(f"check_function needs a function, got {type(fn).__name__}")
    if not cases:
        raise ValueError("check_function needs at least one (args, expected) case")
    _check_tolerance(atol, rtol)
    label = name or getattr(fn, "__name__", "function")
    for i, case in enumerate(cases):
        if not isinstance(case, tuple) or len(case) not in (2, 3) or not isinstance(case[0], tuple):
            raise ValueError(f"case {i} must be (args_tuple, expected) or (args_tuple, kwargs, expected), got {case!r}")
        args, kwargs, expected = (case[0], {}, case[1]) if len(case) == 2 else case
        try:
            out = fn(*args, **kwargs)
        except NotImplementedError:
            return _not_attempted(label)
        _compare(f"{label} case {i + 1}", out, expected, atol, rtol, hint)
    print(f"✓ {label}: {len(cases)} case{'s' if len(cases) > 1 else ''} passed")
    return True


@contextlib.contextmanager
def exercise(name: str) -> Iterator[None]:
    """Run a block of checks; a stub's ``NotImplementedError`` prints a friendly note instead of a traceback."""
    try:
        yield
    except NotAttempted as e:
        _not_attempted(name, str(e))
    except NotImplementedError:
        _not_attempted(name)


def check_choice(name: str, value: Any, expected: Any, hint: str | None = None, atol: float = 0.0) -> bool:
    """Check a value the student chose at top level (it starts as ``None``: not attempted yet).

    ``expected`` is the right value, or a collection (list, tuple, set) of acceptable ones. Numbers
    compare within ``atol``; anything else by ``==``. Returns True on a right choice, False while
    ``value`` is ``None``; a wrong choice raises ``AssertionError`` with the hint.
    """
    _check_tolerance(atol, 0.0)
    if value is None:
        return _not_attempted(name, f"set {name} to your choice instead of None")
    accepted = list(expected) if isinstance(expected, (list, tuple, set, frozenset)) else [expected]
    if not accepted:
        raise ValueError("check_choice needs at least one acceptable value")

    def same(a: Any, b: Any) -> bool:
        numbers = (int, float, np.integer, np.floating)
        if isinstance(a, (bool, np.bool_)) != isinstance(b, (bool, np.bool_)):
            return False                    # True is not the number 1
        if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
            return abs(float(a) - float(b)) <= atol
        return a == b

    if not any(same(value, a) for a in accepted):
        want = repr(accepted[0]) if len(accepted) == 1 else "one of " + ", ".join(map(repr, accepted))
        tip = f"\n  Hint: {hint}" if hint else ""
        raise AssertionError(f"✗ {name}: you chose {value!r}, expected {want}{tip}")
    print(f"✓ {name} = {value!r}")
    return True


def require(name: str, value: Any) -> Any:
    """``value``, or :class:`NotAttempted` if it is still ``None`` (a later cell needing an earlier choice).

    Inside ``with exercise(...)`` that prints the "not attempted yet" line instead of a traceback.
    """
    if value is None:
        raise NotAttempted(f"it needs {name}, which is still None: do that exercise first")
    return value
