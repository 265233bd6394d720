# Azad: `make run` sets up and serves the demo; `make test` sets up and checks everything.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first Python >= 3.12 on this machine (pyenv shims may refuse; try real paths too).
PYTHON ?= $(shell for p in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 /usr/bin/python3.13 /usr/bin/python3.12 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint types migrations-check pytest messages messages-update clean bench bench-load demo

$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	$(BIN)/python manage.py compilemessages -l az -l en -l ru --ignore=.venv --ignore=staticfiles >/dev/null

messages-update: $(STAMP)
	$(BIN)/python manage.py makemessages -l az -l en -l ru --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=var

demo: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_demo

run: demo
	AZAD_DEBUG=1 AZAD_PASSKEY_REQUIRED_ROLES="$${AZAD_PASSKEY_REQUIRED_ROLES-}" $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy azad

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

pytest: setup
	$(BIN)/python -m pytest -q

test: setup lint types migrations-check pytest

bench: setup
	$(BIN)/python -m pip install --quiet -r requirements/bench.txt
	$(BIN)/python bench/run.py

# Load benchmarks (locust, gunicorn, PostgreSQL database azad_bench by default): see bench/README.md.
bench-load: setup
	$(BIN)/python -m pip install --quiet -r requirements/bench.txt
	$(BIN)/python bench/load/run.py $(BENCH_LOAD_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
