"""The Colab setup cell, run in a simulated Colab (issue 17).

A Colab runtime is simulated by
* a fake ``google.colab`` module (with ``drive.mount``) in an IPython shell, the machinery a
  Colab kernel runs cells with (so ``%env`` works and errors are shown the way Colab shows them);
* a throwaway virtual environment that sees the course's dependencies but not its ``gan_utils``
  (it has no ``gan_utils`` installed, like a fresh Colab runtime), so ``pip install -e`` there
  never touches the environment the tests run in;
* a temporary folder standing in for ``/content`` (``GAN_COURSE_CONTENT``), and as the repository
  a ``file://`` clone of this checkout's last commit, tagged with the refs the notebooks name.

Every notebook's setup cell (notebooks discovered, not listed) runs twice in one runtime;
``import gan_utils`` must resolve to the clone. A wrong URL or ref must give one line saying which
URL and how to fix it; a failed install must be retried by running the cell again; a restarted
runtime must find the installed copy; ``DRIVE = True`` must put results on the (fake) Drive.
pip runs offline (``--no-index --no-deps``, no build isolation, so it uses this environment's
setuptools); the first install of the retry test fails on purpose by leaving build isolation on.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from gan_utils.config import REPO_ROOT
from gan_utils.conventions import colab_block, default_location, notebook_location, read
from gan_utils.course import notebook_paths

NOTEBOOKS = notebook_paths()

RUNNER = r'''
import json, os, subprocess, sys, types

calls = []
_run = subprocess.run
def run(args, *a, **k):  # record what the cell runs, then run it
    calls.append(" ".join(str(x) for x in args[:2]) if args[0] != sys.executable else "pip install")
    return _run(args, *a, **k)
subprocess.run = run

def mount(path):
    os.makedirs(os.path.join(path, "MyDrive"), exist_ok=True)
    print(f"[fake colab] Drive mounted at {path}")

google = sys.modules.get("google") or types.ModuleType("google")
colab, drive = types.ModuleType("google.colab"), types.ModuleType("google.colab.drive")
drive.mount, colab.drive, google.colab = mount, drive, colab
sys.modules.setdefault("google", google)
sys.modules.update({"google.colab": colab, "google.colab.drive": drive})

from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

config = Config()
config.HistoryManager.enabled = False
shell = InteractiveShell.instance(config=config)
for n, step in enumerate(json.loads(open(sys.argv[1]).read())):
    os.environ.update(step.get("env", {}))
    del calls[:]
    print(f"@@step {n}", flush=True)
    result = shell.run_cell(step["source"])
    module = sys.modules.get("gan_utils")
    print("@@report " + json.dumps({"ok": result.success, "calls": list(calls), "cwd": os.getcwd(),
                                     "gan_utils": getattr(module, "__file__", None),
                                     "results": os.environ.get("GAN_COURSE_RESULTS"),
                                     "content": sorted(os.listdir(os.environ["GAN_COURSE_CONTENT"]))}), flush=True)
'''


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def origin(tmp_path_factory) -> Path:
    """A bare clone of this checkout whose every ref a notebook names points at the last commit."""
    if shutil.which("git") is None or subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse"],
                                                     capture_output=True).returncode != 0:
        pytest.skip("the simulated Colab clones this checkout with git: needs git and a git checkout")
    head = git("-C", str(REPO_ROOT), "rev-parse", "HEAD")
    bare = tmp_path_factory.mktemp("github") / "gan-course.git"
    git("clone", "--quiet", "--bare", "--no-local", str(REPO_ROOT), str(bare))
    refs = {default_location().ref} | {w.ref for p in NOTEBOOKS if (w := notebook_location(read(p)))}
    for ref in refs:
        git("-C", str(bare), "update-ref", f"refs/{'tags' if re.fullmatch(r'v[0-9].*', ref) else 'heads'}/{ref}", head)
    return bare


def shared_site_packages() -> list[str]:
    return [p for p in site.getsitepackages() if Path(p).is_dir()]


@pytest.fixture(scope="module", autouse=True)
def this_environment_is_left_alone():
    """pip in the simulated runtime must never change the course install of the environment running the tests."""
    def snapshot():
        return sorted((str(p), p.stat().st_mtime_ns) for d in shared_site_packages()
                      for p in Path(d).glob("*gan_course*"))
    before = snapshot()
    yield
    assert snapshot() == before


class Runtime:
    """One simulated Colab runtime: its own Python environment and its own /content."""

    def __init__(self, root: Path, origin: Path) -> None:
        self.root, self.content = root, root / "content"
        self.content.mkdir(parents=True)
        venv = root / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        purelib = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
        # Plain path entries: the dependencies are importable, the course's own editable install is not.
        (purelib / "colab-runtime.pth").write_text("\n".join(shared_site_packages()) + "\n")
        self.python = venv / "bin" / "python"
        keep = {k: v for k, v in os.environ.items()
                if not k.startswith(("GAN_COURSE_", "PIP_", "PYTHON", "VIRTUAL_ENV"))}
        self.env = {**keep, "GAN_COURSE_CONTENT": str(self.content), "GAN_COURSE_REPO": f"file://{origin}",
                    "GAN_COURSE_HEADLESS": "1", "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1",
                    "IPYTHONDIR": str(root / "ipython"), "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1",
                    "PIP_NO_DEPS": "1", "PIP_IGNORE_INSTALLED": "1", "PIP_NO_CACHE_DIR": "1",
                    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                    "PIP_NO_BUILD_ISOLATION": "0"}  # (sic) "0" turns build isolation off
        (root / "runner.py").write_text(RUNNER)

    @property
    def course(self) -> Path:
        return self.content / "gan-course"

    def run(self, *steps: dict, env: dict | None = None) -> list[tuple[dict, str]]:
        """Run each step ({"source": cell, "env": {...}}) in one fresh kernel: [(report, its output)].

        ``env`` changes the kernel's environment (None removes a variable); stderr is merged into the output.
        """
        script = self.root / "steps.json"
        script.write_text(json.dumps(list(steps)))
        env = {k: v for k, v in {**self.env, **(env or {})}.items() if v is not None}
        done = subprocess.run([str(self.python), "-u", str(self.root / "runner.py"), str(script)],
                              cwd=self.content, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stdout
        parts = done.stdout.split("@@step ")[1:]
        out = []
        for part in parts:
            text, _, report = part.partition("@@report ")
            out.append((json.loads(report.splitlines()[0]), text.split("\n", 1)[1] if "\n" in text else ""))
        assert len(out) == len(steps), done.stdout
        return out


def setup_cell(path: Path) -> str:
    """The code cell after the one tagged ``parameters`` (hygiene checks it is the setup cell)."""
    cells = read(path).cells
    i = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    params = cells[i].source
    return next(c.source for c in cells[i + 1:] if c.cell_type == "code"), params


def block_only(where=None) -> str:
    """The template on its own, as the setup cell runs it (``sys`` imported first)."""
    return "import sys\n\n" + colab_block(where)


def test_every_setup_cell_installs_the_cloned_course_and_can_run_twice(origin, tmp_path):
    """Every notebook's parameters and setup cells, the setup cell twice, one after another in one runtime
    (one kernel: importing torch once keeps this fast). The first clones and installs; the rest find it."""
    assert NOTEBOOKS, "no notebooks found"
    runtime = Runtime(tmp_path, origin)
    steps = []
    for path in NOTEBOOKS:
        cell, params = setup_cell(path)
        steps += [{"source": params}, {"source": cell}, {"source": cell}]
    reports = runtime.run(*steps)
    for k, path in enumerate(NOTEBOOKS):
        for run, (report, out) in enumerate(reports[3 * k + 1:3 * k + 3]):
            assert report["ok"], f"{path.name}, run {run + 1}:\n{out}"
            assert report["gan_utils"] == str(runtime.course / "gan_utils" / "__init__.py"), "the cloned copy"
            assert report["cwd"] == str(runtime.course / "notebooks")
            assert f"[gan_utils] {path.stem}: device=" in out
            fetched = ["git clone", "pip install"] if k == 0 and run == 0 else []
            assert report["calls"] == fetched, f"{path.name}, run {run + 1}: only the first run fetches"
            assert report["content"] == ["gan-course"]


def test_a_wrong_url_or_ref_gives_one_line_saying_what_to_do(origin, tmp_path):
    runtime = Runtime(tmp_path, origin)
    missing = tmp_path / "no-such-repo.git"
    ref = default_location().ref
    steps = runtime.run({"source": block_only(), "env": {"GAN_COURSE_REPO": f"file://{missing}"}},
                        {"source": block_only(), "env": {"GAN_COURSE_REPO": f"file://{origin}",
                                                         "GAN_COURSE_REF": "v9.9.9"}},
                        {"source": "%env GAN_COURSE_REF=" + ref},
                        {"source": block_only()})
    (bad_url, out1), (bad_ref, out2), _, (fixed, out3) = steps
    for report, out, what in ((bad_url, out1, f"file://{missing} at '{ref}'"),
                              (bad_ref, out2, f"file://{origin} at 'v9.9.9'")):
        assert not report["ok"] and report["calls"] == ["git clone"]
        lines = out.strip().splitlines()
        assert len(lines) == 1, out
        assert lines[0].startswith(f"SetupError: could not clone {what} (")
        assert "GAN_COURSE_REPO=owner/name" in lines[0] and "GAN_COURSE_REF=main" in lines[0]
        assert "CalledProcessError" not in out and "Traceback" not in out
        assert report["content"] == [], "a failed clone leaves nothing behind"
    assert fixed["ok"] and fixed["gan_utils"] == str(runtime.course / "gan_utils" / "__init__.py"), out3


def test_a_failed_install_is_retried_and_a_restarted_runtime_finds_the_course(origin, tmp_path):
    runtime = Runtime(tmp_path, origin)
    isolated = {"PIP_NO_BUILD_ISOLATION": None}  # build isolation on: setuptools from an index that is not there
    (failed, out1), (retried, out2) = runtime.run({"source": block_only()},
                                                  {"source": block_only(), "env": {"PIP_NO_BUILD_ISOLATION": "0"}},
                                                  env=isolated)
    assert not failed["ok"] and failed["calls"] == ["git clone", "pip install"] and failed["gan_utils"] is None
    last = out1.strip().splitlines()[-1]
    assert last == (f"SetupError: installing gan_utils from {runtime.course} failed (pip's message is above); "
                    "run this cell again to retry."), out1
    assert "setuptools" in out1, "pip's own message is shown above the line"
    assert retried["ok"] and retried["calls"] == ["pip install"], "the clone is kept, the install retried"
    assert retried["gan_utils"] == str(runtime.course / "gan_utils" / "__init__.py")
    drive = block_only().replace("    DRIVE = False", "    DRIVE = True")
    ((restarted, out3),) = runtime.run({"source": drive})
    assert restarted["ok"] and restarted["calls"] == [], "after a restart the installed copy is imported"
    assert restarted["gan_utils"] == str(runtime.course / "gan_utils" / "__init__.py")
    assert restarted["cwd"] == str(runtime.course / "notebooks")
    assert restarted["results"] == str(runtime.content / "drive" / "MyDrive" / "gan-course" / "results")
    assert f"[fake colab] Drive mounted at {runtime.content / 'drive'}" in out3


def test_the_block_is_skipped_outside_colab(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAN_COURSE_")}
    env["GAN_COURSE_CONTENT"] = str(tmp_path)
    code = block_only() + "\nprint('skipped', sorted(__import__('os').listdir(%r)))" % str(tmp_path)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout == "skipped []\n" and done.stderr == ""
