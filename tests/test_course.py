"""Tests for gan_utils.course (badges, execute, course, CLI), with the hygiene checks of
gan_utils.hygiene and the student copies of gan_utils.conventions that those commands use."""
from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from gan_utils import course, hygiene
from gan_utils.conventions import CourseError, Location, badge, colab_block, read, student_copy
from gan_utils.hygiene import ANATOMY

SETUP_SOURCE = "import sys\n\n" + colab_block() + '\n\ncfg = setup("x")'
#: the setup cell every notebook had before the template (cloned main, skipped pip when the folder existed)
OLD_COLAB = (
    'if "google.colab" in sys.modules:\n'
    '    import subprocess\n'
    '    repo = "/content/gan-course"\n'
    '    if not os.path.isdir(repo):\n'
    '        subprocess.run(["git", "clone", "--depth", "1", "--branch", "main",\n'
    '                        "https://github.com/gan-course/gan-course.git", repo], check=True)\n'
    '    sys.path.insert(0, repo)'
)
SOLUTION = "def f{i}(x):\n    # BEGIN SOLUTION add {i}\n    return x + {i}\n    # END SOLUTION\nprint(f{i}(1))"


def good_notebook(name: str = "05_demo") -> nbformat.NotebookNode:
    """A notebook that passes every hygiene check (the tests then break one thing at a time)."""
    cells = [new_markdown_cell(f"# Demo\n\n{badge(name)}\n\nWhy it matters."),
             new_markdown_cell("\n\n".join(f"## {h}" for h in ANATOMY[:2])),
             new_code_cell('SCALE = None\nSEED = 0\nDATASET = "mnist"\nTRAIN = True',
                           metadata={"tags": ["parameters"]}),
             new_code_cell(SETUP_SOURCE, outputs=[new_output(
                 "stream", name="stdout", text="[gan_utils] x: device=cpu  scale=quick  seed=0\n")]),
             new_markdown_cell("\n\n".join(f"## {h}" for h in ANATOMY[2:])),
             new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1)", outputs=[new_output("stream", name="stdout", text="1\n")])]
    cells += [new_code_cell(SOLUTION.format(i=i)) for i in range(3)]
    count = 0
    for cell in cells:
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})


def save(nb, folder: Path, name: str = "05_demo") -> Path:
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


def problems_of(nb, tmp_path, check: str, name: str = "05_demo") -> list[str]:
    path = save(nb, tmp_path, name)
    return hygiene.HYGIENE_CHECKS[check](read(path), path)


# --------------------------------------------------------------------------- hygiene checks
@pytest.mark.parametrize("check", list(hygiene.HYGIENE_CHECKS))
def test_the_good_notebook_passes_every_check(tmp_path, check):
    assert problems_of(good_notebook(), tmp_path, check) == []


def test_anatomy_reports_missing_and_out_of_order_headings(tmp_path):
    nb = good_notebook()
    nb.cells[4].source = nb.cells[4].source.replace("## 3. Theory", "## Theory")
    assert any("'## 3. Theory' is missing" in p for p in problems_of(nb, tmp_path, "anatomy"))
    nb = good_notebook()
    nb.cells.append(new_markdown_cell("## 1. Why, again"))
    nb.cells[1].source = "## 2. Setup"  # "1. Why" now only appears after everything else
    assert any("'## 1. Why' is missing" in p or "out of order" in p for p in problems_of(nb, tmp_path, "anatomy"))


def test_anatomy_needs_title_and_badge(tmp_path):
    nb = good_notebook()
    nb.cells[0].source = "Demo without a title"
    assert "title" in problems_of(nb, tmp_path, "anatomy")[0]
    nb.cells[0].source = "# Demo"
    assert "no Colab badge" in problems_of(nb, tmp_path, "anatomy")[0]


def test_the_intro_notebook_has_its_own_anatomy(tmp_path):
    nb = good_notebook("00_introduction")
    problems = problems_of(nb, tmp_path, "anatomy", name="00_introduction")
    assert any("3. The course map" in p for p in problems)


