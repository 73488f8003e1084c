"""Notebook conventions: what the course tooling agrees a notebook looks like.

Two modules rely on these rules. The commands in :mod:`gan_utils.course` apply them, and the
checks in :mod:`gan_utils.hygiene` enforce them. This module imports neither of them:

* **where a notebook points**: the "Open in Colab" badge in its first cell and the guarded Colab
  block of its setup cell (rendered from :data:`COLAB_TEMPLATE`, the one template) both name a
  :class:`Location`: a GitHub repository and a git ref, by default the release tag ``v<version>``
  of the course version the notebook was executed with (:func:`course_location` finds the
  repository from the ``origin`` remote; ``make badges REPO=... REF=...`` overrides);
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

#: the repository named when there is no ``origin`` remote and no ``REPO=`` (this project's home)
REPO_SLUG = "gan-course/gan-course"
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
#: a markdown Colab badge (the setup cell's Colab block is found by :func:`colab_block_span`)
BADGE_RE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")


class CourseError(RuntimeError):
    """A course command could not do its job; the message says why and what to do."""


def read(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` as nbformat version 4."""
    return nbformat.read(str(path), as_version=4)


# --------------------------------------------------------------------------- where a notebook points
class Location(NamedTuple):
    """Where the course lives: a GitHub repository ``owner/name`` and a git ref (a tag or branch).

    ``Location("gan-course/gan-course", "v0.1.0")`` is what a badge and a setup cell name; make it
    with :func:`location` (which checks both parts) or :func:`course_location` (which finds them).
    """

    slug: str
    ref: str


#: ``owner/name`` as GitHub allows it; a git ref without spaces, quotes, ``..`` or a leading ``-``
SLUG_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]+")
REF_RE = re.compile(r"(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._/+-]*(?<![./])")
#: a GitHub remote: https://github.com/o/n(.git), git@github.com:o/n.git, ssh://git@github.com/o/n.git
_GITHUB_REMOTE_RE = re.compile(r"(?:(?:https?|ssh|git)://(?:[^@/]+@)?github\.com(?::\d+)?/|(?:[^@/:]+@)?github\.com:)"
                               r"(?P<slug>[^/]+/[^/]+?)(?:\.git)?/?")


def release_tag(version: str) -> str:
    """The git tag of course version ``version``: ``"0.1.0"`` -> ``"v0.1.0"`` (``make release`` creates it)."""
    if not isinstance(version, str) or not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise CourseError(f"the course version must look like X.Y.Z (e.g. 0.1.0), got {version!r}: "
                          "set __version__ in gan_utils/__init__.py")
    return f"v{version}"


def course_version() -> str:
    """The course version: ``gan_utils.__version__`` (pyproject.toml reads its version from there)."""
    from . import __version__

    return __version__


def location(slug: str, ref: str) -> Location:
    """A checked :class:`Location`; a malformed slug or ref raises :class:`CourseError` saying what is allowed."""
    if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug) or slug.endswith(".git"):
        raise CourseError(f"repository {slug!r} is not a GitHub 'owner/name' (e.g. REPO=gan-course/gan-course)")
    if not isinstance(ref, str) or not REF_RE.fullmatch(ref):
        raise CourseError(f"ref {ref!r} is not a git tag or branch name (e.g. REF=v0.1.0 or REF=main)")
    return Location(slug, ref)


def default_location() -> Location:
    """:data:`REPO_SLUG` at the release tag of the current course version."""
    return Location(REPO_SLUG, release_tag(course_version()))


def slug_from_remote(url: str) -> str:
    """``owner/name`` of a GitHub remote URL (https or ssh form); :class:`CourseError` for any other host."""
    found = _GITHUB_REMOTE_RE.fullmatch(url.strip())
    if found is None or not SLUG_RE.fullmatch(found.group("slug")):
        raise CourseError(f"the origin remote {url.strip()!r} is not a GitHub repository, and Colab opens "
                          "notebooks from GitHub only: name the GitHub copy with REPO=owner/name")
    return found.group("slug")


