#!/usr/bin/env bash
# backlog-probe.sh: the listen backlog in one terminal. Runs backlog-server
# and backlog-client in a private network namespace (so sysctls may change),
# steps them, snapshots `ss -lnt` and the queues' nstat counter deltas (with
# --detail `ss -tanoi` and every counter),
# captures lo with tcpdump and prints both sides' narration, the snapshots,
# the packets and a ladder diagram where the dropped SYNs and the requests
# the listener still holds after the client's final ACK are marked.
set -euo pipefail
sl_here=${BASH_SOURCE[0]%/*}
[[ $sl_here == "${BASH_SOURCE[0]}" ]] && sl_here=. # no fork for dirname
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
source "$sl_here/lib.sh"

usage() {
    sl_help "Usage: scripts/backlog-probe.sh [OPTION]...
Run backlog-server and backlog-client (default scenario fill) in a private
network namespace, stepping both with --step, and print:
  1. both sides' narration, merged by time and marked by side;
  2. snapshots of \`ss -lnt\` (Recv-Q = accept queue, Send-Q = backlog) and
     \`nstat\` (ListenOverflows/ListenDrops since the last one); with --detail
     also \`ss -tanoi\` (every connection) and every counter that moved;
  3. the packets tcpdump saw on lo;
  4. a ladder diagram: every connection's SYNs, the SYN-ACKs that came
     back, the SYNs the full queue dropped, and the final ACKs after which
     ss still saw the server's request in SYN-RECV.
Everything is kept in the run directory."
    printf '\n'
    sl_common_help
    printf '\n'
    sl_help "Examples:
  scripts/backlog-probe.sh
  scripts/backlog-probe.sh --server-arg --backlog --server-arg 2 --client-arg --connections --client-arg 5
  scripts/backlog-probe.sh --scenario drain"
}

sl_parse_common "$@"
if ((SL_HELP)); then
    usage
    exit 0
fi
SL_SCENARIO=${SL_SCENARIO:-fill}
sl_check_out
sl_find_bin backlog-server backlog-client
sl_check_programs backlog-server backlog-client
sl_port_arg 19004
sl_enter_netns "$@"

# nstat keeps its history in the run's temp dir (NSTAT_HISTORY, see lib.sh).
# (In Chinese: this script's own texts, looked up at once.)
sl_tr_load '$ nstat   (counters that moved since the previous snapshot)' \
    "\$ nstat TcpExtListenOverflows TcpExtListenDrops ...   (the queues' counters that moved since the previous snapshot)" \
    'after %lld ms: %ld completed, %ld waiting in state=SYN_SENT'
if ((SL_DETAIL)); then
    sl_snapshot_part '$ ss -lnt' trim ss -lnt
    sl_tr '$ nstat   (counters that moved since the previous snapshot)'
    sl_snapshot_part "$SL_TR" kernel nstat
else
    # What answers the question: the listener's line (Recv-Q = accept queue,
    # Send-Q = backlog) and the queue's counters; each connection's line and
    # every other counter with --detail.
    SL_SS_ARGS=(-lnt)
    sl_tr "\$ nstat TcpExtListenOverflows TcpExtListenDrops ...   (the queues' counters that moved since the previous snapshot)"
    sl_snapshot_part "$SL_TR" \
        kernel nstat TcpExtListenOverflows TcpExtListenDrops TcpExtTCPReqQFullDrop \
        TcpExtTCPReqQFullDoCookies TcpExtSyncookiesSent TcpExtTCPAbortOnData
fi
# The ladder learns from each snapshot which requests the listener still
# holds in SYN-RECV after the client's final ACK.
SL_CONN_STATES=1
# The client has no step between its connect phase and its final close: take
# a snapshot (best effort) as soon as it reports what the queue did.
SL_SNAP_ON='(completed|waiting in) .*state=SYN_SENT|FULL'
if ((SL_ZH)); then
    # The client's line in the learner's language: its words after the last
    # count (taken as they are when they hold no regex character).
    sl_tr 'after %lld ms: %ld completed, %ld waiting in state=SYN_SENT'
    words=${SL_TR##*%ld }
    [[ $words == "$SL_TR" || $words == *[][\.^\$*+?\(\)\{\}\|]* ]] || SL_SNAP_ON+="|$words"
fi
# The run's own picture (when scripts/drain-svg.awk is there): every
# connection's SYNs on a time axis, drain.svg.
SL_AWK_FILES+=(drain-svg.awk)
bp_pictures() {
    [[ -s $SL_RUN/packets.txt ]] || return 0
    sl_picture drain-svg.awk drain.svg -v sports="$SL_SERVER_PORT" -v narration="$SL_RUN/narration.txt" \
        -v conns="$SL_TMP/conns.txt" "$SL_RUN/packets.txt"
}
SL_PICTURES_HOOK=bp_pictures
sl_pair_main backlog-server backlog-client "$SL_SERVER_PORT" 3000
