"""Course tooling: run, check and hand out the notebooks.

Run as ``python -m gan_utils.course <command>`` (the Makefile's targets call it):

* ``badges``    write the "Open in Colab" badge into each notebook's first cell, point the
                Colab setup cell at this repository, and regenerate the README's notebook table;
* ``execute``   re-run notebooks *in place* at quick scale so the committed outputs are fresh;
* ``course``    run every notebook headless at a scale into ``results/executed/`` (committed
                files untouched), print wall times and the scoreboard;
* ``students``  write student copies: solutions replaced by ``NotImplementedError`` stubs;
* ``check``     run the hygiene checks (the ones ``tests/test_hygiene.py`` runs) and list problems.

Every command is also a plain function here, and each is tested in ``tests/test_course.py``.
The repository slug lives in one place, :data:`REPO_SLUG`.
Taught in 00_introduction §7 ("Running the course").
"""
from __future__ import annotations

import argparse
import ast
import datetime as _dt
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

import nbformat

from .config import REPO_ROOT, RESULTS_ENV, SCALE_ENV, SCALES, check_scale, results_dir
from .training import HEADLESS_ENV

REPO_SLUG = "gan-course/gan-course"
BRANCH = "main"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
README = REPO_ROOT / "README.md"
TIMINGS_FILE = REPO_ROOT / "docs" / "timings.json"
REFERENCE_DIR = REPO_ROOT / "data" / "reference_results"
COMMITTED_SCALE = "quick"
MAX_NOTEBOOK_BYTES = 3 * 1024 * 1024

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

BEGIN_SOLUTION = re.compile(r"^(?P<indent>[ \t]*)# BEGIN SOLUTION\b[ \t:]*(?P<hint>.*)$")
END_SOLUTION = re.compile(r"^[ \t]*# END SOLUTION\b")
CHECK_OUTPUT_MARK = "# NBVAL_CHECK_OUTPUT"
SOLUTION_TAG = "solution"

_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
_BADGE_RE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")
_CLONE_RE = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+?\.git")
_BRANCH_RE = re.compile(r"(\"--branch\",\s*\")([^\"]*)(\")")
# Outputs must not reveal where the notebook ran or who ran it.
_ABS_PATH_RE = re.compile(r"(/root/|/home/[\w.-]+|/Users/[\w.-]+|/work/|/tmp/|/content/|"
                          r"/private/var/|[A-Za-z]:\\\\?Users)")
_TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json")


class CourseError(RuntimeError):
    """A course command could not do its job; the message says why and what to do."""


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


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


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


def colab_url(name: str) -> str:
    return f"https://colab.research.google.com/github/{REPO_SLUG}/blob/{BRANCH}/notebooks/{name}.ipynb"


def badge(name: str) -> str:
    """The markdown "Open in Colab" badge for notebook ``name`` (without ``.ipynb``)."""
    return f"[![Open In Colab]({_BADGE_IMAGE})]({colab_url(name)})"


def clone_url() -> str:
    return f"https://github.com/{REPO_SLUG}.git"


def _is_colab_cell(cell) -> bool:
    return cell.cell_type == "code" and "google.colab" in cell.source


def _headings(nb) -> list[str]:
    return [line[3:].strip() for cell in nb.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("## ")]


def _output_texts(output) -> Iterable[str]:
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


def _parameters_cell(nb) -> int | None:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return i
    return None


# --------------------------------------------------------------------------- hygiene checks
# Each check takes (notebook, path) and returns a list of problems (empty = clean).
def check_anatomy(nb, path: Path) -> list[str]:
    """Title + badge in the first cell, and the required level-2 headings in order."""
    problems = []
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown" or not first.source.startswith("# "):
        problems.append("the first cell must be markdown starting with the title ('# ...')")
    elif _BADGE_RE.search(first.source) is None:
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


def check_parameters(nb, path: Path) -> list[str]:
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
    elif "google.colab" not in nxt.source:
        problems.append("the setup cell has no guarded Colab install (if \"google.colab\" in sys.modules: ...)")
    return problems


def check_committed_scale(nb, path: Path) -> list[str]:
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


def check_no_errors(nb, path: Path) -> list[str]:
    """No cell output is an error."""
    return [f"cell {i} has an error output: {o.get('ename')}: {o.get('evalue', '')[:80]}"
            for i, c in enumerate(nb.cells) for o in c.get("outputs", []) if o.get("output_type") == "error"]


def check_no_private_paths(nb, path: Path) -> list[str]:
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


