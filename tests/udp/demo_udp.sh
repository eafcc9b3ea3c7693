#!/usr/bin/env bash
# demo_udp.sh SCENARIO v4|v6: run udp-server and udp-client for one scenario
# in this test's private namespace and check what they narrate. Lines are
# matched by demo.sh's helpers, with bash itself.
# shellcheck source=SCRIPTDIR/../common/demo.sh
source "${SOCKLAB_TEST_COMMON:?}/demo.sh"
scenario=$1
family=$2
if [[ $family == v6 ]]; then
    host=::1 addr='\[::1\]' udp=Udp6 icmp=ICMPv6
else
    host=127.0.0.1 addr='127\.0\.0\.1' udp='Udp ' icmp=ICMP
fi
S="$WORK/server.out"
C="$WORK/client.out"

# serve [ARGS...]: a server for this scenario, its --timeout the default ten
# minutes: only the end of its scenario's exchange (or ARGS) ends it.
serve() {
    start_server udp-server --scenario "$scenario" --bind "$host" "$@"
    [[ $SERVER_PORT == 19002 ]] || fail "server on port $SERVER_PORT, want 19002"
}

# exchange_over N: the client is done; the server, having answered the N
# datagrams its scenario's client sends (0: at once), ends by itself with 0
# within a second. (In Chinese that line has no token to wait for: the end
# itself is waited for, as bounded.)
exchange_over() {
    if ((ZH)); then
        local i
        for ((i = 0; i < 200; i++)); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            read -r -t 0.005 -u "$PACE_FD" _ || true # pacing of a bounded poll
        done
        kill -0 "$SERVER_PID" 2>/dev/null && fail "the server did not end within 1s of its client"
    elif (($1 == 0)); then
        wait_for_line "$S" "in scenario $scenario the client sends this server nothing: exiting\$" 1
    else
        local s=s
        (($1 == 1)) && s=
        wait_for_line "$S" "answered $1 datagram$s, as many as a client of scenario $scenario sends: exiting\$" 1
    fi
    wait_server 0
}

client() {
    run_client udp-client 0 --scenario "$scenario" --host "$host" "$@"
}

# client_port: PORT, the first port a getsockname() line of the client
# shows (the one sendto() or connect() chose), read in any language.
client_port() {
    first_match "$C" "getsockname\(\) -> [^ ]*:([1-9][0-9]*)"
    [[ -n $MATCH ]] || fail "no getsockname() line of the client shows a port"
    port=${BASH_REMATCH[1]}
}

# count_datagrams: GOT and SENT, the server's recvfrom() and sendto() event
# lines ("recvfrom() on A -> ...", "sendto(A) from B -> ..."), read by their
# calls and arrows, so in any language.
count_datagrams() {
    local line
    GOT=0 SENT=0
    while IFS= read -r line; do
        [[ $line == *'recvfrom()'*' -> '* ]] && GOT=$((GOT + 1))
        [[ $line == *'sendto('*')'*' -> '* ]] && SENT=$((SENT + 1))
    done <"$S"
    return 0
}

# one_answer_each: the server sent exactly one datagram per datagram it got
# (two answers to one would make it a traffic multiplier on a public address).
one_answer_each() {
    count_datagrams
    ((GOT > 0 && SENT == GOT)) || fail "the server got $GOT datagrams and sent $SENT"
}

case $scenario in
echo-unconnected)
    serve
    client
    exchange_over 1
    expect_order "$C" "getsockname\(\) -> (0\.0\.0\.0|\[::\]):0 " \
        "sendto\($addr:19002, \"hello, unconnected\"\) -> 18" \
        "getsockname\(\) -> (0\.0\.0\.0|\[::\]):[1-9][0-9]* \(bound by sendto\)" \
        "recvfrom\(\) -> 18 bytes \"hello, unconnected\" from $addr:19002"
    client_port
    expect_line "$S" "recvfrom\(\) on $addr:19002 -> 18 bytes \"hello, unconnected\" from $addr:$port\$"
    expect_line "$S" "sendto\($addr:$port\) from $addr:19002 -> 18 bytes"
    ;;
echo-connected)
    serve
    client
    exchange_over 1
    expect_line "$C" "${udp}OutDatagrams ([0-9]+) -> \\1, ${udp}InDatagrams ([0-9]+) -> \\2 across connect"
    expect_order "$C" "connect\($addr:19002\) -> 0" \
        "getsockname\(\) -> $addr:[1-9][0-9]* \(chosen by connect\)" \
        "getpeername\(\) -> $addr:19002" "send\(\"hello, connected\"\) -> 16" \
        "recvfrom\(\) -> 16 bytes \"hello, connected\" from $addr:19002"
    client_port
    expect_line "$S" "from $addr:$port\$"
    ;;
refused-unconnected)
    serve
    client --timeout 150
    exchange_over 0
    expect_order "$C" "sendto\($addr:[0-9]+, \"anyone there\?\"\) -> 13" \
        "InDestUnreachs went up" "recvfrom\(\): nothing within 150 ms"
    expect_no_line "$C" "errno="
    expect_no_line "$S" "recvfrom\(\) on"
    ;;
