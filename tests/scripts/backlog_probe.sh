#!/usr/bin/env bash
# script.backlog-probe: fill a backlog of 2 with 5 connections: backlog+1 = 3
# handshakes complete, the other SYNs stay unanswered (dropped, no RST), and
# the snapshots carry ss -lnt and nstat.
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$(dirname "$0")/common.sh"
run_script backlog-probe --scenario fill --server-arg --backlog --server-arg 2 \
    --client-arg --connections --client-arg 5

syns=$(tcpdump -nn -r "$OUT/capture.pcap" 'tcp[tcpflags] == tcp-syn' 2>/dev/null | grep -c .)
synacks=$(tcpdump -nn -r "$OUT/capture.pcap" 'tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)' 2>/dev/null | grep -c .) || synacks=0
resets_from_server=$(tcpdump -nn -r "$OUT/capture.pcap" 'src port 19004 and tcp[tcpflags] & tcp-rst != 0' 2>/dev/null | grep -c .) || resets_from_server=0
[[ $synacks -eq 3 ]] || fail "want 3 SYN-ACKs (backlog 2 + 1), got $synacks"
((syns > synacks)) || fail "want SYNs left unanswered: $syns SYNs, $synacks SYN-ACKs"
[[ $resets_from_server -eq 0 ]] || fail "the server sent $resets_from_server RSTs"
expect_line "$OUT/ladder.txt" '^  SYNs left unanswered: [1-9]'
expect_line "$OUT/ladder.txt" 'SYN seq=0 .*\(no SYN,ACK: unanswered\)'
expect_line "$OUT/snapshots.txt" '^\$ ss -lnt'
expect_line "$OUT/snapshots.txt" '^\$ nstat'
expect_line "$OUT/narration.txt" '\[client\] .*state=SYN_SENT'
echo "ok: $syns SYNs, $synacks SYN-ACKs"
grep 'unanswered' "$OUT/ladder.txt"
