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
LAB_ARGS ?=
CHROMIUM ?= /usr/bin/chromium
REPO ?=
REF ?=
SKIP_TESTS ?=
STEPS ?= 256

PY := $(VENV)/bin/python
STAMP := $(VENV)/.gan-course-installed
COURSE := $(PY) -m gan_utils.course
BADGE_FLAGS := $(if $(REPO),--repo $(REPO)) $(if $(REF),--ref $(REF))
NBVAL := -p tests.nbval_plugin --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: help venv lab test unit nbval test-browser screenshots execute course students badges check clean mutation

help:
	@echo "make lab [LAB_ARGS=..]        set up .venv and start JupyterLab on notebooks/ (--allow-root as root)"
	@echo "make test                     unit and hygiene tests, the notebooks at smoke scale (nbval), the browser tests"
	@echo "make test-browser             only the browser tests: every explorer driven in Chromium"
	@echo "make screenshots              the browser tests, writing one PNG per explorer into docs/img/"
	@echo "make execute [NOTEBOOKS=..]   re-run notebooks in place at quick scale (committed outputs)"
	@echo "make course [SCALE=quick]     run every notebook headless into results/executed/, print times + scoreboard"
	@echo "                [RECORD=1]    ... and record the wall times in docs/timings.json (README table)"
	@echo "make students                 write student copies (solutions stubbed) into student/"
	@echo "make badges [REPO=o/n REF=..] point badges + setup cells at the origin remote (or REPO) at each"
	@echo "                              notebook's release tag (or REF, e.g. main); refresh the README table"
	@echo "make release [SKIP_TESTS=1]   check (clean tree, tests, notebooks' version), then tag vX.Y.Z"
	@echo "make test-full [STEPS=256]    every notebook at full scale, each training capped at STEPS (CPU ok)"
	@echo "make check                    list hygiene problems of the notebooks"
	@echo "make mutation [MODULE=losses] mutation-test gan_utils (slow; not part of make test): scores + survivors"
	@echo "make clean                    remove student/, results/executed/ and caches (keeps .venv and results)"

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(if $(CONSTRAINTS),-c $(CONSTRAINTS)) -e ".[notebooks,test]"
	@touch $@

venv: $(STAMP)

# python -m gan_utils.lab adds --allow-root when you are root (JupyterLab refuses root otherwise) and
# passes LAB_ARGS on: make lab LAB_ARGS="--no-browser --port 8899 --token secret". tests/browser/
# starts JupyterLab through the same module.
lab: $(STAMP)
	$(PY) -m gan_utils.lab $(LAB_ARGS)

# pytest exits non-zero (5) when it collects nothing, so an empty run fails here too.
# The browser tests need Debian's chromium package at $(CHROMIUM) (Playwright comes with the test
# extra); without it make test says so and passes on what it could run.
test: unit nbval
	@if [ -x "$(CHROMIUM)" ]; then \
		$(MAKE) --no-print-directory test-browser; \
	else \
		echo "make test: browser tests SKIPPED: no Chromium at $(CHROMIUM)."; \
		echo "  Enable them with: sudo apt-get install -y chromium   (or CHROMIUM=/path/to/chromium), then make test-browser"; \
	fi

unit: $(STAMP)
	$(PY) -m pytest tests/ --ignore=tests/browser

# One JupyterLab, one kernel at a time, notebooks at smoke scale on temporary copies (nothing saved).
test-browser: $(STAMP)
	GAN_COURSE_CHROMIUM="$(CHROMIUM)" $(PY) -m pytest tests/browser/

# At quick scale, starting from the runs `make execute` left in results/execute-quick/ (copied, so
# the notebooks load those checkpoints instead of training): the pictures show trained models.
SCREENSHOT_SCALE ?= quick
screenshots: $(STAMP)
	GAN_COURSE_CHROMIUM="$(CHROMIUM)" GAN_COURSE_BROWSER_SCALE=$(SCREENSHOT_SCALE) \
	GAN_COURSE_BROWSER_RESULTS="$(CURDIR)/results/execute-$(SCREENSHOT_SCALE)" \
	$(PY) -m pytest tests/browser/ --screenshots docs/img

# Smoke runs write their results and checkpoints to results/smoke/, never over a student's own.
# One torch thread unless you set OMP_NUM_THREADS: smoke-sized steps gain little from a second
# (01 took 11 s with one thread, 9 s with two, on a quiet 2-core machine), while on a busy machine
# idle threads spin-wait (two-thread smoke runs took 130-197 s against 11 s with one).
nbval: $(STAMP)
	rm -rf results/smoke
	OMP_NUM_THREADS=$(or $(OMP_NUM_THREADS),1) GAN_COURSE_SCALE=smoke GAN_COURSE_HEADLESS=1 GAN_COURSE_RESULTS="$(CURDIR)/results/smoke" $(PY) -m pytest $(NBVAL) notebooks/

execute: $(STAMP)
	$(COURSE) execute --scale quick $(NOTEBOOKS)
	$(COURSE) badges $(BADGE_FLAGS)

course: $(STAMP)
	$(COURSE) course --scale $(SCALE) $(if $(RECORD),--record) $(NOTEBOOKS)

students: $(STAMP)
	$(COURSE) students --out student/ $(NOTEBOOKS)

badges: $(STAMP)
	$(COURSE) badges $(BADGE_FLAGS) $(NOTEBOOKS)

# Releases: see docs/INSTRUCTORS.md ("Versions and releases"). The smoke-scale notebooks run first
# (unless SKIP_TESTS=1); `course release` then checks the tree and notebooks, runs `pytest tests/`
# and creates the annotated tag v<gan_utils.__version__>. Nothing is pushed.
.PHONY: release test-full
release: $(STAMP)
	$(if $(SKIP_TESTS),,$(MAKE) nbval)
	$(COURSE) release $(if $(SKIP_TESTS),--skip-tests)

# The full scale's code path on a CPU: full sample counts, batch sizes and data, every training run
# capped at STEPS steps (GAN_COURSE_MAX_STEPS). Minutes, not part of `make test`; results/test-full/.
test-full: $(STAMP)
	OMP_NUM_THREADS=$(or $(OMP_NUM_THREADS),1) $(COURSE) test-full --steps $(STEPS) $(NOTEBOOKS)

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