def test_parameters_cell_must_define_all_four_and_precede_setup(tmp_path):
    nb = good_notebook()
    nb.cells[2].source = "SCALE = None\nSEED = 0"
    assert problems_of(nb, tmp_path, "parameters") == [
        "the parameters cell does not assign DATASET", "the parameters cell does not assign TRAIN"]
    nb = good_notebook()
    nb.cells[2].metadata["tags"] = []
    assert "tagged 'parameters'" in problems_of(nb, tmp_path, "parameters")[0]
    nb = good_notebook()
    nb.cells[3].source = "import torch"
    assert "setup cell" in problems_of(nb, tmp_path, "parameters")[0]
    nb = good_notebook()
    nb.cells[3].source = 'cfg = setup("x")'
    assert "no guarded Colab block" in problems_of(nb, tmp_path, "parameters")[0]


def test_committed_scale_must_be_quick(tmp_path):
    nb = good_notebook()
    nb.cells[3].outputs[0].text = "[gan_utils] x: device=cpu  scale=smoke  seed=0\n"
    assert "scale=smoke" in problems_of(nb, tmp_path, "committed_scale")[0]
    nb.cells[3].outputs = []
    assert "no output" in problems_of(nb, tmp_path, "committed_scale")[0]


def test_error_outputs_are_reported(tmp_path):
    nb = good_notebook()
    nb.cells[5].outputs.append(new_output("error", ename="ValueError", evalue="bad", traceback=[]))
    assert "ValueError: bad" in problems_of(nb, tmp_path, "no_errors")[0]


@pytest.mark.parametrize("text", ["/home/alice/gan-course/data", "/root/.cache/torch", "see /work/main/x",
                                  "C:\\Users\\bob\\x", "/tmp/abc", "/Users/carol/x", "/content/gan-course"])
def test_private_paths_in_outputs_are_reported(tmp_path, text):
    nb = good_notebook()
    nb.cells[5].outputs = [new_output("stream", name="stderr", text=f"warning from {text}\n")]
    assert "private path" in problems_of(nb, tmp_path, "no_private_paths")[0]
    nb.cells[5].outputs = [new_output("execute_result", data={"text/plain": repr(text)}, execution_count=3)]
    assert problems_of(nb, tmp_path, "no_private_paths")


def test_relative_paths_are_fine(tmp_path):
    nb = good_notebook()
    nb.cells[5].outputs = [new_output("stream", name="stdout", text="saved results/01_minimax_gan.json\n")]
    assert problems_of(nb, tmp_path, "no_private_paths") == []


def test_execution_counts_must_run_1_to_n(tmp_path):
    nb = good_notebook()
    nb.cells[5].execution_count = 7
    assert "execution counts" in problems_of(nb, tmp_path, "execution_counts")[0]
    nb.cells[5].execution_count = None
    assert problems_of(nb, tmp_path, "execution_counts")


def test_size_limit(tmp_path):
    nb = good_notebook()
    nb.cells[5].outputs = [new_output("display_data", data={"image/png": "A" * (3 * 2**20)})]
    assert "limit 3 MB" in problems_of(nb, tmp_path, "size")[0]


def test_nbval_marked_cell_required(tmp_path):
    nb = good_notebook()
    nb.cells[5].source = "print(1)"
    assert hygiene.CHECK_OUTPUT_MARK in problems_of(nb, tmp_path, "nbval_cells")[0]


def test_exercises_need_three_solutions_and_a_valid_student_copy(tmp_path):
    nb = good_notebook()
    del nb.cells[-1]
    assert "2 solution blocks" in problems_of(nb, tmp_path, "exercises")[0]
    nb = good_notebook()
    nb.cells[-1].source = "x = 1\n# BEGIN SOLUTION\nx = 2"
    assert "never closed" in problems_of(nb, tmp_path, "exercises")[0]
    nb = good_notebook()
    nb.cells[-1].source = "for i in range(3):\n# BEGIN SOLUTION\n    print(i)\n# END SOLUTION"
    assert "not valid Python" in problems_of(nb, tmp_path, "exercises")[-1]


