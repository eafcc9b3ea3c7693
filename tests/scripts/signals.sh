#!/usr/bin/env bash
# script.signals: SIGTERM, SIGHUP and SIGINT sent to the PID of a running
# script (the one the user sees) stop the run (within a second on a real
# machine: the time is printed, not asserted, since an emulated one is several
# times slower; the bound is 10 s against the minute the run would last), with status
# 128 + the signal's number: no program of the run is left, the temporary
# folder (FIFOs) is gone, and the run folder holds a file INTERRUPTED that
# names the signal (listed in the marker, like every file the run wrote).
# The server holds CLOSE_WAIT for a minute, so the run would go on without
# the signal; it is sent once the server listens. The three runs go side by
# side, each in its own namespaces.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump is not installed"; exit 77; }
command -v unshare >/dev/null || { echo "SKIP: unshare is not installed"; exit 77; }
mkfifo "$WORK/pace"
exec {pace}<>"$WORK/pace"
rm "$WORK/pace"
mkdir "$WORK/tmp"

declare -A pid status=([TERM]=143 [HUP]=129 [INT]=130)
# Job control on: a background job then keeps SIGINT (bash would start it
# with SIGINT ignored), as a script started from a terminal does.
set -m
for sig in TERM HUP INT; do
    TMPDIR=$WORK/tmp bash "$SCRIPTS/close-demo.sh" --out "$WORK/$sig" --quiet --run-timeout 600 \
        --server-arg --hold-ms --server-arg 60000 >"$WORK/$sig.stdout" 2>"$WORK/$sig.stderr" &
    pid[$sig]=$!
done
set +m

# wait_listening SIG: bounded wait (8 s) until that run's server listens.
wait_listening() {
    local i lines
    for ((i = 0; i < 800; i++)); do
        if [[ -f $WORK/$1/server.out ]]; then
            mapfile -t lines <"$WORK/$1/server.out"
            [[ ${lines[*]} == *"listening on "* ]] && return 0
        fi
        if ! kill -0 "${pid[$1]}" 2>/dev/null; then
            wait "${pid[$1]}" && rc=0 || rc=$?
            ((rc != 77)) || { echo "SKIP: the script cannot run here (exit 77)"; exit 77; }
            cat "$WORK/$1.stderr"
            fail "the $1 run ended (exit $rc) before its server listened"
        fi
        read -r -t 0.01 -u "$pace" _ || true
    done
    fail "the $1 run's server did not listen within 8 s"
}

declare -A t0
for sig in TERM HUP INT; do wait_listening "$sig"; done
for sig in TERM HUP INT; do
    t0[$sig]=${EPOCHREALTIME/./}
    kill -s "$sig" "${pid[$sig]}"
done
# Bounded wait (10 s) for each; a run still going is killed with its whole
# process group (job control gave each run one) and the test fails.
declare -A ms rcs
for sig in TERM HUP INT; do # (a later one may have ended earlier: its time is a bound)
    for ((i = 0; i < 1000; i++)); do
        kill -0 "${pid[$sig]}" 2>/dev/null || break
        read -r -t 0.01 -u "$pace" _ || true
    done
    if kill -0 "${pid[$sig]}" 2>/dev/null; then
        for s in TERM HUP INT; do kill -KILL -- "-${pid[$s]}" 2>/dev/null || true; done
        fail "SIG$sig did not stop the run within 10 s"
    fi
    rc=0
    wait "${pid[$sig]}" || rc=$?
    ms[$sig]=$(((${EPOCHREALTIME/./} - t0[$sig]) / 1000))
    rcs[$sig]=$rc
done
for sig in TERM HUP INT; do
    rc=${rcs[$sig]}
    dir=$WORK/$sig
    [[ $rc == "${status[$sig]}" ]] || fail "SIG$sig: exit $rc, want ${status[$sig]}"
    [[ -f $dir/INTERRUPTED ]] || fail "SIG$sig: no INTERRUPTED in the run folder"
    read -r line <"$dir/INTERRUPTED"
    [[ $line == *"SIG$sig"* ]] || fail "SIG$sig: INTERRUPTED does not name the signal: $line"
    expect_marker_lists_all "$dir"
    read_lines "$WORK/$sig.stderr"
    [[ ${FILE_LINES[*]} == *"stopped by SIG$sig"* ]] || fail "SIG$sig: stderr does not say so: ${FILE_LINES[*]}"
    # No process of the run is left: none holds the server's output open.
    for fd in /proc/[0-9]*/fd/[0-9]*; do
        if [[ $fd -ef $dir/server.out || $fd -ef $dir/client.out ]]; then
            fail "SIG$sig: process ${fd#/proc/} still holds the run's output"
        fi
    done
    echo "ok: SIG$sig stopped the run in ${ms[$sig]} ms, exit $rc: $line"
done
shopt -s nullglob dotglob
left=("$WORK/tmp"/*)
shopt -u nullglob dotglob
((${#left[@]} == 0)) || fail "temporary files left: ${left[*]##*/}"
