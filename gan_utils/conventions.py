"""Notebook conventions: what the course tooling agrees a notebook looks like.

Two modules rely on these rules. The commands in :mod:`gan_utils.course` apply them, and the
checks in :mod:`gan_utils.hygiene` enforce them. This module imports neither of them:

* **where a notebook points**: the "Open in Colab" badge in its first cell and the clone URL in
  its Colab setup cell both name :data:`REPO_SLUG` on :data:`BRANCH` (the one place the slug lives);
* **what is committed**: outputs from one run at :data:`COMMITTED_SCALE`;
* **how an exercise is marked**: the solution sits between ``# BEGIN SOLUTION <hint>`` and
  ``# END SOLUTION``, and cells tagged ``solution`` hold worked answers. :func:`student_copy`
  turns the master copy into a student copy by replacing each solution with a
  ``NotImplementedError`` stub (a top-level block, a value the student chooses, becomes a
  ``# Exercise: <hint>`` comment: the value keeps its ``None`` default set above the block, and
  the check reports "not attempted"; the stub's message is the hint: what to write, in words, never the
  code) and dropping the ``# NBVAL_CHECK_OUTPUT`` markers (a student's output is theirs);
  :func:`solution_blocks` and :func:`with_solution` let the tests swap a wrong answer into a
  block (tests/test_notebook_exercises.py, tests/mistakes/).

00_introduction §7 ("Running the course") shows students the badge and the Colab setup cell; the
rules for authors are in docs/INSTRUCTORS.md ("Writing or changing a notebook").
"""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import NamedTuple

import nbformat

REPO_SLUG = "gan-course/gan-course"
BRANCH = "main"
COMMITTED_SCALE = "quick"

BEGIN_SOLUTION = re.compile(r"^(?P<indent>[ \t]*)# BEGIN SOLUTION\b[ \t:]*(?P<hint>.*)$")
END_SOLUTION = re.compile(r"^[ \t]*# END SOLUTION\b")
SOLUTION_TAG = "solution"
CHECK_OUTPUT_MARK = "# NBVAL_CHECK_OUTPUT"
_CHECK_OUTPUT_LINE = re.compile(r"^[ \t]*# NBVAL_CHECK_OUTPUT[ \t]*$")
#: code in a stub's hint: a dotted call (``torch.bincount(``), indexing (``E[y]``) or a keyword
#: argument (``minlength=n``); formulas such as ``floor((n + 2p - k) / s) + 1`` are not flagged
CODE_IN_HINT_RE = re.compile(r"\b[A-Za-z_]\w*\.[A-Za-z_]\w*\(|\b[A-Za-z_]\w*\[|\b[A-Za-z_]\w*\([^()]*\b\w+=")

_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
#: a markdown Colab badge; the git URL in a clone command; the branch argument of that command
BADGE_RE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")
CLONE_RE = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+?\.git")
BRANCH_RE = re.compile(r"(\"--branch\",\s*\")([^\"]*)(\")")


class CourseError(RuntimeError):
    """A course command could not do its job; the message says why and what to do."""


