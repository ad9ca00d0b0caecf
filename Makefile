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

bench: install
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache frontwire.db frontwire.db-wal frontwire.db-shm
