# Two commands: `make run` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PYBABEL := $(VENV)/bin/pybabel
HOST ?= 127.0.0.1
PORT ?= 5000
export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-postgresql setup catalogs extract update-catalogs check-catalogs migrate seed bench bandit clean

run: setup migrate seed
	$(FLASK) serve --host $(HOST) --port $(PORT)

PG_ADMIN_URL ?= postgresql://postgres@127.0.0.1:5432/test

# The whole suite on SQLite (browser tests included), then again on a throwaway PostgreSQL
# database. Outside CI a missing PostgreSQL server or Chromium skips those tests with the reason.
test: setup
	$(VENV)/bin/bandit -q -c pyproject.toml -r pro_app
	$(PY) -m pytest $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory test-postgresql

test-postgresql: setup
	@if [ "$$CI" = "true" ] || $(PY) -c "import psycopg; psycopg.connect('$(PG_ADMIN_URL)', connect_timeout=2).close()" 2>/dev/null; then \
	  echo "== the suite again on PostgreSQL =="; \
	  PRO_APP_TEST_DB=postgresql $(PY) -m pytest -m "not browser" $(PYTEST_ARGS); \
	else \
	  echo "PostgreSQL pass skipped: no server at 127.0.0.1:5432 (CI runs it)"; \
	fi

setup: $(VENV)/.installed catalogs

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

catalogs: $(VENV)/.installed
	$(PYBABEL) compile --directory translations --statistics 2>&1 | sed 's/^/  /'

# Regenerate the template and merge it into the catalogs (then translate the new entries).
extract: $(VENV)/.installed
	$(PYBABEL) extract --mapping babel.cfg --keywords _l --add-comments Translators: \
	  --no-location --omit-header --sort-output --output translations/messages.pot pro_app

update-catalogs: extract
	$(PYBABEL) update --input-file translations/messages.pot --output-dir translations \
	  --no-fuzzy-matching --ignore-obsolete --width 100

migrate: setup
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) demo seed

# Each benchmark prints its own figures: `make bench-scoring`, `bench-dispatch`, `bench-export`,
# `bench-patient-load` (the last three need the PostgreSQL server).
bench: bench-scoring bench-dispatch bench-export bench-patient-load

bench-%: setup
	$(PY) bench/$(subst -,_,$*).py

bandit: setup
	$(VENV)/bin/bandit -q -c pyproject.toml -r pro_app

clean:
	rm -rf $(VENV) instance translations/*/LC_MESSAGES/*.mo
