#!/usr/bin/env bash
# backlog_demo.sh SCENARIO v4|v6: run backlog-server and backlog-client as two
# processes in this test's private namespace (sysctls may change here) and
# check what each one narrates. No sleeps: the server ends by itself once the
# client has closed everything.
# shellcheck source=SCRIPTDIR/../common/demo.sh
source "${SOCKLAB_TEST_COMMON:?}/demo.sh"

scenario=$1
host=127.0.0.1
[[ ${2:-v4} == v6 ]] && host=::1

# pair "SERVER ARGS" "CLIENT ARGS": one run of both ends, exit codes checked.
pair() {
    # shellcheck disable=SC2086
    start_server backlog-server --scenario "$scenario" --bind "$host" --port 0 $1
    # shellcheck disable=SC2086
    run_client backlog-client 0 --scenario "$scenario" --host "$host" --port "$SERVER_PORT" $2
    wait_server 0
    expect_no_line "$WORK/client.out" 'errno=ECONNREFUSED'
    expect_line "$WORK/server.out" 'no client connection to port [0-9]+ is left'
}

s=$WORK/server.out
c=$WORK/client.out
case $scenario in
no-server)
    # Nobody listens: exit 1, and the hint comes before any queue lesson.
    run_client backlog-client 1 --host "$host" --port 19004
    expect_order "$c" 'summary: 0 completed, 0 in SYN_SENT, 0 reset, 8 refused' \
        'every connect\(\) was refused +errno=ECONNREFUSED: is backlog-server running'
    expect_no_line "$c" 'accept queue|MORE than backlog'
    ;;
fill)
    pair "" ""
    expect_line "$s" 'listen\(fd, 4\): net.core.somaxconn=[0-9]+, effective backlog 4, capacity 5'
    expect_line "$s" 'accept queue 5 \(Recv-Q\), backlog 4 \(Send-Q\): FULL'
    expect_line "$c" 'conn 1-5 \(5\): completed state=ESTABLISHED'
    expect_line "$c" 'conn 6-8 \(3\): still state=SYN_SENT'
    expect_line "$c" 'summary: 5 completed, 3 in SYN_SENT, 0 reset, 0 refused, 0 timed out'
    expect_line "$c" 'accept queue holds 5 .* backlog 4 .*: backlog \+ 1'
    expect_line "$c" 'ListenOverflows \+3, ListenDrops \+3'
    ;;
drain)
    pair "" ""
    expect_order "$s" 'accept queue 5 .*FULL' 'accepted .* accept queue now 4' \
        'accept queue 5 .*FULL'
    # One retransmitted SYN (about 1 s later) takes the free slot; the others
    # are dropped again, at their SYN or, if they raced it, at their final ACK.
    expect_line "$c" 'conn [678] completed (9[0-9][0-9]|1[0-4][0-9][0-9]) ms after its connect\(\).*sent 1 more time'
    expect_line "$c" 'server side \(sock_diag\): 6 held'
    # The retransmission schedule of the running kernel (6.5 added the linear start).
    if [[ -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts ]]; then
        expect_line "$c" 'a dropped SYN is resent at 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s after connect'
    else
        expect_line "$c" 'a dropped SYN is resent at 1, 3, 7, 15, 31, 63 s after connect'
    fi
    expect_line "$c" 'accept queue holds 5 .* backlog 4 .*: backlog \+ 1'
    ;;
