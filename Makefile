# Gongkai — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv/bin
GONGKAI_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2
# xdist hands each worker whole test files: a module's data built once for the module (the access
# matrices' demo world) is then built once per run, not once per worker that gets one of its tests.
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadfile
export PLAYWRIGHT_BROWSERS_PATH ?= 0

.PHONY: setup run test lint security typecheck architecture migrations-check test-sqlite test-postgres \
	test-browser test-browser-sqlite test-browser-postgres postgres-ready

setup:
	@./scripts/setup.sh

run: setup
	$(VENV)/gongkai migrate --no-input -v 0
	$(VENV)/gongkai demo
	@echo ""
	@echo "门户网站：http://127.0.0.1:$(PORT)/    工作台：http://127.0.0.1:$(PORT)/workbench/"
	$(VENV)/gongkai runserver 127.0.0.1:$(PORT)

lint: setup
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .

# bandit (configured in pyproject.toml) and pip-audit; exceptions are justified in docs/security.md.
# pip-audit prints a clear SKIPPED line when no vulnerability service is reachable.
security: setup
	$(VENV)/bandit -q -r gongkai config -c pyproject.toml
	$(VENV)/python scripts/pip_audit.py

typecheck: setup
	$(VENV)/mypy gongkai config

architecture: setup
	$(VENV)/lint-imports

migrations-check: setup
	GONGKAI_VAR_DIR=$$(mktemp -d) $(VENV)/gongkai makemigrations --check --dry-run

postgres-ready:
	@$(VENV)/python scripts/check_postgres.py "$(GONGKAI_TEST_POSTGRES_URL)"

test-sqlite: setup
	$(VENV)/pytest -q $(PYTEST_PARALLEL) -m "not browser"

test-postgres: setup postgres-ready
	GONGKAI_DATABASE_URL="$(GONGKAI_TEST_POSTGRES_URL)" $(VENV)/pytest -q $(PYTEST_PARALLEL) -m "not browser"

# The browser tests mostly wait (on Chromium, on the live server): one process keeps a core less
# than half busy. So each database's browser run goes beside another run: both at once here, and
# in `make test` beside that database's other tests. A browser run is one process, so on
# PostgreSQL its test database (test_<name>) is not one of the xdist workers' (test_<name>_gw0…).
test-browser-sqlite: setup
	$(VENV)/pytest -q -m browser

test-browser-postgres: setup postgres-ready
	GONGKAI_DATABASE_URL="$(GONGKAI_TEST_POSTGRES_URL)" $(VENV)/pytest -q -m browser

PARALLEL_MAKE := $(MAKE) --no-print-directory -j 2 --output-sync=target

test-browser: setup postgres-ready
	$(PARALLEL_MAKE) test-browser-sqlite test-browser-postgres

test: setup lint security typecheck architecture migrations-check postgres-ready
	$(PARALLEL_MAKE) test-sqlite test-browser-sqlite
	$(PARALLEL_MAKE) test-postgres test-browser-postgres
	@echo "make test: all checks passed (SQLite, PostgreSQL, browser)."