def origin_url(folder: Path) -> str | None:
    """``git remote get-url origin`` run in ``folder``; None when there is no origin (or no git, or no repository)."""
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(folder), "remote", "get-url", "origin"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return done.stdout.strip()


def course_location(folder: Path, repo: str | None = None, ref: str | None = None,
                    version: str | None = None, notice=print) -> Location:
    """Where badges and setup cells should point, for notebooks in ``folder``.

    The repository is ``repo`` if given, else the ``origin`` remote of the git repository holding
    ``folder`` (https or ssh), else :data:`REPO_SLUG` with a one-line notice. The ref is ``ref`` if
    given, else the release tag of ``version`` (default: the course version).
    """
    if repo is None:
        url = origin_url(folder)
        if url is None:
            notice(f"note: no git remote 'origin' here, so badges and setup cells name {REPO_SLUG} "
                   "(give REPO=owner/name to name another repository)")
            repo = REPO_SLUG
        else:
            repo = slug_from_remote(url)
    return location(repo, ref if ref is not None else release_tag(version or course_version()))


def colab_url(name: str, where: Location | None = None) -> str:
    """Where Colab opens notebook ``name`` (without ``.ipynb``): ``where``'s repository at its ref."""
    slug, ref = where or default_location()
    return f"https://colab.research.google.com/github/{slug}/blob/{ref}/notebooks/{name}.ipynb"


def badge(name: str, where: Location | None = None) -> str:
    """The markdown "Open in Colab" badge for notebook ``name`` (without ``.ipynb``)."""
    return f"[![Open In Colab]({_BADGE_IMAGE})]({colab_url(name, where)})"


def clone_url(where: Location | None = None) -> str:
    """The git URL the Colab setup cell clones (``GAN_COURSE_REPO`` may override it at run time)."""
    return f"https://github.com/{(where or default_location()).slug}.git"


#: The guarded Colab part of every notebook's setup cell; ``@SLUG@`` and ``@REF@`` are filled in by
#: :func:`colab_block`. It runs only where ``google.colab`` is imported (Colab) and is what
#: tests/test_colab.py runs in a simulated Colab. The setup cell imports ``sys`` above it.
COLAB_TEMPLATE = '''\
if "google.colab" in sys.modules:  # Colab only; generated from gan_utils/conventions.py by `make badges`
    # Fetches the course at the version this notebook was executed with, installs gan_utils and moves
    # into notebooks/. Safe to re-run; after a runtime reset or disconnect, run this cell again.
    # Another fork or version: run `%env GAN_COURSE_REPO=owner/name` or `%env GAN_COURSE_REF=main` first.
    import importlib
    import os
    import shutil
    import subprocess

    DRIVE = False  # True: keep results/ (checkpoints, scores) on your Google Drive, to survive a disconnect
    REPO = os.environ.get("GAN_COURSE_REPO", "@SLUG@")
    REF = os.environ.get("GAN_COURSE_REF", "@REF@")
    content = os.environ.get("GAN_COURSE_CONTENT", "/content")  # a temporary folder in the course's tests
    url = REPO if ":" in REPO else f"https://github.com/{REPO}.git"
    course = f"{content}/gan-course"

    class SetupError(Exception):  # shown as its one-line message, without a traceback
        def _render_traceback_(self):
            return [f"SetupError: {self}"]

    try:
        import gan_utils  # installed in this runtime already: nothing to fetch
    except ImportError:
        if not os.path.isdir(course):  # clone beside it first, so a failed clone leaves nothing behind
            shutil.rmtree(f"{course}.partial", ignore_errors=True)
            git = subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", REF, url, f"{course}.partial"],
                                 capture_output=True, text=True, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
            if git.returncode != 0:
                said = (git.stderr.strip().splitlines() or ["no message"])[-1]
                raise SetupError(f"could not clone {url} at {REF!r} ({said}). Check that the repository is public "
                                 "and has that tag or branch, or run `%env GAN_COURSE_REPO=owner/name` or "
                                 "`%env GAN_COURSE_REF=main`, then run this cell again.")
            os.rename(f"{course}.partial", course)
        pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-e", course],
                             capture_output=True, text=True)
        if pip.returncode != 0:  # the clone stays; running the cell again retries the install
            print((pip.stdout + pip.stderr)[-3000:], file=sys.stderr)
            raise SetupError(f"installing gan_utils from {course} failed (pip's message is above); "
                             "run this cell again to retry.")
        sys.path.insert(0, course)
        importlib.invalidate_caches()
        import gan_utils
    os.chdir(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(gan_utils.__file__))), "notebooks"))
    if DRIVE:
        from google.colab import drive

        drive.mount(f"{content}/drive")
        os.environ.setdefault("GAN_COURSE_RESULTS", f"{content}/drive/MyDrive/gan-course/results")'''

