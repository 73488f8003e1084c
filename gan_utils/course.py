"""Course tooling: run, check and hand out the notebooks.

Run as ``python -m gan_utils.course <command>`` (the Makefile's targets call it):

* ``badges``    write the "Open in Colab" badge into each notebook's first cell, regenerate the
                Colab block of its setup cell from the template, both naming where the course
                lives (``--repo``/``--ref``, else the ``origin`` remote at the release tag), and
                regenerate the README's notebook table;
* ``execute``   re-run notebooks *in place* at quick scale so the committed outputs are fresh;
* ``course``    run every notebook headless at a scale into ``results/executed/`` (committed
                files untouched), print wall times and the scoreboard;
* ``students``  write student copies: solutions replaced by ``NotImplementedError`` stubs;
* ``check``     run the hygiene checks of :mod:`gan_utils.hygiene` (the ones ``tests/test_hygiene.py``
                runs) and the README table's freshness, and list problems;
* ``release``   check that the tree is clean, the tests pass and every notebook was executed with
                the course version and points at its tag, then create the annotated tag ``vX.Y.Z``;
* ``test-full`` run every notebook at full scale with each training capped at a few steps
                (``GAN_COURSE_MAX_STEPS``), so the path Colab's GPU takes runs on a CPU.

Every command is also a plain function here, and each is tested in ``tests/test_course.py``.
The notebook conventions the commands apply (the Colab badge and setup-cell template, where the
course lives, the solution markers, student copies) live in :mod:`gan_utils.conventions`.
Taught in 00_introduction §7 ("Running the course").
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Mapping, Sequence

import nbformat

from .config import MAX_STEPS_ENV, REPO_ROOT, RESULTS_ENV, SCALE_ENV, SCALES, check_scale, results_dir
from .conventions import (
    BADGE_RE, COMMITTED_SCALE, VERSION_METADATA, CourseError, Location, badge, course_location, course_version,
    default_location, notebook_location, origin_url, read, recorded_version, release_tag, slug_from_remote,
    student_copy, with_colab_block,
)
from .hygiene import check_badge, hygiene_problems
from .training import HEADLESS_ENV

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
README = REPO_ROOT / "README.md"
TIMINGS_FILE = REPO_ROOT / "docs" / "timings.json"
REFERENCE_DIR = REPO_ROOT / "data" / "reference_results"

# The course plan: (notebook, paper, how it tames G). The README table lists every row.
PLAN: tuple[tuple[str, str, str], ...] = (
    ("00_introduction", "—", "course map, setup check, data tour"),
    ("01_minimax_gan", "Goodfellow et al. 2014", "the game itself"),
    ("02_dcgan", "Radford et al. 2015", "architecture"),
    ("03_cgan", "Mirza & Osindero 2014", "supervision: condition on a label"),
    ("04_lapgan", "Denton et al. 2015", "a Laplacian pyramid of GANs"),
    ("05_gran", "Im et al. 2016", "a recurrent generator drawing on a canvas"),
    ("06_infogan", "Chen et al. 2016", "structure in z: maximise I(c; G(z, c))"),
    ("07_fgan", "Nowozin et al. 2016", "GAN as one f-divergence among many"),
    ("08_evaluating_gans", "the field since", "measuring what we built"),
)


# --------------------------------------------------------------------------- small helpers
def notebook_paths(names: Sequence[str] | None = None, folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The course notebooks in order, or those named (``02_dcgan``, ``02_dcgan.ipynb`` or a path)."""
    if not names:
        return sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    out = []
    for name in names:
        p = Path(name)
        if not p.suffix:
            p = p.with_suffix(".ipynb")
        if not p.exists() and not p.is_absolute():
            p = folder / p.name
        if not p.is_file():
            raise CourseError(f"no notebook {name!r}: expected {p} (see `ls {folder.name}/`)")
        out.append(p)
    return out


