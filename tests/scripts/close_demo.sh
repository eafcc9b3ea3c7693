#!/usr/bin/env bash
# script.close-demo: the graceful close, captured: FIN and ACK segments in
# order (three or four, as delayed ACK decides), and the ladder shows them
# with the states each end entered.
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$(dirname "$0")/common.sh"
run_script close-demo --scenario graceful --server-arg --hold-ms --server-arg 50

expect_line "$OUT/narration.txt" '\[client\] .*state=TIME_WAIT'
expect_line "$OUT/narration.txt" '\[server\] .*state=CLOSE_WAIT'
expect_order "$OUT/snapshots.txt" '^=== \[server\] before: close\(\)' 'CLOSE-WAIT' '^=== after both' 'TIME-WAIT'

# The capture itself: exactly two FINs, the client's first.
fins=$(tcpdump -nn -r "$OUT/capture.pcap" 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null)
[[ $(grep -c . <<<"$fins") -eq 2 ]] || fail "want 2 FIN segments, got: $fins"
head -1 <<<"$fins" | grep -q '> 127.0.0.1.19001:' || fail "the client's FIN is not first: $fins"

# The ladder from the first FIN on: FIN-->, [<--ACK], <--FIN, ACK-->.
close_rows=$(awk '/\[FIN/ { on = 1 } on && /--\[|\]--/' "$OUT/ladder.txt")
n=$(grep -c . <<<"$close_rows")
[[ $n -eq 3 || $n -eq 4 ]] || fail "want 3 or 4 segments in the close, got $n: $close_rows"
row() { sed -n "$1p" <<<"$close_rows"; }
row 1 | grep -Eq 'FIN_WAIT1.*--\[FIN,ACK .*\]-+->.*CLOSE_WAIT' || fail "row 1: $(row 1)"
row "$n" | grep -Eq -- '--\[ACK .*\]-+->.*CLOSE' || fail "last row: $(row "$n")"
sed -n "2,$((n - 1))p" <<<"$close_rows" | grep -Eq '<-+\[FIN,ACK .*LAST_ACK' ||
    fail "no FIN from the server with LAST_ACK: $close_rows"
grep -q 'TIME_WAIT' <<<"$close_rows" || fail "the ladder shows no TIME_WAIT: $close_rows"
if [[ $n -eq 4 ]]; then
    row 2 | grep -Eq 'FIN_WAIT2.*<-+\[ACK ' || fail "row 2 of 4: $(row 2)"
fi
echo "ok: $n segments in the close"
echo "$close_rows"
