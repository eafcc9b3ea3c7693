#!/usr/bin/env bash
# demo_pcap.sh CASE: tcp-peer's --pcap file and --quiet.
#   capture        the file holds every segment narrated, in order (tcpdump -r)
#   exists         an existing file is refused (exit 2) and left as it was
#   bad-with-pcap  bad usage next to --pcap makes no file
#   unwritable     a folder that cannot be written: exit 1, the errno named
#   quiet          --quiet keeps every event line and drops the explanations
#   check          --check judges the options, says nothing, makes nothing
#   fallback       where /dev/net/tun cannot be used, the link is veth + AF_PACKET
# shellcheck source=SCRIPTDIR/../common/demo.sh
source "${SOCKLAB_TEST_COMMON:?}/demo.sh"

P=$WORK/capture.pcap

# without_tun CMD...: CMD where /dev/net/tun is /dev/null (a mount namespace of its own).
without_tun() {
    # shellcheck disable=SC2016 # $0 and $@ belong to the inner shell
    unshare --mount sh -c 'mount --bind /dev/null /dev/net/tun && exec "$0" "$@"' "$@"
}
case $1 in
capture)
    command -v tcpdump >/dev/null || { echo "SKIP: tcpdump is not installed"; exit 77; }
    run_client tcp-peer 0 --scenario old-duplicate --pcap "$P" --timeout 3000
    [[ -s $P ]] || fail "no capture written"
    tcpdump -nr "$P" >"$WORK/dump.txt" 2>"$WORK/dump.log" || fail "tcpdump -r failed"
    mapfile -t narrated < <(grep -E ' peer +.* \[[SFRP.]+\] seq ' "$WORK/client.out")
    mapfile -t dumped <"$WORK/dump.txt"
    ((${#dumped[@]} == ${#narrated[@]})) ||
        fail "${#dumped[@]} packets in the capture, ${#narrated[@]} narrated"
    # The old copy, as tcpdump sees it on the wire: 8 bytes "old data" twice.
    expect_line "$WORK/dump.txt" 'IP 192\.0\.2\.2\.40005 > 192\.0\.2\.1\.19005: Flags \[P\.\], seq [0-9]+:[0-9]+, ack [0-9]+, .*length 8'
    n=0
    for l in "${dumped[@]}"; do [[ $l == *'length 8'* ]] && n=$((n + 1)); done
    # (A kernel that drops the copy for its old ack number gets it once more.)
    ((n == 2 || n == 3)) || fail "$n segments of 8 bytes, want the first and its old copy"
    ;;
exists)
    printf 'precious\n' >"$P"
    rc=0
    "$BIN/tcp-peer" --scenario old-duplicate --pcap "$P" >"$WORK/out" 2>"$WORK/err" || rc=$?
    ((rc == 2)) || fail "exit $rc, want 2"
    [[ $(<"$P") == precious ]] || fail "the existing file was changed"
    expect_line "$WORK/err" 'tcp-peer: --pcap .*exists'
    [[ ! -s $WORK/out ]] || fail "narration on bad usage"
    ;;
bad-with-pcap)
    rc=0
    "$BIN/tcp-peer" --scenario nope --pcap "$P" >"$WORK/out" 2>"$WORK/err" || rc=$?
    ((rc == 2)) || fail "exit $rc, want 2"
    [[ ! -e $P ]] || fail "bad usage made $P"
    ;;
unwritable)
    run_client tcp-peer 1 --scenario old-duplicate --pcap "$WORK/no/such/folder/c.pcap"
    expect_line "$WORK/client.out" 'errno=ENOENT'
    [[ ! -e $WORK/no ]] || fail "a folder was made"
    ;;
quiet)
    run_client tcp-peer 0 --scenario rst-into-time-wait --timeout 3000
    mv "$WORK/client.out" "$WORK/loud.txt"
    run_client tcp-peer 0 --scenario rst-into-time-wait --timeout 3000 --quiet
    # The same events; times, timers and the kernel's ISN differ run to run.
    same='s/^ *[0-9.]+ //; s/[0-9]+ ms/N ms/; s/timer=[0-9.]+s/timer=Ts/; s/isn=[0-9]+/isn=N/'
    mapfile -t loud < <(grep -v '^      ' "$WORK/loud.txt" | sed -E "$same")
    mapfile -t quiet < <(sed -E "$same" "$WORK/client.out")
    [[ "${loud[*]}" == "${quiet[*]}" ]] || fail "--quiet changed the event lines"
    grep -q '^      ' "$WORK/loud.txt" || fail "no explanation without --quiet"
    ! grep -q '^      ' "$WORK/client.out" || fail "an explanation under --quiet"
    ;;
check)
    run_client tcp-peer 0 --check --scenario old-duplicate --guard timestamps --pcap "$P"
    [[ ! -s $WORK/client.out && ! -s $WORK/client.err ]] || fail "--check said something"
    [[ ! -e $P ]] || fail "--check made $P"
    run_client tcp-peer 2 --check --scenario hold-last-ack --guard none
    expect_line "$WORK/client.err" '^tcp-peer: --guard is for --scenario old-duplicate only'
    ;;
fallback)
    # /dev/null in place of /dev/net/tun, in a mount namespace of the test's own.
    command -v unshare >/dev/null || { echo "SKIP: unshare (util-linux) is not installed"; exit 77; }
    without_tun true 2>/dev/null ||
        { echo "SKIP: cannot make a mount namespace here to hide /dev/net/tun"; exit 77; }
    rc=0
    without_tun "$BIN/tcp-peer" --scenario rst-into-time-wait --timeout 3000 \
        >"$WORK/client.out" 2>"$WORK/client.err" </dev/null || rc=$?
    ((rc == 0)) || fail "tcp-peer exited $rc"
    expect_line "$WORK/client.out" 'peer +plays .* over socklab0 \(veth\+AF_PACKET\)'
    # --link tun there: no fallback, exit 1 and the reason.
    rc=0
    without_tun "$BIN/tcp-peer" --link tun --scenario rst-into-time-wait \
        >"$WORK/client.out" 2>"$WORK/client.err" </dev/null || rc=$?
    ((rc == 1)) || fail "--link tun without TUN exited $rc, want 1"
    expect_line "$WORK/client.out" 'no link to play the peer on: ioctl\(TUNSETIFF\).*errno=E'
    ;;
*) fail "unknown case $1" ;;
esac
echo "PASS: $1"
