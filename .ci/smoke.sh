#!/usr/bin/env bash
# Plain-install smoke test: the path a deploy takes, outside the dev venv.
#
# A fresh venv gets the runtime lock (requirements.lock, hash-checked) and then the package
# itself, non-editable and without extras, built from a copy of the work tree that is deleted
# before anything runs, so nothing can come from the source checkout. Then `frontwire db
# upgrade` on a temp SQLite file, `frontwire serve` on a free port with a write key, and
# .ci/smoke_requests.py POSTs a text/plain and a text/html article and reads their events back.
# Any failed step ends the script non-zero with "SMOKE TEST FAILED: <step>".
#
#     bash .ci/smoke.sh                          # what CI runs
#     SMOKE_SOURCE=/path/to/checkout bash .ci/smoke.sh
#     SMOKE_LOCK= bash .ci/smoke.sh              # no lock: plain `pip install .`, as a user would
set -Eeuo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SOURCE=$(cd "${SMOKE_SOURCE:-$HERE/..}" && pwd)
LOCK=${SMOKE_LOCK-$SOURCE/requirements.lock}
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/frontwire-smoke.XXXXXX")
VENV=$WORK/venv
SERVER_PID=
STEP=start
START=$SECONDS

step() { STEP=$*; printf '== smoke [%3ds] %s\n' $((SECONDS - START)) "$STEP"; }

fail() {
    printf '\nSMOKE TEST FAILED: %s\n' "$STEP" >&2
    if [ -s "$WORK/server.log" ]; then
        printf -- '--- last lines of the server log:\n' >&2
        tail -n 30 "$WORK/server.log" >&2
    fi
}

cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap fail ERR
trap cleanup EXIT

# The committed and untracked-but-not-ignored files, as a fresh clone would have them.
copy_source() {
    mkdir "$WORK/src"
    if git -C "$SOURCE" rev-parse --git-dir >/dev/null 2>&1; then
        (cd "$SOURCE" && git ls-files -z --cached --others --exclude-standard \
            | tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$WORK/src"
    else
        cp -a "$SOURCE/." "$WORK/src/"
    fi
}

# Plain settings only: nothing from the caller's environment or a .env file.
for name in $(compgen -e | grep '^FRONTWIRE_' || true); do unset "$name"; done
export FRONTWIRE_DATABASE_URL="sqlite:///$WORK/smoke.db"
export FRONTWIRE_CACHE_DIR="$WORK/cache"
export FRONTWIRE_API_KEY=smoke-key
export PIP_DISABLE_PIP_VERSION_CHECK=1

step "fresh venv ($($PYTHON --version 2>&1))"
$PYTHON -m venv "$VENV"
# A venv starts with the pip bundled with Python (23.2 here), which refuses hash-checked
# extras of a dependency (justext needs lxml[html_clean]); a current pip installs the lock.
"$VENV/bin/pip" install --quiet --upgrade "pip>=24.1"
copy_source

if [ -n "$LOCK" ]; then
    step "install the runtime lock ${LOCK#"$SOURCE"/} (hash-checked)"
    "$VENV/bin/pip" install --quiet --require-hashes -r "$LOCK"
    step "install the package: pip install --no-deps (not editable, no extras)"
    "$VENV/bin/pip" install --quiet --no-deps "$WORK/src"
else
    step "install the package: pip install . (no lock, not editable, no extras)"
    "$VENV/bin/pip" install --quiet "$WORK/src"
fi
rm -rf "$WORK/src"

step "pip check (every declared requirement installed)"
"$VENV/bin/pip" check

cd "$WORK"   # no checkout on sys.path: everything below runs from site-packages
step "installed as a plain package in site-packages"
"$VENV/bin/python" "$HERE/smoke_requests.py" check-install

step "frontwire db upgrade (temp SQLite)"
"$VENV/bin/frontwire" db upgrade

PORT=$("$VENV/bin/python" -c \
    'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "frontwire serve on 127.0.0.1:$PORT"
"$VENV/bin/frontwire" serve --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

step "POST text/plain and text/html articles, read their events back"
"$VENV/bin/python" "$HERE/smoke_requests.py" requests "http://127.0.0.1:$PORT" \
    --key "$FRONTWIRE_API_KEY" --server-pid "$SERVER_PID"

step "stop the server"
kill "$SERVER_PID"
wait "$SERVER_PID" || true
SERVER_PID=
printf 'smoke test passed in %ds\n' $((SECONDS - START))