_COLAB_START_RE = re.compile(r'^if "google\.colab" in sys\.modules:')
_TEMPLATE_SLUG_RE = re.compile(r'^    REPO = os\.environ\.get\("GAN_COURSE_REPO", "(?P<v>[^"]*)"\)$', re.M)
_TEMPLATE_REF_RE = re.compile(r'^    REF = os\.environ\.get\("GAN_COURSE_REF", "(?P<v>[^"]*)"\)$', re.M)


def colab_block(where: Location | None = None) -> str:
    """:data:`COLAB_TEMPLATE` naming ``where`` (default :func:`default_location`)."""
    slug, ref = where or default_location()
    return COLAB_TEMPLATE.replace("@SLUG@", slug).replace("@REF@", ref)


def colab_block_span(source: str) -> tuple[int, int] | None:
    """Line numbers ``(first, last + 1)`` of the guarded Colab block in a cell's ``source``, or None.

    The block is the top-level ``if "google.colab" in sys.modules:`` statement: that line and every
    indented (or blank) line after it, less trailing blank lines.
    """
    lines = source.splitlines()
    start = next((i for i, line in enumerate(lines) if _COLAB_START_RE.match(line)), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "\t")):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def with_colab_block(source: str, where: Location) -> str:
    """``source`` with its guarded Colab block replaced by :func:`colab_block` of ``where``.

    A cell without one comes back unchanged (``hygiene.check_parameters`` reports it).
    """
    span = colab_block_span(source)
    if span is None:
        return source
    lines = source.splitlines()
    out = "\n".join(lines[:span[0]] + colab_block(where).splitlines() + lines[span[1]:])
    return out + ("\n" if source.endswith("\n") else "")


def block_location(source: str) -> Location | None:
    """The :class:`Location` a cell's Colab block names (its ``GAN_COURSE_REPO``/``GAN_COURSE_REF``
    defaults), or None when the cell has no block or the block does not come from the template."""
    span = colab_block_span(source)
    if span is None:
        return None
    block = "\n".join(source.splitlines()[span[0]:span[1]])
    slug, ref = _TEMPLATE_SLUG_RE.search(block), _TEMPLATE_REF_RE.search(block)
    if slug is None or ref is None:
        return None
    return Location(slug.group("v"), ref.group("v"))


def notebook_location(nb: nbformat.NotebookNode) -> Location | None:
    """The :class:`Location` named by the first Colab block in ``nb``'s code cells, or None."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            found = block_location(cell.source)
            if found is not None:
                return found
    return None


#: where ``course execute`` records the course version a notebook ran with (``nb.metadata[...]``)
VERSION_METADATA = "gan_course"


def recorded_version(nb: nbformat.NotebookNode) -> str | None:
    """The course version ``nb`` was last executed with (``course execute`` records it), or None."""
    meta = nb.metadata.get(VERSION_METADATA, {})
    return meta.get("version") if isinstance(meta, dict) else None


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
