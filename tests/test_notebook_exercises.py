"""Every notebook's exercises hold up: wrong answers are rejected, student copies run (issue 10).

For every ``notebooks/*.ipynb`` with solution blocks (found by globbing, so a new notebook is held
to this without being listed anywhere):

1. **Every self-check rejects wrong answers.** ``tests/mistakes/<stem>.py`` declares plausible wrong
   answers, at least two per exercise cell (format in COMMON.md and docs/INSTRUCTORS.md)::

       MISTAKES = [{"exercise": "def residual(", "block": 0, "code": "return img - small", "hint": "upsample"}]

   The master notebook runs at smoke scale in one kernel; then each mistake's ``code`` replaces
   its solution block (indented like the block) and the cell is run again. It must fail with an
   ``AssertionError`` whose message holds "✗" and the mistake's ``hint`` text. The cell is then run
   again with the right answer, so the next mistake starts from the master's state.
2. **Every student copy runs top to bottom** (:func:`gan_utils.conventions.student_copy`) at smoke
   scale: no error output in any cell, and every exercise cell prints the "not attempted yet" line.
3. **Stub hints say what to write, not the code** (:func:`gan_utils.conventions.hint_gives_code`),
   and a fuller hint sits in a collapsed markdown cell below each exercise.

The machinery's own tests (a synthetic notebook whose check accepts a wrong answer) are at the end.
Cost: one kernel for the master and its mistakes, one for the student copy, both sharing a results
folder so the student copy loads the master's checkpoints instead of training again.
"""
from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest

from gan_utils.conventions import (CourseError, hint_gives_code, solution_blocks, student_copy,
                                   with_solution)
from gan_utils.exercises import NOT_ATTEMPTED

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MISTAKES_DIR = ROOT / "tests" / "mistakes"
MIN_MISTAKES = 2
CELL_TIMEOUT_S = 600
MISTAKE_KEYS = {"exercise", "block", "code", "hint"}
_STUB_RE = re.compile(r"raise NotImplementedError\((['\"])Exercise: |^# Exercise: ", re.MULTILINE)


class MistakesError(ValueError):
    """A mistakes file is malformed; the message names the file, the entry and what to fix."""


@dataclass(frozen=True)
class Mistake:
    """One wrong answer, resolved against its notebook: which cell and block it replaces."""

    number: int            # position in MISTAKES (0-based)
    exercise: str
    cell: int              # index of the exercise's code cell in the master notebook
    block: int
    code: str
    hint: str

    def label(self) -> str:
        return f"mistake {self.number} ({self.exercise!r}, block {self.block})"


@dataclass
class Outcome:
    """What happened when a mistake ran: ``problem`` is None when the check caught it with the hint."""

    mistake: Mistake
    problem: str | None
    message: str = ""


@dataclass
class Run:
    """Outputs of one notebook execution: ``errors`` lists "cell i: Ename: value" for each error output."""

    nb: nbformat.NotebookNode
    errors: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


# --------------------------------------------------------------------------- reading the notebook and its mistakes
def exercise_cells(nb: nbformat.NotebookNode) -> dict[int, int]:
    """``{cell index: number of solution blocks}`` for the code cells that hold exercises."""
    cells = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            n = len(solution_blocks(cell.source, f"cell {i}"))
            if n:
                cells[i] = n
    return cells


def mistakes_path(notebook: Path) -> Path:
    """Where the mistakes of ``notebook`` are declared: tests/mistakes/<stem>.py."""
    return MISTAKES_DIR / f"{notebook.stem}.py"


