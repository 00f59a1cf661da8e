# SPDX-License-Identifier: EUPL-1.2
# Two commands for a fresh machine: `make run` and `make test`. Everything they need is set up here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint typecheck pytest test-pg test-browser assets messages compilemessages bench clean

$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --require-hashes -r requirements/base.txt -r requirements/dev.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: browser accessibility tests need axe-core from npm (CSS is prebuilt)"; fi

compilemessages: $(STAMP)
	$(BIN)/python scripts/compile_messages.py

## install: virtual environment, locked dependencies, compiled translations (+ axe-core when npm exists)
install: $(STAMP) compilemessages
	-@$(MAKE) --no-print-directory node_modules/.installed

## run: set up, migrate SQLite, load demo data, start the server on http://$(HOST):$(PORT)
run: install
	$(BIN)/vangnet manage migrate --no-input -v0
	$(BIN)/vangnet demo
	@echo ""
	@echo "Public site:  http://$(HOST):$(PORT)/"
	@echo "Staff login:  http://$(HOST):$(PORT)/staff/login"
	@echo ""
	@trap 'kill 0' EXIT; $(BIN)/vangnet worker & $(BIN)/vangnet serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy vangnet

pytest: install
	$(BIN)/pytest -q

## test: lint, types and the whole pytest suite (browser tests run when Chromium is present; CI requires them)
test: install lint typecheck pytest

## test-pg: the suite against PostgreSQL (DATABASE_URL must point at it)
test-pg: install
	$(BIN)/pytest -q -m "not browser"

assets:
	npm ci --no-audit --no-fund && bash scripts/build_assets.sh

messages: $(STAMP)
	cd vangnet && ../$(BIN)/django-admin makemessages -l nl -l en --no-obsolete --ignore 'tests/*' && ../$(BIN)/django-admin makemessages -d djangojs -l nl -l en --no-obsolete

bench: install
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/bench.txt

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .ruff_cache
