#!/usr/bin/env bash
# backlog_sweep.sh: measure the accept-queue capacity for backlogs 0 to 4096
# (somaxconn), one server/client pair after another, check that each holds
# backlog + 1, and print what it cost (client time, wall clock, peak memory):
# those figures are a benchmark, read by people, never asserted (a shared
# machine is noisy). A backlog whose fill needs more open files than this
# account may have (`ulimit -Hn`, 4096 outside systemd; root may raise it) is
# left out, saying so. Sixteen process starts are the only other cost: the loop
# forks nothing else (bash reads the outputs itself).
# shellcheck source=SCRIPTDIR/../common/demo.sh
source "${SOCKLAB_TEST_COMMON:?}/demo.sh"

# It reads the client's English summary, words and all: no Chinese twin (the
# Chinese fill is zh.demo.backlog.fill.v4's).

# The client needs one fd per connection plus a few (SPARE_FDS in the client).
# backlog-client raises its own limits when it may (root may raise the hard
# one too); the subshell only asks whether it can.
hard=$(ulimit -Hn)
if [[ $hard != unlimited ]] && ( ulimit -Hn $((4096 + 4 + 16)) ) 2>/dev/null; then
    hard=unlimited
fi
fifo=$WORK/server.fifo
mkfifo "$fifo"
sum_ms=0
start=$EPOCHREALTIME
for b in 0 1 2 5 16 128 1024 4096; do
    if [[ $hard != unlimited ]] && ((b + 4 + 16 > hard)); then
        echo "backlog $b: left out, its fill needs $((b + 4 + 16)) open files and the hard limit is $hard (ulimit -Hn)"
        continue
    fi
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
    largest=$b
done
wall=$(((${EPOCHREALTIME/./} - ${start/./}) / 1000))
echo "capacity of 8 backlogs measured in $sum_ms ms (wall clock, with 16 process starts: $wall ms)"
echo "largest fill (backlog ${largest:?}): $ms ms, client peak memory $hwm kB"
echo PASS
