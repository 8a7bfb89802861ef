# The same targets run on a developer's machine and in CI (.ci/run).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test install dev web messages lint typecheck pytest pytest-sqlite pytest-postgres bench openapi clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The pages' JavaScript and CSS (htmx, Leaflet, ECharts) come from the npm registry at build time.
WEB_VENDOR = src/cityloop/web/static/vendor/.built
$(WEB_VENDOR): web/package.json web/package-lock.json web/build.mjs
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	touch $@

web: $(WEB_VENDOR)

## messages: extract the phrases marked in the templates and merge them into the English catalogue
messages: dev
	@mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -o var/messages.pot .
	$(BIN)/pybabel update -i var/messages.pot -d src/cityloop/web/locale -l en --no-fuzzy-matching

$(VENV)/.installed: pyproject.toml $(WEB_VENDOR) | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(WEB_VENDOR) | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

## demo: install, migrate, build the demo city 330100 and serve it at http://$(HOST):$(PORT), while the
## simulator lives the city at DEMO_SPEED× real time in the background (log in var/simulate.log)
DEMO_SPEED ?= 60
demo: install
	$(BIN)/cityloop init
	$(BIN)/cityloop city create-demo --code 330100
	@mkdir -p var
	$(BIN)/cityloop simulate --city 330100 --days 30 --realtime $(DEMO_SPEED) --json > var/simulate.log 2>&1 & SIM=$$!; \
	trap 'kill $$SIM 2>/dev/null' EXIT INT TERM; \
	$(BIN)/cityloop serve --host $(HOST) --port $(PORT)

## test: lint, type check, then the whole suite on SQLite and on a throwaway PostgreSQL
test: dev lint typecheck pytest

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: dev
	$(BIN)/mypy

pytest: pytest-sqlite pytest-postgres

pytest-sqlite: dev
	$(BIN)/pytest

pytest-postgres: dev
	@scripts/with-postgres $(BIN)/pytest; status=$$?; \
	if [ $$status -eq 77 ]; then echo "PostgreSQL not found: the suite ran on SQLite only"; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

## openapi: rewrite docs/openapi.json after changing the API (a test checks it matches the app)
openapi: install
	$(BIN)/cityloop openapi > docs/openapi.json

bench: dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
