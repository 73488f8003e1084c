# gan-course: the commands the README promises. `make help` lists them.
#
#   make lab       set up .venv (once) and open the notebooks in JupyterLab
#   make test      unit + hygiene tests, then every notebook at smoke scale under nbval
#
# Set-up is a stamp-file rule: the first run creates .venv with $(PYTHON) and installs
# the package with its notebook and test extras; later runs skip it until pyproject.toml
# (or the constraints file) changes. CI pins versions with CONSTRAINTS=.ci/constraints.txt
# (see .ci/run); leave it empty on your own machine so pip picks versions for your Python.

PYTHON ?= python3
VENV ?= .venv
SCALE ?= quick
NOTEBOOKS ?=
RECORD ?=
CONSTRAINTS ?=

PY := $(VENV)/bin/python
STAMP := $(VENV)/.gan-course-installed
COURSE := $(PY) -m gan_utils.course
NBVAL := -p tests.nbval_plugin --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: help venv lab test unit nbval execute course students badges check clean mutation

help:
	@echo "make lab                      set up .venv and start JupyterLab on notebooks/"
	@echo "make test                     unit and hygiene tests, then the notebooks at smoke scale (nbval)"
	@echo "make execute [NOTEBOOKS=..]   re-run notebooks in place at quick scale (committed outputs)"
	@echo "make course [SCALE=quick]     run every notebook headless into results/executed/, print times + scoreboard"
	@echo "                [RECORD=1]    ... and record the wall times in docs/timings.json (README table)"
	@echo "make students                 write student copies (solutions stubbed) into student/"
	@echo "make badges                   refresh Colab badges and the README notebook table"
	@echo "make check                    list hygiene problems of the notebooks"
	@echo "make mutation [MODULE=losses] mutation-test gan_utils (slow; not part of make test): scores + survivors"
	@echo "make clean                    remove student/, results/executed/ and caches (keeps .venv and results)"

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(if $(CONSTRAINTS),-c $(CONSTRAINTS)) -e ".[notebooks,test]"
	@touch $@

venv: $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

# pytest exits non-zero (5) when it collects nothing, so an empty run fails here too.
test: unit nbval

unit: $(STAMP)
	$(PY) -m pytest tests/

# Smoke runs write their results and checkpoints to results/smoke/, never over a student's own.
# One torch thread unless you set OMP_NUM_THREADS: smoke-sized steps gain little from a second
# (01 took 11 s with one thread, 9 s with two, on a quiet 2-core machine), while on a busy machine
# idle threads spin-wait (two-thread smoke runs took 130-197 s against 11 s with one).
nbval: $(STAMP)
	rm -rf results/smoke
	OMP_NUM_THREADS=$(or $(OMP_NUM_THREADS),1) GAN_COURSE_SCALE=smoke GAN_COURSE_HEADLESS=1 GAN_COURSE_RESULTS="$(CURDIR)/results/smoke" $(PY) -m pytest $(NBVAL) notebooks/

execute: $(STAMP)
	$(COURSE) execute --scale quick $(NOTEBOOKS)
	$(COURSE) badges

course: $(STAMP)
	$(COURSE) course --scale $(SCALE) $(if $(RECORD),--record) $(NOTEBOOKS)

students: $(STAMP)
	$(COURSE) students --out student/ $(NOTEBOOKS)

badges: $(STAMP)
	$(COURSE) badges $(NOTEBOOKS)

check: $(STAMP)
	$(COURSE) check $(NOTEBOOKS)

# Mutation testing (docs/mutation.md): plants small bugs in gan_utils, one module at a time, and
# reports the share the tests catch plus every surviving mutant. Slow, so not part of `make test`.
# MODULE=losses (or several, space-separated) limits the run; default: every module in tests/mutation.py.
MODULE ?=
mutation: $(STAMP)
	$(PY) tests/mutation.py $(MODULE)

clean:
	rm -rf student/ results/executed/ .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
