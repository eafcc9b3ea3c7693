#!/usr/bin/env bash
# demo_misc.sh CASE: behaviours around the scenarios (no server, --quiet, --step).
# shellcheck source=SCRIPTDIR/../common/demo.sh
source "${SOCKLAB_TEST_COMMON:?}/demo.sh"

case $1 in
no-server)
    # Nothing listens: one narrated line naming ECONNREFUSED, exit 1, no hang.
    run_client close-client 1 --port 19001 --timeout 1000
    expect_line "$WORK/client.out" 'connect\(\) to 127\.0\.0\.1:19001 failed +errno=ECONNREFUSED'
    ;;
no-client)
    # A wildcard bind is announced right after the listening line (which stays
    # first), and a server nobody connects to says why it gives up: exit 1.
    rc=0
    timeout 5 "$BIN/close-server" --bind 0.0.0.0 --port 0 --timeout 100 \
        >"$WORK/server.out" 2>"$WORK/server.err" </dev/null || rc=$?
    [[ $rc -eq 1 ]] || fail "server exited $rc, want 1"
    mapfile -t lines <"$WORK/server.out"
    [[ ${lines[0]} =~ listening\ on\ 0\.0\.0\.0:[1-9][0-9]*\  ]] || fail "first line: ${lines[0]}"
    [[ ${lines[1]} == *'note: 0.0.0.0:'*'is not a loopback address: other hosts can connect' ]] ||
        fail "second line: ${lines[1]}"
    expect_line "$WORK/server.out" 'no client within 100 ms \(--timeout\); start close-client +errno=ETIMEDOUT'
    ;;
quiet)
    start_server close-server --port 0 --quiet --hold-ms 0
    run_client close-client 0 --port "$SERVER_PORT" --quiet
    wait_server 0
    expect_line "$WORK/client.out" 'state=TIME_WAIT'
    expect_no_line "$WORK/client.out" '^ {16}'
    # Each event line is a whole sentence: nothing that needs its explanation.
    expect_no_line "$WORK/client.out" '(,|;| so| from now on)$'
    expect_no_line "$WORK/server.out" '(,|;| so| from now on)$'
    expect_no_line "$WORK/server.out" '^ {16}'
    ;;
step)
    # --step waits for one line per state-changing call; feed them from a pipe.
    start_server close-server --port 0 --hold-ms 0
    rc=0
    printf '\n%.0s' {1..20} | timeout 5 "$BIN/close-client" --port "$SERVER_PORT" --step \
        >"$WORK/client.out" 2>&1 || rc=$?
    [[ $rc -eq 0 ]] || fail "client exited $rc"
    wait_server 0
    expect_order "$WORK/client.out" 'step: press Enter to connect\(\)' 'connected' \
        'step: press Enter to close\(\)' 'state=TIME_WAIT'
    ;;
*)
    fail "unknown case $1"
    ;;
esac
echo "ok: $1"
