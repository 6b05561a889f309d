# Packbench: a fresh clone needs only `make demo` or `make test`.
#
#   make demo          create .venv if needed, install, run the GUI on the simulator
#   make test          same set-up, then pytest offscreen in PYTEST_WORKERS processes (default 3;
#                      0 runs in this one); PYTEST_ARGS="-k foo -x" passes through; ends with
#                      the line and branch coverage (CLI subprocesses included)
#   make mutate        mutation testing of the safety modules and the codecs (mutmut, configured in
#                      pyproject.toml): each module's score; MODULE=app/services/writer.py for one
#   make bench-live    stream a 32-cell board at 10 frames/s into the window for 30 s
#   make bench-logs    open a week-long 32-cell log in the viewer: open time, pan/zoom, memory
#   make bench-batch   configure and commission 20 JK + 20 JBD simulated packs in a row over TCP
#   make translations  refresh translations/*.ts from app/**/*.py, then compile the .qm files
#   make bundle        the one-folder program for this machine (dist/packbench/, no Python needed)
#                      and its archive under dist/, with PyInstaller (packaging/README.md)
#   make bundle-test   build the bundle if it is older than the sources, then smoke-test the
#                      FROZEN program; screenshots go to tests/_artifacts/bundle/
#   make clean         remove the venv, build output and caches
#
# The venv's Python comes from tools/find-python.sh (Python >= 3.12: PySide6 6.12
# crashes on 3.11). Override with `make PYTHON=/path/to/python3.12 ...`.

SHELL := /bin/sh

VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Translations: one .ts per language under translations/, compiled into app/i18n/.
LANGS    := zh_CN
TS_FILES := $(LANGS:%=translations/packbench_%.ts)
QM_FILES := $(LANGS:%=app/i18n/packbench_%.qm)
# .qm files that can be built now, i.e. whose .ts exists (demo/test build them).
QM_READY := $(patsubst translations/%.ts,app/i18n/%.qm,$(wildcard $(TS_FILES)))
LUPDATE_FLAGS := -no-obsolete -locations none

PYTEST_ARGS ?=
# pytest-xdist processes for `make test`: most tests wait on simulated boards, so three share
# the two cores of the project's machine well (0: no extra processes, e.g. for -x or -k)
PYTEST_WORKERS ?= 3

.PHONY: all demo test mutate lint format translations qm venv clean bench-live bench-logs bench-batch bundle bundle-test

all: test

# --- virtual environment --------------------------------------------------

# The interpreter link is the venv's marker: missing (or dangling, e.g. after
# the pyenv version it pointed to was removed) means build the venv anew.
$(PY):
	@py=$$(PYTHON="$(PYTHON)" sh tools/find-python.sh) || exit 1; \
	echo "Creating $(VENV) with $$py"; \
	rm -rf $(VENV) && "$$py" -m venv $(VENV)

# Reinstall whenever pyproject.toml changes. A venv made by hand with an old
# Python is replaced rather than used.
$(STAMP): pyproject.toml $(PY)
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    echo "$(VENV) does not run Python >= 3.12; recreating it"; \
	    py=$$(PYTHON="$(PYTHON)" sh tools/find-python.sh) || exit 1; \
	    rm -rf $(VENV) && "$$py" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --disable-pip-version-check -q -e '.[test]'
	@touch $@

venv: $(STAMP)

# --- run ---------------------------------------------------------------------

# the window's system libraries first (issue 22): what is missing and how to install it
demo: $(STAMP) qm
	@$(PY) -m app.display_check
	$(VENV)/bin/packbench --demo

# --durations=10: the slowest ten tests, so a slow newcomer is seen (issue 13: the suite stays fast);
# --dist worksteal: an idle process takes tests queued for a busy one
# Under coverage (pyproject.toml [tool.coverage.run]: branches, the xdist workers and the CLI
# subprocesses measured); the figures are printed last, as information
test: $(STAMP) qm lint
	@rm -f .coverage .coverage.*
	QT_QPA_PLATFORM=offscreen $(PY) -m coverage run -m pytest -q --durations=10 \
	    -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)
	@$(PY) -m coverage combine -q
	@$(PY) tools/coverage_summary.py

