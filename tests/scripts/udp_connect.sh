#!/usr/bin/env bash
# script.udp-connect: a connected UDP socket aimed at a closed port: the
# capture holds the ICMP port unreachable, the ladder (and ladder.svg) draws
# it, and the client narrates ECONNREFUSED.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
run_script udp-connect --scenario refused-connected

expect_line "$OUT/packets.txt" 'ICMP 127\.0\.0\.1 udp port [0-9]+ unreachable'
expect_order "$OUT/ladder.txt" '--\[UDP len=[0-9]+\]-+->' '<-+\[ICMP .*udp port [0-9]+ unreachable\]--'
expect_line "$OUT/narration.txt" '\[client\] .*errno=ECONNREFUSED'
expect_ladder_svg "$OUT"
((SVG_ARROWS == 2)) || fail "want 2 arrows (a datagram, an ICMP error) in ladder.svg, got $SVG_ARROWS"
expect_line "$OUT/ladder.svg" '<line class="arrow icmp icmp" '
echo "ok"
grep_lines "$OUT/ladder.txt" 'UDP|ICMP'
printf '%s\n' "${MATCHED[@]}"