def load_mistakes(path: Path) -> list[Any]:
    """The ``MISTAKES`` list of a mistakes file, imported by path (the names start with digits)."""
    if not path.is_file():
        raise MistakesError(f"{path.name}: no such file; declare the notebook's wrong answers in "
                            f"tests/mistakes/{path.name} (format: docs/INSTRUCTORS.md, 'Exercises')")
    spec = importlib.util.spec_from_file_location(f"_mistakes_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as e:  # a syntax error or a failing import in the file: say which file
        raise MistakesError(f"{path.name}: could not be imported: {type(e).__name__}: {e}") from e
    if not hasattr(module, "MISTAKES"):
        raise MistakesError(f"{path.name}: defines no MISTAKES list")
    mistakes = module.MISTAKES
    if not isinstance(mistakes, (list, tuple)):
        raise MistakesError(f"{path.name}: MISTAKES must be a list of dicts, got {type(mistakes).__name__}")
    return list(mistakes)


def resolve_mistakes(nb: nbformat.NotebookNode, raw: list[Any], name: str) -> list[Mistake]:
    """Check every entry of ``raw`` against ``nb`` and return them resolved; MistakesError lists all problems.

    Rules: each entry is a dict with ``exercise``, ``code``, ``hint`` (non-empty strings) and an
    optional ``block`` (int, default 0); ``exercise`` is a substring of exactly one code cell,
    which holds solution blocks; ``block`` exists in it; every exercise cell has at least
    :data:`MIN_MISTAKES` mistakes.
    """
    problems, resolved = [], []
    exercises = exercise_cells(nb)
    for n, entry in enumerate(raw):
        where = f"{name}: MISTAKES[{n}]"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be a dict, got {type(entry).__name__}")
            continue
        unknown, missing = set(entry) - MISTAKE_KEYS, {"exercise", "code", "hint"} - set(entry)
        if unknown or missing:
            problems.append(f"{where}: " + "; ".join(
                ([f"unknown key(s) {sorted(unknown)}"] if unknown else [])
                + ([f"missing key(s) {sorted(missing)}"] if missing else []))
                + f" (keys: {sorted(MISTAKE_KEYS)})")
            continue
        bad = [k for k in ("exercise", "code", "hint") if not isinstance(entry[k], str) or not entry[k].strip()]
        if bad:
            problems.append(f"{where}: {', '.join(bad)} must be non-empty string(s)")
            continue
        block = entry.get("block", 0)
        if not isinstance(block, int) or isinstance(block, bool) or block < 0:
            problems.append(f"{where}: block must be an int >= 0 (0 = first solution block), got {block!r}")
            continue
        hits = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and entry["exercise"] in c.source]
        if len(hits) != 1:
            problems.append(f"{where}: exercise {entry['exercise']!r} is in {len(hits)} code cells "
                            f"{hits}; it must identify exactly one (use a longer substring)")
            continue
        cell = hits[0]
        if cell not in exercises:
            problems.append(f"{where}: exercise {entry['exercise']!r} names cell {cell}, which has no solution block")
            continue
        if block >= exercises[cell]:
            problems.append(f"{where}: block {block}, but cell {cell} has {exercises[cell]} solution "
                            f"block(s) (counted from 0)")
            continue
        resolved.append(Mistake(n, entry["exercise"], cell, block, entry["code"], entry["hint"]))
    for cell in exercises:
        count = sum(m.cell == cell for m in resolved)
        if count < MIN_MISTAKES:
            first = nb.cells[cell].source.strip().splitlines()[0][:60]
            problems.append(f"{name}: exercise cell {cell} ({first!r}) has {count} mistake(s); "
                            f"declare at least {MIN_MISTAKES} plausible wrong answers")
    if problems:
        raise MistakesError("\n".join(problems))
    return resolved


# --------------------------------------------------------------------------- running notebooks
def kernel_env(results: Path) -> dict[str, str]:
    """The environment of a smoke-scale, headless run whose results go to ``results``."""
    env = dict(os.environ)
    env.update(GAN_COURSE_SCALE="smoke", GAN_COURSE_HEADLESS="1", GAN_COURSE_RESULTS=str(results),
               OMP_NUM_THREADS="1", MPLBACKEND="Agg",
               PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    return env


def _errors(cell: nbformat.NotebookNode) -> list[tuple[str, str]]:
    out = []
    for o in cell.get("outputs", []):
        if o.output_type == "error":
            out.append((o.ename, o.evalue))
        elif o.output_type == "stream" and o.name == "stderr" and "Traceback (most recent call last)" in o.text:
            out.append(("stderr traceback", o.text.strip().splitlines()[-1]))
    return out


def _text(cell: nbformat.NotebookNode) -> str:
    parts = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type == "error":
            parts.append(f"{o.ename}: {o.evalue}")
        elif "text/plain" in o.get("data", {}):
            parts.append(o.data["text/plain"])
    return "".join(parts)


def _client(nb: nbformat.NotebookNode, cwd: Path):
    from nbclient import NotebookClient

    return NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", allow_errors=True,
                          resources={"metadata": {"path": str(cwd)}})