def write_atomic(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` to a temporary file beside ``path`` and rename it: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        mode = path.stat().st_mode & 0o777
    else:  # what a plain open() would give: 0o666 less the umask
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(suffix=".ipynb", dir=path.parent, prefix=f".{path.stem}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- check
def check(paths: Sequence[Path] | None = None, readme: Path | None = README,
          folder: Path = NOTEBOOKS_DIR) -> list[str]:
    """Every hygiene problem of ``paths`` (default: all notebooks in ``folder``), plus a stale README table.

    The README's table always lists every notebook in ``folder``; pass ``readme=None`` to skip it.
    """
    paths = notebook_paths(folder=folder) if paths is None else list(paths)
    problems = [p for path in paths for p in hygiene_problems(path)]
    slugs = {path.name: where.slug for path in paths if (where := notebook_location(read(path))) is not None}
    if len(set(slugs.values())) > 1:
        problems.append(f"the notebooks name different repositories ({', '.join(f'{n}: {s}' for n, s in slugs.items())}): "
                        "run `make badges` (REPO=owner/name to choose)")
    if readme is not None and readme.is_file():
        text = readme.read_text(encoding="utf-8")
        if NOTEBOOK_TABLE_START not in text:
            problems.append(f"{readme.name}: no notebook table markers ({NOTEBOOK_TABLE_START})")
        elif text != render_readme(text, notebook_paths(folder=folder)):
            problems.append(f"{readme.name}: the notebook table is stale: run `python -m gan_utils.course badges`")
    return problems


# --------------------------------------------------------------------------- badges and README
def apply_badges(nb, name: str, where: Location) -> bool:
    """Put the badge for ``where`` in the first cell and regenerate the Colab block of every setup cell.

    Returns True if anything changed. Idempotent.
    """
    if not nb.cells or nb.cells[0].cell_type != "markdown" or not nb.cells[0].source.startswith("# "):
        raise CourseError(f"{name}: the first cell must be a markdown title ('# ...') to carry the badge")
    first, want = nb.cells[0], badge(name, where)
    before = [c.source for c in nb.cells]
    found = BADGE_RE.search(first.source)
    if found:  # keep the first badge's place, drop any duplicates after it
        tail = BADGE_RE.sub("", first.source[found.end():])
        first.source = first.source[:found.start()] + want + tail
    else:
        title, _, rest = first.source.partition("\n")
        first.source = f"{title}\n\n{want}\n" + (f"\n{rest.lstrip(chr(10))}" if rest.strip() else "")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = with_colab_block(cell.source, where)
    return [c.source for c in nb.cells] != before


def notebook_where(nb, course: Location, ref: str | None = None) -> Location:
    """Where notebook ``nb`` should point: ``course``'s repository at ``ref`` if given, else at the
    release tag of the version ``nb`` was executed with (else of the current course version)."""
    if ref is not None:
        return course._replace(ref=ref)
    version = recorded_version(nb)
    return course._replace(ref=release_tag(version)) if version else course


def load_timings(path: Path = TIMINGS_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def record_timing(name: str, scale: str, seconds: float, path: Path = TIMINGS_FILE) -> None:
    """Remember a measured wall time (the README's table shows only measured numbers)."""
    import torch

    machine = torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"CPU, {os.cpu_count()} cores"
    data = load_timings(path)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None  # busy machine => inflated time
    data.setdefault(name, {})[scale] = {"seconds": round(seconds, 1), "machine": machine,
                                        "date": _dt.date.today().isoformat(),
                                        "load": None if load is None else round(load, 1)}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _fmt_seconds(entry: dict | None) -> str:
    if not entry:
        return "—"
    s = entry["seconds"]
    return f"{s:.0f} s" if s < 120 else f"{s / 60:.1f} min"


NOTEBOOK_TABLE_START = "<!-- notebook-table:start (generated by `python -m gan_utils.course badges`) -->"
NOTEBOOK_TABLE_END = "<!-- notebook-table:end -->"


def notebook_table(paths: Sequence[Path], timings: dict | None = None) -> str:
    """The README's table: every planned notebook, a badge for those that exist, measured times."""
    timings = load_timings() if timings is None else timings
    present = {p.stem: p for p in paths}
    rows = ["| notebook | paper | how it tames G | open | smoke | quick | full |",
            "|---|---|---|---|---|---|---|"]
    names = [n for n, _, _ in PLAN] + sorted(set(present) - {n for n, _, _ in PLAN})
    info = {n: (paper, idea) for n, paper, idea in PLAN}
    for name in names:
        paper, idea = info.get(name, ("", ""))
        if name in present:
            where = notebook_location(read(present[name])) or default_location()
            link, opener = f"[`{name}`](notebooks/{name}.ipynb)", badge(name, where)
        else:
            link, opener = f"`{name}`", "planned"
        t = timings.get(name, {})
        rows.append(f"| {link} | {paper} | {idea} | {opener} | "
                    + " | ".join(_fmt_seconds(t.get(s)) for s in SCALES) + " |")
    loads: dict[tuple[str, str], float] = {}
    for t in timings.values():
        for scale, e in t.items():
            key = (scale, e["machine"])
            loads[key] = max(loads.get(key, 0.0), e.get("load") or 0.0)
    machines = [f"{scale} on {machine}" + (f" with load average up to {load:g}" if load else "")
                for (scale, machine), load in sorted(loads.items(), key=lambda kv: SCALES.index(kv[0][0]))]
    note = ("\n\nWall-clock times measured with `python -m gan_utils.course` "
            f"({'; '.join(machines) if machines else 'none measured yet'}); a load average above the "
            "number of cores means other work shared the machine and the time is inflated. "
            "— means not measured yet.")
    return "\n".join(rows) + note


def render_readme(text: str, paths: Sequence[Path], timings: dict | None = None) -> str:
    """``text`` with the part between the table markers regenerated (unchanged if no markers)."""
    if NOTEBOOK_TABLE_START not in text or NOTEBOOK_TABLE_END not in text:
        return text
    head, rest = text.split(NOTEBOOK_TABLE_START, 1)
    _, tail = rest.split(NOTEBOOK_TABLE_END, 1)
    return f"{head}{NOTEBOOK_TABLE_START}\n{notebook_table(paths, timings)}\n{NOTEBOOK_TABLE_END}{tail}"


def badges(paths: Sequence[Path] | None = None, readme: Path | None = README,
           folder: Path = NOTEBOOKS_DIR, timings: dict | None = None, *, repo: str | None = None,
           ref: str | None = None, notice=print) -> list[Path]:
    """Point ``paths`` (default: all of ``folder``) at where the course lives; refresh the README table.

    The repository is ``repo``, else ``folder``'s ``origin`` remote, else
    :data:`~gan_utils.conventions.REPO_SLUG` (with a notice); the ref is ``ref``, else each notebook's
    release tag (:func:`notebook_where`). Badges and the setup cells' Colab blocks are rewritten from
    the template; the table lists every notebook in ``folder`` with the times in ``docs/timings.json``.
    Returns the files changed; running it twice changes nothing the second time.
    """
    paths = notebook_paths(folder=folder) if paths is None else list(paths)
    course = course_location(folder, repo=repo, ref=ref, notice=notice)
    changed = []
    for path in paths:
        nb = read(path)
        if apply_badges(nb, path.stem, notebook_where(nb, course, ref)):
            write_atomic(nb, path)
            changed.append(path)
    if readme is not None and readme.is_file():
        old = readme.read_text(encoding="utf-8")
        new = render_readme(old, notebook_paths(folder=folder), timings)
        if new != old:
            readme.write_text(new, encoding="utf-8")
            changed.append(readme)
    return changed


def check_badges(paths: Sequence[Path] | None = None) -> list[str]:
    """Notebooks whose badge or Colab block does not follow the template (``hygiene.check_badge``)."""
    paths = notebook_paths() if paths is None else list(paths)
    return [f"{p.name}: {msg}" for p in paths for msg in check_badge(read(p), p)]


def origin_note(paths: Sequence[Path], folder: Path = NOTEBOOKS_DIR) -> str | None:
    """A note when the notebooks name another repository than the ``origin`` remote (a fork that has
    not run ``make badges`` yet: its Colab badges would open upstream); None when they agree."""
    url = origin_url(folder)
    if url is None:
        return None
    try:
        origin = slug_from_remote(url)
    except CourseError as e:
        return f"note: {e}"
    named = sorted({w.slug for p in paths if (w := notebook_location(read(p))) is not None} - {origin})
    if not named:
        return None
    return (f"note: the notebooks name {', '.join(named)} but origin is {origin}: run `make badges` "
            "so badges and setup cells open this repository")


# --------------------------------------------------------------------------- execute
def _scrub(nb) -> None:
    """Drop volatile metadata and replace the repository / home paths that slipped into outputs."""
    nb.metadata.pop("widgets", None)
    swaps = [(str(REPO_ROOT), "<repo>"), (str(Path.home()), "~")]
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                for a, b in swaps:
                    out["text"] = out["text"].replace(a, b)
            for mime in ("text/plain", "text/html", "text/markdown"):
                value = out.get("data", {}).get(mime)
                if isinstance(value, str):
                    for a, b in swaps:
                        value = value.replace(a, b)
                    out["data"][mime] = value


def run_notebook(src: Path, dest: Path, scale: str, timeout: int = 3600, results: Path | None = None,
                 env: Mapping[str, str] | None = None) -> float:
    """Execute ``src`` in a fresh kernel (cwd = its folder, ``GAN_COURSE_SCALE=scale``) into ``dest``.

    The kernel runs headless (``GAN_COURSE_HEADLESS=1``: plain progress lines, no tqdm widget) and,
    when ``results`` is given, with ``GAN_COURSE_RESULTS=results`` so no earlier checkpoint is reused;
    ``env`` adds variables (``test-full`` sets ``GAN_COURSE_MAX_STEPS``). ``dest`` is written only
    when every cell succeeded, with the course version recorded in its metadata (the setup cell
    then clones that version's tag: ``make badges``); returns the wall time in seconds.
    Raises :class:`CourseError` naming the failing cell otherwise.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    check_scale(scale)
    nb = read(src)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            store_widget_state=False, resources={"metadata": {"path": str(src.parent)}})
    env = dict(os.environ, **{SCALE_ENV: scale, HEADLESS_ENV: "1"}, **dict(env or {}))
    if results is not None:
        env[RESULTS_ENV] = str(results)
    start = time.perf_counter()
    try:
        client.execute(env=env, cwd=str(src.parent))
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        raise CourseError(f"{src.name} failed at scale={scale}; {dest.name} was not written.\n{e}") from e
    seconds = time.perf_counter() - start
    _scrub(nb)
    nb.metadata[VERSION_METADATA] = {"version": course_version()}
    write_atomic(nb, dest)
    return seconds


def fresh_results(scale: str, purpose: str) -> Path:
    """An empty ``results/<purpose>-<scale>/`` folder (emptied if it exists), so every run trains from scratch."""
    folder = results_dir() / f"{purpose}-{scale}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def execute(paths: Sequence[Path], scale: str = COMMITTED_SCALE, record: bool = True,
            timings_path: Path = TIMINGS_FILE, reference_dir: Path = REFERENCE_DIR) -> dict[str, float]:
    """Re-run notebooks in place; stop at the first failure (that notebook is left unchanged).

    Every run starts from an empty results folder (``results/execute-<scale>/``) so the committed
    outputs come from a clean training run. At the committed scale each notebook's results JSON is
    copied into ``data/reference_results/``: the reference scoreboard 08 shows, and that later
    notebooks compare against when a student has not run the earlier ones.
    """
    times = {}
    results = fresh_results(scale, "execute")
    for path in paths:
        print(f"executing {path.name} at scale={scale} ...", flush=True)
        times[path.stem] = run_notebook(path, path, scale, results=results)
        print(f"  {path.name}: {times[path.stem]:.1f} s", flush=True)
        if record:
            record_timing(path.stem, scale, times[path.stem], timings_path)
        produced = results / f"{path.stem}.json"
        if scale == COMMITTED_SCALE and produced.exists():
            reference_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(produced, reference_dir / produced.name)
    if scale != COMMITTED_SCALE:
        print(f"note: committed notebooks are expected at scale={COMMITTED_SCALE} (hygiene check)")
    return times


def run_course(paths: Sequence[Path], scale: str, out_dir: Path | None = None,
               record: bool = False, timings_path: Path = TIMINGS_FILE) -> dict[str, float | None]:
    """Run notebooks into ``out_dir`` (default ``results/executed``); None marks a failure."""
    out_dir = results_dir() / "executed" if out_dir is None else out_dir
    results = fresh_results(scale, "course")
    times: dict[str, float | None] = {}
    for path in paths:
        print(f"running {path.name} at scale={scale} ...", flush=True)
        try:
            times[path.stem] = run_notebook(path, out_dir / path.name, scale, results=results)
        except CourseError as e:
            print(str(e), file=sys.stderr)
            times[path.stem] = None
            continue
        if record:
            record_timing(path.stem, scale, times[path.stem], timings_path)
    return times


def timing_table(times: dict[str, float | None], scale: str) -> str:
    width = max([len(n) for n in times] + [8])
    lines = [f"{'notebook':<{width}}  wall time ({scale})", "-" * (width + 20)]
    lines += [f"{n:<{width}}  {'FAILED' if t is None else f'{t:8.1f} s'}" for n, t in times.items()]
    done = [t for t in times.values() if t is not None]
    lines.append(f"{'total':<{width}}  {sum(done):8.1f} s")
    return "\n".join(lines)


def scoreboard_text(results: Path | None = None) -> str:
    """The scoreboard of every recorded result (``gan_utils.scoreboard.table()``), from ``results`` if given."""
    from . import scoreboard

    return str(scoreboard.table(scoreboard.load_all(results, reference=results is None)))


# --------------------------------------------------------------------------- test-full
#: steps per training run in ``make test-full``: more than any run whose length does not change with the
#: scale (01's saturating race trains 120 and 250 steps at every scale, and an exercise checks its
#: outcome; a cap of 24 broke that check), far fewer than a full run's thousands
TEST_FULL_STEPS = 256


def test_full(paths: Sequence[Path], steps: int = TEST_FULL_STEPS,
              out_dir: Path | None = None) -> dict[str, float | None]:
    """Run notebooks at ``full`` scale with every training run capped at ``steps`` (``GAN_COURSE_MAX_STEPS``).

    Everything else keeps its full-scale value: sample counts, batch sizes, full MNIST (or the
    bundled subset with its one-line notice where torchvision has no copy and there is no network).
    Results go to an emptied ``results/test-full/``, executed copies to ``out_dir`` (default
    ``results/test-full/executed``); committed files are untouched. None marks a failure.
    """
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise CourseError(f"test-full needs a positive number of steps, got {steps!r}")
    results = results_dir() / "test-full"
    if results.exists():
        shutil.rmtree(results)
    results.mkdir(parents=True)
    out_dir = results / "executed" if out_dir is None else out_dir
    times: dict[str, float | None] = {}
    for path in paths:
        print(f"running {path.name} at scale=full, {MAX_STEPS_ENV}={steps} ...", flush=True)
        try:
            times[path.stem] = run_notebook(path, out_dir / path.name, "full", results=results,
                                            env={MAX_STEPS_ENV: str(steps)})
        except CourseError as e:
            print(str(e), file=sys.stderr)
            times[path.stem] = None
    return times


# --------------------------------------------------------------------------- release
def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def release_problems(paths: Sequence[Path], version: str) -> list[str]:
    """Why ``paths`` cannot be released as ``version``: each must have been executed with that version
    (``course execute`` records it) and point at its tag, all at one repository (``make badges``)."""
    tag, problems, slugs = release_tag(version), [], set()
    for path in paths:
        nb = read(path)
        ran = recorded_version(nb)
        if ran != version:
            problems.append(f"{path.name} was executed with {ran or 'no recorded version'}, not {version}: "
                            f"run `make execute NOTEBOOKS={path.stem}`")
        where = notebook_location(nb)
        if where is None or where.ref != tag:
            problems.append(f"{path.name} points at {where.ref if where else 'nothing'}, not {tag}: run `make badges`")
        if where is not None:
            slugs.add(where.slug)
    if len(slugs) > 1:
        problems.append(f"the notebooks name several repositories ({', '.join(sorted(slugs))}): run `make badges`")
    return problems


def release(root: Path = REPO_ROOT, folder: Path = NOTEBOOKS_DIR, readme: Path | None = README,
            test_command: Sequence[str] | None = (sys.executable, "-m", "pytest", "tests/", "-q")) -> str:
    """Tag the course version ``vX.Y.Z`` (annotated, its message the record) after checking that:

    the tag is new; the working tree is clean; every notebook was executed with this version and
    points at its tag (:func:`release_problems`); ``course check`` finds nothing; and
    ``test_command`` passes (None skips it, and the record says so). Returns the tag; nothing is
    pushed. Raises :class:`CourseError` with every problem found otherwise.
    """
    version = course_version()
    tag = release_tag(version)
    if _git(root, "rev-parse", "--git-dir").returncode != 0:
        raise CourseError(f"{root} is not a git repository: a release is a git tag")
    if _git(root, "rev-parse", "--quiet", "--verify", f"refs/tags/{tag}").returncode == 0:
        raise CourseError(f"tag {tag} exists already: set the next version in gan_utils/__init__.py "
                          "(__version__), `make execute`, commit, then `make release`")
    dirty = _git(root, "status", "--porcelain").stdout.splitlines()
    if dirty:
        raise CourseError(f"the working tree is not clean ({len(dirty)} changes, e.g. {dirty[0].strip()!r}): "
                          "commit or stash them; a tag records a commit, not your working files")
    paths = notebook_paths(folder=folder)
    problems = release_problems(paths, version) + check(paths, readme=readme, folder=folder)
    if problems:
        raise CourseError(f"not releasing {tag}:\n  " + "\n  ".join(problems))
    if test_command is None:
        tests = "not run (--skip-tests)"
    else:
        print(f"running the tests: {' '.join(test_command)}", flush=True)
        if subprocess.run(list(test_command), cwd=root).returncode != 0:
            raise CourseError(f"not releasing {tag}: the tests failed ({' '.join(test_command)})")
        tests = f"passed ({' '.join(test_command[1:] if test_command[0] == sys.executable else test_command)})"
    commit = _git(root, "rev-parse", "HEAD").stdout.strip()
    where = notebook_location(read(paths[0])) if paths else None
    record = "\n".join([
        f"gan-course {version}", "",
        f"commit: {commit}",
        f"repository: {where.slug if where else '-'} (badges and setup cells clone {tag})",
        f"notebooks executed with {version}: {', '.join(p.stem for p in paths)}",
        f"tests: {tests}",
    ])
    done = _git(root, "tag", "--annotate", tag, "--message", record)
    if done.returncode != 0:
        raise CourseError(f"git tag {tag} failed: {done.stderr.strip()}")
    return tag


# --------------------------------------------------------------------------- student copies
def students(paths: Sequence[Path], out_dir: Path) -> list[Path]:
    """Write a student copy of each notebook into ``out_dir``; return the files written."""
    written = []
    for path in paths:
        try:
            copy = student_copy(read(path))
        except CourseError as e:
            raise CourseError(f"{path.name}: {e}") from None
        write_atomic(copy, out_dir / path.name)
        written.append(out_dir / path.name)
    return written


# --------------------------------------------------------------------------- command line
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gan_utils.course", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("badges", help="refresh Colab badges, setup cells and the README table")
    p.add_argument("--repo", help="GitHub owner/name the notebooks open and clone (default: the origin remote)")
    p.add_argument("--ref", help="tag or branch to clone (default: each notebook's release tag vX.Y.Z)")
    p.add_argument("notebooks", nargs="*")
    p = sub.add_parser("execute", help="re-run notebooks in place (committed outputs)")
    p.add_argument("--scale", default=COMMITTED_SCALE, choices=SCALES)
    p.add_argument("--no-record", action="store_true", help="do not record wall times in docs/timings.json")
    p.add_argument("notebooks", nargs="*")
    p = sub.add_parser("course", help="run notebooks headless into results/executed/ and show the scoreboard")
    p.add_argument("--scale", default=COMMITTED_SCALE, choices=SCALES)
    p.add_argument("--out", type=Path, default=None, help="folder for executed copies (default results/executed)")
    p.add_argument("--record", action="store_true", help="record wall times in docs/timings.json")
    p.add_argument("notebooks", nargs="*")
    p = sub.add_parser("students", help="write student copies (solutions stubbed, outputs cleared)")
    p.add_argument("--out", type=Path, default=REPO_ROOT / "student")
    p.add_argument("notebooks", nargs="*")
    p = sub.add_parser("check", help="list hygiene problems of the notebooks and the README")
    p.add_argument("notebooks", nargs="*")
    p = sub.add_parser("release", help="check, then tag the course version vX.Y.Z (nothing is pushed)")
    p.add_argument("--skip-tests", action="store_true", help="tag without running `pytest tests/` (recorded)")
    p = sub.add_parser("test-full", help="every notebook at full scale, each training capped at a few steps")
    p.add_argument("--steps", type=int, default=TEST_FULL_STEPS, help=f"steps per training run ({TEST_FULL_STEPS})")
    p.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)

    try:
        if args.command == "release":
            tag = release(test_command=None if args.skip_tests else (sys.executable, "-m", "pytest", "tests/", "-q"))
            print(f"tagged {tag} (`git show {tag}` shows the record). Publish it with `git push origin {tag}`: "
                  "until then the setup cells and badges that name it cannot find it.")
            return 0
        paths = notebook_paths(args.notebooks)
        if not paths:
            raise CourseError(f"no notebooks found in {NOTEBOOKS_DIR.name}/")
        if args.command == "badges":
            changed = badges(paths if args.notebooks else None, repo=args.repo, ref=args.ref)
            print("\n".join(f"updated {c.name}" for c in changed) or "badges and README table up to date")
        elif args.command == "execute":
            times = execute(paths, args.scale, record=not args.no_record)
            print(timing_table(times, args.scale))
        elif args.command == "course":
            times = run_course(paths, args.scale, args.out, record=args.record)
            print(timing_table(times, args.scale))
            print(scoreboard_text(results_dir() / f"course-{args.scale}"))
            if None in times.values():
                return 1
        elif args.command == "students":
            for path in students(paths, args.out):
                print(f"wrote {path}")
        elif args.command == "check":
            problems = check(paths, readme=None if args.notebooks else README)
            print("\n".join(problems) or f"{len(paths)} notebooks clean")
            note = origin_note(paths)
            if note:
                print(note)
            return 1 if problems else 0
        elif args.command == "test-full":
            started = time.perf_counter()
            times = test_full(paths, args.steps)
            print(timing_table(times, f"full, {MAX_STEPS_ENV}={args.steps}"))
            print(f"test-full: {time.perf_counter() - started:.0f} s wall for {len(paths)} notebooks")
            if None in times.values():
                return 1
    except CourseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