clamp)
    pair "" ""
    if [[ ! -e /proc/sys/net/core/somaxconn ]]; then
        # Linux < 6.3 in an ordinary user's namespace: somaxconn is hidden and
        # stays at its default; the clamp is shown at that value.
        expect_line "$s" 'sysctl net.core.somaxconn -> 16: errno=ENOENT, not shown in this namespace'
        expect_line "$s" 'net.core.somaxconn: hidden in this namespace; listen\(fd, -1\) shows 4096'
        expect_line "$s" 'listen\(fd, 1000\): net.core.somaxconn=4096, effective backlog 1000, capacity 1001'
        expect_line "$s" 'listen\(fd, -1\) gets backlog 4096 = somaxconn'
        expect_line "$s" 'listen\(fd, 100000\) gets backlog 4096 = somaxconn'
        expect_line "$c" 'summary: 20 completed, 0 in SYN_SENT, 0 reset, 0 refused'
        echo "PASS: clamp over $host (somaxconn hidden here: shown at its default)"
        exit 0
    fi
    expect_line "$s" 'before listen: sysctl net.core.somaxconn [0-9]+ -> 16'
    expect_line "$s" 'listen\(fd, 1000\): net.core.somaxconn=16, effective backlog 16, capacity 17'
    expect_line "$s" 'listen\(fd, -1\) gets backlog 16'
    expect_line "$s" 'listen\(fd, 100000\) gets backlog 16'
    expect_line "$c" 'summary: 17 completed, 3 in SYN_SENT, 0 reset, 0 refused'
    expect_line "$c" 'accept queue holds 17 .* backlog 16 .*: backlog \+ 1'
    ;;
syn-queue)
    # Defaults: syncookies=1, and a SYN queue the backlog bounds too.
    pair "" ""
    expect_line "$s" 'net.ipv4.tcp_max_syn_backlog=[0-9]+'
    expect_line "$s" 'net.ipv4.tcp_syncookies=1'
    expect_line "$c" 'summary: 8 completed, 0 in SYN_SENT'
    expect_line "$c" 'server side \(sock_diag\): 3 held .*, 5 still requests state=SYN_RECV'
    expect_line "$c" 'TCPReqQFullDoCookies \+3'
    # Cookies off: the same overflow drops the SYNs.
    pair "--syncookies 0" ""
    expect_line "$s" 'sysctl net.ipv4.tcp_syncookies 1 -> 0'
    expect_line "$c" 'summary: 5 completed, 3 in SYN_SENT'
    expect_line "$c" 'TCPReqQFullDrop \+3'
    expect_line "$c" 'with tcp_syncookies=0 the SYNs that found'
    expect_no_line "$c" 'got a SYN cookie'
    ;;
ack-overflow)
    pair "--abort-on-overflow 0" ""
    expect_line "$c" 'conn 1-3 \(3\): byte acknowledged'
    expect_line "$c" 'conn 4-5 \(2\): byte unacknowledged, still state=ESTABLISHED: silently dropped'
    expect_no_line "$c" 'errno=ECONNRESET'
    expect_line "$c" 'ListenOverflows \+2'
    pair "--abort-on-overflow 1" ""
    expect_line "$s" 'sysctl net.ipv4.tcp_abort_on_overflow 0 -> 1'
    expect_line "$c" 'conn 4 \(victim\): send\(\) returned 1, then: reset errno=ECONNRESET'
    expect_line "$c" 'conn 5 \(victim\): send\(\) returned 1, then: reset errno=ECONNRESET'
    expect_line "$c" 'EmbryonicRsts \+2'
    ;;