def test_badge_and_setup_cell_must_follow_the_template(tmp_path):
    nb = good_notebook()
    nb.cells[0].source = nb.cells[0].source.replace("gan-course/gan-course", "someone/fork")
    assert "Colab badge is" in problems_of(nb, tmp_path, "badge")[0]
    nb = good_notebook()  # a hand edit inside the block: a fork of the template
    nb.cells[3].source = nb.cells[3].source.replace('"--depth", "1", ', "")
    n, line = next((i, ln.strip()) for i, ln in enumerate(nb.cells[3].source.splitlines()) if "git\", \"clone" in ln)
    assert problems_of(nb, tmp_path, "badge") == [
        f"cell 3's Colab block differs from the template at its line {n - 1} ({line[:70]!r}): "
        "run `python -m gan_utils.course badges`"]
    nb = good_notebook()
    nb.cells[3].source = "import os\nimport sys\n\n" + OLD_COLAB + '\ncfg = setup("x")'
    assert "does not come from the template" in problems_of(nb, tmp_path, "badge")[0]
    nb = good_notebook()
    nb.cells.insert(4, new_code_cell('import sys\nif "google.colab" in sys.modules:\n    pass'))
    assert any("keep one Colab block" in p for p in problems_of(nb, tmp_path, "badge"))


def test_a_fork_that_names_itself_everywhere_is_clean(tmp_path):
    fork = Location("someone/fork", "v2.0.1")
    nb = good_notebook()
    nb.cells[0].source = f"# Demo\n\n{badge('05_demo', fork)}\n\nWhy it matters."
    nb.cells[3].source = "import sys\n\n" + colab_block(fork) + '\ncfg = setup("x")'
    assert problems_of(nb, tmp_path, "badge") == []
    nb.cells[0].source = good_notebook().cells[0].source  # badge upstream, setup cell the fork
    assert "the setup cell names someone/fork at v2.0.1" in problems_of(nb, tmp_path, "badge")[0]


def test_hygiene_problems_name_the_notebook_and_check(tmp_path):
    nb = good_notebook()
    nb.cells[5].execution_count = 9
    path = save(nb, tmp_path)
    assert hygiene.hygiene_problems(path) == [
        f"05_demo.ipynb [execution_counts]: execution counts are [1, 2, 9, 4, 5, 6], expected 1..6: run `make execute`"]


# --------------------------------------------------------------------------- badges and README
def test_badges_fix_badge_and_clone_url_and_are_idempotent(tmp_path):
    nb = good_notebook()
    nb.cells[0].source = ("# Demo\n\n[![Open In Colab](x.svg)](https://colab.example/old)\n"
                          "[![Open In Colab](y.svg)](https://colab.example/dup)\n\nWhy.")
    nb.cells[3].source = "import os\nimport sys\n\n" + OLD_COLAB + '\n\nimport torch\ncfg = setup("x")'
    path = save(nb, tmp_path)
    assert course.check_badges([path])
    assert course.badges([path], readme=None, folder=tmp_path, notice=lambda msg: None) == [path]
    assert course.check_badges([path]) == []
    fixed = read(path)
    assert fixed.cells[0].source.count("Open In Colab") == 1
    assert fixed.cells[3].source == "import os\nimport sys\n\n" + colab_block() + '\n\nimport torch\ncfg = setup("x")'
    before = path.read_bytes()
    assert course.badges([path], readme=None, folder=tmp_path, notice=lambda msg: None) == []
    assert path.read_bytes() == before


def test_badges_insert_a_missing_badge_under_the_title(tmp_path):
    nb = good_notebook()
    nb.cells[0].source = "# Demo\nWhy it matters."
    path = save(nb, tmp_path)
    course.badges([path], readme=None, folder=tmp_path, notice=lambda msg: None)
    assert read(path).cells[0].source == f"# Demo\n\n{badge('05_demo')}\n\nWhy it matters."


def test_badges_refuse_a_notebook_without_title(tmp_path):
    nb = good_notebook()
    nb.cells.insert(0, new_code_cell("x = 1"))
    path = save(nb, tmp_path)
    with pytest.raises(CourseError, match="markdown title"):
        course.badges([path], readme=None, folder=tmp_path, notice=lambda msg: None)


