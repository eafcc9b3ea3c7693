#!/usr/bin/env bash
# ttl-hops.sh: what the TTL counts, on a real path. Builds host A - router R1 -
# router R2 - host B from veth pairs in private network namespaces, runs
# udp-server on B and `udp-client --scenario ttl` on A with TTL 1, 2 and 3,
# captures every link, and shows ICMP time exceeded from R1, then from R2,
# then delivery.
set -euo pipefail
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<'TEXT'
Usage: scripts/ttl-hops.sh [OPTION]...
Build  A (10.0.1.1) - R1 - R2 - B (10.0.3.2)  from veth pairs, each node in
its own network namespace, R1 and R2 forwarding. Run udp-server on B and
`udp-client --scenario ttl --host 10.0.3.2 --ttl N` on A for N = 1, 2, 3,
stepping both, and print:
  1. the narration of the server and of each client, merged by time;
  2. `ss -uan` on A and on B, under the step that preceded each snapshot;
  3. the packets tcpdump saw on each link (A-R1, R1-R2, R2-B);
  4. a ladder diagram across A, R1, R2, B: the datagram going as far as its
     TTL lets it, and the ICMP time exceeded from R1, then R2, then the
     echo from B.
Everything is kept in the run directory (one pcap per link).

Options:
      --ttls "N..."      the TTLs to try (default "1 2 3")
  -o, --out DIR          keep the run's files in DIR (default: a new folder
                         under runs/ in the repository)
      --run-timeout S    give up on the run after S seconds (default 30)
      --server-arg ARG   pass ARG to udp-server only (repeat for more words)
      --client-arg ARG   pass ARG to udp-client only
  -h, --help             this text
Any other option (e.g. --quiet) goes to both programs.

Programs are taken from $SOCKLAB_BIN, else <repo>/build/bin (built with
cmake if missing). Needs unshare and nsenter (util-linux), iproute2 and
tcpdump; exits 77 when it cannot make the namespaces.

Example:
  scripts/ttl-hops.sh --ttls "1 2 3 4" --quiet
TEXT
}

