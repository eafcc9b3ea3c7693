# shellcheck shell=bash
# shellcheck disable=SC2034 # the scripts that source this file read what it sets
# lib.sh: shared functions of socklab's one-command scripts (source it).
#
# A script parses its options, finds (or builds) the programs, then re-runs
# itself inside new network and PID namespaces (sl_enter_netns). Inside, it
# starts tcpdump on lo, starts both programs with --step and their stdin on
# FIFOs, and answers each "step: press Enter to ..." line after snapshotting
# `ss`. When both programs are done it prints, in order: the merged
# narration, the snapshots, the packet list and a ladder diagram, and keeps
# all of them in the run directory.
#
# Because the inner script is PID 1 of its own PID namespace, the kernel kills
# every process it started when it exits, whatever the reason; the network
# namespace is anonymous and disappears with its last process.
#
# Only bash, coreutils, awk, iproute2 (ip, ss, nstat), util-linux (unshare,
# nsenter) and tcpdump are used.

export LC_ALL=C # tcpdump, awk and sort output, and $EPOCHREALTIME, in one format
SL_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SL_LIBDIR="$SL_REPO/scripts"
SL_NAME=$(basename "$0" .sh)
SL_EXIT_UNAVAILABLE=77 # same code ctest uses for "skipped"

# Set by the scripts before sl_main-style helpers run.
SL_OUT=""       # --out DIR
SL_SCENARIO=""  # --scenario NAME
SL_PASS=()      # options for both programs
SL_PASS_SERVER=()
SL_PASS_CLIENT=()
SL_TIMEOUT_S=30 # bound on the whole run once inside the namespace

sl_say() { printf '%s: %s\n' "$SL_NAME" "$*" >&2; }
sl_die() {
    sl_say "$*"
    exit 1
}
sl_usage_error() {
    printf '%s: %s (try --help)\n' "$SL_NAME" "$*" >&2
    exit 2
}
# sl_unavailable REASON: the machine cannot do what the script needs.
sl_unavailable() {
    sl_say "cannot run here: $*"
    exit "$SL_EXIT_UNAVAILABLE"
}