def test_readme_table_lists_plan_badges_and_measured_times_only(tmp_path):
    path = save(good_notebook("00_introduction"), tmp_path, "00_introduction")
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{course.NOTEBOOK_TABLE_START}\nold\n{course.NOTEBOOK_TABLE_END}\nrest\n")
    timings = {"00_introduction": {"smoke": {"seconds": 12.34, "machine": "CPU, 2 cores", "date": "x"}}}
    assert course.badges([path], readme=readme, folder=tmp_path, timings=timings, notice=lambda m: None) == [readme]
    text = readme.read_text()
    row00 = next(line for line in text.splitlines() if line.startswith("| [`00_introduction`]"))
    assert badge("00_introduction") in row00 and "| 12 s | — | — |" in row00
    row01 = next(line for line in text.splitlines() if "`01_minimax_gan`" in line)
    assert "planned" in row01 and "Goodfellow et al. 2014" in row01
    assert text.startswith("intro\n") and text.endswith(f"{course.NOTEBOOK_TABLE_END}\nrest\n")
    assert course.render_readme(text, [path], timings) == text


def test_check_reports_a_stale_readme(tmp_path):
    save(good_notebook("00_introduction"), tmp_path, "00_introduction")
    readme = tmp_path / "README.md"
    readme.write_text(f"{course.NOTEBOOK_TABLE_START}\nold\n{course.NOTEBOOK_TABLE_END}\n")
    problems = course.check([], readme=readme, folder=tmp_path)
    assert problems == ["README.md: the notebook table is stale: run `python -m gan_utils.course badges`"]


def test_record_timing_keeps_other_entries(tmp_path):
    f = tmp_path / "timings.json"
    course.record_timing("00_introduction", "quick", 10.04, f)
    course.record_timing("00_introduction", "smoke", 3.0, f)
    data = json.loads(f.read_text())
    assert data["00_introduction"]["quick"]["seconds"] == 10.0
    assert data["00_introduction"]["smoke"]["seconds"] == 3.0


def test_notebook_paths_resolves_names_and_rejects_unknown(tmp_path):
    path = save(good_notebook(), tmp_path)
    assert course.notebook_paths(folder=tmp_path) == [path]
    assert course.notebook_paths(["05_demo"], folder=tmp_path) == [path]
    with pytest.raises(CourseError, match="no notebook 'nope'"):
        course.notebook_paths(["nope"], folder=tmp_path)


# --------------------------------------------------------------------------- student copies
def test_student_copy_stubs_solutions_clears_outputs_and_drops_solution_cells(tmp_path):
    nb = good_notebook()
    nb.cells.append(new_markdown_cell("Answer: because.", metadata={"tags": ["solution"]}))
    student = student_copy(nb)
    assert len(student.cells) == len(nb.cells) - 1
    code = [c for c in student.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert code[-1].source == "def f2(x):\n    raise NotImplementedError('Exercise: add 2')\nprint(f2(1))"
    assert "Open In Colab" not in student.cells[0].source
    assert "return x + 2" in nb.cells[-2].source, "the master copy is untouched"


def test_student_copy_default_hint_and_errors():
    nb = new_notebook(cells=[new_code_cell("def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION")])
    assert student_copy(nb).cells[0].source == (
        "def f():\n    raise NotImplementedError('Exercise: replace this line with your solution')")
    top = new_notebook(cells=[new_code_cell("K = None\n# BEGIN SOLUTION set K\nK = 1\n# END SOLUTION\nprint(K)")])
    assert student_copy(top).cells[0].source == "K = None\n# Exercise: set K\nprint(K)", \
        "a top-level choice keeps its None default instead of raising at top level"
    for bad, msg in [("# END SOLUTION", "without a"), ("# BEGIN SOLUTION\n# BEGIN SOLUTION", "inside another")]:
        with pytest.raises(CourseError, match=msg):
            student_copy(new_notebook(cells=[new_code_cell(bad)]))


def test_students_command_writes_copies(tmp_path):
    path = save(good_notebook(), tmp_path)
    out = tmp_path / "student"
    assert course.main(["students", "--out", str(out), str(path)]) == 0
    copy = read(out / "05_demo.ipynb")
    assert "NotImplementedError" in copy.cells[-1].source


# --------------------------------------------------------------------------- execute and course
def tiny_notebook(fail: bool = False) -> nbformat.NotebookNode:
    cells = [new_code_cell("import os, pathlib\nprint(os.environ['GAN_COURSE_SCALE'], pathlib.Path.cwd().name)"),
             new_code_cell("import pathlib\nprint(pathlib.Path.home(), pathlib.Path.cwd())")]
    if fail:
        cells.append(new_code_cell("raise ValueError('broken cell')"))
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})