TTLS="1 2 3"
args=()
while (($#)); do
    case $1 in
    --ttls)
        (($# >= 2)) || sl_usage_error "--ttls needs a list"
        TTLS=$2
        shift
        ;;
    --ttls=*) TTLS=${1#*=} ;;
    *) args+=("$1") ;;
    esac
    shift
done
[[ $TTLS =~ ^[0-9\ ]+$ && -n ${TTLS// /} ]] || sl_usage_error "bad --ttls '$TTLS'"
sl_parse_common "${args[@]}"
if ((SL_HELP)); then
    usage
    exit 0
fi
[[ -z $SL_SCENARIO || $SL_SCENARIO == ttl ]] || sl_usage_error "ttl-hops plays only the ttl scenario"
SL_SCENARIO=ttl
sl_find_bin udp-server udp-client
command -v nsenter >/dev/null || sl_unavailable "nsenter (util-linux) is not installed"
command -v tcpdump >/dev/null || sl_unavailable "tcpdump is not installed (apt-get install tcpdump): the hops are seen only in the capture"
sl_enter_netns --ttls "$TTLS" "${args[@]}"

sl_setup_run
SL_SS_ARGS=(-uan)
declare -A NS # node name -> PID of a process holding its network namespace
NS[A]=$$

# in_ns NODE CMD...: run CMD in NODE's network namespace.
in_ns() {
    local node=$1
    shift
    if [[ $node == A ]]; then "$@"; else nsenter --net="/proc/${NS[$node]}/ns/net" "$@"; fi
}

# new_node NAME: a process in a new network namespace holds it (bounded by
# the run's timeout; the PID namespace ends it with the script anyway).
new_node() {
    local self i
    unshare --net sleep "$((SL_TIMEOUT_S + 30))" &
    NS[$1]=$!
    SL_PIDS+=($!)
    self=$(readlink /proc/self/ns/net)
    for ((i = 0; i < 300; i++)); do
        [[ $(readlink "/proc/${NS[$1]}/ns/net" 2>/dev/null) != "$self" ]] && return 0
        sl_sleep 0.01
    done
    sl_die "could not make the namespace of $1"
}

# sysctl_set NODE KEY VALUE: /proc/sys/net is per network namespace.
sysctl_set() {
    in_ns "$1" tee "/proc/sys/${2//.//}" <<<"$3" >/dev/null
}

for node in R1 R2 B; do new_node "$node"; done
for node in A R1 R2 B; do
    # No IPv6 link-local chatter in the captures.
    sysctl_set "$node" net.ipv6.conf.all.disable_ipv6 1
    sysctl_set "$node" net.ipv6.conf.default.disable_ipv6 1
    in_ns "$node" ip link set lo up
done
# link LEFT LIFACE LADDR RIGHT RIFACE RADDR
link() {
    ip link add "$2" type veth peer name "$5"
    [[ $1 == A ]] || ip link set "$2" netns "${NS[$1]}"
    ip link set "$5" netns "${NS[$4]}"
    in_ns "$1" ip addr add "$3/24" dev "$2"
    in_ns "$1" ip link set "$2" up
    in_ns "$4" ip addr add "$6/24" dev "$5"
    in_ns "$4" ip link set "$5" up
}
link A a-r1 10.0.1.1 R1 r1-a 10.0.1.2
link R1 r1-r2 10.0.2.1 R2 r2-r1 10.0.2.2
link R2 r2-b 10.0.3.1 B b-r2 10.0.3.2
in_ns A ip route add default via 10.0.1.2
in_ns R1 ip route add 10.0.3.0/24 via 10.0.2.2
in_ns R2 ip route add 10.0.1.0/24 via 10.0.2.1
in_ns B ip route add default via 10.0.3.1
sysctl_set R1 net.ipv4.ip_forward 1
sysctl_set R2 net.ipv4.ip_forward 1

sl_snapshot_extra() {
    printf '(on B)\n'
    in_ns B ss -uan 2>&1 | sed -e 's/[[:space:]]*$//' -e 's/^/  /'
}

sl_capture_start link1-A-R1 a-r1
sl_capture_start link2-R1-R2 r1-r2 "${NS[R1]}"
sl_capture_start link3-R2-B r2-b "${NS[R2]}"

sl_start server nsenter --net="/proc/${NS[B]}/ns/net" "$SL_BIN/udp-server" --step --scenario ttl \
    --bind 10.0.3.2 "${SL_PASS[@]}" "${SL_PASS_SERVER[@]}"
sl_drive_until server 'listening on ' 5 || sl_die "udp-server did not start on B"

# drive_until_exit SIDE: answer steps until SIDE has exited (bounded).
drive_until_exit() {
    local i
    for ((i = 0; i < SL_TIMEOUT_S * 100; i++)); do
        sl_pump
        sl_alive "$1" || break
        sl_sleep 0.01
    done
    sl_pump
    sl_alive "$1" && kill -TERM "${SL_PID[$1]}" 2>/dev/null
    sl_reap "$1"
}

rc=0
for ttl in $TTLS; do
    sl_start "client-ttl$ttl" "$SL_BIN/udp-client" --step --scenario ttl --host 10.0.3.2 \
        --ttl "$ttl" "${SL_PASS[@]}" "${SL_PASS_CLIENT[@]}"
    drive_until_exit "client-ttl$ttl"
    [[ ${SL_RC[client-ttl$ttl]} == 0 ]] || rc=1
done
kill -TERM "${SL_PID[server]}" 2>/dev/null || true
sl_reap server
printf 'server\n' >>"$SL_RUN/stopped.txt"
sl_now
sl_snapshot "after the last client exited   (t=$SL_NOW)"
sl_capture_stop

# The report: like sl_report, but with one packet list per link and a ladder
# across the four nodes.
sl_clocks
sl_merge_narration
{
    printf '== Narration (server on B, one client per TTL on A; seconds since the run started)\n\n'
    cat "$SL_RUN/narration.txt"
    for side in "${SL_SIDES[@]}"; do
        printf '[%s] exit status %s%s\n' "$side" "${SL_RC[$side]:-?}" \
            "$([[ $side == server ]] && echo ' (stopped by the script after the last client)')"
    done
    printf '\n== Socket tables (ss -uan on A, then on B), under the step that preceded each\n\n'
    cat "$SL_RUN/snapshots.txt"
    printf '== Packets on each link (tcpdump; seconds since the run started)\n'
    for pcap in "$SL_RUN"/link*.pcap; do
        name=$(basename "$pcap" .pcap)
        printf '\n-- %s\n' "${name#link?-}"
        sl_packets "$pcap" | sed 's/^/  /'
    done | tee "$SL_RUN/packets.txt"
    printf '\n== Ladder diagram (from the three captures)\n\n'
    for pcap in "$SL_RUN"/link*.pcap; do
        name=$(basename "$pcap" .pcap)
        tcpdump -nn -tt -v -r "$pcap" 2>/dev/null |
            awk -v link="${name:4:1}" '
                /^[0-9]+\.[0-9]+ / { if (line != "") print link " " line; line = $0; next }
                { sub(/^[ \t]+/, " "); line = line $0 }
                END { if (line != "") print link " " line }'
    done | sort -k2,2n | awk -v t0="$SL_T0" -v starts="$SL_RUN/clocks.tsv" '
        BEGIN {
            pos["10.0.1.1"] = 0; pos["10.0.1.2"] = 1; pos["10.0.2.1"] = 1
            pos["10.0.2.2"] = 2; pos["10.0.3.1"] = 2; pos["10.0.3.2"] = 3
            name[0] = "A"; name[1] = "R1"; name[2] = "R2"; name[3] = "B"
            gap = 26
            while ((getline l < starts) > 0) {
                split(l, f, "\t")
                if (f[1] ~ /^client-ttl/) { n++; st[n] = f[2] - t0; lab[n] = f[1] }
            }
            for (i = 2; i <= n; i++) # by start time
                for (j = i; j > 1 && st[j - 1] > st[j]; j--) {
                    x = st[j]; st[j] = st[j - 1]; st[j - 1] = x
                    x = lab[j]; lab[j] = lab[j - 1]; lab[j - 1] = x
                }
            next_start = 1
            printf "%9s  %-*s%-*s%-*s%s\n", "time", gap, "A 10.0.1.1", gap, "R1", gap, "R2", "B 10.0.3.2"
        }
        $3 == "IP" {
            t = $2 - t0
            while (next_start <= n && st[next_start] <= t) {
                printf "%9s  -- %s --\n", "", lab[next_start]; next_start++
            }
            ttl = ""; if (match($0, /ttl [0-9]+/)) ttl = substr($0, RSTART + 4, RLENGTH - 4)
            # Addresses: the first "A > B:" after the IP header.
            if (!match($0, /[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(\.[0-9]+)? > [0-9.]+:/)) next
            rest = substr($0, RSTART)
            split(rest, w, " "); src = w[1]; dst = w[3]; sub(/:$/, "", dst)
            if (split(src, o, ".") == 5) sub(/\.[0-9]+$/, "", src) # drop the port
            if (split(dst, o, ".") == 5) sub(/\.[0-9]+$/, "", dst)
            if (!(src in pos) || !(dst in pos)) next
            if (rest ~ /ICMP time exceeded/) what = "ICMP time exceeded"
            else if (rest ~ /ICMP/ && rest ~ /unreachable/) what = "ICMP unreachable"
            else if (rest ~ /UDP/) what = "UDP ttl=" ttl
            else next
            k = $1 - 1 # the link: gap k, between node k and node k+1
            right = pos[dst] > pos[src]
            body = right ? "--" what "-" : "<-" what "--"
            if (right) { while (length(body) < gap - 2) body = body "-"; body = body ">" }
            else { while (length(body) < gap - 1) body = body "-" }
            row = ""
            for (g = 0; g < 3; g++) row = row "|" (g == k ? body : sprintf("%" (gap - 1) "s", ""))
            row = row "|"
            note = ""
            if (what == "ICMP time exceeded") note = "  from " name[pos[src]] " (" src ")"
            if (what ~ /^UDP/ && pos[dst] == 3 && k == 2) note = right ? "  delivered to B" : ""
            if (what ~ /^UDP/ && pos[src] == 3 && k == 0) note = "  the echo reaches A"
            printf "%9.4f  %s%s\n", t, row, note
        }
        END {
            print ""
            print "  One arrow per packet, on the link where it was captured; ttl is the"
            print "  value in the IP header there. Each router takes one off; the one that"
            print "  would send it on with 0 drops it and answers ICMP time exceeded."
        }' | tee "$SL_RUN/ladder.txt"
    printf '\nFiles: %s\n' "$SL_RUN"
} | tee "$SL_RUN/report.txt"
exit "$rc"
