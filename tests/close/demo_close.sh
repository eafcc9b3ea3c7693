#!/usr/bin/env bash
# demo_close.sh SCENARIO v4|v6 [SERVER_ARGS...]: run close-server and
# close-client for one scenario, as two processes, and check the exit codes
# and the order in which each side narrates the kernel's states.
# shellcheck source=SCRIPTDIR/../common/demo.sh
source "${SOCKLAB_TEST_COMMON:?}/demo.sh"

scenario=$1 family=$2
shift 2
host=127.0.0.1
[[ $family == v6 ]] && host=::1

client_args=() server_args=()
[[ $scenario == large-transfer ]] && client_args=(--bytes 300001)
# tw-reuse-0: the tw-reuse scenario with the client's --tw-reuse 0.
real=$scenario
[[ $scenario == tw-reuse-0 ]] && real=tw-reuse client_args=(--tw-reuse 0)
# A longer hold keeps the client's FIN_WAIT2 visible on a loaded machine
# (only the scenarios that hold CLOSE_WAIT take --hold-ms).
case $scenario in graceful | half-close | close-wait-leak) server_args=(--hold-ms 300) ;; esac
start_server close-server --scenario "$real" --bind "$host" --port 0 "${server_args[@]}" "$@"
run_client close-client 0 --scenario "$real" --host "$host" --port "$SERVER_PORT" \
    --timeout 3000 "${client_args[@]}"
wait_server 0
S=$WORK/server.out C=$WORK/client.out
addr='127\.0\.0\.1'
[[ $family == v6 ]] && addr='\[::1\]'

expect_line "$S" "listening on $addr:$SERVER_PORT .*state=LISTEN"
expect_line "$C" "connected to $addr:$SERVER_PORT from $addr:[0-9]+ .*state=ESTABLISHED"
# Each accept() line and the explanation under it must tell the same story.
mapfile -t server_lines <"$S"
for ((i = 0; i < ${#server_lines[@]}; i++)); do
    [[ ${server_lines[i]} == *'accept() -> connection from'* ]] || continue
    next=${server_lines[i + 1]:-}
    if [[ ${server_lines[i]} == *'state=ESTABLISHED' ]]; then
        [[ $next != *'Not ESTABLISHED any more'* ]] || fail "accept line $((i + 1)) contradicts itself"
    else
        [[ $next == *'Not ESTABLISHED any more'* ]] || fail "accept line $((i + 1)) unexplained"
    fi
done

case $scenario in
graceful)
    expect_order "$C" 'write\(\) -> 8 bytes "hello 1\\n"' 'close\(\)' \
        'state=FIN_WAIT2' 'state=TIME_WAIT timer=(59|60)\.[0-9]+s \(time-wait\)'
    expect_order "$S" 'read\(\) -> 0: EOF +state=CLOSE_WAIT' 'holding' 'close\(\)'
    ;;
half-close)
    expect_order "$C" 'shutdown\(SHUT_WR\).*state=FIN_WAIT2' \
        'read\(\) -> 21 bytes "reply after your FIN\\n"' 'read\(\) -> 0: EOF +state=CLOSE' \
        'sock_diag: +state=TIME_WAIT'
    expect_order "$S" 'read\(\) -> 0: EOF +state=CLOSE_WAIT' \
        'write\(\) -> 21 bytes after EOF +state=CLOSE_WAIT' 'close\(\)'
    ;;
server-first)
    expect_order "$C" 'read\(\) -> 0: EOF +state=CLOSE_WAIT' 'close\(\)'
    # On a busy machine the client's late ACK can draw an RST that ends our
    # TIME_WAIT (RFC 1337): then the server must say so, and nothing is
    # left to block bind(). The namespace's own counters must agree.
    first_match "$S" 'Tcp OutRsts \+[1-9]'
    if [[ -n $MATCH ]]; then
        # This test's namespace is its own: the kernel's count must show it.
        mapfile -t snmp </proc/net/snmp
        tcp=()
        for l in "${snmp[@]}"; do [[ $l == Tcp:* ]] && tcp+=("$l"); done
        read -ra names <<<"${tcp[0]}"
        read -ra values <<<"${tcp[1]}"
        for i in "${!names[@]}"; do [[ ${names[i]} == OutRsts ]] && rsts=${values[i]}; done
        ((${rsts:-0} >= 1)) || fail "the server reports an RST, the namespace sent none"
        expect_no_line "$S" 'bind\(\)'
        echo "ok: the TIME_WAIT was ended by an RST (RFC 1337), as narrated; OutRsts $rsts"
        exit 0
    fi
    expect_order "$S" 'we close first' 'state=TIME_WAIT timer=' \
        'without SO_REUSEADDR: bind\(\) +errno=EADDRINUSE'
    if [[ " $* " == *" --reuseaddr "* ]]; then
        expect_line "$S" 'with SO_REUSEADDR: bind\(\) and listen\(\) ok'
        # Claim C25: the client comes back from its old port, over the TIME_WAIT:
        # the server's two accept() lines name the same client address.
        expect_order "$C" 'read\(\) -> 6 bytes "again\\n"' 'read\(\) -> 0: EOF +state=CLOSE_WAIT' \
            'connect\(\) again from our old port: connected +state=ESTABLISHED'
        expect_order "$S" 'state=TIME_WAIT timer=' 'accepted over our TIME_WAIT +state=(ESTABLISHED|CLOSE_WAIT)'
        mapfile -t server_lines <"$S"
        peers=()
        for l in "${server_lines[@]}"; do
            [[ $l =~ accept\(\)\ -\>\ .*(127\.0\.0\.1:[0-9]+) ]] && peers+=("${BASH_REMATCH[1]}")
        done
        if ((${#peers[@]} != 2)) || [[ ${peers[0]} != "${peers[1]}" ]]; then
            fail "want two accept() lines from one client address, got: ${peers[*]}"
        fi
    else
        expect_line "$S" ' with SO_REUSEADDR: bind\(\) +errno=EADDRINUSE'
        # The advice names the program that has the option.
        expect_line "$S" 'Run close-server again with --reuseaddr'
    fi
    ;;
unread-data)
    expect_order "$S" 'arrived: 37 bytes we will not read' 'close\(\) with 37 unread bytes' \
        'no TIME_WAIT +state=CLOSE'
    expect_order "$C" "RST arrived; 23 bytes wait unread +state=CLOSE" \
        'read\(\) -> 23 bytes "reply before the reset\\n"' 'errno=ECONNRESET'
    ;;
linger0)
    expect_order "$C" 'SO_LINGER' 'sends RST' 'no TIME_WAIT'
    expect_line "$S" 'read\(\) -> -1 +state=CLOSE +errno=ECONNRESET'
    ;;
close-wait-leak)
    expect_order "$S" 'read\(\) -> 0: EOF +state=CLOSE_WAIT' \
        'still not closed after 300 ms +state=CLOSE_WAIT'
    expect_line "$C" 'state=FIN_WAIT2 timer=[0-9]+\.[0-9]+s'
    ;;
