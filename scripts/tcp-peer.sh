#!/usr/bin/env bash
# tcp-peer.sh: one tcp-peer scenario in one terminal, with its capture and a
# ladder diagram. tcp-peer plays a TCP peer segment by segment against the
# kernel's own socket, in a network namespace it makes itself, so no tcpdump
# can run beside it: it writes every segment it sends or receives to a pcap
# file (--pcap), which tcpdump reads here without privilege. The script keeps
# tcp-peer's narration, its capture, the packet list and the ladder (the
# peer on the left, the kernel's socket on the right) in a run folder.
#
# The run has two halves like every script's (lib.sh): the outer one checks
# the options (tcp-peer's through tcp-peer itself) and makes the run folder,
# the inner one, PID 1 of its own namespaces, starts tcp-peer; its namespace
# sits inside the inner half's, and a signal stops both.
set -euo pipefail
sl_here=${BASH_SOURCE[0]%/*}
[[ $sl_here == "${BASH_SOURCE[0]}" ]] && sl_here=. # no fork for dirname
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
source "$sl_here/lib.sh"

TP_PORT=19005 # tcp-peer's default --port: the kernel socket's

usage() {
    sl_help "Usage: scripts/tcp-peer.sh [OPTION]...
Run tcp-peer (default scenario old-duplicate): a scripted TCP peer plays
against the kernel's own socket in a network namespace of its own, and
writes every segment to a capture. Then print:
  1. tcp-peer's narration: \"server\" lines are the kernel's socket (its
     calls and the states sock_diag reports), \"peer\" lines the segments
     the peer sends and receives;
  2. the packets of the capture (tcpdump -r);
  3. a ladder diagram: one arrow per segment, the peer on the left, the
     kernel's socket on the right, with the state each end entered; copies
     the peer sends again (an old duplicate) are marked.
Everything is kept in the run directory (narration.txt, capture.pcap,
packets.txt, ladder.txt, report.txt, tcp-peer.err, tcp-peer.cmd)."
    printf '\n'
    sl_help "Options:
  -s, --scenario NAME    the scenario tcp-peer plays (see tcp-peer --help):
                         old-duplicate, rst-into-time-wait,
                         fin-into-time-wait, hold-last-ack, drop-synack
  -o, --out DIR          keep the run's files in DIR: a new or empty folder,
                         or one an earlier run of a script made (its files
                         are then replaced; a folder holding anything else is
                         refused) (default: a new folder under runs/ in the
                         repository, or in the current folder for installed
                         scripts)
  -p, --port P           the kernel socket's port, 1 to 65535 (default 19005)
      --run-timeout S    give up on the run after S seconds (default 30)
      --dry-run          check every option and find tcp-peer, say what
                         would run, and start nothing (exit 0)
  -h, --help             this text
Any other option goes to tcp-peer: --guard G, --rfc1337 0|1, --resends N,
--ipv6, --link KIND, --timeout MS, --quiet. The script gives --pcap itself.
Every option is checked before the run starts (tcp-peer's by tcp-peer): bad
usage exits 2 with one line.

tcp-peer is taken from \$SOCKLAB_BIN, else, for installed scripts, from
where it was installed, else <repo>/build/bin (built with cmake if missing).
The run needs unshare (util-linux) and iproute2; without tcpdump it still
shows the narration and keeps the capture, but draws no ladder. It exits 77
when it cannot make a private namespace. Ctrl-C, SIGTERM and SIGHUP stop a
run within a second: no process or temporary file stays behind, and the run
folder keeps what was written so far, with a file INTERRUPTED that says so."
    printf '\n'
    sl_help "Examples:
  scripts/tcp-peer.sh
  scripts/tcp-peer.sh --scenario old-duplicate --guard timestamps
  scripts/tcp-peer.sh --scenario hold-last-ack --resends 3 --quiet --out /tmp/last-ack"
}

# The report's texts, looked up (in Chinese) with the ladder's in one batch.
SL_TR_RUN+=(
    "== Narration (tcp-peer's own; server: the kernel's socket, peer: the segments it plays; seconds since it started)"
    "== Packets the peer sent and received (tcp-peer's capture, read by tcpdump; seconds since it started)"
    '== Packets and ladder: none (tcpdump, which reads capture.pcap, is not installed: apt-get install tcpdump)'
    '== Packets and ladder: none (tcp-peer wrote no capture)'
)

# Refused here, with one line: tcp-peer's --pcap (the script gives it), and
# the options of the scripts that run a pair of programs. --step goes to
# tcp-peer, which says why not (lib.sh would drop it: a pair is always
# stepped).
SL_OWN_OPTS=pcap # an abbreviation (--pca) is refused, not passed on
args=()
step=0
for a in "$@"; do
    case $a in
    --pcap | --pcap=*) sl_usage_error '%s: the script has tcp-peer write capture.pcap into the run folder itself' --pcap ;;
    -b | --bind | --bind=* | -b?* | -H | --host | --host=* | -H?*)
        o=--bind
        [[ $a == -H* || $a == --host* ]] && o=--host
        sl_usage_error "%s: tcp-peer's addresses are fixed (192.0.2.1 for the kernel's socket, .2 for the peer; --ipv6: 2001:db8::1 and ::2)" "$o"
        ;;
    --server-arg | --client-arg) sl_usage_error '%s: tcp-peer is one program; give its options as they are' "$a" ;;
    --detail) sl_usage_error "%s: this script takes no ss snapshots (the kernel's states are in tcp-peer's narration)" "$a" ;;
    --step) step=1 ;;
    *) args+=("$a") ;;
    esac
done
sl_parse_common ${args[@]+"${args[@]}"}
if ((SL_HELP)); then
    usage
    exit 0
fi
SL_SCENARIO=${SL_SCENARIO:-old-duplicate}
sl_check_out
sl_find_bin tcp-peer

# TP_ARGS: tcp-peer's words, but --pcap.
TP_ARGS=(--scenario "$SL_SCENARIO")
[[ -n $SL_PORT ]] && TP_ARGS+=(--port "$SL_PORT")
((step)) && TP_ARGS+=(--step) # tcp-peer says why not
TP_ARGS+=(${SL_PASS[@]+"${SL_PASS[@]}"})
# The pictures' title: tcp-peer's options that change the story (three
# guards must not give three pictures of one name), not --quiet or --timeout.
SL_PICTURE_TITLE="tcp-peer --scenario $SL_SCENARIO"
for ((i = 0; i < ${#SL_PASS[@]}; i++)); do
    case ${SL_PASS[i]} in
    --guard | --rfc1337 | --resends | --link) SL_PICTURE_TITLE+=" ${SL_PASS[i]} ${SL_PASS[i + 1]:-}" ;;
    --guard=* | --rfc1337=* | --resends=* | --link=* | --ipv6) SL_PICTURE_TITLE+=" ${SL_PASS[i]}" ;;
    esac
done

# tp_check: let tcp-peer judge every option (--check: nothing is made)
# before anything starts; its line, in the learner's language, is the bad
# usage. The outer half only (the inner one's options were checked).
tp_check() {
    local out rc=0 line
    sl_is_inner && return 0
    out=$("$SL_BIN/tcp-peer" "${TP_ARGS[@]}" --check 2>&1 </dev/null) || rc=$?
    if ((rc == 0)); then
        SL_DRY_CMDS+=("$SL_BIN/tcp-peer ${TP_ARGS[*]} --pcap <run folder>/capture.pcap")
        return 0
    fi
    line=${out%%$'\n'*}
    ((rc == 2)) || sl_die 'tcp-peer did not check its options as expected (exit %s): %s' "$rc" "$line"
    # The script bears the program's name: its line once, not "tcp-peer: tcp-peer: ...".
    line=${line#tcp-peer: }
    sl_usage_error_raw "${line% (try --help)}"
}
tp_check
sl_port_arg "$TP_PORT"
SL_LO_UP=0 # tcp-peer makes its own namespace and brings its lo up itself
sl_enter_netns "$@"

# ---- the inner half ----

# tp_setup: the cleanup traps, the run's clock, the texts (one gettext in
# Chinese) and the pacing FIFO of sl_sleep.
tp_setup() {
    SL_PIDS=()
    SL_TCPDUMP_PIDS=()
    SL_FIFO_FDS=()
    trap sl_cleanup EXIT
    trap 'exit 143' TERM HUP
    sl_awk_tr "$SL_LIBDIR/ladder.awk" "$SL_LIBDIR/ladder-svg.awk"
    SL_T0=$EPOCHREALTIME
    exec {SL_SLEEP_FD}<>"$SL_TMP/sleep.fifo"
    SL_FIFO_FDS+=("$SL_SLEEP_FD")
}

# tp_run: tcp-peer with its narration in narration.txt and its capture in
# capture.pcap, bounded by --run-timeout; its exit status in TP_RC. Its
# clock starts with it: the run's clock (TP_T0) is its start.
tp_run() {
    local pid end
    sl_own narration.txt tcp-peer.err tcp-peer.cmd capture.pcap
    printf '%s\n' "$SL_BIN/tcp-peer ${TP_ARGS[*]} --pcap $SL_RUN/capture.pcap" >"$SL_RUN/tcp-peer.cmd"
    TP_T0=$EPOCHREALTIME
    "$SL_BIN/tcp-peer" "${TP_ARGS[@]}" --pcap "$SL_RUN/capture.pcap" </dev/null \
        >"$SL_RUN/narration.txt" 2>"$SL_RUN/tcp-peer.err" &
    pid=$!
    SL_PIDS+=("$pid")
    sl_ms
    end=$((SL_MS + SL_TIMEOUT_S * 1000))
    sl_poll_reset
    while kill -0 "$pid" 2>/dev/null; do
        sl_ms
        if ((SL_MS >= end)); then
            kill -TERM "$pid" 2>/dev/null || true
            sl_say '%s still running after %ss: stopped it' tcp-peer "$SL_TIMEOUT_S"
            break
        fi
        sl_poll_sleep
    done
    TP_RC=0
    wait "$pid" || TP_RC=$?
}

# tp_states FILE: the states the narration reports ("state=" outside the
# quoted bytes, with sock_diag's timer), as "time side STATE [TIMER]" lines
# for the ladder; the peer's lines (it has no socket) are the client's.
tp_states() {
    local l t side u st tm lines re='^ *([0-9]+\.[0-9]+) ([a-z]+) +(.*)$' q='"([^"\\]|\\.)*"'
    mapfile -t lines <"$SL_RUN/narration.txt"
    for l in ${lines[@]+"${lines[@]}"}; do
        [[ $l =~ $re ]] || continue
        t=${BASH_REMATCH[1]}
        side=${BASH_REMATCH[2]}
        u=${BASH_REMATCH[3]}
        while [[ $u =~ $q ]]; do u=${u/"${BASH_REMATCH[0]}"/}; done
        [[ $u =~ state=([A-Z_0-9]+) ]] || continue
        st=${BASH_REMATCH[1]}
        tm=""
        if [[ $u =~ timer=([0-9.]+)s ]]; then tm=" ${BASH_REMATCH[1]}"; fi
        [[ $side == peer ]] && side=client
        printf '%s %s %s%s\n' "$t" "$side" "$st" "$tm"
    done >"$1"
}

# tp_align RAW: TP_T0 moved to the instant tcp-peer's narration counts from.
# TP_T0 is taken before tcp-peer starts, which takes milliseconds (tens of
# them under a sanitizer), and the ladder stars a state only when the
# narration reported it within 10 ms of its segment. The first segment is
# in both: narrated ("[S] seq", any language) and captured, one
# microsecond apart; the narration's millisecond is the only error left.
tp_align() {
    local l first='' lines
    mapfile -t lines <"$SL_RUN/narration.txt"
    for l in ${lines[@]+"${lines[@]}"}; do
        [[ $l =~ ^\ *([0-9]+\.[0-9]+)\ peer\ .*\ \[S\]\ seq\  ]] && { first=${BASH_REMATCH[1]}; break; }
    done
    [[ -n $first && -s $1 ]] || return 0
    read -r l _ <"$1"
    [[ $l =~ ^[0-9]+\.[0-9]+$ ]] && TP_T0=$(awk -v a="$l" -v b="$first" 'BEGIN { printf "%.6f", a - b }')
}

# tp_ladder: the packet list and the ladder from capture.pcap (tcpdump -r
# needs no privilege), in TP_HAVE (1 when drawn), and its picture,
# ladder.svg.
tp_ladder() {
    local pcap=$SL_RUN/capture.pcap raw="$SL_TMP/packets.raw" abs="$SL_TMP/packets-abs.raw"
    TP_HAVE=0
    [[ -n $TP_TCPDUMP && -s $pcap ]] || return 0
    tcpdump -nn -tt -r "$pcap" >"$raw" 2>/dev/null || true
    tcpdump -nn -tt -S -r "$pcap" >"$abs" 2>/dev/null || true
    tp_states "$SL_TMP/states.txt"
    tp_align "$raw"
    sl_own packets.txt ladder.txt
    : >"$SL_RUN/packets.txt"
    awk -v t0="$TP_T0" -v sports="$SL_SERVER_PORT" -v states="$SL_TMP/states.txt" -v peer=1 \
        -v list="$raw" -v listout="$SL_RUN/packets.txt" -v tr="$SL_AWK_TR" -v rows="$SL_TMP/ladder.rows" \
        -f "$SL_LIBDIR/ladder.awk" "$raw" "$abs" >"$SL_RUN/ladder.txt"
    TP_HAVE=1
    sl_ladder_svg "$SL_TMP/ladder.rows"
}

# tp_report: print the parts and keep them in report.txt.
tp_report() {
    sl_own report.txt
    {
        sl_line "== Narration (tcp-peer's own; server: the kernel's socket, peer: the segments it plays; seconds since it started)"
        printf '\n'
        sl_cat "$SL_RUN/narration.txt"
        if [[ -s $SL_RUN/tcp-peer.err ]]; then
            printf '\n[%s] stderr:\n' tcp-peer
            sl_cat "$SL_RUN/tcp-peer.err" '  '
        fi
        sl_line '[%s] exit status %s%s' tcp-peer "$TP_RC" ""
        printf '\n'
        if ((TP_HAVE)); then
            sl_line "== Packets the peer sent and received (tcp-peer's capture, read by tcpdump; seconds since it started)"
            printf '\n'
            sl_cat "$SL_RUN/packets.txt"
            printf '\n'
            sl_line '== Ladder diagram (from the capture)'
            printf '\n'
            sl_cat "$SL_RUN/ladder.txt"
        elif [[ -z $TP_TCPDUMP ]]; then
            sl_line '== Packets and ladder: none (tcpdump, which reads capture.pcap, is not installed: apt-get install tcpdump)'
        else
            sl_line '== Packets and ladder: none (tcp-peer wrote no capture)'
        fi
        printf '\n'
        sl_line 'Files: %s' "$SL_RUN"
    } >"$SL_RUN/report.txt"
    sl_cat "$SL_RUN/report.txt"
}

tp_setup
TP_TCPDUMP=""
if sl_have_tcpdump; then
    TP_TCPDUMP=1
else
    sl_say 'tcpdump is not installed: no packet list and no ladder diagram (apt-get install tcpdump)'
fi
tp_run
tp_ladder
tp_report
sl_pictures
((TP_RC == 0)) || exit 1
