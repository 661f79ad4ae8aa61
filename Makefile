# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-dev lint format migrate chromium axe messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(MAKE) --no-print-directory messages

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(MAKE) --no-print-directory messages

## The call flow's phrase catalogs (locale/*/LC_MESSAGES/django.po) compiled to .mo files (build
## output, not committed) with Babel, pure Python: no system gettext needed.
messages:
	$(BIN)/pybabel -q compile -d locale -D django

migrate: install
	$(BIN)/python manage.py migrate --noinput

## Set up the embedded default (SQLite, local files), load the demo enterprise and serve it.
demo: migrate
	$(BIN)/python manage.py load_demo --base-url http://$(HOST):$(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Install everything the tests need and run the whole suite.
test: install-dev chromium axe
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The console's browser tests drive Debian's Chromium (installed here when missing and root).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need /usr/bin/chromium: sudo apt-get install chromium"; \
	  fi; \
	fi

## axe-core (npm, pinned in package-lock.json): the browser tests inject it to check each console
## page for accessibility (WCAG 2.1 AA) at desktop and phone widths.
axe: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@command -v npm >/dev/null || { echo "The accessibility tests need npm (Debian: apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
