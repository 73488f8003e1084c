"""Notebook hygiene: is this notebook fit to commit?

Each check takes ``(notebook, path)`` and returns a list of problems (empty = clean);
:data:`HYGIENE_CHECKS` names them, and :func:`hygiene_problems` runs them on one file:

* ``anatomy``: a markdown title with the Colab badge first, then the level-2 headings of
  :data:`ANATOMY` in order (00_introduction trains nothing and has :data:`INTRO_ANATOMY`);
* ``parameters``: a code cell tagged ``parameters`` assigns SCALE, SEED, DATASET and TRAIN, and
  the next code cell is the setup cell with a guarded Colab install;
* ``committed_scale``: the setup cell's output says ``scale=quick``;
* ``no_errors``, ``no_private_paths``: no error outputs, and no absolute path or user name in any output;
* ``execution_counts``: the cells ran once, top to bottom, in a fresh kernel (counts 1..n);
* ``size``: the file is under 3 MB;
* ``nbval_cells``: at least one ``# NBVAL_CHECK_OUTPUT`` cell;
* ``exercises``: at least three ``# BEGIN SOLUTION`` blocks, and a student copy that is valid Python;
* ``badge``: the setup cell's Colab block is :data:`~gan_utils.conventions.COLAB_TEMPLATE` naming
  some repository and ref, and the badge names the same (``course check`` adds that all notebooks
  name one repository; ``course release`` that they name the release tag).

``tests/test_hygiene.py`` runs every check on every ``notebooks/NN_*.ipynb``;
``python -m gan_utils.course check`` (``make check``) prints the same problems, plus a stale README table.
No notebook teaches this module: it is for authors, and the rules it enforces are written out in
docs/INSTRUCTORS.md ("Writing or changing a notebook").
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Callable, Iterable

import nbformat

from .conventions import (
    BADGE_RE, BEGIN_SOLUTION, COMMITTED_SCALE, CourseError, is_colab_cell, badge, colab_block, colab_block_span,
    location, notebook_location, read, student_copy,
)

MAX_NOTEBOOK_BYTES = 3 * 1024 * 1024

# --------------------------------------------------------------------------- anatomy
#: Level-2 headings every training notebook has, in this order. A heading matches when its
#: text starts with the entry ("## 3. Theory: the value function" matches "3. Theory").
ANATOMY: tuple[str, ...] = (
    "1. Why", "2. Setup", "3. Theory", "4. Build", "5. Check", "6. Train", "7. Look",
    "8. Measure", "9. Exercises", "Summary", "References", "Next",
)
#: The reduced anatomy of notebooks that train nothing (00 introduces the course).
INTRO_ANATOMY: tuple[str, ...] = (
    "1. Why", "2. Setup", "3. The course map", "4. A tour of the data",
    "5. What a generative model is", "6. How good can a score be", "7. Running the course",
    "8. Exercises", "Summary", "References", "Next",
)
ANATOMY_BY_NOTEBOOK: dict[str, tuple[str, ...]] = {"00_introduction": INTRO_ANATOMY}
PARAMETERS = ("SCALE", "SEED", "DATASET", "TRAIN")
MIN_EXERCISES = 3

CHECK_OUTPUT_MARK = "# NBVAL_CHECK_OUTPUT"

# Outputs must not reveal where the notebook ran or who ran it.
_ABS_PATH_RE = re.compile(r"(/root/|/home/[\w.-]+|/Users/[\w.-]+|/work/|/tmp/|/content/|"
                          r"/private/var/|[A-Za-z]:\\\\?Users)")
_TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json")


# --------------------------------------------------------------------------- small helpers
def _headings(nb: nbformat.NotebookNode) -> list[str]:
    return [line[3:].strip() for cell in nb.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("## ")]


def _output_texts(output: dict) -> Iterable[str]:
    if output.get("output_type") == "stream":
        yield output.get("text", "")
    elif output.get("output_type") == "error":
        yield "\n".join([output.get("ename", ""), output.get("evalue", "")] + output.get("traceback", []))
    for mime in _TEXT_MIMES:
        value = output.get("data", {}).get(mime)
        if value is not None:
            yield value if isinstance(value, str) else json.dumps(value)


def _without_magics(source: str) -> str:
    """``source`` with IPython magics (``%time``, ``!pip``) turned into ``pass`` so ``ast`` can parse it."""
    return "\n".join(re.sub(r"^(\s*)[%!].*$", r"\1pass", line) for line in source.splitlines())


def _parameters_cell(nb: nbformat.NotebookNode) -> int | None:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return i
    return None


# --------------------------------------------------------------------------- hygiene checks
# Each check takes (notebook, path) and returns a list of problems (empty = clean).
def check_anatomy(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """Title + badge in the first cell, and the required level-2 headings in order."""
    problems = []
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown" or not first.source.startswith("# "):
        problems.append("the first cell must be markdown starting with the title ('# ...')")
    elif BADGE_RE.search(first.source) is None:
        problems.append("the first cell has no Colab badge: run `python -m gan_utils.course badges`")
    required = ANATOMY_BY_NOTEBOOK.get(path.stem, ANATOMY)
    headings, pos = _headings(nb), 0
    for want in required:
        hit = next((j for j in range(pos, len(headings)) if headings[j].startswith(want)), None)
        if hit is None:
            later = [h for h in headings if h.startswith(want)]
            where = "is out of order" if later else "is missing"
            problems.append(f"heading '## {want}' {where} (required, in order: {', '.join(required)})")
        else:
            pos = hit + 1
    return problems


def check_parameters(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """A code cell tagged ``parameters`` assigns SCALE, SEED, DATASET and TRAIN; the next code cell calls setup()."""
    i = _parameters_cell(nb)
    if i is None:
        return ["no code cell is tagged 'parameters' (cell toolbar → tags, or metadata.tags)"]
    try:
        tree = ast.parse(nb.cells[i].source)
    except SyntaxError as e:
        return [f"the parameters cell is not plain Python: {e}"]
    assigned = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)}
    problems = [f"the parameters cell does not assign {name}" for name in PARAMETERS if name not in assigned]
    nxt = next((c for c in nb.cells[i + 1:] if c.cell_type == "code"), None)
    if nxt is None or re.search(r"\bsetup\(", nxt.source) is None:
        problems.append("the code cell after the parameters cell must be the setup cell calling setup(...)")
    elif colab_block_span(nxt.source) is None:
        problems.append("the setup cell has no guarded Colab block (a top-level `if \"google.colab\" in "
                        "sys.modules:` after `import sys`): copy the setup cell of 00_introduction, then run "
                        "`python -m gan_utils.course badges`")
    return problems


def check_committed_scale(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """The committed outputs come from a quick-scale run (the setup cell prints ``scale=...``)."""
    i = _parameters_cell(nb)
    nxt = next((c for c in nb.cells[i + 1:] if c.cell_type == "code"), None) if i is not None else None
    if nxt is None:
        return ["no setup cell found (see check_parameters)"]
    text = "".join(t for o in nxt.get("outputs", []) for t in _output_texts(o))
    found = re.search(r"scale=(\w+)", text)
    if found is None:
        return ["the setup cell has no output: execute the notebook (`make execute`)"]
    if found.group(1) != COMMITTED_SCALE:
        return [f"committed outputs come from scale={found.group(1)}; re-run at {COMMITTED_SCALE} "
                f"(`make execute`)"]
    return []


def check_no_errors(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """No cell output is an error."""
    return [f"cell {i} has an error output: {o.get('ename')}: {o.get('evalue', '')[:80]}"
            for i, c in enumerate(nb.cells) for o in c.get("outputs", []) if o.get("output_type") == "error"]


def check_no_private_paths(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """No output shows an absolute path or a user's home (``/home/<x>``, ``/root/``, ``C:\\Users``...)."""
    problems = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            for text in _output_texts(out):
                m = _ABS_PATH_RE.search(text)
                if m:
                    s = max(m.start() - 30, 0)
                    problems.append(f"cell {i} output shows a private path: ...{text[s:m.end() + 30]!r}...")
    return problems


