# Voorkom: two commands on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CHROMIUM := /usr/bin/chromium
export VOORKOM_DEV ?= 1

.PHONY: run test lint bench install node clean worker migrate seed

$(STAMP): pyproject.toml
	@# WeasyPrint (the yearly report's PDF) renders with Pango and subsets fonts with HarfBuzz;
	@# fonts for the report and charts
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 \
	  || ! ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset; then \
	  (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	    libharfbuzz-subset0 fonts-dejavu-core) >/dev/null 2>&1 \
	  || echo "Pango could not be installed: the PDF report will not render"; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if [ -f package.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi
	@mkdir -p node_modules && touch $(NODE_STAMP)

node: $(NODE_STAMP)

migrate: install
	$(BIN)/voorkom db upgrade

run: install node
	VOORKOM_DEMO=1 $(BIN)/voorkom db upgrade
	VOORKOM_DEMO=1 $(BIN)/voorkom seed-demo
	VOORKOM_DEMO=1 $(BIN)/voorkom run --host 127.0.0.1 --port 5000

worker: install
	$(BIN)/voorkom worker

lint: install
	$(BIN)/ruff check app tests
	$(BIN)/ruff format --check app tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/voorkom lint processes/bpmn

test: install node lint
	@if [ ! -x $(CHROMIUM) ]; then \
	  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || echo "chromium could not be installed: browser tests will fail"; \
	fi
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/voorkom bench
	$(BIN)/voorkom bench-metrics

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
