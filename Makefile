# oppmini: `make serve` to run, `make test` to check. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed
CONFIG ?=
CONFIG_FLAG := $(if $(CONFIG),--config $(CONFIG))
# `make serve OPP_PORT=8443`: another port than the configuration's (8080 by default).
OPP_PORT ?=
PORT_FLAG := $(if $(OPP_PORT),--port $(OPP_PORT))
PYTEST_ARGS ?=
# Test processes: CI has two cores, and one pytest leaves one idle while the other waits on Argon2 or a browser.
# Each worker takes whole files (--dist loadfile), so a module's live server or Chromium is started once.
TEST_WORKERS ?= 2
BENCH_ARGS ?=
# Schemathesis examples per API operation: a short run in `make test`, a long one in `make fuzz`.
FUZZ_EXAMPLES ?= 25
FUZZ_LONG_EXAMPLES ?= 1000
# Damaged copies of each import sample (tests/importers/test_mutations.py): few in `make test`, many in `make fuzz`.
IMPORT_FUZZ_CASES ?= 40
IMPORT_FUZZ_LONG_CASES ?= 2000
# The browser extension's version (its manifest says it) and what its zip holds: no tests, no package.json.
EXTENSION_VERSION = $(shell $(PYTHON) -c "import json; print(json.load(open('extension/manifest.json'))['version'])")
EXTENSION_PARTS := manifest.json background.js lib content pages icons

.PHONY: help
help:
	@echo "make serve    set up .venv and the database, serve on http://127.0.0.1:8080 (OPP_PORT=... for another port)"
	@echo "make test     set up .venv, run make lint, then the whole test suite in TEST_WORKERS=2 processes (PYTEST_ARGS=... for pytest)"
	@echo "make lint     ruff's checks and format, and the package's layers (.importlinter)"
	@echo "make initdb   create the database schema (safe to repeat)"
	@echo "make adduser  create a user (prompts for the secrets without echo)"
	@echo "make bench    load W1..W9 and W13 against a bare-WSGI floor in turn, then W10 import, W11 export, W12 shared fetchall, W14 on a Galera cluster, W15 a 10 MiB attachment up and down, W16 vault health (BENCH_ARGS=...)"
	@echo "make fuzz     fuzz every API operation and importer at length (FUZZ_LONG_EXAMPLES=$(FUZZ_LONG_EXAMPLES), IMPORT_FUZZ_LONG_CASES=$(IMPORT_FUZZ_LONG_CASES))"
	@echo "make extension  zip the browser extension into dist/oppmini-extension-VERSION.zip (Chromium and Firefox)"
	@echo "make clean    remove .venv, caches and test-output/ (keeps the database)"
	@echo "make help     this list"
	@echo "CONFIG=FILE   use FILE as the top configuration file (serve, initdb, adduser)"
	@echo "PYTHON=PATH   the Python that builds .venv (default python3)"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): setup.cfg pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TEST_STAMP): setup.cfg pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

.PHONY: serve
serve: $(RUNTIME_STAMP)
	$(BIN)/python serve.py $(CONFIG_FLAG) $(PORT_FLAG)

.PHONY: lint
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

.PHONY: test
test: lint
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) IMPORT_FUZZ_CASES=$(IMPORT_FUZZ_CASES) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

.PHONY: fuzz
fuzz: $(TEST_STAMP)
	FUZZ_EXAMPLES=$(FUZZ_LONG_EXAMPLES) IMPORT_FUZZ_CASES=$(IMPORT_FUZZ_LONG_CASES) \
		$(BIN)/python -m pytest tests/test_fuzz.py tests/importers/test_mutations.py $(PYTEST_ARGS)

.PHONY: bench
bench: $(RUNTIME_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

.PHONY: initdb
initdb: $(RUNTIME_STAMP)
	$(BIN)/opp-db $(CONFIG_FLAG) init

.PHONY: adduser
adduser: $(RUNTIME_STAMP)
	$(BIN)/opp-db $(CONFIG_FLAG) add-user

.PHONY: extension
extension:
	mkdir -p dist
	rm -f dist/oppmini-extension-$(EXTENSION_VERSION).zip
	cd extension && $(PYTHON) -m zipfile -c ../dist/oppmini-extension-$(EXTENSION_VERSION).zip $(EXTENSION_PARTS)

.PHONY: clean
clean:
	rm -rf $(VENV) .pytest_cache test-output *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