def check_execution_counts(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """Every code cell ran once, top to bottom, in a fresh kernel: counts are 1..n."""
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    if counts != list(range(1, len(counts) + 1)):
        return [f"execution counts are {counts}, expected 1..{len(counts)}: run `make execute`"]
    return []


def check_size(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """The file is smaller than 3 MB (big images or widget state make the repository heavy)."""
    size = path.stat().st_size
    return [] if size < MAX_NOTEBOOK_BYTES else [f"file is {size / 2**20:.1f} MB (limit 3 MB): lower figure dpi"]


def check_nbval_cells(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """At least one code cell is marked ``# NBVAL_CHECK_OUTPUT`` (output identical at every scale)."""
    if any(c.cell_type == "code" and CHECK_OUTPUT_MARK in c.source for c in nb.cells):
        return []
    return [f"no code cell is marked {CHECK_OUTPUT_MARK}: mark the deterministic Check cells"]


def check_exercises(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """At least three exercises with solutions, and the student copy is valid Python."""
    try:
        student = student_copy(nb)
    except CourseError as e:
        return [str(e)]
    n = sum(len([ln for ln in c.source.splitlines() if BEGIN_SOLUTION.match(ln)])
            for c in nb.cells if c.cell_type == "code")
    problems = [] if n >= MIN_EXERCISES else [f"{n} solution blocks; the anatomy asks for ≥ {MIN_EXERCISES} exercises"]
    for i, cell in enumerate(student.cells):
        if cell.cell_type == "code":
            try:
                ast.parse(_without_magics(cell.source))
            except SyntaxError as e:
                problems.append(f"student copy of cell {i} is not valid Python: {e}")
    return problems


def check_badge(nb: nbformat.NotebookNode, path: Path) -> list[str]:
    """The setup cell's Colab block is the template (:func:`~gan_utils.conventions.colab_block`) for the
    repository and ref it names, there is one such block, and the badge names the same place."""
    colab_cells = [i for i, c in enumerate(nb.cells) if is_colab_cell(c)]
    blocks = [i for i in colab_cells if colab_block_span(nb.cells[i].source) is not None]
    where = notebook_location(nb)
    if where is None:
        if not colab_cells:
            return []  # check_parameters reports the missing block
        return [f"cell {colab_cells[0]}'s Colab block does not come from the template "
                "(conventions.COLAB_TEMPLATE): run `python -m gan_utils.course badges`"]
    try:
        location(*where)
    except CourseError as e:
        return [f"the Colab block names a bad location: {e}"]
    problems = []
    if len(colab_cells) > 1:
        problems.append(f"cells {colab_cells} all mention google.colab; keep one Colab block, in the setup cell")
    want = colab_block(where).splitlines()
    for i in blocks:
        start, end = colab_block_span(nb.cells[i].source)
        got = nb.cells[i].source.splitlines()[start:end]
        if got != want:
            n = next((k for k, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
            line = got[n].strip() if n < len(got) else "(block ends)"
            problems.append(f"cell {i}'s Colab block differs from the template at its line {n + 1} "
                            f"({line[:70]!r}): run `python -m gan_utils.course badges`")
    first = nb.cells[0].source if nb.cells else ""
    found = BADGE_RE.findall(first)
    if found != [badge(path.stem, where)]:
        problems.append(f"Colab badge is {found or 'missing'}; the setup cell names {where.slug} at {where.ref}, "
                        f"so expected {badge(path.stem, where)}")
    return problems


HYGIENE_CHECKS: dict[str, Callable[[nbformat.NotebookNode, Path], list[str]]] = {
    "anatomy": check_anatomy, "parameters": check_parameters, "committed_scale": check_committed_scale,
    "no_errors": check_no_errors, "no_private_paths": check_no_private_paths,
    "execution_counts": check_execution_counts, "size": check_size, "nbval_cells": check_nbval_cells,
    "exercises": check_exercises, "badge": check_badge,
}


def hygiene_problems(path: Path, checks: Iterable[str] = tuple(HYGIENE_CHECKS)) -> list[str]:
    """All problems of one notebook, each prefixed with the notebook's name and the check's."""
    nb = read(path)
    return [f"{path.name} [{name}]: {p}" for name in checks for p in HYGIENE_CHECKS[name](nb, path)]
