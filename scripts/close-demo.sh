#!/usr/bin/env bash
# close-demo.sh: TCP's close in one terminal. Runs close-server and
# close-client in a private network namespace, steps them through the
# scenario, snapshots `ss -tano` at every step (`-tanoi` with --detail),
# captures lo with tcpdump and
# prints both sides' narration, the snapshots, the packets and a ladder
# diagram of the segments with the state each end entered.
set -euo pipefail
sl_here=${BASH_SOURCE[0]%/*}
[[ $sl_here == "${BASH_SOURCE[0]}" ]] && sl_here=. # no fork for dirname
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
source "$sl_here/lib.sh"

usage() {
    sl_help "Usage: scripts/close-demo.sh [OPTION]...
Run close-server and close-client (default scenario graceful) in a private
network namespace, stepping both with --step, and print:
  1. both sides' narration, merged by time and marked by side;
  2. \`ss -tano\` snapshots (states and timers; --detail adds -i), each
     under the step it was taken before;
  3. the packets tcpdump saw on lo;
  4. a ladder diagram: one arrow per segment, flags, seq/ack, length, and
     the TCP state each end entered.
Everything is kept in the run directory (narration.txt, snapshots.txt,
capture.pcap, packets.txt, ladder.txt, report.txt, each side's raw output)."
    printf '\n'
    sl_common_help
    printf '\n'
    sl_help "Examples:
  scripts/close-demo.sh
  scripts/close-demo.sh --scenario server-first --server-arg --reuseaddr
  scripts/close-demo.sh --scenario linger0 --quiet --out /tmp/linger0"
}

sl_parse_common "$@"
if ((SL_HELP)); then
    usage
    exit 0
fi
SL_SCENARIO=${SL_SCENARIO:-graceful}
sl_check_out
sl_find_bin close-server close-client
sl_check_programs close-server close-client
sl_port_arg 19001
sl_enter_netns "$@"

# The states and their timers (-o: TIME-WAIT's 60 s, FIN-WAIT-2's); -i's
# detail (congestion control, rates) only with --detail.
SL_SS_ARGS=(-tano)
if ((SL_DETAIL)); then SL_SS_ARGS=(-tanoi); fi
sl_pair_main close-server close-client "$SL_SERVER_PORT" 3000
