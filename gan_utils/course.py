"""Course tooling: run, check and hand out the notebooks.

Run as ``python -m gan_utils.course <command>`` (the Makefile's targets call it):

* ``badges``    write the "Open in Colab" badge into each notebook's first cell, point the
                Colab setup cell at this repository, and regenerate the README's notebook table;
* ``execute``   re-run notebooks *in place* at quick scale so the committed outputs are fresh;
* ``course``    run every notebook headless at a scale into ``results/executed/`` (committed
                files untouched), print wall times and the scoreboard;
* ``students``  write student copies: solutions replaced by ``NotImplementedError`` stubs;
* ``check``     run the hygiene checks of :mod:`gan_utils.hygiene` (the ones ``tests/test_hygiene.py``
                runs) and the README table's freshness, and list problems.

Every command is also a plain function here, and each is tested in ``tests/test_course.py``.
The notebook conventions the commands apply (the Colab badge and clone URL, the solution markers,
student copies) live in :mod:`gan_utils.conventions`, with the repository slug in one place,
:data:`~gan_utils.conventions.REPO_SLUG`.
Taught in 00_introduction §7 ("Running the course").
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

import nbformat

from .config import REPO_ROOT, RESULTS_ENV, SCALE_ENV, SCALES, check_scale, results_dir
from .conventions import (
    BADGE_RE, BRANCH_RE, CLONE_RE, BRANCH, COMMITTED_SCALE, CourseError, is_colab_cell, badge, clone_url, read,
    student_copy,
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
    if readme is not None and readme.is_file():
        text = readme.read_text(encoding="utf-8")
        if NOTEBOOK_TABLE_START not in text:
            problems.append(f"{readme.name}: no notebook table markers ({NOTEBOOK_TABLE_START})")
        elif text != render_readme(text, notebook_paths(folder=folder)):
            problems.append(f"{readme.name}: the notebook table is stale: run `python -m gan_utils.course badges`")
    return problems


# --------------------------------------------------------------------------- badges and README
def apply_badges(nb, name: str) -> bool:
    """Put the canonical badge in the first cell and the canonical clone URL in the Colab cell.

    Returns True if anything changed. Idempotent.
    """
    if not nb.cells or nb.cells[0].cell_type != "markdown" or not nb.cells[0].source.startswith("# "):
        raise CourseError(f"{name}: the first cell must be a markdown title ('# ...') to carry the badge")
    first, want = nb.cells[0], badge(name)
    before = [c.source for c in nb.cells]
    found = BADGE_RE.search(first.source)
    if found:  # keep the first badge's place, drop any duplicates after it
        tail = BADGE_RE.sub("", first.source[found.end():])
        first.source = first.source[:found.start()] + want + tail
    else:
        title, _, rest = first.source.partition("\n")
        first.source = f"{title}\n\n{want}\n" + (f"\n{rest.lstrip(chr(10))}" if rest.strip() else "")
    for cell in filter(is_colab_cell, nb.cells):
        cell.source = CLONE_RE.sub(clone_url(), cell.source)
        cell.source = BRANCH_RE.sub(lambda m: m.group(1) + BRANCH + m.group(3), cell.source)
    return [c.source for c in nb.cells] != before


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
    present = {p.stem for p in paths}
    rows = ["| notebook | paper | how it tames G | open | smoke | quick | full |",
            "|---|---|---|---|---|---|---|"]
    names = [n for n, _, _ in PLAN] + sorted(present - {n for n, _, _ in PLAN})
    info = {n: (paper, idea) for n, paper, idea in PLAN}
    for name in names:
        paper, idea = info.get(name, ("", ""))
        if name in present:
            link, opener = f"[`{name}`](notebooks/{name}.ipynb)", badge(name)
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
           folder: Path = NOTEBOOKS_DIR, timings: dict | None = None) -> list[Path]:
    """Refresh badges and Colab clone URLs in ``paths`` (default: all of ``folder``) and the README table.

    The table lists every notebook in ``folder`` with the times in ``docs/timings.json``.
    Returns the files changed; running it twice changes nothing the second time.
    """
    paths = notebook_paths(folder=folder) if paths is None else list(paths)
    changed = []
    for path in paths:
        nb = read(path)
        if apply_badges(nb, path.stem):
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
    """Notebooks whose badge or Colab clone URL does not match :data:`REPO_SLUG` / :data:`BRANCH`."""
    paths = notebook_paths() if paths is None else list(paths)
    return [f"{p.name}: {msg}" for p in paths for msg in check_badge(read(p), p)]


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


def run_notebook(src: Path, dest: Path, scale: str, timeout: int = 3600, results: Path | None = None) -> float:
    """Execute ``src`` in a fresh kernel (cwd = its folder, ``GAN_COURSE_SCALE=scale``) into ``dest``.

    The kernel runs headless (``GAN_COURSE_HEADLESS=1``: plain progress lines, no tqdm widget) and,
    when ``results`` is given, with ``GAN_COURSE_RESULTS=results`` so no earlier checkpoint is reused.
    ``dest`` is written only when every cell succeeded; returns the wall time in seconds.
    Raises :class:`CourseError` naming the failing cell otherwise.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    check_scale(scale)
    nb = read(src)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            store_widget_state=False, resources={"metadata": {"path": str(src.parent)}})
    env = dict(os.environ, **{SCALE_ENV: scale, HEADLESS_ENV: "1"})
    if results is not None:
        env[RESULTS_ENV] = str(results)
    start = time.perf_counter()
    try:
        client.execute(env=env, cwd=str(src.parent))
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        raise CourseError(f"{src.name} failed at scale={scale}; {dest.name} was not written.\n{e}") from e
    seconds = time.perf_counter() - start
    _scrub(nb)
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
    p = sub.add_parser("badges", help="refresh Colab badges, clone URLs and the README table")
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
    args = parser.parse_args(argv)

    try:
        paths = notebook_paths(args.notebooks)
        if not paths:
            raise CourseError(f"no notebooks found in {NOTEBOOKS_DIR.name}/")
        if args.command == "badges":
            changed = badges(paths if args.notebooks else None)
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
            return 1 if problems else 0
    except CourseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
