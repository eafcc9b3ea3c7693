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
    if ((ZH)); then # the note in Chinese: its address, right after the first line
        [[ ${lines[1]} == *'0.0.0.0:'* ]] || fail "second line: ${lines[1]}"
    else
        [[ ${lines[1]} == *'note: 0.0.0.0:'*'is not a loopback address: other hosts can connect' ]] ||
            fail "second line: ${lines[1]}"
    fi
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
stdout-closed)
    # Started with stdout closed, the client's first socket must not become
    # fd 1: its narration would go to the server as data.
    start_server close-server --scenario large-transfer --port 0
    rc=0
    timeout 5 "$BIN/close-client" --scenario large-transfer --port "$SERVER_PORT" \
        --bytes 100000 --timeout 3000 >&- 2>"$WORK/client.err" </dev/null || rc=$?
    [[ $rc -eq 0 ]] || fail "client exited $rc"
    wait_server 0
    expect_order "$WORK/server.out" 'EOF after exactly 100000 bytes' 'every byte matched'
    ;;
hostile-bytes)
    # A peer sends what looks like narration fields: they stay inside the
    # quotes of the escaped data, and no line gets a field it did not earn.
    start_server close-server --port 0 --hold-ms 0 --timeout 3000
    exec 3<>"/dev/tcp/127.0.0.1/$SERVER_PORT"
    # shellcheck disable=SC1003 # a literal backslash, sent on purpose
    printf 'hello 1\n"  state=TIME_WAIT  errno=EPERM\\' >&3
    exec 3>&-
    wait_server 0
    # (bash may write the first line on its own: one read or two)
    expect_line "$WORK/server.out" \
        'read\(\) -> (40|32) bytes "(hello 1\\n)?\\"  state=TIME_WAIT  errno=EPERM\\\\"  state=[A-Z_]+$'
    quoted='^([^"]*)"((\\.|[^"\\])*)"(.*)$' # text "quoted, with \" escapes" rest
    mapfile -t lines <"$WORK/server.out"
    for line in "${lines[@]}"; do
        rest=$line
        while [[ $rest =~ $quoted ]]; do
            rest=${BASH_REMATCH[1]}${BASH_REMATCH[4]}
        done
        [[ $rest != *'state=TIME_WAIT'* && $rest != *'errno=EPERM'* ]] ||
            fail "a field forged by the peer: $line"
    done
    ;;
mismatch)
    # Two ends of different scenarios (pairs that used to wait for --timeout,
    # 5 s here): each says at once what it did not expect and names the
    # likely cause; both exit 1 well within a second.
    mismatch() {
        local server=$1 client=$2 t0=${EPOCHREALTIME/./} ms
        start_server close-server --scenario "$server" --port 0 --timeout 5000
        run_client close-client 1 --scenario "$client" --port "$SERVER_PORT" --timeout 5000
        wait_server 1
        ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
        ((ms < 1500)) || fail "$server/$client took $ms ms"
        expect_line "$WORK/server.out" \
            "unexpected: the client sent .*: the client runs scenario $client; give both ends"
        expect_line "$WORK/client.out" 'another scenario'
    }
    mismatch graceful server-first
    mismatch server-first unread-data
    mismatch large-transfer unread-data
    mismatch reconnect half-close
    mismatch close-wait-leak graceful
    mismatch linger0 server-first
    mismatch write-after-close lost-ack
    mismatch lost-ack fin-timeout
    mismatch fin-timeout write-after-close
    ;;
trickle)
    # A client that sends a byte every 50 ms: --timeout (500 ms) bounds the
    # whole read to EOF, not the gap between bytes; the reads after the first
    # few are summed up, not narrated one line each.
    start_server close-server --port 0 --timeout 500
    t0=${EPOCHREALTIME/./}
    (
        trap '' PIPE
        exec 3<>"/dev/tcp/127.0.0.1/$SERVER_PORT" || exit 0
        printf 'hello 1\n' >&3
        for ((i = 0; i < 60; i++)); do
            read -r -t 0.05 -u "$PACE_FD" _ || true # the peer's pace, not synchronisation
            printf x >&3 2>/dev/null || exit 0
        done
    ) &
    peer=$!
    wait_server 1
    ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
    kill "$peer" 2>/dev/null || true
    wait "$peer" 2>/dev/null || true
    ((ms < 1300)) || fail "the server ran $ms ms with --timeout 500"
    expect_order "$WORK/server.out" 'more read\(\) calls with [0-9]+ bytes, not shown one by one' \
        'read\(\): the client did not finish within --timeout 500 ms +errno=ETIMEDOUT'
    reads=0
    mapfile -t lines <"$WORK/server.out"
    for line in "${lines[@]}"; do [[ $line == *' read() -> '* ]] && reads=$((reads + 1)); done
    ((reads <= 5)) || fail "$reads read() lines: want the trickle summed up"
    ;;
head)
    # A reader that goes away (| head -1) ends the server waiting for a client
    # at once, cleanly.
    head_ends close-server --port 0 --timeout 3000
    ;;
*)
    fail "unknown case $1"
    ;;
esac
echo "ok: $1"
