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
#
# Speed: starting a process costs 5-15 ms on a small VM, more under load, and
# two processes side by side take longer there than one after the other. So
# a run starts few processes, in turn: bash does the text work itself (no
# sed, cat, grep), one awk merges the narration, one draws the ladder and
# lists the packets; tcpdump's readiness is read from its stderr, and the
# polls that remain start at 1 ms and slow down to 10 ms.

export LC_ALL=C # tcpdump, awk and sort output, and $EPOCHREALTIME, in one format
SL_LIBDIR=${BASH_SOURCE[0]%/*}
[[ $SL_LIBDIR == "${BASH_SOURCE[0]}" ]] && SL_LIBDIR=.
SL_REPO=$(cd "$SL_LIBDIR/.." && pwd)
SL_LIBDIR="$SL_REPO/scripts"
SL_NAME=${0##*/}
SL_NAME=${SL_NAME%.sh}
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
# bring lo up (unless SL_LO_UP=0: the script does it with its own `ip`) and
# return. Exits 77 with the reason when that is impossible.
#
# tcpdump and privileges: Debian's tcpdump, started as uid 0, drops to user
# "tcpdump", which does not exist in a user namespace that maps only root
# (unshare -r), so it fails. As real root we keep a plain network namespace
# and pass "-Z root" (no drop). As a normal user we map our own uid to itself
# and keep the namespace's capabilities (--keep-caps): tcpdump then runs as
# a non-zero uid, has nothing to drop, and CAP_NET_RAW lets it capture.
SL_LO_UP=1
sl_enter_netns() {
    local here
    here=$(stat -L -c %d:%i /proc/self/ns/net 2>/dev/null) || here=unknown
    # Inside only when all three hold: the outer half said which namespace it
    # left, this is not that one, and we are PID 1 of the new PID namespace.
    # An inherited variable alone never makes a script act on its caller's
    # namespace.
    if [[ -n ${SOCKLAB_SCRIPT_OUTER_NETNS:-} && $SOCKLAB_SCRIPT_OUTER_NETNS != "$here" &&
        $here != unknown && $$ == 1 ]]; then
        unset SOCKLAB_SCRIPT_OUTER_NETNS
        # Tell the programs this namespace is private (lab_netns.h).
        export SOCKLAB_PRIVATE_NETNS=$here
        if ((SL_LO_UP)); then
            ip link set lo up || sl_unavailable "cannot bring lo up in the namespace"
        fi
        return 0
    fi
    command -v unshare >/dev/null || sl_unavailable "unshare (util-linux) is not installed"
    command -v ip >/dev/null || sl_unavailable "ip (iproute2) is not installed"
    command -v ss >/dev/null || sl_unavailable "ss (iproute2) is not installed"
    [[ $here != unknown ]] || sl_unavailable "cannot read /proc/self/ns/net"
    local ns_args err
    if ((EUID == 0)); then
        ns_args=(--net --pid --fork --kill-child --mount-proc)
    else
        ns_args=(--user --map-current-user --keep-caps --net --pid --fork --kill-child --mount-proc)
    fi
    if ! err=$(unshare "${ns_args[@]}" true 2>&1); then
        sl_unavailable "no private network namespace (unshare ${ns_args[*]}: ${err:-failed})"
    fi
    export SOCKLAB_SCRIPT_OUTER_NETNS=$here SOCKLAB_BIN="$SL_BIN"
    exec unshare "${ns_args[@]}" bash "$0" "$@"
}

# sl_have_tcpdump: 0 if tcpdump can be used.
sl_have_tcpdump() {
    if command -v tcpdump >/dev/null; then return 0; fi
    return 1
}