def _judge(mistake: Mistake, cell: nbformat.NotebookNode) -> Outcome:
    errors = [o for o in cell.outputs if o.output_type == "error"]
    if not errors:
        shown = " ".join(_text(cell).split())[:200]
        return Outcome(mistake, "the self-check ACCEPTED this wrong answer (no ✗ failure)", shown)
    ename, evalue = errors[-1].ename, errors[-1].evalue
    message = f"{ename}: {evalue}"
    if ename != "AssertionError" or "✗" not in evalue:
        return Outcome(mistake, f"the cell raised {ename} instead of a ✗ self-check failure", message)
    if " ".join(mistake.hint.split()) not in " ".join(evalue.split()):
        return Outcome(mistake, f"the check failed, but its message lacks the hint {mistake.hint!r}", message)
    return Outcome(mistake, None, message)


def _execute_all(client, nb, run: Run) -> None:
    """Execute every code cell of ``nb`` in order in the client's kernel, recording error outputs in ``run``."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            client.execute_cell(cell, i)
            run.errors += [f"cell {i}: {e}: {v}" for e, v in _errors(cell)]


def run_master_with_mistakes(path: Path, mistakes: list[Mistake], results: Path) -> Run:
    """Execute the master notebook in one kernel, then each mistake in its cell (see module docstring)."""
    nb = nbformat.read(str(path), as_version=4)
    sources = [c.source for c in nb.cells]      # nbclient writes each executed cell back into nb
    run = Run(nb)
    client = _client(nb, path.parent)
    with client.setup_kernel(env=kernel_env(results)):
        _execute_all(client, nb, run)
        if run.errors:      # the mistakes mean nothing if the right answers do not run
            return run
        for m in mistakes:
            wrong = nbformat.v4.new_code_cell(with_solution(sources[m.cell], m.block, m.code, f"cell {m.cell}"))
            client.execute_cell(wrong, m.cell)
            run.outcomes.append(_judge(m, wrong))
            right = nbformat.v4.new_code_cell(sources[m.cell])
            client.execute_cell(right, m.cell)          # back to the master's state
            run.errors += [f"cell {m.cell} re-run after {m.label()}: {e}: {v}" for e, v in _errors(right)]
    return run


def run_student_copy(path: Path, results: Path) -> Run:
    """Execute the student copy of ``path`` top to bottom in a fresh kernel."""
    student = student_copy(nbformat.read(str(path), as_version=4))
    run = Run(student)
    client = _client(student, path.parent)
    with client.setup_kernel(env=kernel_env(results)):
        _execute_all(client, student, run)
    return run


def student_problems(run: Run) -> list[str]:
    """What is wrong with an executed student copy: error outputs, stubs that do not say 'not attempted'."""
    problems = list(run.errors)
    for i, cell in enumerate(run.nb.cells):
        if cell.cell_type == "code" and _STUB_RE.search(cell.source) and NOT_ATTEMPTED not in _text(cell):
            problems.append(f"cell {i}: an exercise stub ran without printing {NOT_ATTEMPTED!r} "
                            "(put its check in check_function or `with exercise(...)`)")
    return problems


def mistake_report(run: Run) -> list[str]:
    """One line per mistake whose check did not fail with its hint, plus errors of the master run."""
    lines = [f"master run: {e}" for e in run.errors]
    for o in run.outcomes:
        if o.problem:
            lines.append(f"{o.mistake.label()}: {o.problem}; hint expected {o.mistake.hint!r}; "
                         f"cell output: {o.message[:300]}")
    return lines


# --------------------------------------------------------------------------- the tests over the real notebooks


@pytest.fixture(scope="module")
def results_dirs(tmp_path_factory):
    return {}


def _results(results_dirs: dict, path: Path, tmp_path_factory) -> Path:
    if path not in results_dirs:
        results_dirs[path] = tmp_path_factory.mktemp(f"results-{path.stem}")
    return results_dirs[path]


def _exercise_notebook(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(str(path), as_version=4)
    if not exercise_cells(nb):
        pytest.skip(f"{path.name} has no exercises")
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_mistakes_file_declares_two_wrong_answers_per_exercise(path):
    nb = _exercise_notebook(path)
    resolve_mistakes(nb, load_mistakes(mistakes_path(path)), mistakes_path(path).name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_self_check_rejects_its_wrong_answers_with_the_hint(path, results_dirs, tmp_path_factory):
    nb = _exercise_notebook(path)
    mistakes = resolve_mistakes(nb, load_mistakes(mistakes_path(path)), mistakes_path(path).name)
    run = run_master_with_mistakes(path, mistakes, _results(results_dirs, path, tmp_path_factory))
    report = mistake_report(run)
    assert not report, f"{path.name}: {len(report)} problem(s)\n" + "\n".join(report)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_student_copy_runs_top_to_bottom_and_says_not_attempted(path, results_dirs, tmp_path_factory):
    _exercise_notebook(path)
    run = run_student_copy(path, _results(results_dirs, path, tmp_path_factory))
    problems = student_problems(run)
    assert not problems, f"student copy of {path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stub_hints_say_what_to_write_and_a_collapsed_hint_follows(path):
    nb = _exercise_notebook(path)
    problems = []
    cells = sorted(exercise_cells(nb))
    for k, i in enumerate(cells):
        for b in solution_blocks(nb.cells[i].source):
            if hint_gives_code(b.hint):
                problems.append(f"cell {i}: the stub hint gives code away: {b.hint!r} "
                                "(say in words what to write; code belongs in the collapsed hint)")
        following = nb.cells[i + 1:cells[k + 1] if k + 1 < len(cells) else len(nb.cells)]
        if not any(c.cell_type == "markdown" and c.metadata.get("jupyter", {}).get("source_hidden")
                   for c in following):
            problems.append(f"cell {i}: no collapsed markdown hint cell below it (metadata "
                            '"jupyter": {"source_hidden": true}) before the next exercise')
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- the machinery's own tests
SETUP = "from gan_utils.exercises import check_choice, check_function, exercise, require"
WEAK = '''def double(x):
    """2 x."""
    # BEGIN SOLUTION multiply the input by two
    return 2 * x
    # END SOLUTION


check_function(double, [((0,), 0)], hint="multiply, do not add")'''
STRONG = '''def halve(x):
    # BEGIN SOLUTION divide by two
    return x / 2
    # END SOLUTION


check_function(halve, [((4,), 2), ((6,), 3)], hint="divide, do not subtract")'''
CHOICE = '''K = None
# BEGIN SOLUTION set K to the number of D steps
K = 1
# END SOLUTION
check_choice("K", K, 1, hint="one D step per G step")'''


def synthetic(tmp_path: Path, cells: list[str], name: str = "99_synthetic") -> Path:
    """A notebook of code cells in ``tmp_path``, each followed by a collapsed hint cell."""
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    for source in cells:
        nb.cells.append(nbformat.v4.new_code_cell(source))
        nb.cells.append(nbformat.v4.new_markdown_cell("Hint: think.", metadata={"jupyter": {"source_hidden": True}}))
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


def write_mistakes(tmp_path: Path, body: str, name: str = "99_synthetic") -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(f'"""Synthetic mistakes."""\n{body}\n')
    return path


def test_machinery_reports_a_check_that_accepts_a_wrong_answer(tmp_path):
    path = synthetic(tmp_path, [SETUP, WEAK, STRONG])
    mistakes = resolve_mistakes(nbformat.read(str(path), as_version=4), [
        {"exercise": "def double(", "code": "return 3 * x", "hint": "multiply"},            # passes x=0: accepted
        {"exercise": "def double(", "code": "return x + 2", "hint": "multiply, do not add"},  # caught
        {"exercise": "def halve(", "code": "return x - 2", "hint": "divide, do not subtract"},  # caught
        {"exercise": "def halve(", "code": "return x / 3", "hint": "a hint the check never gives"},
        {"exercise": "def halve(", "code": "return undefined_name", "hint": "divide"},
    ], "synthetic")
    run = run_master_with_mistakes(path, mistakes, tmp_path / "results")
    assert run.errors == []
    problems = {o.mistake.number: o.problem for o in run.outcomes}
    assert problems[1] is None and problems[2] is None
    assert "ACCEPTED this wrong answer" in problems[0]
    assert "lacks the hint 'a hint the check never gives'" in problems[3]
    assert "raised NameError instead of a ✗ self-check failure" in problems[4]
    report = "\n".join(mistake_report(run))
    assert "mistake 0 ('def double(', block 0): the self-check ACCEPTED" in report
    assert "mistake 1" not in report


def test_machinery_restores_the_right_answer_after_each_mistake(tmp_path):
    """A mistake must not leak into the next one: the second cell uses the first cell's function."""
    uses = '''def quadruple(x):
    # BEGIN SOLUTION double twice with double()
    return double(double(x))
    # END SOLUTION


check_function(quadruple, [((1,), 4)], hint="twice")'''
    path = synthetic(tmp_path, [SETUP, WEAK.replace("[((0,), 0)]", "[((1,), 2)]"), uses])
    mistakes = resolve_mistakes(nbformat.read(str(path), as_version=4), [
        {"exercise": "def double(", "code": "return x + 2", "hint": "multiply"},
        {"exercise": "def double(", "code": "return x * 3", "hint": "multiply"},
        {"exercise": "def quadruple(", "code": "return double(x)", "hint": "twice"},
        {"exercise": "def quadruple(", "code": "return double(x) + 1", "hint": "twice"},
    ], "synthetic")
    run = run_master_with_mistakes(path, mistakes, tmp_path / "results")
    assert mistake_report(run) == []      # with double still wrong, quadruple's checks would misfire


