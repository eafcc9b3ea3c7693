#!/usr/bin/env bash
# script.backlog-probe-drain: the drain run's ladder agrees with the client's
# narration. The SYNs the full queue dropped are drawn as dropped and, when
# their retransmissions got in, not as never answered; the connections whose
# final ACK found the queue full again stay SYN_RECV on the server's side of
# the ladder, as many as the client's sock_diag count of requests.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
# Without SYN cookies: on a slow (emulated) CPU the eight SYNs can come
# faster than their handshakes complete, and cookies then answer what the
# full request queue would drop; the drain this test reads needs the drops.
run_script backlog-probe --scenario drain --server-arg --syncookies --server-arg 0

expect_line "$OUT/ladder.txt" 'SYN seq=0 len=0\]-+>  \(dropped: no SYN,ACK, no RST\)$'
expect_line "$OUT/ladder.txt" '^  them again: [1-9][0-9]* connection\(s\)'
# A connection whose SYN was still unanswered when the client gave up (its
# deadline) is "never answered", and only those: as many as the client's
# narration counts still in SYN_SENT. (On a fast machine every retransmitted
# SYN finds room; under an emulated CPU the freed slot may go to one and the
# others wait for the next retransmission, after the run.)
grep_lines "$OUT/narration.txt" '\[client\] summary: .*, ([0-9]+) in SYN_SENT,'
((${#MATCHED[@]} == 1)) || fail "no (or more than one) summary line in the client's narration"
[[ ${MATCHED[0]} =~ ,\ ([0-9]+)\ in\ SYN_SENT, ]]
waiting=${BASH_REMATCH[1]}
never=0
grep_lines "$OUT/ladder.txt" '^  SYNs never answered, however often sent: ([0-9]+) connection'
[[ ${MATCHED[0]:-} =~ sent:\ ([0-9]+)\ connection ]] && never=${BASH_REMATCH[1]}
((never == waiting)) ||
    fail "the ladder has $never connection(s) never answered, the client's narration $waiting still in SYN_SENT"
# "server side (sock_diag): X held in the accept queue or accepted, Y still requests"
grep_lines "$OUT/narration.txt" '\[client\] server side \(sock_diag\): '
((${#MATCHED[@]} == 1)) || fail "no (or more than one) server side line in the client's narration"
requests=0
[[ ${MATCHED[0]} =~ ([0-9]+)\ still\ requests ]] && requests=${BASH_REMATCH[1]}
grep_lines "$OUT/ladder.txt" 'ACK seq=1 ack=1 len=0\]-+>  still SYN_RECV \(ss\)$'
((${#MATCHED[@]} == requests)) ||
    fail "the ladder leaves ${#MATCHED[@]} connection(s) in SYN_RECV, the client's narration $requests"
echo "ok: $requests connection(s) still requests on the server, in the narration and the ladder"
