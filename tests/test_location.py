"""Where the course lives and which version a notebook opens (issue 17): the repository from the
``origin`` remote or ``--repo``, the ref from the notebook's recorded version or ``--ref``, the one
setup-cell template and its rewriting, and ``course release``. (The template is *run* in
tests/test_colab.py.)"""
from __future__ import annotations

import subprocess

import nbformat
import pytest

from gan_utils import course
from gan_utils import conventions as cv
from gan_utils.conventions import CourseError, Location, badge, colab_block, read
from tests.test_course import good_notebook, save, tiny_notebook

VERSION = cv.course_version()
TAG = f"v{VERSION}"


# --------------------------------------------------------------------------- remotes, slugs, refs
@pytest.mark.parametrize("url", [
    "https://github.com/someone/fork.git", "https://github.com/someone/fork", "https://github.com/someone/fork/",
    "https://user@github.com/someone/fork.git", "git@github.com:someone/fork.git", "git@github.com:someone/fork",
    "ssh://git@github.com/someone/fork.git", "ssh://git@github.com:22/someone/fork.git",
    "git://github.com/someone/fork.git", "  https://github.com/someone/fork.git\n",
])
def test_slug_from_a_github_remote_in_https_and_ssh_form(url):
    assert cv.slug_from_remote(url) == "someone/fork"


def test_slug_keeps_dots_and_dashes_in_the_name():
    assert cv.slug_from_remote("git@github.com:my-org/gan.course-2026.git") == "my-org/gan.course-2026"


@pytest.mark.parametrize("url", ["https://gitlab.com/someone/fork.git", "git@gitlab.com:someone/fork.git",
                                 "https://github.com/someone", "https://github.com/a/b/c", "/srv/git/course.git",
                                 "https://github.com.evil.example/a/b.git"])
def test_a_remote_that_is_not_a_github_repository_is_refused(url):
    with pytest.raises(CourseError, match="not a GitHub repository.*REPO=owner/name"):
        cv.slug_from_remote(url)


def test_location_checks_slug_and_ref():
    assert cv.location("a-b/c.d_e", "v1.2.3") == Location("a-b/c.d_e", "v1.2.3")
    assert cv.location("a/b", "feature/x-1").ref == "feature/x-1"
    for slug in ("a", "a/b c", "a/b.git", "-a/b", "a/b/c", 'a/b"'):
        with pytest.raises(CourseError, match="not a GitHub 'owner/name'"):
            cv.location(slug, "main")
    for ref in ("v1 0", "-x", "a..b", "x/", 'v1"', ""):
        with pytest.raises(CourseError, match="not a git tag or branch"):
            cv.location("a/b", ref)


def test_release_tag_is_v_and_the_version():
    assert cv.release_tag("0.1.0") == "v0.1.0" and cv.release_tag("12.0.3") == "v12.0.3"
    for bad in ("0.1", "v0.1.0", "0.1.0.dev1", None):
        with pytest.raises(CourseError, match="X.Y.Z"):
            cv.release_tag(bad)


