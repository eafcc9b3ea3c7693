#!/usr/bin/env bash
# script.tcp-peer: scripts/tcp-peer.sh runs tcp-peer and draws its capture.
#  - old-duplicate (IPv4): exit 0; the run folder holds capture.pcap, the
#    narration, the packet list and the ladder, every file in the marker;
#    the ladder has one arrow per segment of the capture (tcpdump -r counts
#    them), the peer on the left and the kernel's socket on the right, and
#    the old copy's arrow is marked as the copy of the first data segment,
#    from the connection before, while the narration reads its bytes;
#  - rst-into-time-wait --rfc1337 1 (IPv6): one arrow per segment again;
#    the kernel ignores the RST in TIME_WAIT and the ladder says so;
#  - ladder.svg: one arrow per segment too, the old copy's note under its
#    arrow;
#  - without tcpdump: said once, the narration and capture.pcap are kept,
#    no ladder (and no ladder.svg);
#  - SIGTERM during a run: exit 143, INTERRUPTED, no process left.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump is not installed"; exit 77; }
command -v unshare >/dev/null || { echo "SKIP: unshare is not installed"; exit 77; }

# run DIR ARGS...: scripts/tcp-peer.sh --out DIR --quiet ARGS; it must exit 0
# and print its report.
run() {
    local dir=$1 rc=0 f
    shift
    OUT=$dir # for fail's report
    timeout 20 bash "$SCRIPTS/tcp-peer.sh" --out "$dir" --quiet "$@" >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
    if ((rc == 77)); then
        read_lines "$WORK/stderr"
        echo "SKIP: ${FILE_LINES[*]: -1}"
        exit 77
    fi
    ((rc == 0)) || { cat "$WORK/stderr"; fail "tcp-peer.sh $* exited $rc"; }
    [[ -s $WORK/stderr ]] && fail "tcp-peer.sh $* said: $(<"$WORK/stderr")"
    for f in capture.pcap narration.txt packets.txt ladder.txt report.txt; do
        [[ -s $dir/$f ]] || fail "tcp-peer.sh $*: no $f in the run folder"
    done
    same_text "$WORK/stdout" "$dir/report.txt" || fail "stdout and report.txt differ"
    expect_marker_lists_all "$dir"
    expect_order "$dir/report.txt" '^== Narration' '^\[tcp-peer\] exit status 0$' '^== Packets' '^== Ladder' '^Files: '
}