@pytest.fixture(autouse=True)
def _results_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_COURSE_RESULTS", str(tmp_path / "results"))


def test_execute_is_headless_from_clean_results_and_keeps_the_reference(tmp_path):
    cell = ("import json, os, pathlib\n"
            "r = pathlib.Path(os.environ['GAN_COURSE_RESULTS'])\n"
            "print(os.environ['GAN_COURSE_HEADLESS'], r.name, sorted(p.name for p in r.iterdir()))\n"
            "(r / '01_tiny.json').write_text(json.dumps({'notebook': '01_tiny'}))")
    nb = new_notebook(cells=[new_code_cell(cell)], metadata=tiny_notebook().metadata)
    path = save(nb, tmp_path, "01_tiny")
    stale = tmp_path / "results" / "execute-quick" / "old_checkpoint.pt"
    stale.parent.mkdir(parents=True)
    stale.write_text("from an earlier run")
    reference = tmp_path / "reference"
    course.execute([path], scale="quick", record=False, reference_dir=reference)
    assert read(path).cells[0].outputs[0].text == "1 execute-quick []\n"
    assert json.loads((reference / "01_tiny.json").read_text()) == {"notebook": "01_tiny"}
    course.execute([path], scale="smoke", record=False, reference_dir=reference / "smoke")
    assert not (reference / "smoke").exists(), "only the committed scale refreshes the reference results"


def test_execute_runs_in_place_with_scale_cwd_and_clean_outputs(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    path = save(tiny_notebook(), folder, "01_tiny")
    timings = tmp_path / "timings.json"
    times = course.execute([path], scale="smoke", timings_path=timings)
    nb = read(path)
    assert [c.execution_count for c in nb.cells] == [1, 2]
    assert nb.cells[0].outputs[0].text == "smoke notebooks\n"
    assert nb.cells[1].outputs[0].text.startswith("~ "), "the home folder is replaced by ~"
    assert all("execution" not in c.metadata for c in nb.cells)
    assert times["01_tiny"] > 0 and json.loads(timings.read_text())["01_tiny"]["smoke"]["seconds"] >= 0


def test_execute_fails_loudly_and_leaves_the_notebook_unchanged(tmp_path):
    path = save(tiny_notebook(fail=True), tmp_path, "01_tiny")
    before = path.read_bytes()
    with pytest.raises(CourseError, match="(?s)01_tiny.ipynb failed at scale=smoke.*broken cell"):
        course.execute([path], scale="smoke", record=False)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.glob("*.ipynb*")) == ["01_tiny.ipynb"], "no temporary file left behind"
    assert course.main(["execute", "--scale", "smoke", "--no-record", str(path)]) == 1


def test_course_writes_copies_elsewhere_and_reports_failures(tmp_path, capsys):
    good = save(tiny_notebook(), tmp_path, "01_good")
    bad = save(tiny_notebook(fail=True), tmp_path, "02_bad")
    before = good.read_bytes()
    out = tmp_path / "executed"
    times = course.run_course([good, bad], "smoke", out_dir=out)
    assert good.read_bytes() == before
    assert (out / "01_good.ipynb").is_file() and not (out / "02_bad.ipynb").exists()
    assert times["01_good"] > 0 and times["02_bad"] is None
    table = course.timing_table(times, "smoke")
    assert "02_bad" in table and "FAILED" in table


def test_unknown_scale_is_refused(tmp_path):
    path = save(tiny_notebook(), tmp_path, "01_tiny")
    with pytest.raises(ValueError, match="unknown scale 'huge'"):
        course.run_notebook(path, path, "huge")


