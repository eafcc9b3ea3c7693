#!/usr/bin/env bash
# script.close-demo: the graceful close, captured: FIN and ACK segments in
# order (three or four, as delayed ACK decides), and the ladder shows them
# with the states each end entered; ladder.svg draws one arrow per segment. With --detail the snapshots are
# `ss -tanoi` (timers and TCP_INFO detail).
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
run_script close-demo --scenario graceful --server-arg --hold-ms --server-arg 50 --detail
expect_line "$OUT/snapshots.txt" '^\$ ss -tanoi$'
expect_line "$OUT/snapshots.txt" 'rto:[0-9]'

expect_line "$OUT/narration.txt" '\[client\] .*state=TIME_WAIT'
expect_line "$OUT/narration.txt" '\[server\] .*state=CLOSE_WAIT'
expect_order "$OUT/snapshots.txt" '^=== \[server\] before: close\(\)' 'CLOSE-WAIT' '^=== after both' 'TIME-WAIT'

# The capture itself (packets.txt: the script's `tcpdump -r` of
# capture.pcap): exactly two FINs, the client's first.
[[ -s $OUT/capture.pcap ]] || fail "no capture.pcap"
grep_lines "$OUT/packets.txt" 'Flags \[[^]]*F[^]]*\]'
fins=("${MATCHED[@]}")
((${#fins[@]} == 2)) || fail "want 2 FIN segments, got: $(printf '%s\n' "${fins[@]}")"
[[ ${fins[0]} == *'> 127.0.0.1.19001:'* ]] || fail "the client's FIN is not first: $(printf '%s\n' "${fins[@]}")"
read_lines "$OUT/packets.txt"
packets=${#FILE_LINES[@]}
expect_ladder_svg "$OUT"
((SVG_ARROWS == packets)) || fail "$packets packets captured, $SVG_ARROWS arrows in ladder.svg"
expect_line "$OUT/ladder.svg" '<g class="st ok" data-side="client">.*>TIME_WAIT</text>'

# The ladder from the first FIN on: FIN-->, [<--ACK], <--FIN, ACK-->.
read_lines "$OUT/ladder.txt"
rows=()
on=0
for l in "${FILE_LINES[@]}"; do
    [[ $l == *'[FIN'* ]] && on=1
    if ((on)) && [[ $l == *'--['* || $l == *']--'* ]]; then rows+=("$l"); fi
done
close_rows=$(printf '%s\n' "${rows[@]}")
n=${#rows[@]}
[[ $n -eq 3 || $n -eq 4 ]] || fail "want 3 or 4 segments in the close, got $n: $close_rows"
re='FIN_WAIT1.*--\[FIN,ACK .*\]-+->.*CLOSE_WAIT'
[[ ${rows[0]} =~ $re ]] || fail "row 1: ${rows[0]}"
re='--\[ACK .*\]-+->.*CLOSE'
[[ ${rows[n - 1]} =~ $re ]] || fail "last row: ${rows[n - 1]}"
re='<-+\[FIN,ACK .*LAST_ACK'
server_fin=0
for ((i = 1; i < n - 1; i++)); do
    [[ ${rows[i]} =~ $re ]] && server_fin=1
done
((server_fin)) || fail "no FIN from the server with LAST_ACK: $close_rows"
[[ $close_rows == *TIME_WAIT* ]] || fail "the ladder shows no TIME_WAIT: $close_rows"
if [[ $n -eq 4 ]]; then
    re='FIN_WAIT2.*<-+\[ACK '
    [[ ${rows[1]} =~ $re ]] || fail "row 2 of 4: ${rows[1]}"
fi
echo "ok: $n segments in the close"
echo "$close_rows"
# The story is finished after the last segment: the client's TIME_WAIT ends
# by its 60 s timer (the one its narration read), the server's LAST_ACK
# ended with the ACK of its FIN.
expect_order "$OUT/ladder.txt" '^  After the last segment' \
    '^  client  TIME_WAIT -> CLOSED when its timer runs out: a fixed 60 s .*[0-9.]+ s left at' \
    '^  server  LAST_ACK -> CLOSED at [0-9.]+, when the ACK of its FIN arrived'
