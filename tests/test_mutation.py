"""Tests for tests/mutation.py, the `make mutation` driver: its module map and its score (issue 18)."""
from __future__ import annotations

import glob
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import pytest

from tests import mutation


def test_every_gan_utils_module_is_mapped_to_test_files_that_exist():
    mapped = {p for sources, _ in mutation.MODULES.values() for s in sources
              for p in glob.glob(str(mutation.REPO / s))}
    modules = set(glob.glob(str(mutation.REPO / "gan_utils" / "*.py"))) | set(
        glob.glob(str(mutation.REPO / "gan_utils" / "metrics" / "*.py")))
    assert sorted(modules - mapped) == [str(mutation.REPO / "gan_utils" / "__init__.py")]
    for name, (_, tests) in mutation.MODULES.items():
        assert tests and all((mutation.REPO / t).is_file() for t in tests), name


def test_score_counts_timeouts_as_killed_and_skips_skipped():
    status = {"a": "killed", "b": "timeout", "c": "survived", "d": "no tests", "e": "skipped", "f": "segfault"}
    assert mutation.score(status) == (3, 5, 60.0)
    assert mutation.score({"a": "killed"}) == (1, 1, 100.0)


def test_prepare_writes_a_mutmut_section_for_one_module(tmp_path, monkeypatch):
    monkeypatch.setattr(mutation, "SCRATCH", tmp_path)
    work = mutation.prepare("losses")
    assert work == tmp_path / "losses" and (work / "gan_utils" / "losses.py").is_file()
    assert (work / "tests" / "test_losses.py").is_file() and (work / "data").is_dir()
    config = tomllib.loads((work / "pyproject.toml").read_text())["tool"]["mutmut"]
    assert config["only_mutate"] == ["gan_utils/losses.py"]
    assert config["pytest_add_cli_args_test_selection"] == ["tests/test_losses.py"]
    again = mutation.prepare("losses")  # idempotent: one [tool.mutmut] section, not two
    assert (again / "pyproject.toml").read_text().count("[tool.mutmut]") == 1


def test_unknown_module_is_refused(capsys):
    with pytest.raises(SystemExit):
        mutation.main(["no_such_module"])
    assert "unknown module" in capsys.readouterr().err