def test_cli_check_exit_codes(tmp_path, capsys):
    good = save(good_notebook(), tmp_path)
    assert course.main(["check", str(good)]) == 0
    assert "1 notebooks clean" in capsys.readouterr().out
    nb = good_notebook()
    nb.cells[5].execution_count = 9
    bad = save(nb, tmp_path, "06_bad")
    assert course.main(["check", str(bad)]) == 1
    assert "execution_counts" in capsys.readouterr().out


def test_write_atomic_keeps_the_mode_of_an_existing_file_and_uses_the_umask_for_a_new_one(tmp_path):
    path = save(good_notebook(), tmp_path)
    path.chmod(0o640)
    course.write_atomic(good_notebook(), path)
    assert path.stat().st_mode & 0o777 == 0o640
    new = tmp_path / "sub" / "new.ipynb"
    course.write_atomic(good_notebook(), new)
    umask = os.umask(0)
    os.umask(umask)
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in new.parent.iterdir()] == ["new.ipynb"]


def test_conventions_urls_and_patterns_agree():
    from gan_utils import conventions as cv

    here = cv.default_location()
    assert here == (cv.REPO_SLUG, f"v{cv.course_version()}")
    assert cv.colab_url("02_dcgan").endswith(f"/{cv.REPO_SLUG}/blob/{here.ref}/notebooks/02_dcgan.ipynb")
    assert cv.colab_url("02_dcgan", Location("a/b", "main")) == (
        "https://colab.research.google.com/github/a/b/blob/main/notebooks/02_dcgan.ipynb")
    assert cv.BADGE_RE.fullmatch(badge("02_dcgan")) and not cv.BADGE_RE.search("[Open In Colab](x)")
    assert cv.clone_url(Location("a/b", "v1.0.0")) == "https://github.com/a/b.git"


def test_is_colab_cell_needs_code_that_mentions_colab():
    from gan_utils.conventions import is_colab_cell

    assert is_colab_cell(new_code_cell('if "google.colab" in sys.modules:\n    pass'))
    assert not is_colab_cell(new_markdown_cell("Open in google.colab"))
    assert not is_colab_cell(new_code_cell("import torch"))


