# Polo: two commands for a newcomer. `make run` serves the site with demo data;
# `make test` runs lint and the whole suite. Everything is installed from the
# project's own files (pyproject.toml, uv.lock).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
POLO := $(BIN)/polo
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install run serve test lint format test-fast test-postgres test-browser bench bench-postgres \
        messages translations check-deploy clean browser-deps pdf-deps

help:
	@echo "make run     set up and serve Polo at http://$(HOST):$(PORT) with demo data"
	@echo "make test    lint and the whole suite (SQLite; PostgreSQL and browser tests when available)"
	@echo "make bench   benchmarks that print figures"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --inexact --quiet
	@touch $@

install: $(VENV)/.installed translations pdf-deps

# WeasyPrint subsets the PDFs' fonts with HarfBuzz when libharfbuzz-subset is
# present (a printed directory is written about a quarter faster), with fontTools
# otherwise: installed here when it can be, never required.
pdf-deps:
	@ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset.so.0 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    (apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || \
	     (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null)); } || true

# Compiled translations are built, never committed. msgfmt comes from gettext.
translations: | $(VENV)/.installed
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq gettext >/dev/null); } || \
	  { echo "gettext (msgfmt) is missing: apt-get install gettext"; exit 1; }
	@cd src/polo && DEBUG=1 ../../$(POLO) compilemessages --verbosity 0

run: install
	DEBUG=1 $(POLO) migrate --no-input --verbosity 0
	DEBUG=1 $(POLO) demo
	DEBUG=1 $(POLO) serve $(HOST):$(PORT)

serve: run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(POLO) makemigrations --check --dry-run --verbosity 0

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# This machine's environment sets PYTHONDONTWRITEBYTECODE, so every Python process
# (each xdist worker, the bench and CLI subprocesses the suite starts) compiled Django
# and Polo afresh, about two seconds each: the test targets keep bytecode under var/.
test test-fast test-browser lint: export PYTHONDONTWRITEBYTECODE :=
test test-fast test-browser lint: export PYTHONPYCACHEPREFIX := $(CURDIR)/var/pycache

# The suite on SQLite; on PostgreSQL too when TEST_DATABASE_URL is set or a local
# server answers; browser tests when Debian's chromium is present (installed here
# when it can be).
test: lint browser-deps
	env -u TEST_DATABASE_URL $(BIN)/pytest -n 2 -m "not browser" -q
	@if [ -n "$$TEST_DATABASE_URL" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  echo "== PostgreSQL =="; \
	  TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/polo} \
	    $(BIN)/pytest -n 2 -m "not browser" -q -p no:cacheprovider; \
	else echo "PostgreSQL not reachable: skipped its run (set TEST_DATABASE_URL to enable)."; fi
	@if [ -x /usr/bin/chromium ] || [ "$$POLO_REQUIRE_BROWSER" = 1 ]; then \
	  echo "== browser =="; env -u TEST_DATABASE_URL $(BIN)/pytest -m browser -q -p no:cacheprovider; \
	else echo "Chromium not installed: browser tests skipped (apt-get install chromium to enable)."; fi

test-fast: install
	$(BIN)/pytest -n 2 -m "not browser" -q -x

test-browser: install browser-deps
	$(BIN)/pytest -m browser -q

browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || true; \
	fi

bench: install
	$(BIN)/python -m bench

# The same benchmarks on PostgreSQL (a scratch database polo_bench is created and dropped).
bench-postgres: install
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/polo_bench} \
	  $(BIN)/python -m bench

check-deploy: install
	DEBUG=0 SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=polo.example.org $(POLO) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/static .pytest_cache
