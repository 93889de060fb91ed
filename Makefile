# e-Kinerja — `make run` to start, `make test` to check. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then command -v $$p; break; fi; done)
STAMP := $(VENV)/.installed
# Python keeps the compiled form of the project's modules (and pytest its rewritten test modules) in __pycache__,
# as it does by default: a machine that sets PYTHONDONTWRITEBYTECODE would compile them anew in every process
# (each test worker, each Streamlit server of the browser tests): half of a worker's start-up.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install run migrate demo test test-fast lint bench loadtest clean e2e

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11+ tidak ditemukan"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# uv (from PyPI) installs the same packages in half of pip's time; pip when uv cannot be had. Compiled to
	@# bytecode at install: otherwise the first test run compiles every module it imports (a minute longer).
	@if $(PY) -m pip install -q --disable-pip-version-check uv==0.13.9 && $(VENV)/bin/uv --version >/dev/null; then \
		echo "uv pip install -e '.[dev]'"; $(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -e '.[dev]'; \
	else \
		echo "pip install -e '.[dev]'"; $(PY) -m pip install -q -e '.[dev]'; \
	fi
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

# The non-browser tests run on two workers (each with its own SQLite file and PostgreSQL database), while the
# browser tests' demo database is made beside them; then the browser tests, one test file per worker, each worker
# with its own Streamlit server and copy of that database, with mypy beside them. What runs beside runs at the
# lowest priority: it takes the moments a core would otherwise idle. Running the two test parts at once took
# longer: both keep the two cores busy.
WORKERS ?= 2
E2E_WORKERS ?= 4
# The browser test workers collect only tests/e2e, without the plugins only the other tests use, and take the
# files in the order tests/e2e/conftest.py gives (longest flows paired with the shortest files).
E2E_FLAGS := -p no:hypothesispytest -p no:faker --no-loadscope-reorder
test: install
	$(VENV)/bin/ruff check .
	@log=$$(mktemp); nice -n 19 $(PY) -m tests.e2e.conftest >"$$log" 2>&1 & demo=$$!; \
	$(VENV)/bin/pytest -m "not e2e" -n $(WORKERS); unit=$$?; \
	wait $$demo || cat "$$log"; rm -f "$$log"; exit $$unit
	@log=$$(mktemp); nice -n 19 $(VENV)/bin/mypy services domain db >"$$log" 2>&1 & mypy=$$!; \
	$(VENV)/bin/pytest -m e2e -n $(E2E_WORKERS) --dist loadfile $(E2E_FLAGS) tests/e2e; e2e=$$?; \
	wait $$mypy; m=$$?; echo "mypy services domain db:"; cat "$$log"; rm -f "$$log"; \
	exit $$(( e2e != 0 || m != 0 ))

test-fast: install
	$(VENV)/bin/pytest -m "not e2e" -x

e2e: install
	$(VENV)/bin/pytest -m e2e -n $(E2E_WORKERS) --dist loadfile $(E2E_FLAGS) tests/e2e

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
