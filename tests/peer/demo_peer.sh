#!/usr/bin/env bash
# demo_peer.sh SCENARIO v4|v6 [TCP_PEER_ARGS...]: run tcp-peer for one
# scenario and check, in order, the segments and the kernel's states it
# narrates for both ends.
# shellcheck source=SCRIPTDIR/../common/demo.sh
source "${SOCKLAB_TEST_COMMON:?}/demo.sh"

scenario=$1 family=$2
shift 2
args=(--scenario "$scenario" --timeout 3000 "$@")
k='192\.0\.2\.1:19005' p='192\.0\.2\.2:40005' p2='192\.0\.2\.2:40006'
if [[ $family == v6 ]]; then
    args+=(--ipv6)
    k='\[2001:db8::1\]:19005' p='\[2001:db8::2\]:40005' p2='\[2001:db8::2\]:40006'
fi
run_client tcp-peer 0 "${args[@]}"
O=$WORK/client.out
link='(TUN|veth\+AF_PACKET)'
[[ " $* " == *' --link packet '* ]] && link='veth\+AF_PACKET'
expect_line "$O" "peer +plays .* over socklab0 \(${link}\)"
expect_line "$O" "listening on $k +state=LISTEN"

guard=none rfc1337=0
for ((i = 0; i < $#; i++)); do
    a=("$@")
    [[ ${a[i]} == --guard ]] && guard=${a[i + 1]}
    [[ ${a[i]} == --rfc1337 ]] && rfc1337=${a[i + 1]}
done

case $scenario/$guard in
old-duplicate/none)
    expect_order "$O" 'sends +\[S\] seq 0 .* isn=1000000' 'accept\(\) -> connection from' \
        'sends +\[P\.\] seq 1:9 ack 1 ' 'read\(\) -> 8 bytes "old data"' \
        'read\(\) -> 0: EOF +state=CLOSE_WAIT' 'close\(\).*state=LAST_ACK' \
        "kernel: no socket for $k <-> $p" 'sends +\[S\] seq 0 .* isn=999991' \
        'sends +\[P\.\] seq 1:10 ack 1 ' 'sends +\[P\.\] seq 10:18 ack [0-9]+ '
    # The copy keeps its old ack number: 6.18 reads it at once (fast path),
    # 6.1 drops it for that number, and the peer sends it with one that fits.
    first_match "$O" 'the kernel dropped the old copy'
    if [[ -n $MATCH ]]; then
        expect_order "$O" 'sends +\[P\.\] seq 10:18 ack [0-9]+ ' 'receives \[\.\] seq 1 ack 10 ' \
            'moved: .*TcpExtTCPChallengeACK \+1' 'the kernel dropped the old copy' \
            'sends the copy again' 'sends +\[P\.\] seq 10:18 ack 1 ' 'receives \[\.\] seq 1 ack 18 '
    else
        expect_order "$O" 'sends +\[P\.\] seq 10:18 ack [0-9]+ ' 'receives \[\.\] seq 1 ack 18 ' \
            'moved: .*TcpExtTCPHPHits \+1'
    fi
    expect_line "$O" 'read\(\) -> 17 bytes "new data old data"'
    ;;
old-duplicate/time-wait)
    expect_order "$O" 'read\(\) -> 8 bytes "old data"' "kernel: no socket for $k <-> $p" \
        "accept\(\) -> connection from $p2" 'old copy arrives now, for the old 4-tuple \(port 40005;' \
        'sends +\[P\.\] seq 1:9 ack 1 ' \
        'receives \[R\] seq 1 ' 'moved: TcpOutRsts \+1' 'read\(\) -> 9 bytes "new data "'
    ;;
old-duplicate/timestamps)
    expect_order "$O" 'sends +\[S\] seq 0 .*TS val' 'read\(\) -> 8 bytes "old data"' \
        'sends +\[P\.\] seq 10:18 ack [0-9]+ win [0-9]+ <TS val' 'receives \[\.\] seq 1 ack 10 ' \
        'moved: .*TcpExtPAWSEstab \+1' 'read\(\) -> 9 bytes "new data "'
    ;;
rst-into-time-wait/*)
    expect_order "$O" "tcp_rfc1337 = $rfc1337" 'close\(\).*state=FIN_WAIT1' \
        "kernel: $k <-> $p +state=TIME_WAIT timer=(59|60)\.[0-9]+s \(time-wait\)" \
        'sends +\[R\] seq 2 ' 'sends +\[F\.\] seq 1 ack 2 '
    if ((rfc1337)); then
        expect_order "$O" 'sends +\[R\] seq 2 ' 'receives \[\.\] seq 2 ack 2 ' \
            "kernel: $k <-> $p +state=TIME_WAIT"
    else
        expect_order "$O" 'sends +\[R\] seq 2 ' 'receives \[R\] seq 2 ' "kernel: no socket for $k <-> $p"
    fi
    ;;
fin-into-time-wait/*)
    expect_order "$O" "state=TIME_WAIT timer=(59|60)\.[0-9]+s" 'sends +\[F\.\] seq 1 ack 2 ' \
        'receives \[\.\] seq 2 ack 2 ' 'state=TIME_WAIT timer=(59\.9[0-9]{2}|60\.000)s' \
        'TIME_WAIT timer: 59[0-9]{3} ms before the FIN, (599[0-9]{2}|60000) ms after'
    ;;
hold-last-ack/*)
    expect_order "$O" 'sends +\[F\.\] seq 1 ack 1 ' 'read\(\) -> 0: EOF +state=CLOSE_WAIT' \
        'close\(\).*state=LAST_ACK' 'receives \[F\.\] seq 1 ack 2 ' 'holds back its ACK' \
        'receives \[F\.\] seq 1 ack 2 ' '(retransmission 1)' 'state=LAST_ACK' \
        'receives \[F\.\] seq 1 ack 2 ' '(retransmission 2)' 'state=LAST_ACK' \
        'sends +\[\.\] seq 2 ack 2 ' "kernel: no socket for $k <-> $p"
    ;;
drop-synack/*)
    expect_order "$O" 'sends +\[S\] seq 0 ' 'receives \[S\.\] seq 0 ack 1 ' 'ignores that SYN,ACK' \
        "kernel: $k <-> $p +state=SYN_RECV timer=[01]\.[0-9]+s \(retransmit\)" \
        'receives \[S\.\] seq 0 ack 1 ' 'the SYN,ACK again, 1[0-9]{3} ms after the first' \
        'sends +\[\.\] seq 1 ack 1 ' 'accept\(\) -> the connection.* +state=ESTABLISHED'
    ;;
*) fail "no checks for $scenario/$guard" ;;
esac
[[ ! -s $WORK/client.err ]] || fail "stderr: $(<"$WORK/client.err")"
echo "PASS: $scenario ($family${*:+ $*})"
