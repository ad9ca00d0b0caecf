# frontwire: `make run` sets everything up and serves the API; `make test` runs the suite.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install migrate seed run test test-postgres lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

migrate: install
	$(BIN)/frontwire db upgrade

seed: migrate
	$(BIN)/frontwire ingest seeds/

run: seed
	$(BIN)/frontwire serve --host $(HOST) --port $(PORT)

# The suite runs on SQLite and, where PostgreSQL's binaries exist, on a throwaway cluster too.
test: install
	$(BIN)/ruff check app tests bench
	bash -c 'if [ -z "$${FRONTWIRE_TEST_POSTGRES_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then source .ci/postgres.sh; fi; $(BIN)/pytest'

# The whole suite with a throwaway PostgreSQL cluster as well (what CI runs).
test-postgres: install
	bash -c 'source .ci/postgres.sh && $(MAKE) test'

lint: install
	$(BIN)/ruff check app tests bench

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
	rm -rf $(VENV) *.egg-info .pytest_cache frontwire.db frontwire.db-wal frontwire.db-shm
