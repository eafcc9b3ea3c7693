#!/usr/bin/env bash
# ttl-hops.sh: what the TTL counts, on a real path. Builds host A - router R1 -
# router R2 - host B from veth pairs in private network namespaces, runs
# udp-server on B and `udp-client --scenario ttl` on A with TTL 1, 2 and 3,
# captures every link, and shows ICMP time exceeded from R1, then from R2,
# then delivery.
set -euo pipefail
sl_here=${BASH_SOURCE[0]%/*}
[[ $sl_here == "${BASH_SOURCE[0]}" ]] && sl_here=. # no fork for dirname
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
source "$sl_here/lib.sh"

usage() {
    sl_help "Usage: scripts/ttl-hops.sh [OPTION]...
Build  A (10.0.1.1) - R1 - R2 - B (10.0.3.2)  from veth pairs, each node in
its own network namespace, R1 and R2 forwarding. Run udp-server on B and
\`udp-client --scenario ttl --host 10.0.3.2 --ttl N\` on A for N = 1, 2, 3,
stepping both, and print:
  1. the narration of the server and of each client, merged by time;
  2. \`ss -uan\` on A and on B, under the step that preceded each snapshot;
  3. the packets tcpdump saw on each link (A-R1, R1-R2, R2-B);
  4. a ladder diagram across A, R1, R2, B: the datagram going as far as its
     TTL lets it, and the ICMP time exceeded from R1, then R2, then the
     echo from B.
Everything is kept in the run directory (one pcap per link).

Options:
      --ttls \"N...\"      the TTLs to try, each once, 1 to 255 (default
                         \"1 2 3\")
  -o, --out DIR          keep the run's files in DIR: a new or empty folder,
                         or one an earlier run of a script made (its files
                         are then replaced; a folder holding anything else is
                         refused) (default: a new folder under runs/ in the
                         repository)
  -p, --port P           udp-server's port on B, 1 to 65535
      --run-timeout S    give up on the run after S seconds (default 30)
      --dry-run          check every option and find the programs, say what
                         would run, and start nothing (exit 0)
      --server-arg ARG   pass ARG to udp-server only (repeat for more words)
      --client-arg ARG   pass ARG to udp-client only
  -h, --help             this text
Any other option (e.g. --quiet) goes to both programs. Every option is
checked before the run starts: bad usage exits 2 with one line.

Programs are taken from \$SOCKLAB_BIN, else, for installed scripts, from
where they were installed, else <repo>/build/bin (built with cmake if
missing). Needs unshare and nsenter (util-linux), iproute2 and
tcpdump; exits 77 when it cannot make the namespaces. Ctrl-C, SIGTERM and
SIGHUP stop a run within a second: no process or temporary file stays
behind, and the run folder keeps what was written so far, with a file
INTERRUPTED that says so.

Example:
  scripts/ttl-hops.sh --ttls \"1 2 3 4\" --quiet"
}

TTLS=(1 2 3)
SL_OWN_OPTS=ttls # so that an abbreviation (--ttl) is refused, not passed on
args=()
while (($#)); do
    case $1 in
    --ttls | --ttls=*)
        if [[ $1 == --ttls ]]; then
            (($# >= 2)) || sl_usage_error '--ttls needs a list'
            list=$2
            shift
        else
            list=${1#*=}
        fi
        read -r -a TTLS <<<"$list"
        ((${#TTLS[@]})) || sl_usage_error 'empty --ttls'
        declare -A seen=()
        for ttl in "${TTLS[@]}"; do
            if ! [[ $ttl =~ ^[1-9][0-9]{0,2}$ ]] || ((ttl > 255)); then
                sl_usage_error "bad TTL '%s' in --ttls (want 1 to 255)" "$ttl"
            fi
            # Each TTL's client keeps its files under its TTL's name.
            [[ -z ${seen[$ttl]:-} ]] || sl_usage_error 'TTL %s is twice in --ttls' "$ttl"
            seen[$ttl]=1
        done
        ;;
    *) args+=("$1") ;;
    esac
    shift
done
sl_parse_common "${args[@]}"
if ((SL_HELP)); then
    usage
    exit 0
fi
[[ -z $SL_SCENARIO || $SL_SCENARIO == ttl ]] || sl_usage_error 'ttl-hops plays only the ttl scenario'
[[ -z $SL_BIND && -z $SL_HOST ]] || sl_usage_error 'ttl-hops sets the addresses itself (B is 10.0.3.2)'
SL_SCENARIO=ttl
sl_check_out
sl_find_bin udp-server udp-client
sl_check_programs udp-server udp-client
if ! sl_is_inner; then
    command -v nsenter >/dev/null || sl_unavailable 'nsenter (util-linux) is not installed'
    command -v tcpdump >/dev/null || sl_unavailable 'tcpdump is not installed (apt-get install tcpdump): the hops are seen only in the capture'
fi
SL_LO_UP=0 # A's lo comes up with the rest of A's interfaces, in one `ip`
sl_enter_netns --ttls "${TTLS[*]}" "${args[@]}"

# Every FIFO of the run, made by one mkfifo.
links=(link1-A-R1 link2-R1-R2 link3-R2-B)
fifos=(nodes.ready server.stdin)
for ttl in "${TTLS[@]}"; do fifos+=("client-ttl$ttl.stdin"); done
fifos+=("${links[@]/%/.tcpdump.err}")
SL_AWK_FILES=(ttl-ladder.awk ttl-svg.awk) # ttl-svg.awk: ttl_pictures
sl_setup_run "${fifos[@]}"
SL_SS_ARGS=(-uan)
declare -A NS # node name -> PID of a process holding its network namespace
NS[A]=$$

# No IPv6 link-local chatter in the captures.
printf '1\n' >/proc/sys/net/ipv6/conf/all/disable_ipv6
printf '1\n' >/proc/sys/net/ipv6/conf/default/disable_ipv6

# The nodes R1, R2 and B: each one a process in a new network namespace that
# sets the node's sysctls from inside (/proc/sys/net is the namespace of the
# process that opens it), says its name on a FIFO, and then holds the
# namespace (bounded by the run's timeout; the PID namespace ends it with the
# script anyway). One after the other: on a small VM, processes started side
# by side take longer than in turn.
exec {ready_fd}<>"$SL_TMP/nodes.ready"
SL_FIFO_FDS+=("$ready_fd")
for node in R1 R2 B; do
    setup='echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6'
    [[ $node == R? ]] && setup+='; echo 1 >/proc/sys/net/ipv4/ip_forward' # the routers forward
    unshare --net sh -ec "$setup; echo $node; exec sleep $((SL_TIMEOUT_S + 30))" >&"$ready_fd" &
    NS[$node]=$!
    SL_PIDS+=($!)
    if ! read -r -t 5 -u "$ready_fd" said || [[ $said != "$node" ]]; then
        sl_die 'could not make the namespace of %s' "$node"
    fi
done

# The links, made from A with each end created in its node; then each node
# gives its ends their addresses and routes: one `ip -batch` per node.
ip -batch - <<EOF || sl_die 'could not build the links'
link set lo up
link add a-r1 type veth peer name r1-a netns ${NS[R1]}
link add r1-r2 netns ${NS[R1]} type veth peer name r2-r1 netns ${NS[R2]}
link add r2-b netns ${NS[R2]} type veth peer name b-r2 netns ${NS[B]}
addr add 10.0.1.1/24 dev a-r1
link set a-r1 up
route add default via 10.0.1.2
EOF
declare -A config=(
    [R1]="addr add 10.0.1.2/24 dev r1-a
link set r1-a up
addr add 10.0.2.1/24 dev r1-r2
link set r1-r2 up
route add 10.0.3.0/24 via 10.0.2.2"
    [R2]="addr add 10.0.2.2/24 dev r2-r1
link set r2-r1 up
addr add 10.0.3.1/24 dev r2-b
link set r2-b up
route add 10.0.1.0/24 via 10.0.2.1"
    [B]="addr add 10.0.3.2/24 dev b-r2
link set b-r2 up
route add default via 10.0.3.1"
)
for node in R1 R2 B; do
    nsenter --net="/proc/${NS[$node]}/ns/net" ip -batch - <<<"link set lo up
${config[$node]}" || sl_die 'could not configure %s' "$node"
done

sl_tr '(on B)'
sl_snapshot_part "$SL_TR" trim nsenter --net="/proc/${NS[B]}/ns/net" ss -uan

sl_capture_start "${links[0]}" a-r1
sl_capture_wait
sl_capture_start "${links[1]}" r1-r2 "${NS[R1]}"
sl_capture_wait
sl_capture_start "${links[2]}" r2-b "${NS[R2]}"
sl_capture_wait
port=()
[[ -n $SL_PORT ]] && port=(--port "$SL_PORT")
sl_start server nsenter --net="/proc/${NS[B]}/ns/net" "$SL_BIN/udp-server" --step --scenario ttl --keep-serving \
    --bind 10.0.3.2 "${port[@]}" "${SL_PASS[@]}" "${SL_PASS_SERVER[@]}"
sl_drive_until server 'listening on ' 5 || sl_die 'udp-server did not start on B'

# drive_until_exit SIDE: answer steps until SIDE has exited (bounded).
drive_until_exit() {
    local end
    sl_ms
    end=$((SL_MS + SL_TIMEOUT_S * 1000))
    while :; do
        sl_pump
        sl_alive "$1" || break
        sl_ms
        ((SL_MS < end)) || break
        sl_poll_sleep
    done
    sl_pump
    if sl_alive "$1"; then kill -TERM "${SL_PID[$1]}" 2>/dev/null || true; fi
    sl_reap "$1"
}

rc=0
for ttl in "${TTLS[@]}"; do
    sl_start "client-ttl$ttl" "$SL_BIN/udp-client" --step --scenario ttl --host 10.0.3.2 \
        --ttl "$ttl" "${port[@]}" "${SL_PASS[@]}" "${SL_PASS_CLIENT[@]}"
    drive_until_exit "client-ttl$ttl"
    [[ ${SL_RC[client-ttl$ttl]} == 0 ]] || rc=1
done
kill -TERM "${SL_PID[server]}" 2>/dev/null || true
sl_reap server
sl_own stopped.txt
printf 'server\n' >>"$SL_RUN/stopped.txt"
sl_now
sl_tr 'after the last client exited   (t=%s)'
# shellcheck disable=SC2059 # the format is the (translated) msgid
printf -v SL_TR -- "$SL_TR" "$SL_NOW"
sl_snapshot "$SL_TR"
sl_capture_stop

# The report: like sl_report, but with one packet list per link and a ladder
# across the four nodes. Each capture is read twice (plain for the list, -v
# for the TTLs in the ladder); one awk (ttl-ladder.awk) then writes the list
# and the ladder.
sl_timeline
for name in "${links[@]}"; do
    tcpdump -nn -tt -r "$SL_RUN/$name.pcap" >"$SL_TMP/$name.list" 2>/dev/null || true
    tcpdump -nn -tt -v -r "$SL_RUN/$name.pcap" >"$SL_TMP/$name.verbose" 2>/dev/null || true
done
inputs=()
for name in "${links[@]}"; do inputs+=("$SL_TMP/$name.list"); done
for name in "${links[@]}"; do inputs+=("$SL_TMP/$name.verbose"); done
sl_own packets.txt ladder.txt report.txt
awk -v t0="$SL_T0" -v starts="$SL_RUN/clocks.tsv" -v nlinks="${#links[@]}" \
    -v listout="$SL_RUN/packets.txt" -v tr="$SL_AWK_TR" \
    -f "$SL_LIBDIR/msort.awk" -f "$SL_LIBDIR/ttl-ladder.awk" "${inputs[@]}" >"$SL_RUN/ladder.txt"
{
    sl_line '== Narration (server on B, one client per TTL on A; seconds since the run started)'
    printf '\n'
    sl_cat "$SL_RUN/narration.txt"
    for side in "${SL_SIDES[@]}"; do
        note=""
        if [[ $side == server ]]; then
            sl_tr ' (stopped by the script after the last client)'
            note=$SL_TR
        fi
        sl_line '[%s] exit status %s%s' "$side" "${SL_RC[$side]:-?}" "$note"
    done
    printf '\n'
    sl_line '== Socket tables (ss -uan on A, then on B), under the step that preceded each'
    printf '\n'
    sl_cat "$SL_RUN/snapshots.txt"
    sl_line '== Packets on each link (tcpdump; seconds since the run started)'
    sl_cat "$SL_RUN/packets.txt"
    printf '\n'
    sl_line '== Ladder diagram (from the three captures)'
    printf '\n'
    sl_cat "$SL_RUN/ladder.txt"
    printf '\n'
    sl_line 'Files: %s' "$SL_RUN"
} >"$SL_RUN/report.txt"
sl_cat "$SL_RUN/report.txt"

# The run's picture (when scripts/ttl-svg.awk is there), ttl.svg, from what
# ttl-ladder.awk read (each link's list, then each link's -v text), then
# report.html.
sl_picture ttl-svg.awk ttl.svg -v t0="$SL_T0" -v starts="$SL_RUN/clocks.tsv" -v nlinks="${#links[@]}" \
    -v narration="$SL_RUN/narration.txt" "${inputs[@]}"
sl_pictures
exit "$rc"
