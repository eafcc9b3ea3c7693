#!/usr/bin/env bash
# script.ladder-listener: the ladder drawn from stored captures (tcpdump text,
# the ss records of the snapshots, the server's narration), so that what it
# says of a listener is checked line by line, the same on every machine:
#  - a SYN the full queue dropped is "dropped", and, when its retransmission
#    got in, not "never answered"; each connection is counted once however
#    often its SYN went unanswered (a slow machine sends it more times);
#  - a final ACK after which ss still saw the request in SYN-RECV leaves the
#    server in SYN_RECV (not ESTABLISHED): what the client's narration says;
#  - with TCP_DEFER_ACCEPT the data, not the bare ACK, completes it;
#  - a segment sent again: the first copy (or its ACK) was not taken in, so
#    the states follow what the sockets received (lost-ack, crossing FINs);
#  - a UDP datagram to a closed port: the far end is "closed port", not
#    "server".
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"

# ladder NAME T0 SPORTS [SRVOUT]: draw $WORK/NAME.cap (with $WORK/NAME.conns)
# into $WORK/NAME.txt.
ladder() {
    local name=$1 t0=$2 sports=$3 srvout=${4:-}
    : >"$WORK/states"
    [[ -e $WORK/$name.conns ]] || : >"$WORK/$name.conns"
    # The packet list and the drawing read the capture as two files.
    cp "$WORK/$name.cap" "$WORK/$name.abs"
    awk -v t0="$t0" -v sports="$sports" -v states="$WORK/states" \
        -v conns="$WORK/$name.conns" -v srvout="$srvout" -v list="$WORK/$name.cap" \
        -v listout="$WORK/$name.list" -f "$SCRIPTS/ladder.awk" \
        "$WORK/$name.cap" "$WORK/$name.abs" >"$WORK/$name.txt"
}

# row FILE PORT FLAGS NOTE: the first row of connection PORT whose arrow
# starts with FLAGS must end with NOTE (a regex; "" = no note).
row() {
    local file=$1 port=$2 flags=$3 note=$4 l
    read_lines "$file"
    for l in "${FILE_LINES[@]}"; do
        [[ $l == *"[:$port $flags "* ]] || continue
        [[ $l =~ \]-*-\>\ \ ${note}$ || $l =~ \]--\ \ ${note}$ ]] && return 0
        fail "row :$port $flags: want note '$note' in: $l"
    done
    fail "no row :$port $flags in $file"
}

