#!/usr/bin/env bash
# script.ttl-hops: TTL 1 dies at R1, TTL 2 at R2 (ICMP time exceeded from
# each), TTL 3 reaches B and the echo comes back; every link is captured.
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$(dirname "$0")/common.sh"
run_script ttl-hops --ttls "1 2 3"

for link in link1-A-R1 link2-R1-R2 link3-R2-B; do
    [[ -s $OUT/$link.pcap ]] || fail "no capture of $link"
done
expect_order "$OUT/ladder.txt" '-- client-ttl1 --' '<-ICMP time exceeded-+\|.*from R1 \(10\.0\.1\.2\)' \
    '-- client-ttl2 --' 'from R2 \(10\.0\.2\.2\)' \
    '-- client-ttl3 --' 'delivered to B' 'the echo reaches A'
expect_order "$OUT/narration.txt" '\[client-ttl1\] time exceeded from 10\.0\.1\.2' \
    '\[client-ttl2\] time exceeded from 10\.0\.2\.2' '\[client-ttl3\] delivered with TTL 3'
# R1 answered TTL 1 on the first link; R2's answer crossed both links back.
tcpdump -nn -r "$OUT/link1-A-R1.pcap" icmp 2>/dev/null | grep -q '10.0.1.2 > 10.0.1.1: ICMP time exceeded' ||
    fail "no time exceeded from R1 on A-R1"
tcpdump -nn -r "$OUT/link2-R1-R2.pcap" icmp 2>/dev/null | grep -q '10.0.2.2 > 10.0.1.1: ICMP time exceeded' ||
    fail "no time exceeded from R2 on R1-R2"
echo "ok"
sed -n '/^ *time/,/^$/p' "$OUT/ladder.txt"