def check_execution_counts(nb, path: Path) -> list[str]:
    """Every code cell ran once, top to bottom, in a fresh kernel: counts are 1..n."""
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    if counts != list(range(1, len(counts) + 1)):
        return [f"execution counts are {counts}, expected 1..{len(counts)}: run `make execute`"]
    return []


def check_size(nb, path: Path) -> list[str]:
    """The file is smaller than 3 MB (big images or widget state make the repository heavy)."""
    size = path.stat().st_size
    return [] if size < MAX_NOTEBOOK_BYTES else [f"file is {size / 2**20:.1f} MB (limit 3 MB): lower figure dpi"]


def check_nbval_cells(nb, path: Path) -> list[str]:
    """At least one code cell is marked ``# NBVAL_CHECK_OUTPUT`` (output identical at every scale)."""
    if any(c.cell_type == "code" and CHECK_OUTPUT_MARK in c.source for c in nb.cells):
        return []
    return [f"no code cell is marked {CHECK_OUTPUT_MARK}: mark the deterministic Check cells"]


def check_exercises(nb, path: Path) -> list[str]:
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


def check_badge(nb, path: Path) -> list[str]:
    """The Colab badge and the Colab clone URL name this repository (:data:`REPO_SLUG`, :data:`BRANCH`)."""
    problems = []
    first = nb.cells[0].source if nb.cells else ""
    found = _BADGE_RE.findall(first)
    if found != [badge(path.stem)]:
        problems.append(f"Colab badge is {found or 'missing'}; expected {badge(path.stem)}")
    for cell in filter(_is_colab_cell, nb.cells):
        urls = _CLONE_RE.findall(cell.source)
        if not urls or any(u != clone_url() for u in urls):
            problems.append(f"the Colab setup cell clones {urls or 'nothing'}; expected {clone_url()}")
        branches = [m.group(2) for m in _BRANCH_RE.finditer(cell.source)]
        if any(b != BRANCH for b in branches):
            problems.append(f"the Colab setup cell checks out {branches}; expected {BRANCH}")
    return problems


HYGIENE_CHECKS: dict[str, Callable] = {
    "anatomy": check_anatomy, "parameters": check_parameters, "committed_scale": check_committed_scale,
    "no_errors": check_no_errors, "no_private_paths": check_no_private_paths,
    "execution_counts": check_execution_counts, "size": check_size, "nbval_cells": check_nbval_cells,
    "exercises": check_exercises, "badge": check_badge,
}


def hygiene_problems(path: Path, checks: Iterable[str] = tuple(HYGIENE_CHECKS)) -> list[str]:
    """All problems of one notebook, each prefixed with the notebook's name and the check's."""
    nb = read(path)
    return [f"{path.name} [{name}]: {p}" for name in checks for p in HYGIENE_CHECKS[name](nb, path)]


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
    found = _BADGE_RE.search(first.source)
    if found:  # keep the first badge's place, drop any duplicates after it
        tail = _BADGE_RE.sub("", first.source[found.end():])
        first.source = first.source[:found.start()] + want + tail
    else:
        title, _, rest = first.source.partition("\n")
        first.source = f"{title}\n\n{want}\n" + (f"\n{rest.lstrip(chr(10))}" if rest.strip() else "")
    for cell in filter(_is_colab_cell, nb.cells):
        cell.source = _CLONE_RE.sub(clone_url(), cell.source)
        cell.source = _BRANCH_RE.sub(lambda m: m.group(1) + BRANCH + m.group(3), cell.source)
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
def _stub_solutions(source: str, where: str) -> str:
    out, inside = [], False
    for line in source.splitlines():
        begin = BEGIN_SOLUTION.match(line)
        if begin:
            if inside:
                raise CourseError(f"{where}: '# BEGIN SOLUTION' inside another solution block")
            inside = True
            hint = begin.group("hint").strip() or "replace this line with your solution"
            out.append(f"{begin.group('indent')}raise NotImplementedError({('Exercise: ' + hint)!r})")
        elif END_SOLUTION.match(line):
            if not inside:
                raise CourseError(f"{where}: '# END SOLUTION' without a '# BEGIN SOLUTION' above it")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise CourseError(f"{where}: '# BEGIN SOLUTION' is never closed by '# END SOLUTION'")
    return "\n".join(out)


def student_copy(nb) -> nbformat.NotebookNode:
    """A copy of ``nb`` for students: solutions stubbed, ``solution``-tagged cells dropped, outputs cleared."""
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
            cell.source = re.sub(r"\n?" + _BADGE_RE.pattern + r"\n?", "\n", cell.source)
        cells.append(cell)
    student.cells = cells
    student.metadata.pop("widgets", None)
    return student


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