# A drain run (times relative to T0): five connections fill the queue of
# backlog 4; :2006 and :2007 are dropped, get in when resent at 1.0 s
# (the server accepted one meanwhile), and only :2006's final ACK finds room:
# ss then lists :2007 as SYN-RECV. :2008's SYN is never answered, sent three
# times (a slow machine).
T0=1000
s() { printf '10%s IP 127.0.0.1.%s > 127.0.0.1.%s: Flags [%s], seq %s, %slength 0\n' "$@"; }
{
    for p in 2001 2002 2003 2004 2005; do
        s 00.010 "$p" 19004 S 100 ""
        s 00.011 19004 "$p" S. 500 "ack 101, "
        s 00.012 "$p" 19004 . 101 "ack 501, "
    done
    s 00.013 2006 19004 S 100 ""
    s 00.013 2007 19004 S 200 ""
    s 00.013 2008 19004 S 300 ""
    s 01.020 2006 19004 S 100 ""
    s 01.020 2007 19004 S 200 ""
    s 01.020 2008 19004 S 300 ""
    s 01.021 19004 2006 S. 600 "ack 101, "
    s 01.021 19004 2007 S. 700 "ack 201, "
    s 01.022 2006 19004 . 101 "ack 601, "
    s 01.022 2007 19004 . 201 "ack 701, "
    s 03.040 2008 19004 S 300 ""
} >"$WORK/drain.cap"
{
    echo "0.050 -"
    for p in 2001 2002 2003 2004 2005; do echo "0.050 ESTAB 0 0 127.0.0.1:19004 127.0.0.1:$p"; done
    echo "1.040 -"
    for p in 2002 2003 2004 2005 2006; do echo "1.040 ESTAB 0 0 127.0.0.1:19004 127.0.0.1:$p"; done
    echo "1.040 SYN-RECV 0 0 127.0.0.1:19004 127.0.0.1:2007"
    echo "1.040 ESTAB 0 0 127.0.0.1:2007 127.0.0.1:19004"
} >"$WORK/drain.conns"
ladder drain "$T0" 19004
row "$WORK/drain.txt" 2001 "ACK" "ESTABLISHED"
row "$WORK/drain.txt" 2006 "SYN" "\(dropped: no SYN,ACK, no RST\)"
row "$WORK/drain.txt" 2008 "SYN" "\(dropped: never answered\)"
row "$WORK/drain.txt" 2006 "ACK" "ESTABLISHED"
row "$WORK/drain.txt" 2007 "ACK" "still SYN_RECV \(ss\)"
expect_line "$WORK/drain.txt" '^  them again: 2 connection\(s\) \(:2006 :2007\)\.$'
expect_line "$WORK/drain.txt" '^  SYNs never answered, however often sent: 1 connection\(s\) \(:2008\)\.$'
expect_line "$WORK/drain.txt" '^  Final ACKs the server did not act on: 1 connection\(s\) \(:2007\)$'
grep_lines "$WORK/drain.txt" 'unanswered|SYNs left'
((${#MATCHED[@]} == 0)) || fail "old wording: ${MATCHED[0]}"

# ack-overflow under TCP_DEFER_ACCEPT: :3001's bare ACK is ignored and its
# data completes it; :3002's data finds the queue full (ss: SYN-RECV).
{
    for p in 3001 3002; do
        s 00.010 "$p" 19004 S 100 ""
        s 00.011 19004 "$p" S. 500 "ack 101, "
        s 00.012 "$p" 19004 . 101 "ack 501, "
    done
    printf '1000.020 IP 127.0.0.1.3001 > 127.0.0.1.19004: Flags [P.], seq 101:102, ack 501, length 1\n'
    printf '1000.021 IP 127.0.0.1.19004 > 127.0.0.1.3001: Flags [.], ack 102, length 0\n'
    printf '1000.060 IP 127.0.0.1.3002 > 127.0.0.1.19004: Flags [P.], seq 101:102, ack 501, length 1\n'
} >"$WORK/defer.cap"
{
    echo "0.030 -"
    echo "0.030 ESTAB 1 0 127.0.0.1:19004 127.0.0.1:3001"
    echo "0.030 SYN-RECV 0 0 127.0.0.1:19004 127.0.0.1:3002"
    echo "0.070 -"
    echo "0.070 ESTAB 1 0 127.0.0.1:19004 127.0.0.1:3001"
    echo "0.070 SYN-RECV 0 0 127.0.0.1:19004 127.0.0.1:3002"
} >"$WORK/defer.conns"
echo "  0.005 server  TCP_DEFER_ACCEPT 30 s: handshakes wait for data before queueing" >"$WORK/defer.out"
ladder defer "$T0" 19004 "$WORK/defer.out"
row "$WORK/defer.txt" 3001 "ACK" "SYN_RECV: TCP_DEFER_ACCEPT waits for data"
row "$WORK/defer.txt" 3001 "PSH,ACK" "ESTABLISHED"
row "$WORK/defer.txt" 3002 "ACK" "still SYN_RECV \(ss\)"
# Without the server's word on TCP_DEFER_ACCEPT the bare ACK completes :3001.
ladder defer "$T0" 19004
row "$WORK/defer.txt" 3001 "ACK" "ESTABLISHED"

# Loss the wire cannot show (a socket filter drops what was captured): the
# server's FIN comes again, so the client's ACK was not taken in and the
# server stays in LAST_ACK until the last ACK (lost-ack); two FINs sent
# again before either was ACKed: they crossed, the server goes CLOSING and
# both end in TIME_WAIT (simultaneous-close).
f() { printf '10%s IP 127.0.0.1.%s > 127.0.0.1.%s: Flags [%s], seq %s, ack %s, length 0\n' "$@"; }
{
    s 00.010 5001 19001 S 100 ""
    s 00.011 19001 5001 S. 500 "ack 101, "
    s 00.012 5001 19001 . 101 "ack 501, "
    f 00.020 5001 19001 F. 101 501
    f 00.030 19001 5001 F. 501 102
    printf '1000.031 IP 127.0.0.1.5001 > 127.0.0.1.19001: Flags [.], ack 502, length 0\n'
    f 00.240 19001 5001 F. 501 102
    printf '1000.241 IP 127.0.0.1.5001 > 127.0.0.1.19001: Flags [.], ack 502, length 0\n'
} >"$WORK/lostack.cap"
ladder lostack "$T0" 19001
expect_order "$WORK/lostack.txt" 'TIME_WAIT <---\[FIN,ACK seq=1 ack=2 len=0\]--  LAST_ACK$' \
    '--\[ACK seq=2 ack=2 len=0\]-+>  \(server did not take it in: the FIN came again\)$' \
    '--\[ACK seq=2 ack=2 len=0\]-+>  CLOSE$'
{
    s 00.010 6001 19001 S 100 ""
    s 00.011 19001 6001 S. 500 "ack 101, "
    s 00.012 6001 19001 . 101 "ack 501, "
    f 00.020 6001 19001 F. 101 501
    f 00.021 19001 6001 F. 501 101
    f 00.220 6001 19001 F. 101 501
    printf '1000.221 IP 127.0.0.1.19001 > 127.0.0.1.6001: Flags [.], ack 102, length 0\n'
    f 00.240 19001 6001 F. 501 102
    printf '1000.241 IP 127.0.0.1.6001 > 127.0.0.1.19001: Flags [.], ack 502, length 0\n'
} >"$WORK/simul.cap"
ladder simul "$T0" 19001
expect_order "$WORK/simul.txt" 'FIN_WAIT1 --\[FIN,ACK seq=1 ack=1 len=0\]-+>  \(server did not take it in: sent again\)$' \
    '<-+\[FIN,ACK seq=1 ack=1 len=0\]--  FIN_WAIT1 \(client did not take it in: sent again\)$' \
    '--\[FIN,ACK seq=1 ack=1 len=0\]-+>  CLOSING$' 'TIME_WAIT <-+\[FIN,ACK seq=1 ack=2 len=0\]--' \
    '--\[ACK seq=2 ack=2 len=0\]-+>  TIME_WAIT$'

# An RST counts only at the sequence number its receiver expects next: the
# server's answer to an old copy, with the first connection's numbers, after
# the client's FIN and ACK moved past them, leaves the client in TIME_WAIT;
# an RST at the expected number ends a connection.
{
    s 00.010 5001 19001 S 100 ""
    s 00.011 19001 5001 S. 500 "ack 101, "
    s 00.012 5001 19001 . 101 "ack 501, "
    f 00.020 5001 19001 F. 101 501
    f 00.030 19001 5001 F. 501 102
    printf '1000.031 IP 127.0.0.1.5001 > 127.0.0.1.19001: Flags [.], ack 502, length 0\n'
    printf '1000.040 IP 127.0.0.1.5001 > 127.0.0.1.19001: Flags [P.], seq 101:109, ack 501, length 8\n'
    printf '1000.041 IP 127.0.0.1.19001 > 127.0.0.1.5001: Flags [R], seq 501, win 0, length 0\n'
} >"$WORK/oldrst.cap"
ladder oldrst "$T0" 19001
expect_line "$WORK/oldrst.txt" '<-+\[RST seq=1 len=0\]--  \(client ignored it: not the sequence number it expects\)$'
grep_lines "$WORK/oldrst.txt" '^ +[0-9.]+ +CLOSE <-+\[RST'
((${#MATCHED[@]} == 0)) || fail "an RST with an old number closed the client: ${MATCHED[0]}"
{
    s 00.010 5002 19001 S 100 ""
    s 00.011 19001 5002 S. 500 "ack 101, "
    s 00.012 5002 19001 . 101 "ack 501, "
    printf '1000.020 IP 127.0.0.1.19001 > 127.0.0.1.5002: Flags [R.], seq 501, ack 101, win 0, length 0\n'
} >"$WORK/rst.cap"
ladder rst "$T0" 19001
expect_line "$WORK/rst.txt" '^ +[0-9.]+ +CLOSE <-+\[RST,ACK seq=1 ack=1 len=0\]--  CLOSE$'

# A connected UDP socket aimed at a closed port (no server port known).
{
    printf '1000.010 IP 127.0.0.1.4001 > 127.0.0.1.5999: UDP, length 13\n'
    printf '1000.011 IP 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 5999 unreachable, length 49\n'
} >"$WORK/udp.cap"
ladder udp "$T0" ""
expect_line "$WORK/udp.txt" 'closed port 127\.0\.0\.1:5999'
grep_lines "$WORK/udp.txt" 'server'
((${#MATCHED[@]} == 0)) || fail "the closed port is called server: ${MATCHED[0]}"
echo "ok"
