# Oświata JST — the two commands a newcomer needs: `make run` and `make test`.
# Everything else here is a step those two use, or a tool for developers.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: help install run serve demo messages test test-fast bench audit lint check-translations extract-messages clean

help:
	@echo "make run    - install, migrate SQLite under var/, load Polish demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   - the whole test suite in two processes (SQLite + in-memory layer, or DATABASE_URL / REDIS_URL when set; TEST_WORKERS=0: one process)"
	@echo "make test-fast - unit, service and view tests only (no browser, multi-worker or matrix tier), --reuse-db"
	@echo "make bench  - benchmarks in tests/perf (not part of make test)"
	@echo "make audit  - pip-audit of the installed dependencies (needs PyPI's JSON API or OSV)"
	@echo "make lint   - ruff, import-linter contract, migrations and translation checks"

$(STAMP): pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# Compile locale/*/LC_MESSAGES/django.po into .mo with Babel (pure Python: no GNU gettext needed).
messages: install
	@$(BIN)/python scripts/i18n.py compile

demo: install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data

# The background worker (mail, digests, debates opening and closing on time) runs beside daphne and
# stops with it; its log is var/worker.log.
run: demo
	@$(BIN)/python manage.py demo_logins --url http://$(HOST):$(PORT)
	@echo "Background worker: manage.py db_worker (log: var/worker.log)"
	@$(BIN)/python manage.py db_worker --no-startup-delay >var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/daphne -b $(HOST) -p $(PORT) oswiata_site.asgi:application

serve: install messages
	$(BIN)/daphne -b $(HOST) -p $(PORT) oswiata_site.asgi:application

# Two worker processes (pytest-xdist), each with its own test database; the browser tests all run in one of them
# (loadgroup). TEST_WORKERS=0 runs the suite in a single process.
TEST_WORKERS ?= 2

test: install messages
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Daily work: unit, service and view tests, without the browser, multi-worker and matrix tiers; the test
# database is kept between runs (--reuse-db; add --create-db after a migration changes).
test-fast: install messages
	$(BIN)/python -m pytest -m "not e2e and not multiworker and not matrix" --reuse-db $(PYTEST_ARGS)

bench: install messages
	$(BIN)/python -m pip install --quiet -e ".[dev,prod]"
	$(BIN)/python -m pytest tests/perf -p no:randomly -s -o addopts="" $(PYTEST_ARGS)

# Known vulnerabilities in the installed dependencies (pip-audit, from a venv of its own under var/).
audit: install
	$(BIN)/python scripts/audit_dependencies.py

lint: install messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=oswiata_site.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=oswiata_site.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python scripts/i18n.py check

check-translations: install
	$(BIN)/python scripts/i18n.py check

# Developers only: needs GNU gettext's xgettext (apt-get install gettext).
extract-messages: install
	$(BIN)/python manage.py makemessages -l pl --no-wrap --no-location --ignore=.venv --ignore=var --ignore=tests

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache *.egg-info
