# cchc-analysis: the two commands a new user needs are `make report` and `make test`.
# Everything runs inside a local virtual environment (.venv) that is created on first use and
# refreshed whenever pyproject.toml or requirements.lock changes. The environment is installed from
# requirements.lock (exact versions and hashes); `make lock` regenerates it from pyproject.toml.
# The package is installed editable; its bytecode is compiled at setup and before a report (pip does the
# same for every other package), so no process compiles it again on import.

.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
YEAR ?= 2025
LOCK := requirements.lock
# The tool that writes the lock (exact versions and hashes, for every platform and Python >= 3.11).
LOCK_TOOL := uv==0.13.9

# Quiet, reproducible runs of notebooks and progress bars under test.
TEST_ENV := MPLBACKEND=Agg TQDM_DISABLE=1 IPYKERNEL_CELL_NAME="<IPY-INPUT>" PYTHONHASHSEED=0

.PHONY: help setup lock report test lint sample clean-data lab clean

help: ## Show this help
	@echo "cchc-analysis: make <target>"
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m compileall -q cchc_analysis
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (cchc)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## Create or refresh the local virtual environment (.venv) from requirements.lock

lock: ## Regenerate requirements.lock from pyproject.toml (then commit it with environment.yml in step)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "$(LOCK_TOOL)"
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --quiet --output-file $(LOCK)

report: $(STAMP) ## Clean data/raw and build the review pack for YEAR (default 2025) into reports/YEAR
	@$(PY) -m compileall -q cchc_analysis
	$(VENV)/bin/cchc report --year $(YEAR)

test: $(STAMP) ## Run ruff, the tests (with doctests) and the notebooks under nbval
	$(VENV)/bin/ruff check cchc_analysis tests
	$(TEST_ENV) $(PY) -m pytest --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

lint: $(STAMP) ## Ruff only
	$(VENV)/bin/ruff check cchc_analysis tests

sample: $(STAMP) ## Regenerate the bundled synthetic exports in data/raw/sample
	$(VENV)/bin/cchc sample

clean-data: $(STAMP) ## Clean data/raw into data/processed (canonical tables)
	$(VENV)/bin/cchc clean

lab: $(STAMP) ## Start JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

clean: ## Remove generated outputs (data/processed, reports) but keep the READMEs
	find data/processed reports -mindepth 1 ! -name README.md ! -name .gitkeep -exec rm -rf {} +