def test_machinery_reports_a_student_copy_that_stops_or_stays_silent(tmp_path):
    top_level = '''del K
# BEGIN SOLUTION your prediction: 1 or 5
K = 1
# END SOLUTION
print(K)'''
    silent = '''def triple(x):
    # BEGIN SOLUTION multiply by three
    return 3 * x
    # END SOLUTION


try:
    triple(1)
except NotImplementedError:
    pass'''
    dependent = "print(halve(8))"
    path = synthetic(tmp_path, [SETUP, STRONG, CHOICE, top_level, silent, dependent])
    run = run_student_copy(path, tmp_path / "results")
    problems = "\n".join(student_problems(run))
    assert "cell 6: NameError: name 'K' is not defined" in problems, "a choice without its None default"
    assert f"cell 8: an exercise stub ran without printing {NOT_ATTEMPTED!r}" in problems
    assert "cell 10: NotImplementedError: Exercise: divide by two" in problems
    assert "cell 2:" not in problems and "cell 4:" not in problems, "a stub under check_* is polite"


def test_a_polite_student_copy_passes(tmp_path):
    dependent = 'with exercise("use halve"):\n    print(halve(8))\nwith exercise("use K"):\n    print(require("K", K) + 1)'
    path = synthetic(tmp_path, [SETUP, STRONG, CHOICE, dependent])
    run = run_student_copy(path, tmp_path / "results")
    assert student_problems(run) == []
    out = _text(run.nb.cells[6])
    assert out.count(NOT_ATTEMPTED) == 2