# arrows DIR: the capture's segments (tcpdump -r, in SEGMENTS) and the
# ladder's arrows (in ARROWS) must be as many.
arrows() {
    local l
    mapfile -t SEGMENTS < <(tcpdump -nn -r "$1/capture.pcap" 2>/dev/null)
    ARROWS=()
    read_lines "$1/ladder.txt"
    for l in "${FILE_LINES[@]}"; do
        if [[ $l =~ --\[.*\]-*-\> || $l =~ \<-*-\[.*\]-- ]]; then ARROWS+=("$l"); fi
    done
    ((${#SEGMENTS[@]} > 0)) || fail "tcpdump read no segment from $1/capture.pcap"
    ((${#ARROWS[@]} == ${#SEGMENTS[@]})) ||
        fail "${#SEGMENTS[@]} segments in the capture, ${#ARROWS[@]} arrows in the ladder: $(printf '\n%s' "${ARROWS[@]}")"
    expect_ladder_svg "$1"
}

# old-duplicate: two connections on one 4-tuple, then the old copy.
run "$WORK/old" --scenario old-duplicate
arrows "$WORK/old"
n=${#ARROWS[@]}
expect_line "$WORK/old/ladder.txt" '^ +time +peer 192\.0\.2\.2 +server 192\.0\.2\.1:19005$'
grep_lines "$WORK/old/ladder.txt" '--\[PSH,ACK seq=1 ack=1 len=8\]-+->'
((${#MATCHED[@]} == 1)) || fail "want one first data segment (len=8) of the first connection: ${MATCHED[*]}"
first=${MATCHED[0]}
read -r first_t _ <<<"$first"
grep_lines "$WORK/old/ladder.txt" '--\[PSH,ACK seq=10 ack=[0-9]+ len=8\]-+->  \(old copy of the segment at ([0-9.]+), from the connection before\)$'
((${#MATCHED[@]} == 1)) || fail "no arrow for the old copy, marked as such"
[[ ${MATCHED[0]} == *"segment at $first_t, from"* ]] || fail "the old copy does not name the first data segment ($first_t): ${MATCHED[0]}"
# It comes after the second connection's SYN (and, on kernels that drop it
# for its old ack number, before the copy the peer sends again).
copy_i=-1 syn_i=-1
for ((i = 0; i < n; i++)); do
    [[ ${ARROWS[i]} == "${MATCHED[0]}" ]] && copy_i=$i
    [[ ${ARROWS[i]} == *'--[SYN seq=0 '* ]] && syn_i=$i
done
((copy_i > syn_i && syn_i > 0)) || fail "the old copy (arrow $copy_i) is not after the second SYN (arrow $syn_i)"
expect_line "$WORK/old/narration.txt" 'server +read\(\) -> 17 bytes "new data old data"'
expect_line "$WORK/old/narration.txt" 'peer +sends +\[P\.\] seq 10:18 '
# The kernel's states the narration reported are starred on its side.
expect_line "$WORK/old/ladder.txt" 'LAST_ACK\*$'
expect_line "$WORK/old/ladder.svg" 'class="note".*>\(old copy of the segment at [0-9.]+, from the connection before\)</text>'
expect_line "$WORK/old/ladder.svg" '<g class="head">.*>peer</text>.*>192\.0\.2\.2</text></g>'
# The copy's arrow is drawn apart from the others (and the legend says how).
grep_lines "$WORK/old/ladder.svg" '<line class="arrow seg c2s copy"'
((${#MATCHED[@]} >= 1 && ${#MATCHED[@]} <= 2)) || fail "${#MATCHED[@]} copy arrows in ladder.svg, want the old copy (and its resend)"
expect_line "$WORK/old/ladder.svg" '<title>tcp-peer --scenario old-duplicate</title>'
echo "ok: old-duplicate: $n segments, $n arrows (ladder.svg too); the old copy's:"
echo "${MATCHED[0]}"

# rst-into-time-wait with tcp_rfc1337=1, IPv6.
run "$WORK/rst" --scenario rst-into-time-wait --rfc1337 1 --ipv6
arrows "$WORK/rst"
expect_line "$WORK/rst/ladder.txt" '^ +time +peer 2001:db8::2 +server \[2001:db8::1\]:19005$'
expect_order "$WORK/rst/ladder.txt" 'TIME_WAIT\*$' '--\[RST seq=2 len=0\]-+->  \(server ignored it: it answers on, with no RST\)$' \
    '--\[FIN,ACK seq=1 ack=2 len=0\]-+->  \(a copy of the segment at [0-9.]+\)$' '<-+\[ACK seq=2 ack=2 len=0\]--'
# The picture's title names the options that change the story.
expect_line "$WORK/rst/ladder.svg" '<title>tcp-peer --scenario rst-into-time-wait --rfc1337 1 --ipv6</title>'
# report.html promises no socket table: tcp-peer's runs take no snapshots.
expect_line "$WORK/rst/report.html" '<h2>Narration, both sides by time</h2>'
echo "ok: rst-into-time-wait (IPv6): ${#ARROWS[@]} segments, ${#ARROWS[@]} arrows"

# Without tcpdump (a PATH of the commands a run uses, but tcpdump).
mkdir "$WORK/path"
for c in bash awk mktemp mkdir rm rmdir mkfifo stat true unshare ip ss; do
    p=$(type -P "$c") || fail "no $c"
    ln -s "$p" "$WORK/path/$c"
done
rc=0
PATH=$WORK/path bash "$SCRIPTS/tcp-peer.sh" --out "$WORK/bare" --quiet >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
OUT=$WORK/bare
((rc == 0)) || { cat "$WORK/stderr"; fail "without tcpdump: exit $rc"; }
read_lines "$WORK/stderr"
if ((${#FILE_LINES[@]} != 1)) || [[ ${FILE_LINES[0]} != *'tcpdump is not installed'* ]]; then
    fail "without tcpdump: want one line that says so, got: $(printf '\n  %s' "${FILE_LINES[@]}")"
fi
[[ -s $WORK/bare/capture.pcap && -s $WORK/bare/narration.txt ]] || fail "without tcpdump: no capture.pcap or narration"
[[ ! -e $WORK/bare/ladder.txt ]] || fail "without tcpdump: a ladder.txt"
[[ ! -e $WORK/bare/ladder.svg ]] || fail "without tcpdump: a ladder.svg"
expect_line "$WORK/bare/report.txt" '^== Packets and ladder: none \(tcpdump, which reads capture\.pcap, is not installed'
echo "ok: without tcpdump: said once, narration and capture kept, no ladder"

# SIGTERM while the kernel waits in LAST_ACK (--resends 4: 3 s of FINs).
mkdir "$WORK/tmp"
exec {pace}<> <(:)
set -m # the run gets its own process group, as from a terminal
TMPDIR=$WORK/tmp bash "$SCRIPTS/tcp-peer.sh" --out "$WORK/term" --scenario hold-last-ack --resends 4 \
    >"$WORK/stdout" 2>"$WORK/stderr" &
pid=$!
set +m
for ((i = 0; i < 500; i++)); do # bounded (5 s) wait for the held-back ACK
    lines=()
    [[ -f $WORK/term/narration.txt ]] && mapfile -t lines <"$WORK/term/narration.txt"
    [[ ${lines[*]} == *'holds back its ACK'* ]] && break
    kill -0 "$pid" 2>/dev/null || break
    read -r -t 0.01 -u "$pace" _ || true
done
if ((i == 500)) || ! kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null
    fail "the run did not reach LAST_ACK: $(<"$WORK/stderr")"
fi
t0=${EPOCHREALTIME/./}
kill -TERM "$pid"
for ((i = 0; i < 500; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    read -r -t 0.01 -u "$pace" _ || true
done
kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null; fail "SIGTERM did not stop the run within 5 s"; }
rc=0
wait "$pid" || rc=$?
ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
((rc == 143)) || fail "SIGTERM: exit $rc, want 143"
[[ -f $WORK/term/INTERRUPTED ]] || fail "SIGTERM: no INTERRUPTED"
expect_marker_lists_all "$WORK/term"
for fd in /proc/[0-9]*/fd/[0-9]*; do
    [[ $fd -ef $WORK/term/narration.txt ]] && fail "SIGTERM: process ${fd#/proc/} still holds the narration"
done
shopt -s nullglob dotglob
left=("$WORK/tmp"/*)
shopt -u nullglob dotglob
((${#left[@]} == 0)) || fail "SIGTERM: temporary files left: ${left[*]##*/}"
echo "ok: SIGTERM stopped the run in $ms ms (exit 143, INTERRUPTED, nothing left)"

# Nothing else was left beside the runs (their temporary folders went).
shopt -s nullglob dotglob
left=()
for f in "$WORK"/*; do
    case ${f##*/} in
    old | rst | bare | term | path | tmp | stdout | stderr) ;;
    *) left+=("${f##*/}") ;;
    esac
done
shopt -u nullglob dotglob
((${#left[@]} == 0)) || fail "left beside the runs: ${left[*]}"
