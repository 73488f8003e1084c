"""Mutation testing of gan_utils, one module at a time: `make mutation [MODULE=losses]`.

mutmut (https://mutmut.readthedocs.io, 3.x) plants one small bug at a time in a module (`<` for
`<=`, a changed constant, a dropped argument, a deleted statement, ...) and runs the tests that
cover the mutated function; a mutant the tests do not notice "survives". The score is
killed / (killed + survived + timeouts-that-are-not-kills); see docs/mutation.md for how to read it.

Each module is mapped to its own test file(s) in MODULES, so a run collects coverage and runs
mutants against those files only (a whole-suite run per mutant would not finish on 2 cores).
Each module gets its own scratch copy of the repository under .mutation/<module>/ (git-ignored),
because mutmut reads its configuration from ./pyproject.toml and keeps its results in ./mutants/:
separate copies keep one module's coverage map and results from going stale when another runs.

    python tests/mutation.py losses data      # run these modules, print scores and survivors
    python tests/mutation.py --report losses  # print the last results again without running
    python tests/mutation.py --survivors losses  # after adding tests: re-run only last time's survivors
    python tests/mutation.py --show gan_utils.losses.x_d_loss__mutmut_3   # the diff of one mutant

One worker by default (the course machine is shared); pass --workers N on a machine of your own.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRATCH = REPO / ".mutation"

# module -> (source files to mutate, test files that are meant to pin them). Order: small first.
MODULES: dict[str, tuple[list[str], list[str]]] = {
    "losses": (["gan_utils/losses.py"], ["tests/test_losses.py"]),
    "checkpoints": (["gan_utils/checkpoints.py"], ["tests/test_checkpoints.py"]),
    "conventions": (["gan_utils/conventions.py"], ["tests/test_course.py", "tests/test_hygiene.py",
                                                   "tests/test_exercises.py", "tests/test_location.py"]),
    "hygiene": (["gan_utils/hygiene.py"], ["tests/test_course.py", "tests/test_hygiene.py"]),
    "data": (["gan_utils/data.py"], ["tests/test_data.py"]),
    "config": (["gan_utils/config.py"], ["tests/test_config.py", "tests/test_full_scale.py"]),
    "latent": (["gan_utils/latent.py"], ["tests/test_latent.py"]),
    "scoreboard": (["gan_utils/scoreboard.py"], ["tests/test_scoreboard.py"]),
    "plotting": (["gan_utils/plotting.py"], ["tests/test_plotting.py"]),
    "exercises": (["gan_utils/exercises.py"], ["tests/test_exercises.py"]),
    "training": (["gan_utils/training.py"], ["tests/test_training.py", "tests/test_full_scale.py"]),
    "metrics": (["gan_utils/metrics/*.py"], ["tests/test_metrics.py", "tests/test_metrics_cli.py",
                                             "tests/test_two_sample.py", "tests/test_clusters.py"]),
    "course": (["gan_utils/course.py"], ["tests/test_course.py", "tests/test_location.py"]),
    "widgets": (["gan_utils/widgets.py"], ["tests/test_widgets.py"]),
    "lab": (["gan_utils/lab.py"], ["tests/test_lab.py"]),
}
# What the tests read besides gan_utils/ and tests/ (they locate it relative to the repository root).
ALSO_COPY = ["data", "notebooks", "docs", "README.md", "Makefile", "environment.yml", ".ci"]
KILLED = ("killed", "timeout", "segfault")  # the tests stopped the mutant
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "torchvision")


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def prepare(module: str) -> Path:
    """A fresh copy of the repository for `module`, with a [tool.mutmut] section mapping it to its tests.

    mutmut's previous results in .mutation/<module>/mutants/ are kept (it re-runs only the mutants
    whose function or tests changed), so the sources and tests are refreshed file by file.
    """
    sources, tests = MODULES[module]
    work = SCRATCH / module
    work.mkdir(parents=True, exist_ok=True)
    for name in ["gan_utils", "tests", *ALSO_COPY]:
        src, dst = REPO / name, work / name
        if not src.exists():
            continue
        if src.is_dir():
            shutil.copytree(src, dst, ignore=IGNORE, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    config = re.sub(r"\n\[tool\.mutmut\].*?(?=\n\[|\Z)", "", config, flags=re.S)
    config += (
        "\n[tool.mutmut]\n"
        'source_paths = ["gan_utils"]\n'
        f"only_mutate = {_toml_list(sources)}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider"]\n'
        f"also_copy = {_toml_list(ALSO_COPY)}\n"
        # torch is not fork-safe once it has started threads: fork workers from a clean server.
        'process_isolation = "forkserver"\n'
    )
    (work / "pyproject.toml").write_text(config, encoding="utf-8")
    return work


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # mutmut puts mutants/ first; the worktree must not shadow it
    env.setdefault("OMP_NUM_THREADS", "1")
    env["MPLBACKEND"] = "Agg"
    return env


def mutmut(work: Path, *args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("mutmut")
    return subprocess.run([str(exe), *args], cwd=work, env=_env(), text=True, capture_output=True)


def results(module: str) -> dict[str, str]:
    """{mutant name: status} from mutmut's last run for `module` ('killed', 'survived', ...)."""
    work = SCRATCH / module
    if not (work / "mutants").exists():
        raise SystemExit(f"no results for {module!r} yet: run `make mutation MODULE={module}` first")
    out = mutmut(work, "results", "--all", "true")
    if out.returncode != 0:
        raise SystemExit(f"`mutmut results` failed in {work}:\n{out.stdout}{out.stderr}")
    status = {}
    for line in out.stdout.splitlines():
        name, sep, state = line.strip().rpartition(": ")
        if sep and name.startswith("gan_utils."):
            status[name] = state.strip()
    return status


