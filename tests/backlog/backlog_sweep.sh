#!/usr/bin/env bash
# backlog_sweep.sh timing|no-timing: measure the accept-queue capacity for
# backlogs 0 to 4096 (somaxconn), one server/client pair after another, and
# check that each holds backlog + 1. With "timing": the measurements add up to
# under 2 s, the 4096 fill takes under 1 s, and the client's peak memory stays
# under 16 MiB. Sixteen process starts are the only other cost: the loop forks
# nothing else (bash reads the outputs itself), so a loaded machine adds little.
# shellcheck source=SCRIPTDIR/../common/demo.sh
source "${SOCKLAB_TEST_COMMON:?}/demo.sh"

checks=${1:-timing}
fifo=$WORK/server.fifo
mkfifo "$fifo"
sum_ms=0
start=$EPOCHREALTIME
for b in 0 1 2 5 16 128 1024 4096; do
    "$BIN/backlog-server" --scenario fill --port 0 --backlog "$b" --quiet \
        --timeout 5000 >"$fifo" 2>"$WORK/server.err" </dev/null &
    SERVER_PID=$!
    exec {srv}<"$fifo"
    read -r -t 5 -u "$srv" first || fail "backlog-server printed nothing"
    [[ $first =~ listening\ on\ .*:([0-9]+) ]] || fail "no port in '$first'"
    port=${BASH_REMATCH[1]}
    rc=0
    "$BIN/backlog-client" --scenario fill --port "$port" --connections $((b + 4)) \
        --quiet >"$WORK/client.out" 2>"$WORK/client.err" </dev/null || rc=$?
    [[ $rc -eq 0 ]] || fail "backlog-client exited $rc for backlog $b"
    # The server ends once the client's connections are gone; its output ends too.
    while read -r -t 5 -u "$srv" _; do :; done
    exec {srv}<&-
    rc=0
    wait "$SERVER_PID" || rc=$?
    SERVER_PID=
    [[ $rc -eq 0 ]] || fail "backlog-server exited $rc for backlog $b"
    out=$(<"$WORK/client.out")
    want="summary: $((b + 1)) completed, 3 in SYN_SENT, 0 reset, 0 refused"
    [[ $out == *"$want"* ]] || fail "backlog $b: no '$want'"
    want="accept queue holds $((b + 1)) (ss's Recv-Q) with backlog $b (Send-Q): backlog + 1"
    [[ $out == *"$want"* ]] || fail "backlog $b: no '$want'"
    [[ $out =~ summary:\ ([^$'\n']*)\ in\ ([0-9]+)\ ms ]] || fail "no summary"
    summary=${BASH_REMATCH[1]} ms=${BASH_REMATCH[2]}
    [[ $out =~ VmHWM=([0-9]+)\ kB ]] || fail "no VmHWM line"
    hwm=${BASH_REMATCH[1]}
    sum_ms=$((sum_ms + ms))
    echo "backlog $b: $summary in $ms ms, client peak memory $hwm kB"
done
wall=$(((${EPOCHREALTIME/./} - ${start/./}) / 1000))
echo "capacity of 8 backlogs measured in $sum_ms ms (wall clock, with 16 process starts: $wall ms)"
echo "4096 fill: $ms ms, client peak memory $hwm kB"
if [[ $checks == timing ]]; then
    ((sum_ms < 2000)) || fail "the measurements took $sum_ms ms, want under 2000"
    ((ms < 1000)) || fail "the 4096 fill took $ms ms, want under 1000"
    ((hwm < 16384)) || fail "client peak memory $hwm kB, want under 16384"
fi
echo PASS