def read(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` as nbformat version 4."""
    return nbformat.read(str(path), as_version=4)


# --------------------------------------------------------------------------- where a notebook points
def colab_url(name: str) -> str:
    """Where Colab opens notebook ``name`` (without ``.ipynb``) from this repository's main branch."""
    return f"https://colab.research.google.com/github/{REPO_SLUG}/blob/{BRANCH}/notebooks/{name}.ipynb"


def badge(name: str) -> str:
    """The markdown "Open in Colab" badge for notebook ``name`` (without ``.ipynb``)."""
    return f"[![Open In Colab]({_BADGE_IMAGE})]({colab_url(name)})"


def clone_url() -> str:
    """The git URL the Colab setup cell clones."""
    return f"https://github.com/{REPO_SLUG}.git"


def is_colab_cell(cell: nbformat.NotebookNode) -> bool:
    """Is ``cell`` the setup cell's guarded Colab install (a code cell that mentions google.colab)?"""
    return cell.cell_type == "code" and "google.colab" in cell.source


# --------------------------------------------------------------------------- solution blocks
class SolutionBlock(NamedTuple):
    """One ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` block of a cell: line numbers (0-based) of its
    two markers, the marker's indentation, and the hint that follows ``# BEGIN SOLUTION``."""

    begin: int
    end: int
    indent: str
    hint: str


def solution_blocks(source: str, where: str = "cell") -> list[SolutionBlock]:
    """The solution blocks of one code cell's ``source``, in order; a malformed block raises CourseError."""
    blocks, begin = [], None
    for n, line in enumerate(source.splitlines()):
        marker = BEGIN_SOLUTION.match(line)
        if marker:
            if begin is not None:
                raise CourseError(f"{where}: '# BEGIN SOLUTION' inside another solution block (line {n + 1})")
            begin = (n, marker.group("indent"), marker.group("hint").strip())
        elif END_SOLUTION.match(line):
            if begin is None:
                raise CourseError(f"{where}: '# END SOLUTION' without a '# BEGIN SOLUTION' above it (line {n + 1})")
            blocks.append(SolutionBlock(begin[0], n, begin[1], begin[2]))
            begin = None
    if begin is not None:
        raise CourseError(f"{where}: '# BEGIN SOLUTION' is never closed by '# END SOLUTION' (line {begin[0] + 1})")
    return blocks


def with_solution(source: str, block: int, code: str, where: str = "cell") -> str:
    """``source`` with solution block number ``block`` (0 = first) replaced by ``code``.

    ``code`` is written without indentation; each of its lines is indented like the block's
    ``# BEGIN SOLUTION`` marker (relative indentation inside ``code`` is kept). The markers go too:
    the result is what a student who wrote ``code`` would run.
    """
    blocks = solution_blocks(source, where)
    if not isinstance(block, int) or isinstance(block, bool) or not 0 <= block < len(blocks):
        raise CourseError(f"{where}: no solution block {block!r}; the cell has {len(blocks)} "
                          f"(blocks count from 0)")
    if not isinstance(code, str) or not code.strip():
        raise CourseError(f"{where}: the replacement code must be a non-empty string, got {code!r:.60}")
    b = blocks[block]
    lines = source.splitlines()
    new = [b.indent + ln if ln.strip() else "" for ln in textwrap.dedent(code).strip("\n").splitlines()]
    return "\n".join(lines[:b.begin] + new + lines[b.end + 1:])


def hint_gives_code(hint: str) -> bool:
    """Does a stub's hint contain code (:data:`CODE_IN_HINT_RE`) instead of saying in words what to write?"""
    return bool(CODE_IN_HINT_RE.search(hint))


# --------------------------------------------------------------------------- student copies
def _stub_solutions(source: str, where: str) -> str:
    out, inside = [], False
    for line in source.splitlines():
        begin = BEGIN_SOLUTION.match(line)
        if begin:
            if inside:
                raise CourseError(f"{where}: '# BEGIN SOLUTION' inside another solution block")
            inside = True
            hint = begin.group("hint").strip() or "replace this line with your solution"
            if begin.group("indent"):   # inside a function: the stub raises, the check says "not attempted"
                out.append(f"{begin.group('indent')}raise NotImplementedError({('Exercise: ' + hint)!r})")
            else:                       # a top-level choice: it stays at its None default, set above the block
                out.append(f"# Exercise: {hint}")
        elif END_SOLUTION.match(line):
            if not inside:
                raise CourseError(f"{where}: '# END SOLUTION' without a '# BEGIN SOLUTION' above it")
            inside = False
        elif not inside and not _CHECK_OUTPUT_LINE.match(line):
            out.append(line)
    if inside:
        raise CourseError(f"{where}: '# BEGIN SOLUTION' is never closed by '# END SOLUTION'")
    return "\n".join(out)


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` for students: solutions stubbed, ``solution``-tagged cells dropped, outputs
    cleared, ``# NBVAL_CHECK_OUTPUT`` marker lines removed."""
    student = nbformat.from_dict(json.loads(json.dumps(nb)))
    cells = []
    for i, cell in enumerate(student.cells):
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.source = _stub_solutions(cell.source, f"cell {i}")
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
        elif i == 0 and cell.cell_type == "markdown":
            # The badge opens the master copy (with solutions); students get theirs from the instructor.
            cell.source = re.sub(r"\n?" + BADGE_RE.pattern + r"\n?", "\n", cell.source)
        cells.append(cell)
    student.cells = cells
    student.metadata.pop("widgets", None)
    return student