reconnect)
    expect_order "$C" 'connect\(\) again -> -1 +state=ESTABLISHED +errno=EISCONN' \
        'connect\(AF_UNSPEC\) -> 0 +state=CLOSE' 'connected again from .* state=ESTABLISHED' \
        'state=TIME_WAIT'
    expect_order "$S" 'errno=ECONNRESET' 'accept\(\)' 'read\(\) -> 0: EOF'
    ;;
large-transfer)
    expect_line "$C" 'wrote 300001 bytes'
    expect_order "$S" 'EOF after exactly 300001 bytes' 'every byte matched'
    ;;
write-after-close)
    expect_order "$C" 'FIN arrived: it has closed +state=CLOSE_WAIT' \
        'write\(\) -> 21 bytes after the server.s close' \
        'RST arrived: our bytes had no reader +state=CLOSE' \
        'write\(\) -> -1 +state=CLOSE +errno=EPIPE' 'read\(\) -> 0: EOF +state=CLOSE'
    # At least the RST our write drew (the namespace counts both ends: on a
    # loaded machine one more can come, once seen in many runs).
    expect_order "$S" 'read\(\) -> 18 bytes "before your close\\n"' 'close\(\)' \
        'connection gone, Tcp OutRsts \+[1-9][0-9]* +state=CLOSE'
    ;;
fin-timeout)
    # The server watches the client's FIN_WAIT2 time out; on a slow machine
    # (an emulated CPU) it may look only after the timer, and says so.
    first_match "$S" 'state=FIN_WAIT2 timer=' # a token: the same test in Chinese
    if [[ -z $MATCH ]]; then
        expect_order "$S" 'read\(\) -> 0: EOF +state=CLOSE_WAIT' \
            'client.s end was gone already: its FIN_WAIT2 timed out .* +state=CLOSE_WAIT'
    else
        expect_order "$S" 'read\(\) -> 0: EOF +state=CLOSE_WAIT' 'client.s end .* +state=FIN_WAIT2 timer=' \
            'client.s end is gone; ours is still here +state=CLOSE_WAIT'
    fi
    expect_order "$S" 'sysctl net\.ipv4\.tcp_fin_timeout [0-9]+ -> 1 \(private namespace\)' \
        'read\(\) -> 0: EOF +state=CLOSE_WAIT' 'shutdown\(SHUT_WR\)' \
        'answered with RST +state=CLOSE +errno=ECONNRESET'
    expect_order "$C" 'orphaned.* +state=FIN_WAIT2 timer=(0\.[0-9]+|1\.000)s' \
        'FIN_WAIT2 gone after [0-9]+ ms, no TIME_WAIT +state=CLOSE' \
        'Tcp OutRsts \+1: the server.s late FIN found no socket +state=CLOSE'
    expect_no_line "$C" 'state=TIME_WAIT'
    ;;