@pytest.mark.parametrize("entries, message", [
    ([{"exercise": "def double(", "code": "return 3 * x"}], r"MISTAKES\[0\]: missing key\(s\) \['hint'\]"),
    ([{"exercise": "def double(", "code": "x", "hint": "h", "why": "?"}], r"unknown key\(s\) \['why'\]"),
    (["return 3 * x"], r"MISTAKES\[0\] must be a dict, got str"),
    ([{"exercise": "def double(", "code": "", "hint": "h"}], "code must be non-empty"),
    ([{"exercise": "check_function", "code": "x", "hint": "h"}], r"is in 3 code cells \[0, 2, 4\]"),
    ([{"exercise": "no such text", "code": "x", "hint": "h"}], "is in 0 code cells"),
    ([{"exercise": "import check_choice", "code": "x", "hint": "h"}], "has no solution block"),
    ([{"exercise": "def double(", "block": 1, "code": "x", "hint": "h"}], r"block 1, but cell 2 has 1"),
    ([{"exercise": "def double(", "block": "0", "code": "x", "hint": "h"}], "block must be an int"),
    ([{"exercise": "def double(", "code": "return 3 * x", "hint": "h"}],
     r"exercise cell 2 \('def double\(x\):'\) has 1 mistake\(s\); declare at least 2"),
])
def test_malformed_mistakes_get_a_clear_message(tmp_path, entries, message):
    nb = nbformat.read(str(synthetic(tmp_path, [SETUP, WEAK, STRONG])), as_version=4)
    with pytest.raises(MistakesError, match=message):
        resolve_mistakes(nb, entries, "synthetic")


