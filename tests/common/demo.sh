# shellcheck shell=bash
# demo.sh: helpers for the end-to-end demo tests (source it from bash).
# Each test runs inside its own network namespace (socklab-netns-run), so
# fixed ports are free and nothing leaks between tests.
set -euo pipefail

BIN="${SOCKLAB_BIN:?SOCKLAB_BIN must name the folder of the built programs}"
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
    if [[ ${KEEP_WORK:-0} == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*"
    for f in "$WORK"/*.out "$WORK"/*.err; do
        [[ -s $f ]] && { echo "--- $(basename "$f")"; cat "$f"; }
    done
    exit 1
}

# wait_for_line FILE REGEX [TIMEOUT_S]: bounded poll until FILE has a matching line.
wait_for_line() {
    local file=$1 regex=$2 limit=${3:-3} i
    for ((i = 0; i < limit * 200; i++)); do
        grep -Eq -- "$regex" "$file" 2>/dev/null && return 0
        sleep 0.005
    done
    fail "no line matching /$regex/ in $(basename "$file") after ${limit}s"
}

# start_server NAME ARGS...: start $BIN/NAME in the background (stdout to
# server.out) and wait for its "listening on ADDR" line; sets SERVER_PID and SERVER_PORT.
start_server() {
    local name=$1
    shift
    timeout 10 "$BIN/$name" "$@" >"$WORK/server.out" 2>"$WORK/server.err" </dev/null &
    SERVER_PID=$!
    wait_for_line "$WORK/server.out" 'listening on '
    SERVER_PORT=$(sed -nE 's/.*listening on .*:([0-9]+).*/\1/p' "$WORK/server.out" | head -1)
    [[ -n $SERVER_PORT ]] || fail "server did not print its port"
}

# wait_server [EXPECTED_STATUS]: wait for the server and check its exit status.
wait_server() {
    local want=${1:-0} rc=0
    wait "$SERVER_PID" || rc=$?
    SERVER_PID=
    [[ $rc -eq $want ]] || fail "server exited $rc, want $want"
}

# run_client NAME EXPECTED_STATUS ARGS...: run $BIN/NAME to completion (client.out).
run_client() {
    local name=$1 want=$2 rc=0
    shift 2
    timeout 10 "$BIN/$name" "$@" >"$WORK/client.out" 2>"$WORK/client.err" </dev/null || rc=$?
    [[ $rc -eq $want ]] || fail "$name exited $rc, want $want"
}

# expect_line FILE REGEX: some line of FILE matches.
expect_line() {
    grep -Eq -- "$2" "$1" || fail "$(basename "$1") has no line matching /$2/"
}

# expect_no_line FILE REGEX: no line of FILE matches.
expect_no_line() {
    ! grep -Eq -- "$2" "$1" || fail "$(basename "$1") has a line matching /$2/"
}

# expect_order FILE REGEX...: the regexes match lines of FILE in this order.
expect_order() {
    local file=$1 line=0 regex n
    shift
    for regex in "$@"; do
        # The regex goes through the environment: awk -v would eat its backslashes.
        n=$(RE=$regex awk -v start="$line" 'NR > start && $0 ~ ENVIRON["RE"] { print NR; exit }' "$file")
        [[ -n $n ]] || fail "$(basename "$file"): no line matching /$regex/ after line $line"
        line=$n
    done
}