refused-connected)
    serve
    client
    exchange_over 0
    expect_order "$C" "connect\($addr:[0-9]+\) -> 0" "send\(\"anyone there\?\"\) -> 13" \
        "recvfrom\(\) -> -1  errno=ECONNREFUSED" "recv\(\) again -> -1  errno=EAGAIN"
    expect_no_line "$S" "recvfrom\(\) on"
    ;;
recverr)
    serve
    client
    exchange_over 0
    if [[ $family == v6 ]]; then t='type=1 code=4' from='::1'; else t='type=3 code=3' from='127.0.0.1'; fi
    expect_order "$C" "setsockopt\(IP(V6)?_RECVERR, 1\) -> 0" "POLLERR" \
        "recvfrom\(\) -> -1  errno=ECONNREFUSED" \
        "recvmsg\(MSG_ERRQUEUE\) -> original 13 bytes \"anyone there\?\" to $addr:[0-9]+" \
        "errno=ECONNREFUSED origin=$icmp $t \(destination unreachable, port unreachable\) from $from\$"
    expect_no_line "$S" "recvfrom\(\) on"
    ;;
reconnect)
    serve
    client
    exchange_over 3
    expect_order "$C" "connect\($addr:19002\) -> 0" "getpeername\(\) -> $addr:19002" \
        "from $addr:19002" "connect\($addr:19003\) -> 0" "getpeername\(\) -> $addr:19003" \
        "\(same port" "recvfrom\(\) -> 20 bytes \"hello, second server\" from $addr:19003" \
        "send\(\"answer from your other port\"\) -> 27" \
        "late answer never arrived: ${udp}NoPorts went up by 1, recv\(\) -> EAGAIN"
    expect_no_line "$C" "bytes \"answer from"
    expect_line "$S" "from $addr:19002 -> 27 bytes \"answer from your other port\" \(asked for"
    one_answer_each
    ;;
stdout-closed)
    # Started with stdout closed, the client's first socket must not become
    # fd 1: its narration would go to the server as datagrams.
    start_server udp-server --scenario echo-connected --bind "$host" --count 1 --timeout 3000
    rc=0
    timeout 5 "$BIN/udp-client" --scenario echo-connected --host "$host" >&- \
        2>"$WORK/client.err" </dev/null || rc=$?
    [[ $rc -eq 0 ]] || fail "client exited $rc"
    wait_server 0
    expect_line "$S" "recvfrom\(\) on $addr:19002 -> 16 bytes \"hello, connected\" from "
    ;;
stdin-closed)
    # Started with stdin closed, --step must not take the server's socket for
    # stdin (and wait on it): stdin is /dev/null, at its end, so no step waits.
    : >"$S"
    timeout 5 "$BIN/udp-server" --step --bind "$host" --count 1 --timeout 3000 >"$S" \
        2>"$WORK/server.err" <&- &
    SERVER_PID=$!
    wait_for_line "$S" 'listening on '
    run_client udp-client 0 --host "$host"
    wait_server 0
    expect_line "$S" "sendto\($addr:[0-9]+\) from $addr:19002 -> 18 bytes"
    ;;
no-client)
    # Nobody sends: exit 1 with ETIMEDOUT named, like the other servers.
    rc=0
    timeout 5 "$BIN/udp-server" --bind "$host" --port 0 --timeout 100 >"$S" 2>&1 </dev/null ||
        rc=$?
    [[ $rc -eq 1 ]] || fail "server exited $rc, want 1"
    expect_line "$S" 'no datagram within 100 ms \(--timeout\); start udp-client +errno=ETIMEDOUT'
    ;;
head)
    # A reader that goes away (| head -1) ends the server at once, cleanly.
    head_ends udp-server --bind "$host" --port 0 --timeout 3000
    ;;
big-datagram)
    # The largest datagram (65507 bytes over IPv4, 65527 over IPv6) arrives
    # and is echoed whole, not cut to a buffer's size.
    size=65507
    [[ $family == v6 ]] && size=65527
    scenario=echo-unconnected
    serve
    dd if=/dev/zero bs="$size" count=1 status=none >"/dev/udp/$host/19002" ||
        fail "dd could not send $size bytes"
    wait_server 0
    expect_line "$S" "recvfrom\(\) on $addr:19002 -> $size bytes "
    expect_line "$S" "sendto\($addr:[0-9]+\) from $addr:19002 -> $size bytes "
    ;;
flood)
    # 40 datagrams at once: all answered, ten narrated, the rest summed up.
    scenario=echo-unconnected
    serve --count 40 --timeout 3000
    exec 3<>"/dev/udp/$host/19002"
    for ((i = 0; i < 40; i++)); do printf x >&3; done
    exec 3>&-
    wait_server 0
    count_datagrams
    # (ten a second: a machine slow enough to need two seconds shows twenty)
    ((GOT >= 10 && GOT <= 20 && SENT == GOT)) ||
        fail "$GOT recvfrom and $SENT sendto lines, want 10 of each"
    expect_line "$S" '\.\.\. and [0-9]+ more datagrams \([0-9]+ bytes\) answered in [0-9.]+ s, not shown'
    expect_line "$S" 'served 40 datagrams \(--count\): exiting'
    ;;