def test_the_package_version_is_the_course_version():
    import gan_utils

    text = (course.REPO_ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in text and 'version = { attr = "gan_utils.__version__" }' in text
    assert VERSION == gan_utils.__version__ and cv.default_location() == (cv.REPO_SLUG, TAG)


# --------------------------------------------------------------------------- the template and its block
CELL = 'import os\nimport sys\n\n{block}\n\n\nimport torch\ncfg = setup("x")\n'


def test_the_template_names_the_location_once_each():
    block = colab_block(Location("someone/fork", "v2.0.0"))
    assert '"GAN_COURSE_REPO", "someone/fork")' in block and '"GAN_COURSE_REF", "v2.0.0")' in block
    assert "@SLUG@" not in block and "@REF@" not in block
    assert cv.COLAB_TEMPLATE.count("@SLUG@") == 1 and cv.COLAB_TEMPLATE.count("@REF@") == 1
    compile("import sys\n" + block, "<setup cell>", "exec")


def test_block_span_covers_the_if_statement_only():
    source = CELL.format(block=colab_block())
    start, end = cv.colab_block_span(source)
    lines = source.splitlines()
    assert lines[start].startswith('if "google.colab" in sys.modules:')
    assert lines[start:end] == colab_block().splitlines(), "trailing blank lines stay outside"
    assert lines[end:] == ["", "", "import torch", 'cfg = setup("x")']
    assert cv.colab_block_span("import sys\nx = 1") is None
    assert cv.colab_block_span('    if "google.colab" in sys.modules:\n        pass') is None, "top level only"


def test_with_colab_block_rewrites_the_block_and_nothing_else():
    old = 'if "google.colab" in sys.modules:  # old\n    import subprocess\n\n    subprocess.run(["git", "clone"])'
    fork = Location("someone/fork", "main")
    new = cv.with_colab_block(CELL.format(block=old), fork)
    assert new == CELL.format(block=colab_block(fork))
    assert cv.with_colab_block(new, fork) == new
    assert cv.with_colab_block("import torch\n", fork) == "import torch\n"


def test_block_location_reads_back_what_the_template_wrote():
    fork = Location("someone/fork", "v3.1.4")
    assert cv.block_location(CELL.format(block=colab_block(fork))) == fork
    assert cv.block_location("import sys\n") is None
    assert cv.block_location('if "google.colab" in sys.modules:\n    REPO = "x"') is None
    nb = good_notebook()
    assert cv.notebook_location(nb) == cv.default_location()
    nb.cells[3].source = "import sys"
    assert cv.notebook_location(nb) is None


# --------------------------------------------------------------------------- badges follow the origin remote
def git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A temporary git repository with one good notebook in notebooks/ and no remote yet."""
    for key, value in {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}.items():
        monkeypatch.setenv(key, value)
    git(tmp_path, "init", "--quiet")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = good_notebook()
    nb.metadata[cv.VERSION_METADATA] = {"version": VERSION}
    save(nb, folder)
    return tmp_path


def where_of(path):
    nb = read(path)
    return cv.notebook_location(nb), cv.BADGE_RE.findall(nb.cells[0].source)


@pytest.mark.parametrize("url", ["git@github.com:someone/fork.git", "https://github.com/someone/fork.git"])
def test_badges_and_setup_cells_follow_the_origin_remote(repo, url):
    git(repo, "remote", "add", "origin", url)
    folder = repo / "notebooks"
    notices = []
    readme = repo / "README.md"
    readme.write_text(f"{course.NOTEBOOK_TABLE_START}\n{course.NOTEBOOK_TABLE_END}\n")
    changed = course.badges(folder=folder, readme=readme, timings={}, notice=notices.append)
    assert changed == [folder / "05_demo.ipynb", readme] and notices == []
    fork = Location("someone/fork", TAG)
    assert where_of(folder / "05_demo.ipynb") == (fork, [badge("05_demo", fork)])
    assert badge("05_demo", fork) in readme.read_text()
    assert course.check(folder=folder, readme=None) == []
    git(repo, "remote", "set-url", "origin", "https://github.com/other/copy")
    course.badges(folder=folder, readme=readme, timings={}, notice=notices.append)
    assert where_of(folder / "05_demo.ipynb")[0] == Location("other/copy", TAG)


def test_repo_and_ref_given_win_over_the_origin(repo):
    git(repo, "remote", "add", "origin", "https://gitlab.com/not/github.git")  # never read: REPO is given
    folder = repo / "notebooks"
    course.badges(folder=folder, readme=None, repo="x/y", ref="main")
    assert where_of(folder / "05_demo.ipynb") == (Location("x/y", "main"), [badge("05_demo", Location("x/y", "main"))])
    with pytest.raises(CourseError, match="not a GitHub repository"):
        course.badges(folder=folder, readme=None)
    with pytest.raises(CourseError, match="not a git tag or branch"):
        course.badges(folder=folder, readme=None, repo="x/y", ref="bad ref")


def test_without_origin_the_fallback_is_named_in_one_notice(tmp_path):
    path = save(good_notebook(), tmp_path)
    nb = read(path)
    nb.cells[3].source = nb.cells[3].source.replace(TAG, "main")
    nbformat.write(nb, str(path))
    notices = []
    assert course.badges(folder=tmp_path, readme=None, notice=notices.append) == [path]
    assert notices == [f"note: no git remote 'origin' here, so badges and setup cells name {cv.REPO_SLUG} "
                       "(give REPO=owner/name to name another repository)"]
    assert where_of(path)[0] == cv.default_location()


def test_each_notebook_points_at_the_tag_of_the_version_it_was_executed_with(repo):
    folder = repo / "notebooks"
    old = save(good_notebook("06_old"), folder, "06_old")
    nb = read(old)
    nb.metadata[cv.VERSION_METADATA] = {"version": "0.0.9"}
    nbformat.write(nb, str(old))
    course.badges(folder=folder, readme=None, repo="a/b")
    assert where_of(old)[0] == Location("a/b", "v0.0.9")
    assert where_of(folder / "05_demo.ipynb")[0] == Location("a/b", TAG)
    assert course.check(folder=folder, readme=None) == [], "different tags, one repository: fine until a release"
    course.badges([old], folder=folder, readme=None, repo="c/d")
    assert any("different repositories (05_demo.ipynb: a/b, 06_old.ipynb: c/d)" in p
               for p in course.check(folder=folder, readme=None))


def test_origin_note_tells_a_fork_to_run_badges(repo):
    folder = repo / "notebooks"
    paths = course.notebook_paths(folder=folder)
    assert course.origin_note(paths, folder) is None, "no origin: nothing to compare"
    git(repo, "remote", "add", "origin", "git@github.com:someone/fork.git")
    assert course.origin_note(paths, folder) == (
        f"note: the notebooks name {cv.REPO_SLUG} but origin is someone/fork: run `make badges` "
        "so badges and setup cells open this repository")
    course.badges(folder=folder, readme=None)
    assert course.origin_note(paths, folder) is None


def test_execute_records_the_course_version(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_COURSE_RESULTS", str(tmp_path / "results"))
    path = save(tiny_notebook(), tmp_path, "01_tiny")
    course.execute([path], scale="smoke", record=False)
    assert cv.recorded_version(read(path)) == VERSION


# --------------------------------------------------------------------------- release
def committed(repo):
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "course")
    return git(repo, "rev-parse", "HEAD")


def test_release_tags_the_version_with_its_record(repo):
    head = committed(repo)
    assert course.release(repo, repo / "notebooks", readme=None, test_command=None) == TAG
    assert git(repo, "cat-file", "-t", TAG) == "tag", "an annotated tag"
    assert git(repo, "rev-parse", f"{TAG}^{{commit}}") == head
    record = git(repo, "tag", "-l", "--format=%(contents)", TAG)
    assert record.splitlines() == [
        f"gan-course {VERSION}", "", f"commit: {head}",
        f"repository: {cv.REPO_SLUG} (badges and setup cells clone {TAG})",
        f"notebooks executed with {VERSION}: 05_demo", "tests: not run (--skip-tests)"]
    with pytest.raises(CourseError, match=f"tag {TAG} exists already"):
        course.release(repo, repo / "notebooks", readme=None, test_command=None)


def test_release_refuses_a_dirty_tree(repo):
    committed(repo)
    (repo / "notes.txt").write_text("not committed")
    with pytest.raises(CourseError, match=r"not clean \(1 changes, e.g. '\?\? notes.txt'\)"):
        course.release(repo, repo / "notebooks", readme=None, test_command=None)
    assert git(repo, "tag", "-l") == ""


def test_release_refuses_notebooks_of_another_version_or_ref(repo):
    path = repo / "notebooks" / "05_demo.ipynb"
    nb = read(path)
    nb.metadata[cv.VERSION_METADATA] = {"version": "0.0.9"}
    nb.cells[0].source = nb.cells[0].source.replace(TAG, "main")
    nb.cells[3].source = nb.cells[3].source.replace(f'"{TAG}"', '"main"')
    nbformat.write(nb, str(path))
    committed(repo)
    with pytest.raises(CourseError) as err:
        course.release(repo, repo / "notebooks", readme=None, test_command=None)
    assert f"05_demo.ipynb was executed with 0.0.9, not {VERSION}: run `make execute NOTEBOOKS=05_demo`" in str(err.value)
    assert f"05_demo.ipynb points at main, not {TAG}: run `make badges`" in str(err.value)
    assert git(repo, "tag", "-l") == ""


def test_release_runs_the_tests_and_stops_when_they_fail(repo):
    import sys

    committed(repo)
    with pytest.raises(CourseError, match="the tests failed"):
        course.release(repo, repo / "notebooks", readme=None, test_command=(sys.executable, "-c", "raise SystemExit(1)"))
    assert git(repo, "tag", "-l") == ""
    course.release(repo, repo / "notebooks", readme=None, test_command=(sys.executable, "-c", "pass"))
    assert git(repo, "tag", "-l", "--format=%(contents)", TAG).splitlines()[-1] == "tests: passed (-c pass)"


def test_release_outside_git_is_refused(tmp_path):
    with pytest.raises(CourseError, match="not a git repository"):
        course.release(tmp_path, tmp_path, readme=None, test_command=None)
