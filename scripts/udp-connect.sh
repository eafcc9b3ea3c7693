#!/usr/bin/env bash
# udp-connect.sh: UDP with and without connect() in one terminal. Runs
# udp-server and udp-client in a private network namespace, steps them,
# snapshots `ss -uan` at every step, captures lo with tcpdump and prints both
# sides' narration, the snapshots, the packets (ICMP errors included) and a
# ladder diagram of the datagrams.
set -euo pipefail
sl_here=${BASH_SOURCE[0]%/*}
[[ $sl_here == "${BASH_SOURCE[0]}" ]] && sl_here=. # no fork for dirname
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
source "$sl_here/lib.sh"

usage() {
    sl_help "Usage: scripts/udp-connect.sh [OPTION]...
Run udp-server and udp-client (default scenario echo-unconnected) in a private
network namespace, stepping both with --step, and print:
  1. both sides' narration, merged by time and marked by side;
  2. \`ss -uan\` snapshots, each under the step it was taken before;
  3. the packets tcpdump saw on lo (ICMP port unreachable included);
  4. a ladder diagram: one arrow per datagram or ICMP error.
The server ends by itself once its client's exchange is over (it knows how
many datagrams each scenario's client sends); should it not, the script stops
it once the client is done. Everything is kept in the run directory."
    printf '\n'
    sl_common_help
    printf '\n'
    sl_help "Examples:
  scripts/udp-connect.sh
  scripts/udp-connect.sh --scenario refused-connected
  scripts/udp-connect.sh --scenario filter --quiet"
}

sl_parse_common "$@"
if ((SL_HELP)); then
    usage
    exit 0
fi
SL_SCENARIO=${SL_SCENARIO:-echo-unconnected}
sl_check_out
sl_find_bin udp-server udp-client
sl_check_programs udp-server udp-client
sl_port_arg 19002
sl_enter_netns "$@"

SL_SS_ARGS=(-uan)
# The server serves until its timeout: stop it once its client is done and
# it waits for the next datagram (at the latest 300 ms after the client).
SL_STOP_IDLE=1
sl_pair_main udp-server udp-client "$SL_SERVER_PORT,$((SL_SERVER_PORT + 1))" 300
