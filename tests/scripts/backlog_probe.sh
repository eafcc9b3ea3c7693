#!/usr/bin/env bash
# script.backlog-probe: fill a backlog of 2 with 5 connections: backlog+1 = 3
# handshakes complete, the other SYNs stay unanswered (dropped, no RST), and
# the snapshots carry ss -lnt and nstat: by default only the lines that
# answer the question (the listener's Recv-Q 3 / Send-Q 2, the queues'
# counters), no per-connection detail.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
run_script backlog-probe --scenario fill --server-arg --backlog --server-arg 2 \
    --client-arg --connections --client-arg 5

# The capture (packets.txt: the script's `tcpdump -r` of capture.pcap).
[[ -s $OUT/capture.pcap ]] || fail "no capture.pcap"
grep_lines "$OUT/packets.txt" 'Flags \[S\]' # SYN alone
syns=${#MATCHED[@]}
grep_lines "$OUT/packets.txt" 'Flags \[[^]]*S[^]]*\.[^]]*\]' # SYN and ACK
synacks=${#MATCHED[@]}
grep_lines "$OUT/packets.txt" ' IP6? [^ ]+\.19004 > [^ ]+: Flags \[[^]]*R' # RST from the server port
resets_from_server=${#MATCHED[@]}
[[ $synacks -eq 3 ]] || fail "want 3 SYN-ACKs (backlog 2 + 1), got $synacks"
((syns > synacks)) || fail "want SYNs left unanswered: $syns SYNs, $synacks SYN-ACKs"
[[ $resets_from_server -eq 0 ]] || fail "the server sent $resets_from_server RSTs"
expect_line "$OUT/ladder.txt" '^  SYNs never answered, however often sent: [1-9]'
expect_line "$OUT/ladder.txt" 'SYN seq=0 .*\(dropped: never answered\)$'
expect_line "$OUT/snapshots.txt" '^\$ ss -lnt'
expect_line "$OUT/snapshots.txt" '^\$ nstat'
expect_line "$OUT/snapshots.txt" '^  LISTEN +3 +2 +127\.0\.0\.1:19004 '
expect_line "$OUT/snapshots.txt" '^  TcpExtListenOverflows +[1-9]'
grep_lines "$OUT/snapshots.txt" 'bbr|pacing_rate|rto:|SYN-SENT|ESTAB|TcpInSegs|IpInReceives'
((${#MATCHED[@]} == 0)) || fail "the snapshots show detail by default: ${MATCHED[0]}"
read_lines "$OUT/snapshots.txt"
((${#FILE_LINES[@]} <= 45)) || fail "the snapshots take ${#FILE_LINES[@]} lines, want at most 45"
expect_line "$OUT/narration.txt" '\[client\] .*state=SYN_SENT'
read_lines "$OUT/packets.txt"
packets=${#FILE_LINES[@]}
expect_ladder_svg "$OUT"
((SVG_ARROWS == packets)) || fail "$packets packets captured, $SVG_ARROWS arrows in ladder.svg"
grep_lines "$OUT/ladder.svg" 'marker-end="url\(#sl-ladder-h-lost\)"'
((${#MATCHED[@]} >= syns - synacks)) || fail "ladder.svg crosses ${#MATCHED[@]} SYNs, want at least $((syns - synacks))"
echo "ok: $syns SYNs, $synacks SYN-ACKs"
grep_lines "$OUT/ladder.txt" 'dropped'
printf '%s\n' "${MATCHED[@]}"
