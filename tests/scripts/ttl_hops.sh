#!/usr/bin/env bash
# script.ttl-hops: TTL 1 dies at R1, TTL 2 at R2 (ICMP time exceeded from
# each), TTL 3 reaches B and the echo comes back; every link is captured.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
run_script ttl-hops --ttls "1 2 3"

for link in link1-A-R1 link2-R1-R2 link3-R2-B; do
    [[ -s $OUT/$link.pcap ]] || fail "no capture of $link"
done
expect_order "$OUT/ladder.txt" '-- client-ttl1 --' '<-ICMP time exceeded-+\|.*from R1 \(10\.0\.1\.2\)' \
    '-- client-ttl2 --' 'from R2 \(10\.0\.2\.2\)' \
    '-- client-ttl3 --' 'delivered to B' 'the echo reaches A'
expect_order "$OUT/narration.txt" '\[client-ttl1\] time exceeded from 10\.0\.1\.2' \
    '\[client-ttl2\] time exceeded from 10\.0\.2\.2' '\[client-ttl3\] delivered with TTL 3'
# R1 answered TTL 1 on the first link; R2's answer crossed both links back
# (packets.txt: the script's `tcpdump -r` of each link's pcap).
# has_packet LINK REGEX: some packet in LINK's part of packets.txt matches.
has_packet() {
    local l
    section_lines "$OUT/packets.txt" "-- $1"
    for l in "${MATCHED[@]}"; do [[ $l =~ $2 ]] && return 0; done
    return 1
}
has_packet A-R1 ' 10\.0\.1\.2 > 10\.0\.1\.1: ICMP time exceeded' || fail "no time exceeded from R1 on A-R1"
has_packet R1-R2 ' 10\.0\.2\.2 > 10\.0\.1\.1: ICMP time exceeded' || fail "no time exceeded from R2 on R1-R2"
echo "ok"
read_lines "$OUT/ladder.txt"
on=0
for l in "${FILE_LINES[@]}"; do # the ladder itself: from its title to the blank line
    [[ $l == time* || $l =~ ^\ +time ]] && on=1
    if ((on)); then printf '%s\n' "$l"; fi
    [[ -n $l ]] || on=0
done