# sl_setup_run [FIFO...]: make the run directory and a private temp dir
# holding the named FIFOs (one mkfifo for all: sl_start and
# sl_capture_start use them when they exist); install the cleanup trap. Sets
# SL_RUN, SL_TMP, SL_T0 (epoch of the run's start).
sl_setup_run() {
    local f stale=()
    if [[ -z $SL_OUT ]]; then
        # A new folder per run: $$ is 1 inside the PID namespace, so count up
        # until mkdir (atomic) makes one that did not exist.
        local stamp n=1
        printf -v stamp '%s/runs/%s-%(%Y%m%d-%H%M%S)T' "$SL_REPO" "$SL_NAME" -1
        [[ -d $SL_REPO/runs ]] || mkdir -p "$SL_REPO/runs" || sl_die "cannot create $SL_REPO/runs"
        until mkdir "$stamp-$n" 2>/dev/null; do
            ((n < 1000)) || sl_die "cannot create a run folder $stamp-N"
            n=$((n + 1))
        done
        SL_OUT=$stamp-$n
    fi
    [[ -d $SL_OUT ]] || mkdir -p "$SL_OUT" || sl_die "cannot create $SL_OUT"
    if [[ $SL_OUT == /* && $SL_OUT != */ && $SL_OUT != *//* && $SL_OUT != */./* &&
        $SL_OUT != */../* && $SL_OUT != */. && $SL_OUT != */.. ]]; then
        SL_RUN=$SL_OUT # already what `cd DIR && pwd` would say
    else
        SL_RUN=$(cd "$SL_OUT" && pwd)
    fi
    SL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/socklab-$SL_NAME.XXXXXX")
    export NSTAT_HISTORY="$SL_TMP/nstat.history" # nstat's memory, private to the run
    SL_PIDS=()
    SL_TCPDUMP_PIDS=()
    SL_FIFO_FDS=()
    trap sl_cleanup EXIT
    trap 'sl_say "interrupted; cleaning up"; exit 130' INT
    trap 'exit 143' TERM HUP
    SL_T0=$EPOCHREALTIME
    mkfifo "$SL_TMP/sleep.fifo" "${@/#/$SL_TMP/}"
    exec {SL_SLEEP_FD}<>"$SL_TMP/sleep.fifo"
    SL_FIFO_FDS+=("$SL_SLEEP_FD")
    # A reused --out DIR: start our files afresh.
    for f in "$SL_RUN"/{starts,releases,clocks}.tsv "$SL_RUN"/{stopped,narration,packets,ladder,report}.txt \
        "$SL_RUN"/*.pcap "$SL_RUN"/*.out "$SL_RUN"/*.err "$SL_RUN"/*.cmd; do
        [[ -e $f || -L $f ]] && stale+=("$f")
    done
    if ((${#stale[@]})); then rm -f "${stale[@]}"; fi
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

# sl_ms: set SL_MS to the milliseconds since the run started (for bounds).
sl_ms() {
    local t=${EPOCHREALTIME/./} t0=${SL_T0/./}
    SL_MS=$(((t - t0) / 1000))
}

# sl_sleep SECONDS: a pause for paced polling, without forking sleep(1):
# read(1) with a timeout on a FIFO that no one writes to.
sl_sleep() {
    read -r -t "$1" -u "$SL_SLEEP_FD" _ || true
}

# sl_poll_sleep: the pause between two looks at something that is about to
# change: 1 ms after a change was seen (sl_poll_reset), doubling up to 10 ms.
SL_POLL_US=1000
sl_poll_reset() { SL_POLL_US=1000; }
sl_poll_sleep() {
    local s
    printf -v s '0.%06d' "$SL_POLL_US"
    sl_sleep "$s"
    SL_POLL_US=$((SL_POLL_US >= 5000 ? 10000 : SL_POLL_US * 2))
}

# sl_file_has FILE REGEX: some line of FILE matches the (bash) REGEX.
sl_file_has() {
    local l lines=()
    [[ -f $1 ]] || return 1
    mapfile -t lines <"$1"
    for l in "${lines[@]}"; do [[ $l =~ $2 ]] && return 0; done
    return 1
}

# sl_cat FILE [PREFIX]: print FILE's lines (each after PREFIX), like cat and
# sed, without starting either.
sl_cat() {
    local lines=()
    [[ -f $1 ]] || return 0
    mapfile -t lines <"$1"
    if ((${#lines[@]})); then printf '%s\n' "${lines[@]/#/${2:-}}"; fi
    return 0
}

# sl_proc_state PID: set SL_STATE to the process's state letter (R, S, D...).
sl_proc_state() {
    local l
    read -r l 2>/dev/null <"/proc/$1/stat" || return 1
    l=${l##*) }
    SL_STATE=${l%% *}
}

# sl_capture_start NAME IFACE [NSPID]: start tcpdump on IFACE (inside the
# network namespace of process NSPID if given) into $SL_RUN/NAME.pcap.
# sl_capture_wait then waits until every capture started is ready (a
# program that sends nothing yet may start meanwhile).
SL_TCPDUMP_PIDS=()
SL_TCPDUMP_FDS=()
SL_TCPDUMP_IFACES=()
sl_capture_start() {
    local name=$1 iface=$2 nspid=${3:-} prefix=() priv=() fifo fd
    if ((EUID == 0)); then priv=(-Z root); fi # see sl_enter_netns
    if [[ -n $nspid ]]; then prefix=(nsenter --net="/proc/$nspid/ns/net"); fi
    # stderr into a FIFO: its "listening on" line wakes sl_capture_wait.
    fifo="$SL_TMP/$name.tcpdump.err"
    [[ -p $fifo ]] || mkfifo "$fifo"
    exec {fd}<>"$fifo"
    SL_FIFO_FDS+=("$fd")
    "${prefix[@]}" tcpdump -i "$iface" -n -U --immediate-mode -s 256 "${priv[@]}" \
        -w "$SL_RUN/$name.pcap" 2>&"$fd" &
    SL_TCPDUMP_PIDS+=($!)
    SL_TCPDUMP_FDS+=("$fd")
    SL_TCPDUMP_IFACES+=("$iface")
}

# sl_capture_wait: bounded (3 s) wait for every capture's "listening on".
sl_capture_wait() {
    local i fd line part said end
    sl_ms
    end=$((SL_MS + 3000))
    for i in "${!SL_TCPDUMP_FDS[@]}"; do
        fd=${SL_TCPDUMP_FDS[i]}
        [[ $fd == ready ]] && continue
        said=""
        part=""
        while :; do
            if read -r -t 0.05 -u "$fd" line; then
                line=$part$line
                part=""
                [[ $line == *"listening on "* ]] && break
                said+="$line"$'\n'
                continue
            fi
            part+=$line # read -t keeps what it got of a line when time ran out
            sl_ms
            if ((SL_MS >= end)) || ! kill -0 "${SL_TCPDUMP_PIDS[i]}" 2>/dev/null; then
                while read -r -t 0.01 -u "$fd" line; do said+="$part$line"$'\n'; part=""; done
                part+=$line
                if [[ -n $part ]]; then said+="$part"$'\n'; fi
                printf '%s' "$said" >&2
                sl_die "tcpdump did not start on ${SL_TCPDUMP_IFACES[i]}"
            fi
        done
        SL_TCPDUMP_FDS[i]=ready
    done
}

# sl_capture_stop: let tcpdump write what it has seen, then stop it. The
# programs are done, so every packet is already in tcpdump's ring; a packet
# still to be written keeps tcpdump runnable, so once it sleeps (in poll) it
# has written them all (-U: each one is flushed). Bounded at 0.5 s.
sl_capture_stop() {
    local pid end
    sl_ms
    end=$((SL_MS + 500))
    sl_poll_reset
    for pid in "${SL_TCPDUMP_PIDS[@]}"; do
        while sl_proc_state "$pid" && [[ $SL_STATE != S ]]; do
            sl_ms
            ((SL_MS < end)) || break
            sl_poll_sleep
        done
    done
    for pid in "${SL_TCPDUMP_PIDS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${SL_TCPDUMP_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    SL_TCPDUMP_PIDS=()
}

# sl_start SIDE CMD...: start CMD with stdin on a FIFO the script holds open,
# stdout in $SL_RUN/SIDE.out; records its start time (epoch) for the merge.
declare -A SL_PID SL_FD SL_STEPS SL_MARKS SL_RC SL_START SL_SEEN
SL_SIDES=()
sl_start() {
    local side=$1 fifo fd
    shift
    fifo="$SL_TMP/$side.stdin"
    [[ -p $fifo ]] || mkfifo "$fifo"
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
    sl_poll_reset
}

# What a snapshot shows: `ss SL_SS_ARGS` (udp-connect: -uan), then each part
# a script adds with sl_snapshot_part.
SL_SS_ARGS=(-tanoi)
SL_SNAP_ON="" # also snapshot when a line matches this (bash regex)
SL_SNAP_HEAD=()
SL_SNAP_MODE=()
SL_SNAP_N=0

# sl_snapshot_part HEAD MODE CMD...: a snapshot also prints the line HEAD,
# then CMD's output (and errors), indented. MODE: trim (no trailing blanks),
# or kernel (drop nstat's "#kernel" line).
sl_snapshot_part() {
    SL_SNAP_N=$((SL_SNAP_N + 1))
    SL_SNAP_HEAD[SL_SNAP_N]=$1
    SL_SNAP_MODE[SL_SNAP_N]=$2
    declare -ga "SL_SNAP_CMD_$SL_SNAP_N"
    local -n part="SL_SNAP_CMD_$SL_SNAP_N"
    part=("${@:3}")
}

# sl_snapshot_run I: run part I's command (0: ss), output to a file.
sl_snapshot_run() {
    local -n words="SL_SNAP_CMD_$1"
    "${words[@]}" >"$SL_TMP/snap.$1" 2>&1 || true
}

# sl_snapshot_show I MODE: part I's output, indented.
sl_snapshot_show() {
    local l lines=()
    mapfile -t lines <"$SL_TMP/snap.$1"
    for l in "${lines[@]}"; do
        case $2 in
        trim) l=${l%"${l##*[![:space:]]}"} ;;
        kernel) [[ $l == '#kernel'* ]] && continue ;;
        esac
        printf '  %s\n' "$l"
    done
}

# sl_snapshot TITLE: append `ss` (and the parts) under TITLE. One process
# per command (no sed): one after the other, as two processes side by side
# take longer than in turn on a small VM.
sl_snapshot() {
    local i
    SL_SNAP_CMD_0=(ss "${SL_SS_ARGS[@]}")
    for ((i = 0; i <= SL_SNAP_N; i++)); do sl_snapshot_run "$i"; done
    {
        printf '=== %s\n' "$1"
        printf '$ %s\n' "${SL_SNAP_CMD_0[*]}"
        sl_snapshot_show 0 trim
        for ((i = 1; i <= SL_SNAP_N; i++)); do
            printf '%s\n' "${SL_SNAP_HEAD[i]}"
            sl_snapshot_show "$i" "${SL_SNAP_MODE[i]}"
        done
        printf '\n'
    } >>"$SL_RUN/snapshots.txt"
}

# sl_marks: a snapshot for each new line that matches SL_SNAP_ON, in any
# side: lines worth a snapshot even though no step holds the program there
# (best effort, the program goes on meanwhile).
sl_marks() {
    local side i line lines
    [[ -n $SL_SNAP_ON ]] || return 0
    for side in "${SL_SIDES[@]}"; do
        mapfile -t lines <"$SL_RUN/$side.out"
        for ((i = ${SL_MARKS[$side]:-0}; i < ${#lines[@]}; i++)); do
            if [[ ${lines[i]} =~ $SL_SNAP_ON ]]; then
                sl_now
                line=${lines[i]#*"$side"  }
                sl_snapshot "[$side] after: ${line%%  state=*}   (t=$SL_NOW; the program did not wait)"
            fi
        done
        SL_MARKS[$side]=${#lines[@]}
    done
}

# sl_pump: answer every new step line of every side (snapshot first, and
# before it those sl_marks asks for: a step answered may change what they
# show). Sets SL_RELEASED to the number of steps answered; new lines reset
# the poll pace.
sl_pump() {
    local side n line what lines steps i
    SL_RELEASED=0
    sl_marks
    for side in "${SL_SIDES[@]}"; do
        mapfile -t lines <"$SL_RUN/$side.out"
        # Nothing new? (The last line too: it may have been read half written.)
        n=${#lines[@]}
        line="$n:"
        if ((n)); then line+=${lines[n - 1]}; fi
        [[ ${SL_SEEN[$side]:-} == "$line" ]] && continue
        SL_SEEN[$side]=$line
        sl_poll_reset
        steps=()
        for i in "${!lines[@]}"; do
            [[ ${lines[i]} == *"step: press Enter to "* ]] && steps+=("$i")
        done
        n=${#steps[@]}
        while ((SL_STEPS[$side] < n)); do
            i=${steps[SL_STEPS[$side]]}
            line=${lines[i]}
            SL_STEPS[$side]=$((SL_STEPS[$side] + 1))
            what=${line#*step: press Enter to }
            what=${what%%  state=*}
            sl_marks
            sl_now
            sl_snapshot "[$side] before: $what   (t=$SL_NOW)"
            printf '\n' >&"${SL_FD[$side]}" || true
            # When the line was released: the program's clock is anchored on it.
            printf '%s\t%d\t%s\n' "$side" $((i + 1)) "$EPOCHREALTIME" >>"$SL_RUN/releases.tsv"
            SL_RELEASED=$((SL_RELEASED + 1))
        done
    done
}

sl_alive() { kill -0 "${SL_PID[$1]}" 2>/dev/null; }

# sl_idle SIDE: SIDE (a server whose client is done) has nothing left to
# do: it has read every Enter we sent, sleeps (in poll: a datagram still to
# read would keep it runnable), and has printed no step we have not
# answered. Checked in this order, so that a step it is about to wait at
# is seen.
sl_idle() {
    if read -r -t 0 -u "${SL_FD[$1]}"; then return 1; fi # an Enter not read yet
    if ! sl_proc_state "${SL_PID[$1]}" || [[ $SL_STATE != S ]]; then return 1; fi
    sl_pump
    ((SL_RELEASED == 0))
}

# sl_reap SIDE: collect the exit status of a finished side.
sl_reap() {
    local rc=0
    [[ -n ${SL_RC[$1]:-} ]] && return 0
    wait "${SL_PID[$1]}" || rc=$?
    SL_RC[$1]=$rc
    sl_poll_reset
}

# sl_drive_until SIDE REGEX LIMIT_S: answer steps until SIDE prints REGEX.
sl_drive_until() {
    local side=$1 regex=$2 end
    sl_ms
    end=$((SL_MS + $3 * 1000))
    sl_poll_reset
    while :; do
        sl_pump
        sl_file_has "$SL_RUN/$side.out" "$regex" && return 0
        if ! sl_alive "$side"; then
            sl_pump
            sl_file_has "$SL_RUN/$side.out" "$regex" && return 0
            sl_reap "$side"
            sl_say "$side exited (${SL_RC[$side]}) before printing /$regex/:"
            sl_cat "$SL_RUN/$side.out" >&2
            sl_cat "$SL_RUN/$side.err" >&2
            return 1
        fi
        sl_ms
        ((SL_MS < end)) || break
        sl_poll_sleep
    done
    sl_say "$side printed no /$regex/ within ${3}s"
    return 1
}

# sl_drive_pair CLIENT_SIDE [GRACE_MS]: answer steps until every side has
# exited; once the client is done, a server still running after GRACE_MS is
# stopped (UDP servers serve until their timeout), or at once when it is
# idle (sl_idle) and SL_STOP_IDLE=1. Bounded by SL_TIMEOUT_S.
SL_STOP_IDLE=0
sl_drive_pair() {
    local client=$1 grace_ms=${2:-1500} side running client_done_at=-1 stopped=" " end
    sl_ms
    end=$((SL_MS + SL_TIMEOUT_S * 1000))
    sl_poll_reset
    while :; do
        sl_pump
        running=0
        for side in "${SL_SIDES[@]}"; do
            if sl_alive "$side"; then running=1; else sl_reap "$side"; fi
        done
        ((running)) || break
        sl_ms
        ((SL_MS < end)) || break
        if [[ -n ${SL_RC[$client]:-} ]]; then
            ((client_done_at < 0)) && client_done_at=$SL_MS
            for side in "${SL_SIDES[@]}"; do
                if [[ $side == "$client" ]] || ! sl_alive "$side"; then continue; fi
                if ((SL_MS - client_done_at >= grace_ms)) || { ((SL_STOP_IDLE)) && sl_idle "$side"; }; then
                    kill -TERM "${SL_PID[$side]}" 2>/dev/null || true
                    [[ $stopped == *" $side "* ]] || stopped+="$side "
                fi
            done
        fi
        sl_poll_sleep
    done
    sl_pump
    for side in "${SL_SIDES[@]}"; do
        if sl_alive "$side"; then
            kill -TERM "${SL_PID[$side]}" 2>/dev/null || true
            sl_say "$side still running after ${SL_TIMEOUT_S}s: stopped it"
        fi
        sl_reap "$side"
    done
    for side in $stopped; do
        printf '%s\n' "$side" >>"$SL_RUN/stopped.txt"
    done
}

# sl_timeline: from the sides' outputs, in one awk (timeline.awk):
#  - clocks.tsv: each side's clock origin (epoch of its "0.000"). The launch
#    time is only a lower bound (exec and start-up come after it). Each
#    released step gives a better one: the first event line after a step
#    line was printed after the release, so origin >= release - elapsed.
#  - narration.txt: both sides' lines by absolute time, marked by side; an
#    explanation line (indented) stays under the event it explains.
#  - $SL_TMP/states.txt: "time side state" for every narrated state=, on the
#    run clock (for the ladder).
sl_timeline() {
    local side files=()
    for side in "${SL_SIDES[@]}"; do files+=("$SL_RUN/$side.out"); done
    [[ -e $SL_RUN/releases.tsv ]] || : >"$SL_RUN/releases.tsv"
    : >"$SL_TMP/states.txt"
    awk -v t0="$SL_T0" -v starts="$SL_RUN/starts.tsv" -v releases="$SL_RUN/releases.tsv" \
        -v clocks="$SL_RUN/clocks.tsv" -v narration="$SL_RUN/narration.txt" \
        -v states="$SL_TMP/states.txt" \
        -f "$SL_LIBDIR/msort.awk" -f "$SL_LIBDIR/timeline.awk" "${files[@]}"
}

# sl_report PCAP SERVER_PORTS: print the four parts and keep them in SL_RUN.
sl_report() {
    local pcap=$1 ports=$2 side stopped have=0
    local raw="$SL_TMP/packets.raw" raw_abs="$SL_TMP/packets-abs.raw"
    sl_timeline
    if [[ -n $pcap && -f $pcap ]]; then
        have=1
        tcpdump -nn -tt -r "$pcap" >"$raw" 2>/dev/null || true
        tcpdump -nn -tt -S -r "$pcap" >"$raw_abs" 2>/dev/null || true
        # The packet list (times on the run clock) and the ladder, in one awk.
        : >"$SL_RUN/packets.txt"
        awk -v t0="$SL_T0" -v sports="$ports" -v states="$SL_TMP/states.txt" \
            -v list="$raw" -v listout="$SL_RUN/packets.txt" \
            -f "$SL_LIBDIR/ladder.awk" "$raw" "$raw_abs" >"$SL_RUN/ladder.txt"
    fi
    {
        printf '== Narration (both sides, by time since the run started)\n\n'
        sl_cat "$SL_RUN/narration.txt"
        for side in "${SL_SIDES[@]}"; do
            if [[ -s $SL_RUN/$side.err ]]; then
                printf '\n[%s] stderr:\n' "$side"
                sl_cat "$SL_RUN/$side.err" '  '
            fi
            stopped=""
            if sl_file_has "$SL_RUN/stopped.txt" "^$side\$"; then
                stopped=' (stopped by the script once the client was done)'
            fi
            printf '[%s] exit status %s%s\n' "$side" "${SL_RC[$side]:-?}" "$stopped"
        done
        printf '\n== Kernel socket table, under the step that preceded each snapshot\n\n'
        sl_cat "$SL_RUN/snapshots.txt"
        if ((have)); then
            printf '== Packets on lo (tcpdump; seconds since the run started)\n\n'
            sl_cat "$SL_RUN/packets.txt"
            printf '\n== Ladder diagram (from the capture)\n\n'
            sl_cat "$SL_RUN/ladder.txt"
        else
            printf '== Packets: none captured (tcpdump is not installed: apt-get install tcpdump)\n'
            printf '\n== Ladder diagram: needs the capture, so none\n'
        fi
        printf '\nFiles: %s\n' "$SL_RUN"
    } >"$SL_RUN/report.txt"
    sl_cat "$SL_RUN/report.txt"
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
    SL_PORT=$port
}

# sl_pair_main SERVER CLIENT PORTS [GRACE_MS]: the whole run of a pair on lo
# (after option parsing and sl_enter_netns). PORTS: the server's ports, the
# first one passed as --port. Exits 0 when both programs exited 0.
sl_pair_main() {
    local server=$1 client=$2 ports=$3 grace=${4:-1500} capture=""
    sl_setup_run server.stdin client.stdin capture.tcpdump.err
    if sl_have_tcpdump; then
        sl_capture_start capture lo
        capture="$SL_RUN/capture.pcap"
    else
        sl_say "tcpdump is not installed: no packet list and no ladder diagram (apt-get install tcpdump)"
    fi
    # No --port of our own: the programs default to their pair's fixed port,
    # and a client in a refused-* scenario picks a closed one by itself.
    # The server sends nothing before its client starts: it may start while
    # tcpdump gets ready.
    sl_start server "$SL_BIN/$server" --step --scenario "$SL_SCENARIO" \
        "${SL_PASS[@]}" "${SL_PASS_SERVER[@]}"
    [[ -n $capture ]] && sl_capture_wait
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