# mutmut over [tool.mutmut] only_mutate with the fast tests of its selection; one line per
# module (killed / total, %); not part of `make test` nor .ci/run (it takes long: README)
MODULE ?=
mutate: $(STAMP)
	$(PY) tools/mutate.py $(MODULE)

# ruff: formatting and lint (pyproject.toml [tool.ruff]); `make format` fixes what it can
lint: $(STAMP)
	$(VENV)/bin/ruff format --check --quiet app tests benchmarks packaging
	$(VENV)/bin/ruff check --quiet app tests benchmarks packaging

format: $(STAMP)
	$(VENV)/bin/ruff format --quiet app tests benchmarks packaging
	$(VENV)/bin/ruff check --fix --quiet app tests benchmarks packaging

# Speed goals live in benchmarks/, run by hand (not timed assertions in tests).
bench-live: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/live.py

# 20 JK02_32S + 20 JBD packs behind TCP (50 ms per answer), configured and commissioned in a row.
bench-batch: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/batch.py

# A week of 1 Hz data from a 32-cell pack: open → overview, pan/zoom, memory, and the
# fastest CSV parser installed as the floor (`.[bench]` adds polars and pyarrow for it).
bench-logs: $(STAMP)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[bench]' || \
	    echo "bench-logs: no polars/pyarrow (offline?): the floor is numpy's loadtxt"
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/logs.py

# --- translations --------------------------------------------------------------

# Compile whichever .ts files exist (lrelease only; no lupdate).
qm: $(QM_READY)

app/i18n/%.qm: translations/%.ts | $(STAMP)
	@mkdir -p $(@D)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

# Refresh the .ts files from the sources (always), then compile them.
# lupdate does not scan directories for .py, so the files are listed.
translations: $(STAMP)
	@mkdir -p translations app/i18n
	$(VENV)/bin/pyside6-lupdate $$(find app -name '*.py' | LC_ALL=C sort) \
	    -ts $(TS_FILES) $(LUPDATE_FLAGS)
	@for ts in $(TS_FILES); do \
	    qm=app/i18n/$$(basename $$ts .ts).qm; \
	    echo "$(VENV)/bin/pyside6-lrelease $$ts -qm $$qm"; \
	    $(VENV)/bin/pyside6-lrelease $$ts -qm $$qm || exit 1; \
	done

# --- the frozen program (issue 20) ------------------------------------------------

BUNDLE_STAMP := $(VENV)/.bundle-tools
BUNDLE_EXE   := dist/packbench/packbench
# what the bundle is made of: a newer one of these makes `bundle-test` build it again
BUNDLE_DEPS  := pyproject.toml LICENSE $(wildcard translations/*.ts) \
                $(shell find app -type f ! -name '*.pyc' ! -name '*.qm' ! -path '*/__pycache__/*') \
                $(wildcard packaging/*.py packaging/*.spec packaging/linux/* packaging/licenses/*)

# PyInstaller comes from the `bundle` extra, into the same venv
$(BUNDLE_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[test,bundle]'
	@touch $@

bundle: $(BUNDLE_STAMP)
	$(PY) packaging/build.py

$(BUNDLE_EXE): $(BUNDLE_DEPS) | $(BUNDLE_STAMP)
	$(PY) packaging/build.py

bundle-test: $(BUNDLE_EXE)
	$(PY) packaging/smoke_test.py --program $(BUNDLE_EXE) --artifacts tests/_artifacts/bundle

# --- housekeeping --------------------------------------------------------------

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis tests/_artifacts mutants
	rm -f .coverage .coverage.*
	rm -f $(QM_FILES)
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