whole-timeout)
    # --timeout bounds the whole run: a client that keeps the queue moving
    # (a new connection every 100 ms for 3 s) does not keep the server alive.
    start_server backlog-server --scenario fill --accept all --timeout 400 --bind "$host" --port 0
    fds=()
    for ((i = 0; i < 30; i++)); do
        [[ -d /proc/$SERVER_PID ]] || break
        exec {fd}<>"/dev/tcp/$host/$SERVER_PORT" || break
        fds+=("$fd")
        read -r -t 0.1 -u "$PACE_FD" _ || true # the trickle's pace, not a synchronisation
    done
    wait_server 1
    ((${#fds[@]} < 30)) || fail "the server outlived 30 connections 100 ms apart"
    expect_line "$s" 'clients still connected within --timeout 400 ms, giving up errno=ETIMEDOUT'
    ;;
sysctl-restore)
    # A namespace may outlive the run (ip netns exec): every sysctl the
    # server changed is put back when it ends, and when it is killed.
    sc=/proc/sys/net/ipv4/tcp_syncookies ab=/proc/sys/net/ipv4/tcp_abort_on_overflow
    read -r cookies0 <"$sc"
    read -r abort0 <"$ab"
    scenario=syn-queue
    pair "--syncookies 0" ""
    expect_line "$s" "sysctl net.ipv4.tcp_syncookies $cookies0 -> 0"
    read -r v <"$sc"
    [[ $v == "$cookies0" ]] || fail "tcp_syncookies left at $v after the run, was $cookies0"
    for sig in TERM INT HUP; do
        start_server backlog-server --scenario ack-overflow --abort-on-overflow 1 \
            --syncookies 0 --bind "$host" --port 0
        read -r v <"$ab"
        [[ $v == 1 ]] || fail "tcp_abort_on_overflow is $v while the server runs"
        kill -"$sig" "$SERVER_PID"
        rc=0
        wait "$SERVER_PID" || rc=$?
        SERVER_PID=
        ((rc != 0)) || fail "the server ended with 0 on SIG$sig"
        read -r v <"$ab"
        [[ $v == "$abort0" ]] || fail "tcp_abort_on_overflow left at $v after SIG$sig"
        read -r v <"$sc"
        [[ $v == "$cookies0" ]] || fail "tcp_syncookies left at $v after SIG$sig"
    done
    ;;
fill-stepped)
    # --step: the time at an Enter prompt is the learner's, not the run's. The
    # Enter lines come after a pause longer than --deadline (the pause is what
    # is tested, not a synchronisation), and the summary is the unstepped one.
    # It reads times and counts from English lines: no Chinese twin.
    scenario=fill
    pair "" "--deadline 250"
    first_match "$c" 'summary: (.*), in [0-9]+ ms$'
    [[ -n $MATCH ]] || fail "no summary in the unstepped run"
    want=${BASH_REMATCH[1]}
    start_server backlog-server --scenario fill --bind "$host" --port 0
    rc=0
    { read -r -t 0.5 -u "$PACE_FD" _ || true; printf '\n\n'; } |
        timeout 10 "$BIN/backlog-client" --step --scenario fill --host "$host" \
            --port "$SERVER_PORT" --deadline 250 >"$c" 2>"$WORK/client.err" || rc=$?
    ((rc == 0)) || fail "stepped backlog-client exited $rc, want 0"
    wait_server 0
    # The prompt really lasted longer than the deadline...
    expect_line "$c" '^ *([0-9]+)\.([0-9]{3}) client  step: press Enter to open the connections'
    t_step=$((10#${BASH_REMATCH[1]}${BASH_REMATCH[2]}))
    expect_line "$c" '^ *([0-9]+)\.([0-9]{3}) client  8 non-blocking connect\(\) calls issued in ([0-9]+) ms'
    t_go=$((10#${BASH_REMATCH[1]}${BASH_REMATCH[2]})) issued=${BASH_REMATCH[3]}
    # (the pause starts before the client does: on an emulated machine its
    # start-up eats into it, so only "longer than the deadline" is asked)
    ((t_go - t_step > 250)) || fail "the step lasted $((t_go - t_step)) ms, want more than the 250 ms deadline"
    # ...and counted for nothing: not in the connect phase, not against --deadline.
    ((issued < 250)) || fail "the connect phase counted the step: issued in $issued ms"
    expect_no_line "$c" 'deadline of 250 ms reached'
    expect_line "$c" 'summary: (.*), in ([0-9]+) ms$'
    ((BASH_REMATCH[2] < 250)) || fail "the summary counted the step: ${BASH_REMATCH[2]} ms"
    # Same outcome as unstepped where handshakes are quick; an emulated
    # machine may let SYN cookies in (as unstepped runs there do too), so
    # a difference is said, not failed.
    [[ ${BASH_REMATCH[1]} == "$want" ]] ||
        echo "note: stepped summary '${BASH_REMATCH[1]}', unstepped '$want'"
    ;;
head)
    # A reader that goes away (| head -1) ends the server at once, cleanly.
    head_ends backlog-server --bind "$host" --port 0 --timeout 3000
    ;;
*)
    fail "unknown scenario $scenario"
    ;;
esac
echo "PASS: $scenario over $host"
