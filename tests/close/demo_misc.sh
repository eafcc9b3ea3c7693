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