lost-ack)
    expect_order "$S" 'read\(\) -> 0: EOF +state=CLOSE_WAIT' 'SO_ATTACH_FILTER.* +state=CLOSE_WAIT' \
        'shutdown\(SHUT_WR\): our FIN goes out +state=LAST_ACK' \
        'our FIN again \(retransmission [0-9]+\).* +state=LAST_ACK timer=' \
        'SO_DETACH_FILTER.* +state=LAST_ACK' 'LAST_ACK over after [0-9]+ retransmissions.* +state=CLOSE'
    expect_order "$C" 'sock_diag: +state=TIME_WAIT timer=(59|60)\.[0-9]+s \(time-wait\)' \
        'timer restarted \(else [0-9]+\.[0-9]+s\): +state=TIME_WAIT timer=(59|60)\.[0-9]+s'
    ;;
no-time-wait)
    expect_order "$S" 'sysctl net\.ipv4\.tcp_max_tw_buckets [0-9]+ -> 0 \(private namespace\)' \
        'read\(\) -> 0: EOF +state=CLOSE_WAIT' 'SO_ATTACH_FILTER.* +state=CLOSE_WAIT' \
        'shutdown\(SHUT_WR\): our FIN goes out +state=LAST_ACK' \
        'client.s end is gone, no TIME_WAIT.* +state=LAST_ACK' 'SO_DETACH_FILTER.* +state=LAST_ACK' \
        'our FIN sent again drew an RST +state=CLOSE +errno=ECONNRESET'
    expect_order "$C" 'close\(\)' \
        'gone at once, no TIME_WAIT; TcpExt TCPTimeWaitOverflow \+1 +state=CLOSE' \
        'Tcp OutRsts \+[1-9][0-9]*: the server.s FIN again found no socket +state=CLOSE'
    expect_no_line "$C" 'state=TIME_WAIT'
    ;;
tw-reuse)
    port='[0-9]+'
    first_match "$C" 'ip_local_port_range [0-9]+ [0-9]+ -> ([0-9]+) \1 \(private namespace\)'
    [[ -n $MATCH ]] && port=${BASH_REMATCH[1]}
    expect_order "$C" "connected to .* from $addr:$port .*state=ESTABLISHED" \
        'tcp_tw_reuse = 2' 'close\(\)' 'sock_diag: +state=TIME_WAIT timer=' \
        "connect\(\) again -> connected from $addr:$port, our TIME_WAIT.s 4-tuple, after [0-9]+ ms" \
        'write\(\) -> 18 bytes "second connection\\n"'
    expect_order "$S" "accept\(\) -> connection from $addr:$port" 'read\(\) -> 0: EOF' \
        "accept\(\) -> connection from $addr:$port" 'the same client port as before' \
        'read\(\) -> 18 bytes "second connection\\n"' 'read\(\) -> 0: EOF'
    ;;
tw-reuse-0)
    expect_order "$C" 'tcp_tw_reuse = 0' 'sock_diag: +state=TIME_WAIT timer=' \
        'connect\(\) again -> -1, as expected +state=CLOSE +errno=EADDRNOTAVAIL' \
        'ip_local_port_range back to' 'connected from .*: another port' \
        'write\(\) -> 18 bytes "second connection\\n"'
    expect_order "$S" 'read\(\) -> 0: EOF' 'accept\(\) -> connection from' \
        'another client port' 'read\(\) -> 18 bytes "second connection\\n"'
    ;;
simultaneous-close)
    # A FIN_WAIT1 seen the moment it begins may show no timer yet.
    expect_order "$S" 'SO_ATTACH_FILTER.* +state=ESTABLISHED' 'read\(\) -> 14 bytes "we both close\\n"' \
        'client.s end: its FIN, lost .* +state=FIN_WAIT1' \
        'shutdown\(SHUT_WR\).* +state=FIN_WAIT1' 'SO_DETACH_FILTER.* +state=FIN_WAIT1' \
        'before the ACK of ours: +state=CLOSING timer=[0-9.]+s \(retransmit\)' \
        'close\(\): the fd is gone; the kernel finishes the close alone' \
        'the ACK of our FIN at last: +state=TIME_WAIT timer=(59|60)\.[0-9]+s'
    expect_order "$C" 'server.s end: it has read our bytes: +state=ESTABLISHED' \
        'SO_ATTACH_FILTER.* +state=ESTABLISHED' 'shutdown\(SHUT_WR\).* +state=FIN_WAIT1' \
        'server.s end: its FIN too, unheard: +state=FIN_WAIT1' \
        'server.s end: our FIN, sent again, reached it: +state=CLOSING' \
        'SO_DETACH_FILTER.* +state=FIN_WAIT1' \
        'with the ACK of ours: +state=TIME_WAIT timer=(59|60)\.[0-9]+s' \
        'server.s end: our ACK reached it: +state=TIME_WAIT timer=(59|60)\.[0-9]+s'
    expect_no_line "$S" 'state=(CLOSE_WAIT|LAST_ACK)'
    ;;
*)
    fail "unknown scenario $scenario"
    ;;
esac
echo "ok: $scenario over $family"
