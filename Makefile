# frontwire: `make run` sets everything up and serves the API; `make test` runs the suite.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

LOCK     := requirements.lock
DEV_LOCK := requirements-dev.lock

.PHONY: install lock smoke migrate seed run test test-fast test-postgres lint bench clean

install: $(VENV)/.installed

# The exact versions of the dev lock (hash-checked, nothing resolved), then frontwire itself
# editable without dependencies; pip check fails if pyproject.toml needs what the lock lacks.
$(VENV)/.installed: pyproject.toml $(LOCK) $(DEV_LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $@

# Regenerate both lock files from pyproject.toml with uv (in its own venv), resolved for Linux
# and CPython 3.11 (CI and the image) wherever it runs. Pins already in the files are kept unless
# `make lock UPGRADE=1`. The runtime lock is constrained by the dev lock, so the suite tests the
# versions a deploy installs.
UV_VERSION := 0.13.8
UV         := $(VENV)/lock-tool/bin/uv
LOCK_ARGS  := --quiet --generate-hashes --python-version 3.11 \
              --python-platform x86_64-unknown-linux-gnu $(if $(UPGRADE),--upgrade,)

$(UV):
	$(PYTHON) -m venv $(VENV)/lock-tool
	$(VENV)/lock-tool/bin/pip install --quiet uv==$(UV_VERSION)

lock: $(UV)
	UV_CUSTOM_COMPILE_COMMAND="make lock" $(UV) pip compile pyproject.toml --extra dev \
	    $(LOCK_ARGS) -o $(DEV_LOCK)
	UV_CUSTOM_COMPILE_COMMAND="make lock" $(UV) pip compile pyproject.toml -c $(DEV_LOCK) \
	    $(LOCK_ARGS) -o $(LOCK)

# The deploy path outside the dev venv: plain install from the runtime lock, migrate, serve,
# POST a text and an HTML article (what CI runs before the suite; about 3 min).
smoke:
	bash .ci/smoke.sh

migrate: install
	$(BIN)/frontwire db upgrade

seed: migrate
	$(BIN)/frontwire ingest seeds/

run: seed
	$(BIN)/frontwire serve --host $(HOST) --port $(PORT)

# The CLI without the venv on PATH: `make ingest PATHS="a.txt folder/"` stores articles in the
# configured database (FRONTWIRE_DATABASE_URL), `make evaluate` scores the dev set (GOLD=...
# ARTICLES=... for another), `make serve` serves without re-seeding (HOST, PORT as for run).
GOLD     ?= tests/fixtures/dev/gold
ARTICLES ?= tests/fixtures/dev/articles
.PHONY: ingest evaluate serve

ifneq ($(filter ingest,$(MAKECMDGOALS)),)
ifeq ($(strip $(PATHS)),)
$(error PATHS is empty: make ingest PATHS="article.txt folder/")
endif
endif

ingest: migrate
	$(BIN)/frontwire ingest $(PATHS)

evaluate: install
	$(BIN)/frontwire evaluate $(GOLD) $(ARTICLES)

serve: migrate
	$(BIN)/frontwire serve --host $(HOST) --port $(PORT)

# The suite runs on SQLite and, where PostgreSQL's binaries exist, on a throwaway cluster too.
test: install
	$(BIN)/ruff check app tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	bash -c 'if [ -z "$${FRONTWIRE_TEST_POSTGRES_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then source .ci/postgres.sh; fi; $(BIN)/pytest'

# The whole suite with a throwaway PostgreSQL cluster as well (what CI runs).
test-postgres: install
	bash -c 'source .ci/postgres.sh && $(MAKE) test'

lint: install
	$(BIN)/ruff check app tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# The suite without the slow tests (crash safety, benchmarks end to end): for a quick loop.
test-fast: install
	$(BIN)/pytest -m "not slow"

# Query benchmark (floor vs frontwire vs Datasette at 100k and 1M events), ingestion
# benchmark and extraction cost per KB (normal and hostile texts, 1 KB to 1 MB); results in
# bench/results.json and bench/RESULTS.md. `make bench QUICK=1`: 10k events, 1 s
# measurements, texts of 1 to 16 KB, results under bench/data/. Datasette gets its own venv so its
# pins never touch the app's, with uvicorn[standard] like the app (same uvloop + httptools
# server stack on both sides); wrk (apt-get install wrk) is used when present.
BENCH_VENV := bench/data/venv
BENCH_OUT  := $(if $(QUICK),--out bench/data/quick-results.json,)

$(BENCH_VENV)/bin/datasette:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet 'datasette>=0.65,<0.66' 'uvicorn[standard]'

bench: install $(BENCH_VENV)/bin/datasette
	@command -v wrk >/dev/null || echo "wrk not found: the Python load client is used instead"
	$(BIN)/python bench/run.py $(if $(QUICK),--quick,) $(BENCH_OUT)
	$(BIN)/python bench/ingest.py $(if $(QUICK),--articles 24,) $(BENCH_OUT)
	$(BIN)/python bench/extraction_cost.py $(if $(QUICK),--quick,) $(BENCH_OUT)

clean:
	rm -rf $(VENV) *.egg-info build .pytest_cache frontwire.db frontwire.db-wal frontwire.db-shm
