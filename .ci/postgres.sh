# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the test suite. Meant to be SOURCED (not executed):
#
#     source .ci/postgres.sh && make test
#
# It initdb's into a fresh temp dir, starts the server on 127.0.0.1 on a free port (socket in
# the same dir, so nothing touches /var/run/postgresql), waits until it accepts connections,
# exports FRONTWIRE_TEST_POSTGRES_URL and FRONTWIRE_REQUIRE_POSTGRES=1 (so the PostgreSQL
# half of the suite fails instead of skipping), and installs an EXIT trap that stops the
# server and removes the dir. As root the server runs as the `postgres` user (initdb refuses
# root); otherwise as the current user.

_fw_pg_bin() {
    # Newest installed major version first; PG_BIN overrides.
    if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    done
    dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)"
}

_fw_pg_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

_fw_pg_as() {
    # Run a command as the cluster's owner.
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_fw_pg_stop() {
    if [ -n "${FW_PG_DIR:-}" ] && [ -d "$FW_PG_DIR" ]; then
        _fw_pg_as "$FW_PG_BIN/pg_ctl" -D "$FW_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$FW_PG_DIR"
    fi
}

_fw_pg_start() {
    FW_PG_BIN="$(_fw_pg_bin)"
    if [ ! -x "$FW_PG_BIN/initdb" ]; then
        echo "postgres.sh: no initdb found (looked in /usr/lib/postgresql/*/bin and PATH)" >&2
        return 1
    fi
    FW_PG_DIR="$(mktemp -d /tmp/frontwire-pg.XXXXXX)"
    chmod 755 "$FW_PG_DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$FW_PG_DIR"; fi
    # Keep any EXIT trap the caller already set, and run ours after it.
    local previous
    previous="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
    trap "${previous:+$previous; }_fw_pg_stop" EXIT
    _fw_pg_as "$FW_PG_BIN/initdb" -D "$FW_PG_DIR/data" -A trust -U postgres -E UTF8 \
        --no-sync >"$FW_PG_DIR/initdb.log" 2>&1 || {
        cat "$FW_PG_DIR/initdb.log" >&2; return 1; }
    local port tries
    for tries in 1 2 3; do
        port="$(_fw_pg_free_port)"
        if _fw_pg_as "$FW_PG_BIN/pg_ctl" -D "$FW_PG_DIR/data" -l "$FW_PG_DIR/server.log" -w -t 30 \
            -o "-p $port -k $FW_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
            start >/dev/null; then
            break
        fi
        port=""
    done
    if [ -z "$port" ]; then cat "$FW_PG_DIR/server.log" >&2; return 1; fi
    for tries in $(seq 1 50); do
        "$FW_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && break
        sleep 0.2
    done
    "$FW_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" || {
        cat "$FW_PG_DIR/server.log" >&2; return 1; }
    export FW_PG_DIR FW_PG_BIN
    export FRONTWIRE_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    export FRONTWIRE_REQUIRE_POSTGRES=1
    echo "postgres.sh: $("$FW_PG_BIN/postgres" --version | awk '{print "PostgreSQL", $3}') on 127.0.0.1:$port ($FW_PG_DIR)"
}

_fw_pg_start