def test_load_mistakes_by_path_and_its_errors(tmp_path):
    good = write_mistakes(tmp_path, 'MISTAKES = [{"exercise": "a", "code": "b", "hint": "c"}]')
    assert load_mistakes(good) == [{"exercise": "a", "code": "b", "hint": "c"}]
    with pytest.raises(MistakesError, match="no such file; declare"):
        load_mistakes(tmp_path / "98_none.py")
    with pytest.raises(MistakesError, match="defines no MISTAKES"):
        load_mistakes(write_mistakes(tmp_path, "X = 1", "97_x"))
    with pytest.raises(MistakesError, match="must be a list of dicts, got dict"):
        load_mistakes(write_mistakes(tmp_path, "MISTAKES = {}", "96_x"))
    with pytest.raises(MistakesError, match="could not be imported: SyntaxError"):
        load_mistakes(write_mistakes(tmp_path, "MISTAKES = [", "95_x"))


def test_with_solution_indents_the_wrong_answer_like_the_block():
    source = "def f(x):\n    y = 1\n    # BEGIN SOLUTION a\n    return x\n    # END SOLUTION\n\n\nprint(f(1))"
    assert with_solution(source, 0, "if x:\n    return 1\nreturn 2") == (
        "def f(x):\n    y = 1\n    if x:\n        return 1\n    return 2\n\n\nprint(f(1))")
    two = "# BEGIN SOLUTION a\nA = 1\n# END SOLUTION\n# BEGIN SOLUTION b\nB = 2\n# END SOLUTION"
    assert with_solution(two, 1, "B = 3") == "# BEGIN SOLUTION a\nA = 1\n# END SOLUTION\nB = 3"
    with pytest.raises(CourseError, match="no solution block 2; the cell has 2"):
        with_solution(two, 2, "x")
    with pytest.raises(CourseError, match="non-empty string"):
        with_solution(two, 0, "  ")
    blocks = solution_blocks(source)
    assert [(b.begin, b.end, b.indent, b.hint) for b in blocks] == [(2, 4, "    ", "a")]
    with pytest.raises(CourseError, match=r"never closed.*line 1"):
        solution_blocks("# BEGIN SOLUTION\nx = 1")


@pytest.mark.parametrize("hint, gives_code", [
    ("count with torch.bincount(labels, minlength=n_classes), then divide by the total", True),
    ("pick each row's embedding with E[y], multiply elementwise with h and sum", True),
    ("call race(g_loss_saturating, k=k, steps=steps) and average its last snapshot", True),
    ("D.eval() first", True),
    ("count each class, keep the classes that never occur, divide by the total", False),
    ("floor((n + 2p - k) / s) + 1", False),
    ("use log sigmoid(a) = -softplus(-a)", False),
    ("scale 0..255 to [-1, 1] and add a channel axis", False),
])
def test_hint_gives_code(hint, gives_code):
    assert hint_gives_code(hint) is gives_code


def test_student_copy_drops_check_output_markers():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1)"),
                                         nbformat.v4.new_code_cell("x = 1  # NBVAL_CHECK_OUTPUT stays in a comment")])
    student = student_copy(nb)
    assert student.cells[0].source == "print(1)"
    assert student.cells[1].source == "x = 1  # NBVAL_CHECK_OUTPUT stays in a comment"
    assert nb.cells[0].source.startswith("# NBVAL_CHECK_OUTPUT"), "the master is untouched"
