# e-Kinerja — `make run` to start, `make test` to check. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then command -v $$p; break; fi; done)
STAMP := $(VENV)/.installed

.PHONY: install run migrate demo test test-fast lint bench loadtest clean e2e

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11+ tidak ditemukan"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(VENV)/bin/ekinerja migrate

demo: migrate
	$(VENV)/bin/ekinerja demo-data --if-empty

run: demo
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy services domain db

# The non-browser tests run on two workers (each with its own SQLite file and PostgreSQL database); then the
# browser tests, one test file per worker, each worker with its own Streamlit server and demo database, with mypy
# beside them. Measured on two idle cores: 227 s, then 235 s. Running both at once took longer (521 s in all):
# both use the two cores fully, and the browser's processes run at a higher priority.
WORKERS ?= 2
E2E_WORKERS ?= 3
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -m "not e2e" -n $(WORKERS)
	@log=$$(mktemp); $(VENV)/bin/mypy services domain db >"$$log" 2>&1 & mypy=$$!; \
	$(VENV)/bin/pytest -m e2e -n $(E2E_WORKERS) --dist loadfile; e2e=$$?; \
	wait $$mypy; m=$$?; echo "mypy services domain db:"; cat "$$log"; rm -f "$$log"; \
	exit $$(( e2e != 0 || m != 0 ))

test-fast: install
	$(VENV)/bin/pytest -m "not e2e" -x

e2e: install
	$(VENV)/bin/pytest -m e2e -n $(E2E_WORKERS) --dist loadfile

# Two scales (office, generated ministry): EKINERJA_BENCH_DATABASE_URL=postgresql://... for PostgreSQL (else SQLite),
# EKINERJA_BENCH_PEGAWAI=1000 for a smaller generated organisation, EKINERJA_BENCH_REUSE=1 to keep generated data.
bench: install
	$(PY) -m bench.run

# Not part of `make test`: simulated users against 1 process and 2 behind nginx (needs PostgreSQL filled by
# `ekinerja bench-data` in EKINERJA_LOADTEST_DATABASE_URL or EKINERJA_BENCH_DATABASE_URL, and nginx).
loadtest: install
	$(PY) -m bench.loadtest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