# sl_parse_common ARGS...: the options every script shares. Unknown options
# go to both programs; --server-arg/--client-arg pass one word to one side.
# Sets SL_HELP=1 on --help.
sl_parse_common() {
    SL_HELP=0
    while (($#)); do
        case $1 in
        -h | --help) SL_HELP=1 ;;
        -s | --scenario)
            (($# >= 2)) || sl_usage_error "--scenario needs a NAME"
            SL_SCENARIO=$2
            shift
            ;;
        --scenario=*) SL_SCENARIO=${1#*=} ;;
        -o | --out)
            (($# >= 2)) || sl_usage_error "--out needs a DIR"
            SL_OUT=$2
            shift
            ;;
        --out=*) SL_OUT=${1#*=} ;;
        --run-timeout)
            (($# >= 2)) || sl_usage_error "--run-timeout needs seconds"
            [[ $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || sl_usage_error "bad --run-timeout '$2'"
            SL_TIMEOUT_S=$2
            shift
            ;;
        --server-arg | --client-arg)
            (($# >= 2)) || sl_usage_error "$1 needs an argument"
            if [[ $1 == --server-arg ]]; then SL_PASS_SERVER+=("$2"); else SL_PASS_CLIENT+=("$2"); fi
            shift
            ;;
        --step)
            : # always on: the script drives the steps itself
            ;;
        --) shift; SL_PASS+=("$@"); break ;;
        *) SL_PASS+=("$1") ;;
        esac
        shift
    done
    if [[ -n $SL_SCENARIO && ! $SL_SCENARIO =~ ^[a-z0-9-]+$ ]]; then
        sl_usage_error "bad scenario name '$SL_SCENARIO'"
    fi
}

# The options text every script's --help shares.
sl_common_help() {
    cat <<'EOF'
Options:
  -s, --scenario NAME    the scenario both programs play (see their --help)
  -o, --out DIR          keep the run's files in DIR (default: a new folder
                         under runs/ in the repository)
      --run-timeout S    give up on the run after S seconds (default 30)
      --server-arg ARG   pass ARG to the server only (repeat for more words)
      --client-arg ARG   pass ARG to the client only
  -h, --help             this text
Any other option (e.g. --quiet, --timeout MS, --port P) goes to both programs.

Programs are taken from $SOCKLAB_BIN, else <repo>/build/bin (built with
cmake if missing). The run needs unshare (util-linux) and iproute2; without
tcpdump it still shows narration and snapshots, but no packets. It exits 77
when it cannot make a private namespace.
EOF
}

# sl_find_bin PROG...: set SL_BIN to a folder holding every PROG, building
# the repository (into <repo>/build) when needed.
sl_find_bin() {
    local p missing=()
    if [[ -n ${SOCKLAB_BIN:-} ]]; then
        SL_BIN=$SOCKLAB_BIN
        for p in "$@"; do [[ -x $SL_BIN/$p ]] || missing+=("$p"); done
        ((${#missing[@]} == 0)) || sl_die "SOCKLAB_BIN=$SL_BIN has no ${missing[*]}"
        return 0
    fi
    SL_BIN="$SL_REPO/build/bin"
    for p in "$@"; do [[ -x $SL_BIN/$p ]] || missing+=("$p"); done
    ((${#missing[@]} == 0)) && return 0
    command -v cmake >/dev/null || sl_die "cmake is needed to build ${missing[*]} (or set SOCKLAB_BIN)"
    sl_say "building ${missing[*]} in $SL_REPO/build ..."
    # Configure every time: an old build folder may predate these targets.
    cmake -S "$SL_REPO" -B "$SL_REPO/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2 ||
        sl_die "cmake configure failed"
    cmake --build "$SL_REPO/build" -j2 --target "${missing[@]}" >&2 || sl_die "build failed"
    for p in "$@"; do [[ -x $SL_BIN/$p ]] || sl_die "the build made no $SL_BIN/$p"; done
}

# sl_enter_netns ARGS...: outside, re-execute this script inside fresh
# network + PID namespaces (and a user namespace when not root); inside,
# bring lo up and return. Exits 77 with the reason when that is impossible.
#
# tcpdump and privileges: Debian's tcpdump, started as uid 0, drops to user
# "tcpdump", which does not exist in a user namespace that maps only root
# (unshare -r), so it fails. As real root we keep a plain network namespace
# and pass "-Z root" (no drop). As a normal user we map our own uid to itself
# and keep the namespace's capabilities (--keep-caps): tcpdump then runs as
# a non-zero uid, has nothing to drop, and CAP_NET_RAW lets it capture.
sl_enter_netns() {
    if [[ ${SOCKLAB_SCRIPT_INNER:-} == 1 ]]; then
        unset SOCKLAB_SCRIPT_INNER
        ip link set lo up || sl_unavailable "cannot bring lo up in the namespace"
        return 0
    fi
    command -v unshare >/dev/null || sl_unavailable "unshare (util-linux) is not installed"
    command -v ip >/dev/null || sl_unavailable "ip (iproute2) is not installed"
    command -v ss >/dev/null || sl_unavailable "ss (iproute2) is not installed"
    local ns_args err
    if ((EUID == 0)); then
        ns_args=(--net --pid --fork --kill-child --mount-proc)
    else
        ns_args=(--user --map-current-user --keep-caps --net --pid --fork --kill-child --mount-proc)
    fi
    if ! err=$(unshare "${ns_args[@]}" true 2>&1); then
        sl_unavailable "no private network namespace (unshare ${ns_args[*]}: ${err:-failed})"
    fi
    exec env SOCKLAB_SCRIPT_INNER=1 SOCKLAB_BIN="$SL_BIN" \
        unshare "${ns_args[@]}" bash "$0" "$@"
}

# sl_tcpdump_args: the privilege option for tcpdump (see sl_enter_netns).
sl_tcpdump_priv() {
    if ((EUID == 0)); then printf '%s\n' -Z root; fi
}

# sl_have_tcpdump: 0 if tcpdump can be used; says why not once otherwise.
sl_have_tcpdump() {
    if command -v tcpdump >/dev/null; then return 0; fi
    return 1
}

# sl_setup_run: make the run directory and a private temp dir; install the
# cleanup trap. Sets SL_RUN, SL_TMP, SL_T0 (epoch of the run's start).
sl_setup_run() {
    if [[ -z $SL_OUT ]]; then
        SL_OUT="$SL_REPO/runs/$SL_NAME-$(date +%Y%m%d-%H%M%S)-$$"
    fi
    mkdir -p "$SL_OUT" || sl_die "cannot create $SL_OUT"
    SL_RUN=$(cd "$SL_OUT" && pwd)
    SL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/socklab-$SL_NAME.XXXXXX")
    SL_PIDS=()
    SL_TCPDUMP_PIDS=()
    SL_FIFO_FDS=()
    trap sl_cleanup EXIT
    trap 'sl_say "interrupted; cleaning up"; exit 130' INT
    trap 'exit 143' TERM HUP
    SL_T0=$EPOCHREALTIME
    # A reused --out DIR: start our files afresh.
    rm -f "$SL_RUN"/{starts,releases,clocks}.tsv "$SL_RUN"/{stopped,narration,packets,ladder,report}.txt \
        "$SL_RUN"/*.pcap "$SL_RUN"/*.out "$SL_RUN"/*.err "$SL_RUN"/*.cmd
    : >"$SL_RUN/snapshots.txt"
}

sl_cleanup() {
    local pid fd
    trap - EXIT INT TERM HUP
    for pid in "${SL_PIDS[@]}" "${SL_TCPDUMP_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for fd in "${SL_FIFO_FDS[@]}"; do
        exec {fd}>&- || true
    done
    [[ -n ${SL_TMP:-} ]] && rm -rf "$SL_TMP"
    return 0
}

# sl_now: set SL_NOW to the seconds since the run started (three decimals).
sl_now() {
    local t=${EPOCHREALTIME/./} t0=${SL_T0/./} ms
    ms=$(((t - t0) / 1000))
    printf -v SL_NOW "%d.%03d" $((ms / 1000)) $((ms % 1000))
}

# sl_sleep SECONDS: a pause for paced polling, without forking sleep(1)
# (forks are slow on a busy machine): read(1) with a timeout on a FIFO that
# no one writes to.
sl_sleep() {
    if [[ -z ${SL_SLEEP_FD:-} ]]; then
        mkfifo "$SL_TMP/sleep.fifo"
        exec {SL_SLEEP_FD}<>"$SL_TMP/sleep.fifo"
        SL_FIFO_FDS+=("$SL_SLEEP_FD")
    fi
    read -r -t "$1" -u "$SL_SLEEP_FD" _ || true
}

# sl_file_has FILE REGEX: some line of FILE matches the (bash) REGEX.
sl_file_has() {
    local l lines=()
    [[ -f $1 ]] || return 1
    mapfile -t lines <"$1"
    for l in "${lines[@]}"; do [[ $l =~ $2 ]] && return 0; done
    return 1
}

# sl_wait_file FILE REGEX LIMIT_S: bounded poll until FILE has a matching line.
sl_wait_file() {
    local file=$1 regex=$2 limit=$3 i
    for ((i = 0; i < limit * 100; i++)); do
        sl_file_has "$file" "$regex" && return 0
        sl_sleep 0.01
    done
    return 1
}

# sl_capture_start NAME IFACE [NSPID]: tcpdump on IFACE (inside the network
# namespace of process NSPID if given) into $SL_RUN/NAME.pcap, ready on return.
sl_capture_start() {
    local name=$1 iface=$2 nspid=${3:-} prefix=()
    local -a priv
    mapfile -t priv < <(sl_tcpdump_priv)
    [[ -n $nspid ]] && prefix=(nsenter --net="/proc/$nspid/ns/net")
    "${prefix[@]}" tcpdump -i "$iface" -n -U --immediate-mode -s 256 "${priv[@]}" \
        -w "$SL_RUN/$name.pcap" 2>"$SL_TMP/$name.tcpdump.err" &
    SL_TCPDUMP_PIDS+=($!)
    if ! sl_wait_file "$SL_TMP/$name.tcpdump.err" 'listening on' 3; then
        cat "$SL_TMP/$name.tcpdump.err" >&2
        sl_die "tcpdump did not start on $iface"
    fi
}

# sl_capture_stop: let tcpdump write what it has seen, then stop it.
sl_capture_stop() {
    local pid i size last=-1 f
    for ((i = 0; i < 50; i++)); do # the file settles within a few ms; bounded at 0.5 s
        size=0
        for f in "$SL_RUN"/*.pcap; do size=$((size + $(stat -c %s "$f"))); done
        ((size == last)) && break
        last=$size
        sl_sleep 0.01
    done
    for pid in "${SL_TCPDUMP_PIDS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${SL_TCPDUMP_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    SL_TCPDUMP_PIDS=()
}

# sl_start SIDE CMD...: start CMD with stdin on a FIFO the script holds open,
# stdout in $SL_RUN/SIDE.out; records its start time (epoch) for the merge.
# Optional: SL_NSENTER=(nsenter --net=...) prefix.
declare -A SL_PID SL_FD SL_STEPS SL_MARKS SL_RC SL_START
SL_SIDES=()
sl_start() {
    local side=$1 fifo fd
    shift
    fifo="$SL_TMP/$side.stdin"
    mkfifo "$fifo"
    exec {fd}<>"$fifo" # read-write: never blocks, and keeps the FIFO open
    SL_FIFO_FDS+=("$fd")
    SL_FD[$side]=$fd
    SL_STEPS[$side]=0
    : >"$SL_RUN/$side.out" # here, not in the child: the pump may read it at once
    : >"$SL_RUN/$side.err"
    SL_START[$side]=$EPOCHREALTIME
    "$@" <"$fifo" >>"$SL_RUN/$side.out" 2>>"$SL_RUN/$side.err" &
    SL_PID[$side]=$!
    SL_PIDS+=($!)
    SL_SIDES+=("$side")
    printf '%s\t%s\n' "$side" "${SL_START[$side]}" >>"$SL_RUN/starts.tsv"
    printf '%s\n' "$*" >"$SL_RUN/$side.cmd"
}

# A hook each script may redefine: extra lines for a snapshot.
sl_snapshot_extra() { :; }
SL_SS_ARGS=(-tanoi) # what a snapshot shows (udp-connect: -uan)
SL_SNAP_ON=""       # also snapshot when a line matches this (bash regex)

# sl_show CMD...: "$ CMD" and its output, indented.
sl_show() {
    printf '$ %s\n' "$*"
    "$@" 2>&1 | sed -e "s/[[:space:]]*\$//" -e "s/^/  /"
}

# sl_snapshot TITLE: append `ss` (and the extras) under TITLE.
sl_snapshot() {
    {
        printf '=== %s\n' "$1"
        sl_show ss "${SL_SS_ARGS[@]}"
        sl_snapshot_extra
        printf '\n'
    } >>"$SL_RUN/snapshots.txt"
}

# sl_pump: answer every new step line of every side (snapshot first).
sl_pump() {
    local side n line what lines steps i
    for side in "${SL_SIDES[@]}"; do
        mapfile -t lines <"$SL_RUN/$side.out"
        steps=()
        for i in "${!lines[@]}"; do
            [[ ${lines[i]} == *"step: press Enter to "* ]] && steps+=("$i")
        done
        n=${#steps[@]}
        if [[ -n $SL_SNAP_ON ]]; then
            # Lines worth a snapshot even though no step holds the program
            # there: best effort, the program goes on meanwhile.
            for ((i = ${SL_MARKS[$side]:-0}; i < ${#lines[@]}; i++)); do
                if [[ ${lines[i]} =~ $SL_SNAP_ON ]]; then
                    sl_now
                    line=${lines[i]#*"$side"  }
                    sl_snapshot "[$side] after: ${line%%  state=*}   (t=$SL_NOW; the program did not wait)"
                fi
            done
            SL_MARKS[$side]=${#lines[@]}
        fi
        while ((SL_STEPS[$side] < n)); do
            i=${steps[SL_STEPS[$side]]}
            line=${lines[i]}
            SL_STEPS[$side]=$((SL_STEPS[$side] + 1))
            what=${line#*step: press Enter to }
            what=${what%%  state=*}
            sl_now
            sl_snapshot "[$side] before: $what   (t=$SL_NOW)"
            printf '\n' >&"${SL_FD[$side]}" || true
            # When the line was released: the program's clock is anchored on it.
            printf '%s\t%d\t%s\n' "$side" $((i + 1)) "$EPOCHREALTIME" >>"$SL_RUN/releases.tsv"
        done
    done
}

sl_alive() { kill -0 "${SL_PID[$1]}" 2>/dev/null; }

# sl_reap SIDE: collect the exit status of a finished side.
sl_reap() {
    local rc=0
    [[ -n ${SL_RC[$1]:-} ]] && return 0
    wait "${SL_PID[$1]}" || rc=$?
    SL_RC[$1]=$rc
}

# sl_drive_until SIDE REGEX LIMIT_S: answer steps until SIDE prints REGEX.
sl_drive_until() {
    local side=$1 regex=$2 limit=$3 i
    for ((i = 0; i < limit * 100; i++)); do
        sl_pump
        sl_file_has "$SL_RUN/$side.out" "$regex" && return 0
        if ! sl_alive "$side"; then
            sl_pump
            sl_file_has "$SL_RUN/$side.out" "$regex" && return 0
            sl_reap "$side"
            sl_say "$side exited (${SL_RC[$side]}) before printing /$regex/:"
            cat "$SL_RUN/$side.out" "$SL_RUN/$side.err" >&2
            return 1
        fi
        sl_sleep 0.01
    done
    sl_say "$side printed no /$regex/ within ${limit}s"
    return 1
}

# sl_drive_pair CLIENT_SIDE [GRACE_MS]: answer steps until every side has
# exited; once the client is done, a server still running after GRACE_MS is
# stopped (UDP servers serve until their timeout). Bounded by SL_TIMEOUT_S.
sl_drive_pair() {
    local client=$1 grace_ms=${2:-1500} i side running client_done_at=-1 stopped
    local limit=$((SL_TIMEOUT_S * 100))
    for ((i = 0; i < limit; i++)); do
        sl_pump
        running=0
        for side in "${SL_SIDES[@]}"; do
            if sl_alive "$side"; then running=1; else sl_reap "$side"; fi
        done
        ((running)) || break
        if [[ -n ${SL_RC[$client]:-} ]]; then
            ((client_done_at < 0)) && client_done_at=$i
            if (((i - client_done_at) * 10 >= grace_ms)); then
                for side in "${SL_SIDES[@]}"; do
                    if sl_alive "$side"; then
                        kill -TERM "${SL_PID[$side]}" 2>/dev/null || true
                        stopped+="$side "
                    fi
                done
            fi
        fi
        sl_sleep 0.01
    done
    sl_pump
    for side in "${SL_SIDES[@]}"; do
        if sl_alive "$side"; then
            kill -TERM "${SL_PID[$side]}" 2>/dev/null || true
            sl_say "$side still running after ${SL_TIMEOUT_S}s: stopped it"
        fi
        sl_reap "$side"
    done
    for side in ${stopped:-}; do
        printf '%s\n' "$side" >>"$SL_RUN/stopped.txt"
    done
}

# sl_clocks: each side's clock origin (epoch of its "0.000") into clocks.tsv.
# The launch time is only a lower bound (exec and start-up come after it).
# Each released step gives a better one: the first event line after a step
# line was printed after the release, so origin >= release - elapsed.
sl_clocks() {
    local side files=()
    for side in "${SL_SIDES[@]}"; do files+=("$SL_RUN/$side.out"); done
    touch "$SL_RUN/releases.tsv"
    awk -v starts="$SL_RUN/starts.tsv" -v releases="$SL_RUN/releases.tsv" '
        BEGIN {
            while ((getline l < starts) > 0) { split(l, f, "\t"); origin[f[1]] = f[2] }
            while ((getline l < releases) > 0) { split(l, f, "\t"); rel[f[1], f[2]] = f[3] }
        }
        FNR == 1 { side = FILENAME; sub(/.*\//, "", side); sub(/\.out$/, "", side); pending = "" }
        /^ *[0-9]+\.[0-9]+ [a-z]+ / {
            split($0, w, " ")
            if (pending != "" && pending - w[1] > origin[side]) origin[side] = pending - w[1]
            pending = ((side, FNR) in rel) ? rel[side, FNR] : ""
        }
        END { for (s in origin) printf "%s\t%.6f\n", s, origin[s] }' "${files[@]}" >"$SL_RUN/clocks.tsv"
}

# sl_merge_narration: both sides' lines, by absolute time, marked by side.
# An explanation line (indented) stays under the event it explains.
sl_merge_narration() {
    local side files=()
    for side in "${SL_SIDES[@]}"; do files+=("$SL_RUN/$side.out"); done
    awk -v t0="$SL_T0" -v starts="$SL_RUN/clocks.tsv" '
        BEGIN {
            while ((getline l < starts) > 0) { split(l, f, "\t"); start[f[1]] = f[2] }
        }
        FNR == 1 { side = FILENAME; sub(/.*\//, "", side); sub(/\.out$/, "", side); t = 0; seq = 0 }
        {
            seq++
            if (match($0, /^ *[0-9]+\.[0-9]+ [a-z]+ +/)) {
                split($0, w, " ")
                t = start[side] - t0 + w[1]
                text = substr($0, RLENGTH + 1)
                printf "%.6f\t%s\t%06d\t%7.3f [%s] %s\n", t, side, seq, t, side, text
            } else {
                text = $0; sub(/^ +/, "", text)
                printf "%.6f\t%s\t%06d\t%19s%s\n", t, side, seq, "", text
            }
        }' "${files[@]}" | sort -t "$(printf '\t')" -k1,1n -k2,2 -k3,3n | cut -f4- \
        >"$SL_RUN/narration.txt"
}

# sl_states: "time side state" for every narrated state=, on the run clock.
sl_states() {
    local side files=()
    for side in "${SL_SIDES[@]}"; do files+=("$SL_RUN/$side.out"); done
    awk -v t0="$SL_T0" -v starts="$SL_RUN/clocks.tsv" '
        BEGIN { while ((getline l < starts) > 0) { split(l, f, "\t"); start[f[1]] = f[2] } }
        FNR == 1 { side = FILENAME; sub(/.*\//, "", side); sub(/\.out$/, "", side) }
        /^ *[0-9]+\.[0-9]+ [a-z]+ / && match($0, /state=[A-Z_0-9]+/) {
            split($0, w, " ")
            printf "%.6f %s %s\n", start[side] - t0 + w[1], side, substr($0, RSTART + 6, RLENGTH - 6)
        }' "${files[@]}"
}

# sl_packets PCAP: the capture as text, times on the run clock.
sl_packets() {
    tcpdump -nn -tt -r "$1" 2>/dev/null | awk -v t0="$SL_T0" '{ t = $1; $1 = ""; printf "%8.4f%s\n", t - t0, $0 }'
}

# sl_ladder PCAP SERVER_PORTS: the ladder diagram (see ladder.awk).
sl_ladder() {
    local states
    states="$SL_TMP/states.txt"
    sl_states >"$states"
    tcpdump -nn -tt -S -r "$1" 2>/dev/null |
        awk -v t0="$SL_T0" -v sports="$2" -v states="$states" -f "$SL_LIBDIR/ladder.awk"
}

# sl_report PCAP SERVER_PORTS: print the four parts and keep them in SL_RUN.
sl_report() {
    local pcap=$1 ports=$2 side
    sl_clocks
    sl_merge_narration
    {
        printf '== Narration (both sides, by time since the run started)\n\n'
        cat "$SL_RUN/narration.txt"
        for side in "${SL_SIDES[@]}"; do
            if [[ -s $SL_RUN/$side.err ]]; then
                printf '\n[%s] stderr:\n' "$side"
                sed 's/^/  /' "$SL_RUN/$side.err"
            fi
            printf '[%s] exit status %s%s\n' "$side" "${SL_RC[$side]:-?}" \
                "$(grep -qx "$side" "$SL_RUN/stopped.txt" 2>/dev/null && echo ' (stopped by the script once the client was done)')"
        done
        printf '\n== Kernel socket table, under the step that preceded each snapshot\n\n'
        cat "$SL_RUN/snapshots.txt"
        if [[ -n $pcap && -f $pcap ]]; then
            sl_packets "$pcap" >"$SL_RUN/packets.txt"
            sl_ladder "$pcap" "$ports" >"$SL_RUN/ladder.txt"
            printf '== Packets on lo (tcpdump; seconds since the run started)\n\n'
            cat "$SL_RUN/packets.txt"
            printf '\n== Ladder diagram (from the capture)\n\n'
            cat "$SL_RUN/ladder.txt"
        else
            printf '== Packets: none captured (tcpdump is not installed: apt-get install tcpdump)\n'
            printf '\n== Ladder diagram: needs the capture, so none\n'
        fi
        printf '\nFiles: %s\n' "$SL_RUN"
    } | tee "$SL_RUN/report.txt"
}

# sl_port_arg DEFAULT: the --port the user passed through, else DEFAULT.
sl_port_arg() {
    local i port=$1 args=("${SL_PASS[@]}" "${SL_PASS_SERVER[@]}")
    for ((i = 0; i < ${#args[@]}; i++)); do
        case ${args[i]} in
        -p | --port) ((i + 1 < ${#args[@]})) && port=${args[i + 1]} ;;
        --port=*) port=${args[i]#*=} ;;
        esac
    done
    printf '%s\n' "$port"
}

# sl_pair_main SERVER CLIENT PORTS [GRACE_MS]: the whole run of a pair on lo
# (after option parsing and sl_enter_netns). PORTS: the server's ports, the
# first one passed as --port. Exits 0 when both programs exited 0.
sl_pair_main() {
    local server=$1 client=$2 ports=$3 grace=${4:-1500} capture=""
    sl_setup_run
    if sl_have_tcpdump; then
        sl_capture_start capture lo
        capture="$SL_RUN/capture.pcap"
    else
        sl_say "tcpdump is not installed: no packet list and no ladder diagram (apt-get install tcpdump)"
    fi
    # No --port of our own: the programs default to their pair's fixed port,
    # and a client in a refused-* scenario picks a closed one by itself.
    sl_start server "$SL_BIN/$server" --step --scenario "$SL_SCENARIO" \
        "${SL_PASS[@]}" "${SL_PASS_SERVER[@]}"
    sl_drive_until server 'listening on ' 5 || sl_die "$server did not start"
    sl_start client "$SL_BIN/$client" --step --scenario "$SL_SCENARIO" \
        "${SL_PASS[@]}" "${SL_PASS_CLIENT[@]}"
    sl_drive_pair client "$grace"
    sl_now
    sl_snapshot "after both programs exited   (t=$SL_NOW)"
    [[ -n $capture ]] && sl_capture_stop
    sl_report "$capture" "$ports"
    [[ ${SL_RC[server]} == 0 || -s $SL_RUN/stopped.txt ]] && [[ ${SL_RC[client]} == 0 ]]
}