keep-serving)
    # --keep-serving: one client after another, until --timeout passes idle.
    scenario=echo-connected
    serve --keep-serving --timeout 150
    client
    client
    wait_server 0
    expect_no_line "$S" 'as many as a client'
    expect_line "$S" 'no datagram for 150 ms: exiting after 2 datagrams$'
    ;;
filter-no-server)
    run_client udp-client 1 --scenario filter --host "$host"
    expect_order "$C" 'recv\(\) failed +errno=ECONNREFUSED' \
        'is udp-server --scenario filter running\?'
    ;;
reconnect-moved)
    # Both ends moved to another port: the client's second port follows (--port + 1).
    start_server udp-server --scenario reconnect --bind "$host" --port 20000
    run_client udp-client 0 --scenario reconnect --host "$host" --port 20000
    scenario=reconnect
    exchange_over 3
    expect_order "$C" "connect\($addr:20000\) -> 0" "connect\($addr:20001\) -> 0" \
        "from $addr:20001"
    ;;
disconnect)
    serve
    client
    exchange_over 4
    expect_order "$C" "connect\($addr:19002\) -> 0" \
        "recvfrom\(\) -> 15 bytes \"while connected\" from $addr:19002" \
        "answer from the second port never arrived: ${udp}NoPorts went up by 1" \
        "connect\(AF_UNSPEC\) -> 0" "getpeername\(\) -> -1  errno=ENOTCONN" \
        "getsockname\(\) -> (0\.0\.0\.0|\[::\]):0\$" \
        "send\(\"no address\"\) -> -1  errno=EDESTADDRREQ" \
        "sendto\($addr:19002, \"after disconnect\"\) -> 16" \
        "recvfrom\(\) -> 16 bytes \"after disconnect\" from $addr:19002" \
        "recvfrom\(\) -> 27 bytes \"answer from your other port\" from $addr:19003" \
        "filter is lifted"
    one_answer_each
    ;;
filter)
    serve
    client
    exchange_over 3
    expect_order "$C" "connect\($addr:19002\) -> 0" \
        "reply from the second port never arrived: ${udp}NoPorts went up by 1" \
        "recvfrom\(\) -> 27 bytes \"from the unconnected socket\" from $addr:19003" \
        "sendto\($addr:19003, \"sendto while connected\"\) -> 22" \
        "answer to it never arrived" "getpeername\(\) -> $addr:19002"
    expect_line "$S" "recvfrom\(\) on $addr:19003 -> 22 bytes \"sendto while connected\""
    expect_line "$S" "sendto\(.*\) from $addr:19003 -> 25 bytes"
    ;;
ttl)
    serve
    client --ttl 1
    exchange_over 1
    if [[ $family == v6 ]]; then
        expect_line "$C" "setsockopt\(IPV6_UNICAST_HOPS, 0\) -> 0"
        expect_line "$C" "setsockopt\(IPV6_UNICAST_HOPS, 256\) -> -1  errno=EINVAL"
        expect_line "$C" "delivered with hop limit 1: the server answered"
    else
        expect_line "$C" "setsockopt\(IP_TTL, 0\) -> -1  errno=EINVAL"
        expect_line "$C" "setsockopt\(IP_TTL, 256\) -> -1  errno=EINVAL"
        expect_line "$C" "setsockopt\(IP_TTL, -1\) -> 0, getsockopt\(\) reads 64"
        expect_line "$C" "delivered with TTL 1: the server answered"
    fi
    # Without a server the same probe comes back as port unreachable.
    run_client udp-client 0 --scenario ttl --host "$host" --port 9 --ttl 3 -q
    expect_line "$C" "delivered with (TTL|hop limit) 3, but nothing listens on that port"
    ;;
bench)
    serve
    client --count 50 --rounds 3
    exchange_over 0
    for m in "unconnected sendto\(\)" "connected send\(\)" "connected sendto\(addr\)"; do
        expect_line "$C" "median $m +[0-9]+ datagrams/s"
    done
    # The figures come with their conditions and their spread, and no bound.
    v=IPv4
    [[ $family == v6 ]] && v=IPv6
    expect_line "$C" "conditions: $v to $addr:[0-9]+, 50 datagrams of 32 bytes per measurement, 3 rounds .*, Linux [^ ]+, [0-9]+ CPUs? online\$"
    for m in "connected send\(\)" "connected sendto\(addr\)"; do
        expect_line "$C" "ratio $m / unconnected sendto\(\) = [0-9.]+  \(median of 3 rounds; min [0-9.]+, max [0-9.]+\)\$"
    done
    expect_no_line "$C" "upper bound"
    ;;
*)
    fail "unknown scenario $scenario"
    ;;
esac
echo "ok: $scenario $family"
