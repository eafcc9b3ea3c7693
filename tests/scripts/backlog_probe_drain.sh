#!/usr/bin/env bash
# script.backlog-probe-drain: the drain run's ladder agrees with the client's
# narration. The SYNs the full queue dropped are drawn as dropped and, since
# their retransmissions got in, not as never answered; the connections whose
# final ACK found the queue full again stay SYN_RECV on the server's side of
# the ladder, as many as the client's sock_diag count of requests.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
run_script backlog-probe --scenario drain

expect_line "$OUT/ladder.txt" 'SYN seq=0 len=0\]-+>  \(dropped: no SYN,ACK, no RST\)$'
expect_line "$OUT/ladder.txt" '^  them again: [1-9][0-9]* connection\(s\)'
grep_lines "$OUT/ladder.txt" 'never answered'
((${#MATCHED[@]} == 0)) || fail "a SYN whose retransmission got in is drawn as never answered: ${MATCHED[0]}"
# "server side (sock_diag): X held in the accept queue or accepted, Y still requests"
grep_lines "$OUT/narration.txt" '\[client\] server side \(sock_diag\): '
((${#MATCHED[@]} == 1)) || fail "no (or more than one) server side line in the client's narration"
requests=0
[[ ${MATCHED[0]} =~ ([0-9]+)\ still\ requests ]] && requests=${BASH_REMATCH[1]}
grep_lines "$OUT/ladder.txt" 'ACK seq=1 ack=1 len=0\]-+>  still SYN_RECV \(ss\)$'
((${#MATCHED[@]} == requests)) ||
    fail "the ladder leaves ${#MATCHED[@]} connection(s) in SYN_RECV, the client's narration $requests"
echo "ok: $requests connection(s) still requests on the server, in the narration and the ladder"
