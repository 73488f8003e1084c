"""Notebook hygiene: every committed notebook follows the course anatomy and is clean.

Each test checks one thing, for every ``notebooks/NN_*.ipynb``; the checks themselves live in
:mod:`gan_utils.hygiene` (``python -m gan_utils.course check`` prints the same problems).

What a notebook needs (details and an example: docs/INSTRUCTORS.md, "Writing a notebook"):

* first cell: markdown title ``# ...`` with the Colab badge (``python -m gan_utils.course badges``);
* level-2 headings, in this order, each *starting with* (``hygiene.ANATOMY``)::

      ## 1. Why   ## 2. Setup   ## 3. Theory   ## 4. Build   ## 5. Check   ## 6. Train
      ## 7. Look  ## 8. Measure  ## 9. Exercises  ## Summary  ## References  ## Next

  00_introduction trains nothing and has its own list (``hygiene.INTRO_ANATOMY``);
* a code cell tagged ``parameters`` assigning SCALE, SEED, DATASET, TRAIN, followed by the
  setup cell: a guarded Colab install and ``cfg = setup("NN_name", scale=SCALE, seed=SEED)``;
* committed outputs from one quick-scale run in a fresh kernel (counts 1..n, setup output
  says ``scale=quick``), no error outputs, no absolute paths or user names in outputs;
* at least one ``# NBVAL_CHECK_OUTPUT`` cell, at least three ``# BEGIN SOLUTION`` exercises;
* a file under 3 MB; the setup cell's Colab block is ``conventions.COLAB_TEMPLATE`` for the repository
  and ref it names, the badge names the same, and all notebooks name one repository.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from gan_utils import course, hygiene
from gan_utils.conventions import read

NOTEBOOKS = course.notebook_paths()
each_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def problems(check: str, path: Path) -> list[str]:
    return hygiene.HYGIENE_CHECKS[check](read(path), path)


def test_the_course_has_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_introduction.ipynb"


def test_notebook_names_are_planned_or_numbered():
    planned = {name for name, _, _ in course.PLAN}
    assert [p.stem for p in NOTEBOOKS if p.stem not in planned] == []


@each_notebook
def test_anatomy(path):
    assert problems("anatomy", path) == []


@each_notebook
def test_parameters_and_setup_cell(path):
    assert problems("parameters", path) == []


@each_notebook
def test_committed_at_quick_scale(path):
    assert problems("committed_scale", path) == []


@each_notebook
def test_no_error_outputs(path):
    assert problems("no_errors", path) == []


@each_notebook
def test_no_private_paths_in_outputs(path):
    assert problems("no_private_paths", path) == []


@each_notebook
def test_execution_counts_in_order(path):
    assert problems("execution_counts", path) == []


@each_notebook
def test_size_under_3_mb(path):
    assert problems("size", path) == []


@each_notebook
def test_has_nbval_checked_cells(path):
    assert problems("nbval_cells", path) == []


@each_notebook
def test_exercises_and_student_copy(path):
    assert problems("exercises", path) == []


@each_notebook
def test_badge_and_setup_cell_follow_the_template(path):
    assert problems("badge", path) == []


def test_all_notebooks_name_one_repository():
    from gan_utils.conventions import notebook_location, read

    slugs = {p.name: getattr(notebook_location(read(p)), "slug", None) for p in NOTEBOOKS}
    assert len(set(slugs.values())) == 1, f"run `make badges`: {slugs}"


def test_check_badges_finds_nothing():
    assert course.check_badges() == []


def test_readme_notebook_table_is_current():
    text = course.README.read_text(encoding="utf-8")
    assert course.NOTEBOOK_TABLE_START in text
    assert text == course.render_readme(text, NOTEBOOKS), "run `python -m gan_utils.course badges`"


# ---- mutation survivors (issue 18)
def test_every_hygiene_check_has_a_test_over_every_notebook():
    # Each check in HYGIENE_CHECKS is run over the committed notebooks by a test of this file
    # (tests/test_course.py feeds each one a notebook it must reject).
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    missing = [c for c in hygiene.HYGIENE_CHECKS if f'problems("{c}", path) == []' not in source]
    assert missing == []