def score(status: dict[str, str]) -> tuple[int, int, float]:
    """(killed, counted, percent). Killed includes timeouts and segfaults (the tests stopped the
    mutant); 'no tests' mutants count as survivors (no test reaches them); skipped ones do not count."""
    killed = sum(s in KILLED for s in status.values())
    counted = sum(s not in ("skipped", "not checked", "check was interrupted by user") for s in status.values())
    return killed, counted, 100.0 * killed / counted if counted else float("nan")


def report(module: str, show_survivors: bool = True) -> float:
    status = results(module)
    killed, counted, pct = score(status)
    print(f"{module:12s} {pct:5.1f}%  ({killed} of {counted} mutants killed)")
    if show_survivors:
        for name, state in sorted(status.items()):
            if state not in KILLED + ("skipped",):
                print(f"    {state:10s} {name}")
    return pct


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help=f"default: all of {', '.join(MODULES)}")
    parser.add_argument("--report", action="store_true", help="print the last results, run nothing")
    parser.add_argument("--show", metavar="MUTANT", help="print the diff of one mutant")
    parser.add_argument("--survivors", action="store_true",
                        help="re-run only the mutants that were not killed last time (after adding tests)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {unknown}; choose from {', '.join(MODULES)}")
    if args.show:
        module = args.show.split(".")[1]
        module = module if module in MODULES else "metrics"
        out = mutmut(SCRATCH / module, "show", args.show)
        print(out.stdout, out.stderr, sep="")
        return out.returncode
    modules = args.modules or list(MODULES)
    for module in modules:
        if not args.report:
            names = []
            if args.survivors:
                names = [n for n, st in results(module).items() if st not in KILLED + ("skipped",)]
                if not names:
                    report(module)
                    continue
            work = prepare(module)
            start = time.monotonic()
            cpu = os.times()
            out = mutmut(work, "run", "--max-children", str(args.workers), *names)
            end = os.times()
            if out.returncode != 0:
                print(out.stdout[-4000:], out.stderr[-4000:], sep="\n")
                raise SystemExit(f"mutmut run failed for {module} (exit {out.returncode})")
            cpu_s = (end.children_user + end.children_system) - (cpu.children_user + cpu.children_system)
            print(f"{module}: {time.monotonic() - start:.0f} s wall, {cpu_s:.0f} s CPU")
        report(module)
    return 0


if __name__ == "__main__":
    sys.exit(main())
