"""The nbval plugin: stderr of checked cells is not compared; stdout still is."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

REPO = Path(__file__).resolve().parents[1]
SOURCE = "# NBVAL_CHECK_OUTPUT\nimport sys\nprint('shape (3, 4)')\nprint('a warning', file=sys.stderr)"


def checked_cell(stdout: str, stderr: str, count: int):
    return new_code_cell(SOURCE, execution_count=count, outputs=[
        new_output("stream", name="stdout", text=stdout), new_output("stream", name="stderr", text=stderr)])


@pytest.fixture(scope="module")
def notebook(tmp_path_factory) -> Path:
    """Cell 1: stderr differs from the committed output; cell 2: stdout differs."""
    nb = new_notebook(cells=[checked_cell("shape (3, 4)\n", "another machine's warning\n", 1),
                             checked_cell("shape (3, 5)\n", "a warning\n", 2)],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    path = tmp_path_factory.mktemp("nbval") / "streams.ipynb"
    nbformat.write(nb, str(path))
    return path


def run_nbval(path: Path, plugin: bool) -> str:
    args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
            "--nbval-sanitize-with", str(REPO / "tests" / "nbval_sanitize.cfg"), "--rootdir", str(path.parent),
            "-rA", str(path)]
    if plugin:
        args[3:3] = ["-p", "tests.nbval_plugin"]
    result = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, PYTHONPATH=str(REPO)))
    return result.stdout + result.stderr


def outcome(out: str, cell: int) -> str:
    """PASSED or FAILED for ``Cell <cell>`` in pytest's -rA summary."""
    found = re.findall(rf"^(PASSED|FAILED) \S*streams\.ipynb::Cell {cell}\b", out, flags=re.M)
    assert len(found) == 1, out
    return found[0]


def test_with_the_plugin_stderr_is_ignored_but_stdout_compared(notebook):
    out = run_nbval(notebook, plugin=True)
    assert (outcome(out, 0), outcome(out, 1)) == ("PASSED", "FAILED")


def test_without_the_plugin_stderr_is_compared(notebook):
    out = run_nbval(notebook, plugin=False)
    assert (outcome(out, 0), outcome(out, 1)) == ("FAILED", "FAILED")