def test_read_gives_nbformat_4(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# t")]), str(path))
    nb = read(path)
    assert nb.nbformat == 4 and nb.cells[0].source == "# t"
    with pytest.raises(FileNotFoundError):
        read(tmp_path / "missing.ipynb")


# ---- mutation survivors (issue 18)
def test_private_paths_in_tracebacks_are_reported(tmp_path):
    nb = good_notebook()
    nb.cells[5].outputs = [new_output("error", ename="OSError", evalue="no such file",
                                      traceback=["Traceback", '  File "/home/alice/gan-course/x.py", line 3'])]
    found = problems_of(nb, tmp_path, "no_private_paths")
    assert len(found) == 1 and "/home/alice" in found[0]


def test_magics_in_the_student_copy_are_not_syntax_errors(tmp_path):
    nb = good_notebook()
    nb.cells.append(new_code_cell("%time y = 1\n!pip install -q something\nif True:\n    %matplotlib inline\n"))
    nb.cells[-1].execution_count = nb.cells[-2].execution_count + 1
    assert problems_of(nb, tmp_path, "exercises") == []
    assert hygiene._without_magics("a = 1\n  %time b\n!ls") == "a = 1\n  pass\npass"


def test_scrub_replaces_the_repository_and_home_paths_in_outputs():
    from gan_utils.config import REPO_ROOT

    repo, home = str(REPO_ROOT), str(Path.home())
    nb = new_notebook(cells=[new_code_cell("x", outputs=[
        new_output("stream", name="stdout", text=f"wrote {repo}/results/a.json\n"),
        new_output("execute_result", data={"text/plain": f"'{repo}/data'", "text/html": f"<b>{home}/x</b>"},
                   execution_count=1)])], metadata={"widgets": {"state": {}}})
    nb.cells[0].metadata["execution"] = {"iopub.status.busy": "2026"}
    course._scrub(nb)
    out = nb.cells[0].outputs
    assert out[0]["text"] == "wrote <repo>/results/a.json\n"
    assert out[1]["data"]["text/plain"] == "'<repo>/data'" and out[1]["data"]["text/html"] == "<b>~/x</b>"
    assert "widgets" not in nb.metadata and "execution" not in nb.cells[0].metadata


def test_every_hygiene_check_is_exercised_by_a_failing_notebook():
    # Each check must have a test here that feeds it a broken notebook (not a hard-coded list of names):
    # find, for every check, a test in this file whose source calls problems_of(..., "<check>") and
    # asserts a problem is reported.
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    for check in hygiene.HYGIENE_CHECKS:
        calls = [ln for ln in source.splitlines() if f'problems_of(nb, tmp_path, "{check}")' in ln and "assert" in ln
                 and "== []" not in ln]
        assert calls, f"no test feeds hygiene check {check!r} a notebook it must reject"


def test_cli_badges_reports_what_it_updated_then_nothing(tmp_path, monkeypatch, capsys):
    import functools

    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{course.NOTEBOOK_TABLE_START}\n{course.NOTEBOOK_TABLE_END}\n")
    monkeypatch.setattr(course, "badges", functools.partial(course.badges, readme=readme, folder=tmp_path,
                                                            timings={}))
    nb = good_notebook()
    nb.cells[0].source = "# Demo\nWhy it matters."
    path = save(nb, tmp_path)
    # --repo names the repository, so the output does not depend on this checkout's origin remote
    assert course.main(["badges", "--repo", "gan-course/gan-course", str(path)]) == 0
    assert capsys.readouterr().out == "updated 05_demo.ipynb\nupdated README.md\n"
    assert badge("05_demo") in read(path).cells[0].source and "05_demo" in readme.read_text()
    assert course.main(["badges", "--repo", "gan-course/gan-course", str(path)]) == 0
    assert capsys.readouterr().out == "badges and README table up to date\n"


def test_cli_course_runs_copies_prints_times_and_the_scoreboard(tmp_path, capsys):
    good = save(tiny_notebook(), tmp_path, "01_good")
    before = good.read_bytes()
    out = tmp_path / "executed"
    assert course.main(["course", "--scale", "smoke", "--out", str(out), str(good)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("running 01_good.ipynb at scale=smoke ...\nnotebook  wall time (smoke)\n")
    assert "\n01_good " in printed
    assert "\nnotebook  scale" in printed  # the scoreboard's header follows the times
    assert (out / "01_good.ipynb").is_file() and good.read_bytes() == before
    bad = save(tiny_notebook(fail=True), tmp_path, "02_bad")
    assert course.main(["course", "--scale", "smoke", "--out", str(out), str(bad)]) == 1
    assert "FAILED" in capsys.readouterr().out


def test_student_copy_drops_volatile_metadata_the_badge_and_every_solution_cell():
    from gan_utils.conventions import SOLUTION_TAG

    nb = good_notebook()
    nb.metadata["widgets"] = {"state": {}}
    nb.cells[5].metadata["execution"] = {"iopub.status.busy": "2026"}
    nb.cells.insert(6, new_code_cell("print('answer')", metadata={"tags": [SOLUTION_TAG]}))
    nb.cells.insert(7, new_code_cell("print('after')"))
    nb.cells.append(new_code_cell("print('last answer')", metadata={"tags": [SOLUTION_TAG]}))
    nb.cells.append(new_code_cell("print('end')"))
    student = student_copy(nb)
    assert "widgets" not in student.metadata and "widgets" in nb.metadata
    assert all("execution" not in c.metadata for c in student.cells)
    sources = [c.source for c in student.cells]
    assert "print('answer')" not in sources and "print('after')" in sources and sources[-1] == "print('end')"
    assert student.cells[0].source == "# Demo\n\n\nWhy it matters."  # the badge (and one newline each side) gone
    nb.cells[1].source += f"\n\nOpen it in Colab: {badge('05_demo')}"  # only the title cell loses its badge
    assert badge("05_demo") in student_copy(nb).cells[1].source
    nb.cells[7].source = "# END SOLUTION"
    with pytest.raises(CourseError, match=r"^cell 7: '# END SOLUTION' without a '# BEGIN SOLUTION' above it$"):
        student_copy(nb)
