"""The dependency lists agree: pyproject.toml, environment.yml, .ci/constraints.txt and the README."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9/3.10 read it with the tomli backport
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"torch": "pytorch"}  # pip name -> conda-forge name, where they differ


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def requirements() -> dict[str, Requirement]:
    """Every dependency of the package and its extras, by canonical name."""
    project = pyproject()["project"]
    reqs = list(project["dependencies"]) + [r for extra in project["optional-dependencies"].values() for r in extra]
    return {canonicalize_name(Requirement(r).name): Requirement(r) for r in reqs}


def conda_dependencies() -> tuple[dict[str, str], list[str]]:
    """environment.yml's conda packages ({name: version spec}) and its pip lines."""
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += dep["pip"]
            continue
        name, spec = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", dep).groups()
        conda[canonicalize_name(name)] = spec.replace(" ", "")
    return conda, pip


def test_environment_yml_mirrors_pyproject():
    conda, _ = conda_dependencies()
    expected = {canonicalize_name(CONDA_NAMES.get(n, n)): str(r.specifier) for n, r in requirements().items()}
    listed = {n: s for n, s in conda.items() if n not in ("python", "pip")}
    assert listed == expected


def test_environment_yml_python_matches_requires_python():
    conda, _ = conda_dependencies()
    assert conda["python"] == pyproject()["project"]["requires-python"]
    assert "pip" in conda


def test_environment_yml_installs_the_package_itself():
    _, pip = conda_dependencies()
    assert [line.split("#")[0].strip() for line in pip] == ["-e ."]


def constraints() -> dict[str, str]:
    pins = {}
    for line in (REPO / ".ci" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraint {line!r} is not pinned with =="
            pins[canonicalize_name(name)] = version
    return pins


def test_ci_pins_torch_and_torchvision():
    pins = constraints()
    assert pins["torch"] == "2.14.1" and pins["torchvision"] == "0.29.1"


@pytest.mark.parametrize("name", sorted(constraints()))
def test_each_ci_pin_is_a_dependency_and_satisfies_its_range(name):
    reqs = requirements()
    assert name in reqs, f"{name} is pinned in .ci/constraints.txt but not a dependency in pyproject.toml"
    assert reqs[name].specifier.contains(constraints()[name], prereleases=True)


@pytest.mark.parametrize("name", sorted(requirements()))
def test_readme_explains_every_dependency(name):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("|") and f"`{name}`" in line.lower()]
    assert rows, f"README.md's dependency table has no row for `{name}`"


def test_readme_and_ci_use_the_same_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "make test" in readme
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test\b", ci, flags=re.M) and "set -euo pipefail" in ci
