# shellcheck shell=bash
# shellcheck disable=SC2034 # the scripts that source this file read what it sets
# lib.sh: shared functions of socklab's one-command scripts (source it).
#
# A script runs in two halves. The outer half, where the user started it,
# checks every option (its own, then the programs' through their --help),
# finds or builds the programs, makes the run folder and a temporary folder,
# and starts the inner half: the same script again, inside new network and
# PID namespaces (sl_enter_netns). The outer half stays a bash process that
# waits: a signal sent to the PID the user sees (Ctrl-C, kill, a closed
# terminal) reaches it, and it stops the inner half, removes the temporary
# folder and marks the run folder as interrupted.
#
# Inside, the script starts tcpdump on lo, starts both programs with --step
# and their stdin on FIFOs, and answers each "step: press Enter to ..." line
# after snapshotting `ss`. When both programs are done it prints, in order:
# the merged narration, the snapshots, the packet list and a ladder diagram,
# and keeps all of them in the run folder.
#
# Because the inner script is PID 1 of its own PID namespace, the kernel kills
# every process it started when it exits, whatever the reason; the network
# namespace is anonymous and disappears with its last process.
#
# The run folder: a folder given with --out must not exist, or be empty, or
# be one an earlier run made. A run writes its marker (.socklab-run) there
# first and adds the name of every file to it before creating the file; a
# later run may reuse the folder only when nothing but those files is in it,
# and removes exactly those. A script never removes or overwrites a file it
# did not create.
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

# Run directly (by bash or sh), this file would only fail half-way: say so,
# in words every shell can read.
case ${0##*/} in
lib.sh)
    printf '%s\n' "lib.sh: this is the scripts' shared library, not a command; run scripts/close-demo.sh or another script beside it" >&2
    exit 2
    ;;
esac

# File descriptors 0-2 closed by the caller (`script >&-`) would be taken by
# the first file or pipe opened, and output meant for the terminal would go
# there (awk even aborts): open them on /dev/null.
# (A copy to fd 9 tests whether fd N is open; `>&1` itself is a no-op.)
{ : 9<&0; } 2>/dev/null || exec </dev/null
{ : 9>&1; } 2>/dev/null || exec >/dev/null
: 9>&2 || exec 2>/dev/null # with fd 2 closed, the error message is lost with it

# The learner's language, and the translation of the scripts' texts.
sl_i18n=${BASH_SOURCE[0]%/*}
[[ $sl_i18n == "${BASH_SOURCE[0]}" ]] && sl_i18n=.
# shellcheck source=scripts/i18n.sh
source "$sl_i18n/i18n.sh"
unset sl_i18n
export LC_ALL=C # tcpdump, awk and sort output, and $EPOCHREALTIME, in one format
export SOCKLAB_CLOCK=run # the programs count from their start: the merge needs that
# sl_abspath PATH: PATH made absolute and without ".", ".." and doubled
# slashes, in SL_PATH: what `cd PATH && pwd` says, without a subshell.
sl_abspath() {
    local part parts out=()
    [[ $1 == /* ]] && parts=$1 || parts=$PWD/$1
    IFS=/ read -r -a parts <<<"$parts"
    for part in "${parts[@]}"; do
        case $part in
        '' | .) ;;
        ..) if ((${#out[@]})); then unset 'out[-1]'; fi ;;
        *) out+=("$part") ;;
        esac
    done
    printf -v SL_PATH '/%s' "${out[@]}"
}
SL_LIBDIR=${BASH_SOURCE[0]%/*}
[[ $SL_LIBDIR == "${BASH_SOURCE[0]}" ]] && SL_LIBDIR=.
sl_abspath "$SL_LIBDIR/.."
SL_REPO=$SL_PATH
SL_LIBDIR="$SL_REPO/scripts"
SL_NAME=${0##*/}
SL_NAME=${SL_NAME%.sh}
SL_EXIT_UNAVAILABLE=77 # same code ctest uses for "skipped"
SL_MARKER=.socklab-run # in a run folder: the files the run wrote

# The texts a run prints at its end (sl_report), looked up with the awk
# programs' ones, once, when the run starts (sl_setup_run).
SL_TR_RUN=(
    '[%s] before: %s   (t=%s)' '[%s] after: %s   (t=%s; the program did not wait)'
    'after both programs exited   (t=%s)' 'after the last client exited   (t=%s)'
    '== Narration (both sides, by time since the run started)' '[%s] exit status %s%s'
    ' (stopped by the script once the client was done)' ' (stopped by the script after the last client)'
    '== Kernel socket table, under the step that preceded each snapshot'
    '== Packets on lo (tcpdump; seconds since the run started)' '== Ladder diagram (from the capture)'
    '== Packets: none captured (tcpdump is not installed: apt-get install tcpdump)'
    '== Ladder diagram: needs the capture, so none' 'Files: %s'
    '== Narration (server on B, one client per TTL on A; seconds since the run started)'
    '== Socket tables (ss -uan on A, then on B), under the step that preceded each'
    '== Packets on each link (tcpdump; seconds since the run started)'
    '== Ladder diagram (from the three captures)' '(on B)'
)
SL_AWK_FILES=(ladder.awk ladder-svg.awk) # the awk programs of the run's report and pictures

# sl_awk_tr AWKFILE...: for an awk program that prints text through its
# function T("..."): in Chinese mode, look up every such text of the files
# (with SL_TR_RUN, one gettext) and write the table the program loads (-v
# tr=FILE: lines of "msgid\x1fmsgstr"), in SL_AWK_TR; in English,
# SL_AWK_TR is empty. A file that is not there (a picture's awk not
# installed) has no texts.
sl_awk_tr() {
    local f l re ids=()
    SL_AWK_TR=""
    ((SL_ZH)) || return 0
    re='T\("([^"\\]*)"\)'
    for f in "$@"; do
        [[ -f $f ]] || continue
        local -a lines=()
        mapfile -t lines <"$f"
        for l in "${lines[@]}"; do
            while [[ $l =~ $re ]]; do
                ids+=("${BASH_REMATCH[1]}")
                l=${l/"${BASH_REMATCH[0]}"/}
            done
        done
    done
    sl_tr_load "${SL_TR_RUN[@]}" "${ids[@]}"
    SL_AWK_TR="$SL_TMP/tr.awk.txt"
    {
        for l in "${ids[@]}"; do
            printf '%s\x1f%s\n' "$l" "${SL_TR_CACHE[$l]:-$l}"
        done
    } >"$SL_AWK_TR"
}

# Set by the options (sl_parse_common).
SL_OUT=""         # --out DIR
SL_SCENARIO=""    # --scenario NAME
SL_PORT=""        # --port P (both programs)
SL_BIND=""        # --bind ADDR (the server)
SL_HOST=""        # --host ADDR (the client)
SL_PASS=()        # options for both programs
SL_PASS_SERVER=() # --server-arg words
SL_PASS_CLIENT=() # --client-arg words
SL_TIMEOUT_S=30   # bound on the whole run once inside the namespace
SL_OWN_OPTS=""    # a script's own long options (without --), for abbreviations
SL_DRY_RUN=0      # --dry-run: check everything, start nothing
SL_DETAIL=0       # --detail: snapshots with every ss detail (-o -i)
SL_DRY_CMDS=()    # what a run would start (for --dry-run)

# The messages: FORMAT is a printf format and an msgid (translated), the
# ARGs fill it in (names, paths, values: never translated).
# sl_say FORMAT [ARG...]: one line on stderr, after the script's name.
sl_say() {
    local msg
    sl_tr "$1"
    # shellcheck disable=SC2059 # the format is the (translated) msgid
    printf -v msg -- "$SL_TR" "${@:2}"
    printf '%s: %s\n' "$SL_NAME" "$msg" >&2
}
sl_die() {
    sl_say "$@"
    exit 1
}
# sl_usage_error FORMAT [ARG...]: bad usage, one line, exit 2. " (try
# --help)" stays as it is, as in the programs' lines.
sl_usage_error() {
    local msg
    sl_tr "$1"
    # shellcheck disable=SC2059 # the format is the (translated) msgid
    printf -v msg -- "$SL_TR" "${@:2}"
    sl_usage_error_raw "$msg"
}
# sl_usage_error_raw TEXT: the same with TEXT as it is (a program's line,
# already in the learner's language).
sl_usage_error_raw() {
    printf '%s: %s (try --help)\n' "$SL_NAME" "$1" >&2
    exit 2
}
# sl_unavailable FORMAT [ARG...]: the machine cannot do what the script needs.
sl_unavailable() {
    local msg
    sl_tr "$1"
    # shellcheck disable=SC2059 # the format is the (translated) msgid
    printf -v msg -- "$SL_TR" "${@:2}"
    sl_say 'cannot run here: %s' "$msg"
    exit "$SL_EXIT_UNAVAILABLE"
}
# sl_errtext MESSAGE: the reason at the end of a tool's error message
# ("mkdir: cannot create directory 'x': Permission denied"), in SL_ERR.
sl_errtext() {
    SL_ERR=${1%%$'\n'*}
    SL_ERR=${SL_ERR##*: }
    [[ -n $SL_ERR ]] || SL_ERR="unknown error"
}

# sl_parse_common ARGS...: the options every script shares. Unknown options
# go to both programs; --server-arg/--client-arg pass one word to one side.
# Sets SL_HELP=1 on --help. The values are checked here, before anything
# starts; the programs check theirs in sl_check_programs.
sl_parse_common() {
    local opt o hits
    SL_HELP=0
    while (($#)); do
        case $1 in
        -h | --help) SL_HELP=1 ;;
        --step) : ;; # always on: the script drives the steps itself
        --dry-run) SL_DRY_RUN=1 ;;
        --detail) SL_DETAIL=1 ;;
        -s | --scenario | -o | --out | --run-timeout | -p | --port | -b | --bind | -H | --host | --server-arg | --client-arg)
            (($# >= 2)) || sl_usage_error '%s needs a value' "$1"
            sl_option "$1" "$2"
            shift
            ;;
        --scenario=* | --out=* | --run-timeout=* | --port=* | --bind=* | --host=*)
            sl_option "${1%%=*}" "${1#*=}"
            ;;
        -[sopbH]?*) sl_option "${1:0:2}" "${1:2}" ;;
        --)
            shift
            SL_PASS+=("$@")
            break
            ;;
        --?*)
            # getopt_long takes any unambiguous abbreviation; the script
            # knows its own options only by their full names. An abbreviation
            # of one of them would go to the programs and mean there what the
            # script did not check.
            opt=${1%%=*}
            hits=()
            for o in scenario out run-timeout port bind host server-arg client-arg help step dry-run detail $SL_OWN_OPTS; do
                [[ --$o == "$opt"* ]] && hits+=("--$o")
            done
            ((${#hits[@]} == 0)) || sl_usage_error "write '%s' in full (%s)" "$opt" "${hits[*]}"
            SL_PASS+=("$1")
            ;;
        -[!-]*[sopbH]*)
            # A cluster such as -qs NAME: the programs would take -s, the
            # script would not see it.
            sl_usage_error "give the script's own short options apart ('%s')" "$1"
            ;;
        *) SL_PASS+=("$1") ;;
        esac
        shift
    done
}

# sl_option NAME VALUE: one of the script's own options.
sl_option() {
    case $1 in
    -s | --scenario)
        [[ -n $2 ]] || sl_usage_error 'empty scenario name'
        [[ $2 =~ ^[a-z0-9][a-z0-9-]*$ ]] || sl_usage_error "bad scenario name '%s'" "$2"
        SL_SCENARIO=$2
        ;;
    -o | --out)
        [[ -n $2 ]] || sl_usage_error 'empty --out folder'
        SL_OUT=$2
        ;;
    --run-timeout)
        # No leading zero (bash would read octal), nothing above an hour.
        if ! [[ $2 =~ ^[1-9][0-9]{0,3}$ ]] || (($2 > 3600)); then
            sl_usage_error "bad --run-timeout '%s' (want whole seconds, 1 to 3600)" "$2"
        fi
        SL_TIMEOUT_S=$2
        ;;
    -p | --port)
        sl_check_port "$2" "$1"
        SL_PORT=$2
        ;;
    -b | --bind)
        sl_check_loopback "$2" "$1" server
        SL_BIND=$2
        ;;
    -H | --host)
        sl_check_loopback "$2" "$1" client
        SL_HOST=$2
        ;;
    --server-arg) SL_PASS_SERVER+=("$2") ;;
    --client-arg) SL_PASS_CLIENT+=("$2") ;;
    esac
}

# sl_check_port VALUE OPTION: a port the script can give both programs:
# 1 to 65535 (with 0 the server would pick one the client cannot know).
sl_check_port() {
    [[ $1 =~ ^[1-9][0-9]{0,4}$ ]] && (($1 <= 65535)) && return 0
    [[ $1 == 0 ]] && sl_usage_error '%s 0: the script starts the client itself and needs a fixed port (1 to 65535)' "$2"
    sl_usage_error "bad port '%s' for %s (want 1 to 65535)" "$1" "$2"
}

# sl_check_loopback ADDR OPTION SIDE: the run's namespace has only lo, so an
# address must be there: 127.0.0.0/8, ::1, localhost, or for the server the
# wildcards 0.0.0.0 and :: (the client then connects to loopback).
sl_check_loopback() {
    local a=$1 o='(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
    [[ $a =~ ^127\.$o\.$o\.$o$ || $a == ::1 || $a == '[::1]' || $a == localhost ]] && return 0
    if [[ $3 == server ]] && [[ $a == 0.0.0.0 || $a == :: || $a == '[::]' ]]; then return 0; fi
    [[ -n $a ]] || sl_usage_error 'empty address for %s' "$2"
    if [[ $3 == server ]]; then
        sl_usage_error "%s '%s': the run's namespace has only lo; use 127.0.0.1, ::1, 0.0.0.0 or ::" "$2" "$a"
    fi
    sl_usage_error "%s '%s': the run's namespace has only lo; use 127.0.0.1 or ::1" "$2" "$a"
}

# sl_side_args SIDE: the options the script gives SIDE (server or client)
# after --step and --scenario, in SL_ARGS: --port, the address (a --bind
# for the server also tells the client where to connect, a --host for the
# client the server where to listen), then the user's words.
sl_side_args() {
    local bind=$SL_BIND host=$SL_HOST
    SL_ARGS=()
    [[ -n $SL_PORT ]] && SL_ARGS+=(--port "$SL_PORT")
    if [[ $1 == server ]]; then
        [[ -z $bind && -n $host ]] && bind=$host
        [[ -n $bind ]] && SL_ARGS+=(--bind "$bind")
        SL_ARGS+=("${SL_PASS[@]}" "${SL_PASS_SERVER[@]}")
    else
        if [[ -z $host && -n $bind ]]; then
            case $bind in
            0.0.0.0) host=127.0.0.1 ;;
            :: | '[::]') host=::1 ;;
            *) host=$bind ;;
            esac
        fi
        [[ -n $host ]] && SL_ARGS+=(--host "$host")
        SL_ARGS+=("${SL_PASS[@]}" "${SL_PASS_CLIENT[@]}")
    fi
    return 0
}

# sl_help_scenarios TEXT: the scenario names a program's --help lists, in
# SL_NAMES: the lines "  name   what it shows" under "Scenarios", else the
# names the --scenario line lists ("--scenario NAME  fill (default), drain").
sl_help_scenarios() {
    local l on=0 lines listed w inline=""
    SL_NAMES=()
    mapfile -t lines <<<"$1"
    for l in "${lines[@]}"; do
        if ((on)); then
            [[ -z $l || $l != ' '* ]] && break
            [[ $l =~ ^\ \ ([a-z0-9][a-z0-9-]*)(\ \ |$) ]] && SL_NAMES+=("${BASH_REMATCH[1]}")
        fi
        [[ $l == Scenarios* ]] && on=1
        [[ -z $inline && $l =~ --scenario\ NAME\ +(.+)$ ]] && inline=${BASH_REMATCH[1]}
    done
    if ((${#SL_NAMES[@]} == 0)) && [[ $inline == *,* ]]; then
        read -r -a listed <<<"${inline//,/ }"
        for w in "${listed[@]}"; do
            [[ $w =~ ^[a-z0-9][a-z0-9-]*$ ]] && SL_NAMES+=("$w")
        done
    fi
    return 0
}

# sl_check_programs SERVER CLIENT: before anything starts, let each program
# judge the options it will get with its own parser (run with --help added:
# a bad value or an unknown option makes it exit 2 with one line), and look
# the scenario up in the list each program's --help gives. Bad usage exits 2
# with one line. The inner half skips this: the outer one did it.
sl_check_programs() {
    local side prog out rc found line
    sl_is_inner && return 0
    for side in server client; do
        if [[ $side == server ]]; then prog=$1; else prog=$2; fi
        sl_side_args "$side"
        rc=0
        # In English: the scenario list is read from the text (a bad
        # option's line is asked again in the learner's language).
        out=$(LANGUAGE='' "$SL_BIN/$prog" --step --scenario "$SL_SCENARIO" "${SL_ARGS[@]}" --help 2>&1) || rc=$?
        if ((rc == 2)); then
            line=${out%%$'\n'*}
            found=0
            [[ $line == *"unknown option"* ]] && found=1
            if ((SL_ZH)); then
                line=$("$SL_BIN/$prog" --step --scenario "$SL_SCENARIO" "${SL_ARGS[@]}" --help 2>&1) || true
                line=${line%%$'\n'*}
            fi
            line=${line% (try --help)}
            if ((found)); then
                sl_tr ' (an option for one side goes with --%s-arg)'
                # shellcheck disable=SC2059 # the format is the (translated) msgid
                printf -v out -- "$SL_TR" "$side"
                line+=$out
            fi
            sl_usage_error_raw "$line"
        fi
        ((rc == 0)) || sl_die '%s --help failed (exit %s): %s' "$prog" "$rc" "${out%%$'\n'*}"
        SL_DRY_CMDS+=("$SL_BIN/$prog --step --scenario $SL_SCENARIO${SL_ARGS[*]:+ ${SL_ARGS[*]}}")
        sl_help_scenarios "$out"
        ((${#SL_NAMES[@]})) || sl_die "%s --help lists no scenarios: cannot check '%s'" "$prog" "$SL_SCENARIO"
        found=0
        for line in "${SL_NAMES[@]}"; do [[ $line == "$SL_SCENARIO" ]] && found=1; done
        if ((!found)); then
            line="${SL_NAMES[*]}"
            sl_usage_error "unknown scenario '%s' (one of: %s)" "$SL_SCENARIO" "${line// /, }"
        fi
    done
}

# The options text every script's --help shares.
sl_common_help() {
    sl_help "Options:
  -s, --scenario NAME    the scenario both programs play (see their --help)
  -o, --out DIR          keep the run's files in DIR: a new or empty folder,
                         or one an earlier run of a script made (its files
                         are then replaced; a folder holding anything else is
                         refused) (default: a new folder under runs/ in the
                         repository, or in the current folder for installed
                         scripts)
  -p, --port P           the server's port, 1 to 65535 (the client's too)
  -b, --bind ADDR        the server's address: 127.0.0.1, ::1 or another
                         loopback address, or 0.0.0.0 or :: (the client then
                         connects to loopback)
  -H, --host ADDR        the address the client connects to (loopback)
      --run-timeout S    give up on the run after S seconds (default 30)
      --detail           snapshots with every detail ss has (-o -i: timers,
                         congestion control, rates); by default only the
                         lines that matter
      --dry-run          check every option and find the programs, say what
                         would run, and start nothing (exit 0)
      --server-arg ARG   pass ARG to the server only (repeat for more words)
      --client-arg ARG   pass ARG to the client only
  -h, --help             this text
Any other option (e.g. --quiet, --timeout MS) goes to both programs. Every
option is checked before the run starts: bad usage exits 2 with one line.

Programs are taken from \$SOCKLAB_BIN, else, for installed scripts, from
where they were installed, else <repo>/build/bin (built with cmake if
missing). The run needs unshare (util-linux) and iproute2; without
tcpdump it still shows narration and snapshots, but no packets. It exits 77
when it cannot make a private namespace. Ctrl-C, SIGTERM and SIGHUP stop a
run within a second: no process or temporary file stays behind, and the run
folder keeps what was written so far, with a file INTERRUPTED that says so."
}

# sl_find_bin PROG...: set SL_BIN to a folder holding every PROG: the
# installed programs when this is an installed copy of the scripts (a file
# installed.sh beside lib.sh names their folder; nothing is ever built
# there), else <repo>/build/bin, built when needed: one line while it
# builds, the build's log only if it fails.
sl_find_bin() {
    local p missing=() log rc=0 SL_INSTALLED_BINDIR=""
    if [[ -n ${SOCKLAB_BIN:-} ]]; then
        SL_BIN=$SOCKLAB_BIN
        for p in "$@"; do [[ -x $SL_BIN/$p ]] || missing+=("$p"); done
        ((${#missing[@]} == 0)) || sl_die 'SOCKLAB_BIN=%s has no %s' "$SL_BIN" "${missing[*]}"
        return 0
    fi
    if [[ -f $SL_LIBDIR/installed.sh ]]; then
        # shellcheck source=/dev/null
        source "$SL_LIBDIR/installed.sh" # sets SL_INSTALLED_BINDIR, relative to here
        sl_abspath "$SL_LIBDIR/$SL_INSTALLED_BINDIR"
        SL_BIN=$SL_PATH
        for p in "$@"; do [[ -x $SL_BIN/$p ]] || missing+=("$p"); done
        ((${#missing[@]} == 0)) || sl_die 'the installed programs are not all in %s: %s missing (reinstall, or set SOCKLAB_BIN)' "$SL_BIN" "${missing[*]}"
        return 0
    fi
    SL_BIN="$SL_REPO/build/bin"
    for p in "$@"; do [[ -x $SL_BIN/$p ]] || missing+=("$p"); done
    ((${#missing[@]} == 0)) && return 0
    [[ -f $SL_REPO/CMakeLists.txt ]] || sl_die 'no programs in %s and no source tree to build them from (set SOCKLAB_BIN)' "$SL_BIN"
    command -v cmake >/dev/null || sl_die 'cmake is needed to build %s (or set SOCKLAB_BIN)' "${missing[*]}"
    log=$(mktemp "${TMPDIR:-/tmp}/socklab-build.XXXXXX") || sl_die 'cannot make a temporary file for the build log'
    sl_say 'building %s in %s/build (once) ...' "${missing[*]}" "$SL_REPO"
    # Configure every time: an old build folder may predate these targets.
    { cmake -S "$SL_REPO" -B "$SL_REPO/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
        cmake --build "$SL_REPO/build" -j2 --target "${missing[@]}"; } >"$log" 2>&1 </dev/null || rc=$?
    if ((rc)); then
        sl_cat "$log" '  ' >&2
        rm -f -- "$log"
        sl_die 'the build failed (exit %s); its log is above' "$rc"
    fi
    rm -f -- "$log"
    for p in "$@"; do [[ -x $SL_BIN/$p ]] || sl_die 'the build made no %s' "$SL_BIN/$p"; done
}

# sl_netns_id: set SL_NETNS to the identity (device:inode) of this process's
# network namespace, or to "unknown".
sl_netns_id() {
    SL_NETNS=$(stat -L -c %d:%i /proc/self/ns/net 2>/dev/null) || SL_NETNS=unknown
}

# sl_is_inner: 0 in the inner half of a run: only when all of these hold: the
# outer half said which namespace it left, this is not that one, we are PID 1
# of a new PID namespace, and no interface of this network namespace has
# carried a packet yet. An inherited variable alone never makes a script act
# on its caller's namespace. Decided once.
SL_INNER=""
sl_is_inner() {
    if [[ -z $SL_INNER ]]; then
        SL_INNER=0
        if [[ -n ${SOCKLAB_SCRIPT_OUTER_NETNS:-} && $$ == 1 ]]; then
            sl_netns_id
            if [[ $SL_NETNS != unknown && $SOCKLAB_SCRIPT_OUTER_NETNS != "$SL_NETNS" ]] && sl_netns_unused; then
                SL_INNER=1
            fi
        fi
    fi
    ((SL_INNER))
}

# sl_netns_unused: 0 if no interface of this network namespace has sent or
# received a packet (/proc/net/dev, read by bash itself): true of a
# namespace made a moment ago, not of one that anything has used.
sl_netns_unused() {
    local l f lines
    mapfile -t lines 2>/dev/null </proc/net/dev || return 1
    ((${#lines[@]} > 2)) || return 1
    for l in "${lines[@]:2}"; do
        read -r -a f <<<"${l#*:}"
        # received: bytes packets errs drop fifo frame compressed multicast;
        # then sent: bytes packets ...
        [[ ${f[1]:-x} == 0 && ${f[9]:-x} == 0 ]] || return 1
    done
    return 0
}

# sl_check_out: the --out policy, checked before anything starts (bad usage:
# exit 2, one line). DIR may not exist yet, or be empty, or hold nothing but
# the files an earlier run listed in its marker; those go in SL_STALE, for
# sl_make_run to remove.
SL_STALE=()
sl_check_out() {
    local d=$SL_OUT f name entries lines
    local -A listed=()
    SL_STALE=()
    [[ -n $d ]] || return 0
    sl_is_inner && return 0 # the outer half checked, and made the folder
    if [[ -e $d || -L $d ]] && [[ ! -d $d ]]; then
        sl_usage_error "--out '%s' exists and is not a folder" "$d"
    fi
    [[ -d $d ]] || return 0
    [[ -r $d && -x $d ]] || sl_die "cannot read the folder '%s' given with --out: Permission denied" "$d"
    shopt -s nullglob dotglob
    entries=("$d"/*)
    shopt -u nullglob dotglob
    ((${#entries[@]})) || return 0
    f="$d/$SL_MARKER"
    if [[ ! -f $f || -L $f ]]; then
        sl_usage_error "--out '%s' is not empty and no socklab run made it: give a new or empty folder" "$d"
    fi
    mapfile -t lines <"$f"
    for name in "${lines[@]}"; do
        # Plain names only: a marker never reaches outside its folder.
        [[ $name =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ ]] && listed[$name]=1
    done
    for f in "${entries[@]}"; do
        name=${f##*/}
        [[ $name == "$SL_MARKER" ]] && continue
        if [[ -z ${listed[$name]:-} || -L $f || ! -f $f ]]; then
            sl_usage_error "--out '%s' holds '%s', which no socklab run wrote: give a new or empty folder" "$d" "$name"
        fi
        SL_STALE+=("$f")
    done
}

# sl_own NAME...: the run is about to create NAME in the run folder: list it
# in the marker first, so that a later run may replace it.
declare -A SL_OWNED=()
sl_own() {
    local n add=()
    for n in "$@"; do
        [[ -n ${SL_OWNED[$n]:-} ]] && continue
        SL_OWNED[$n]=1
        add+=("$n")
    done
    ((${#add[@]} == 0)) || printf '%s\n' "${add[@]}" >>"$SL_RUN/$SL_MARKER"
}

# sl_make_run: the outer half's filesystem work, after every check: the
# temporary folder (SL_TMP) and the run folder (SL_RUN) with its marker; an
# earlier run's files there go. A failure names the folder and the reason.
sl_make_run() {
    local stamp n=1 err d f made=0
    d=${TMPDIR:-/tmp}
    if ! err=$(mktemp -d "$d/socklab-$SL_NAME.XXXXXX" 2>&1); then
        sl_errtext "$err"
        sl_die 'cannot make a temporary folder in %s: %s' "$d" "$SL_ERR"
    fi
    SL_TMP=$err
    if [[ -z $SL_OUT ]]; then
        d=$SL_REPO/runs
        [[ -f $SL_LIBDIR/installed.sh ]] && d=$PWD/runs # an installed copy: here
        if [[ ! -d $d ]] && ! err=$(mkdir -p -- "$d" 2>&1); then
            rm -rf -- "$SL_TMP"
            sl_errtext "$err"
            sl_die 'cannot create the run folder %s: %s (choose one with --out DIR)' "$d" "$SL_ERR"
        fi
        # A new folder per run: count up until mkdir (atomic) makes one.
        printf -v stamp '%s/%s-%(%Y%m%d-%H%M%S)T' "$d" "$SL_NAME" -1
        until err=$(mkdir -- "$stamp-$n" 2>&1); do
            sl_errtext "$err"
            if [[ $SL_ERR != "File exists" || $n -ge 1000 ]]; then
                rm -rf -- "$SL_TMP"
                sl_die 'cannot create a run folder in %s: %s (choose one with --out DIR)' "$d" "$SL_ERR"
            fi
            n=$((n + 1))
        done
        SL_OUT=$stamp-$n
        made=1
    elif [[ ! -d $SL_OUT ]]; then
        if ! err=$(mkdir -p -- "$SL_OUT" 2>&1); then
            rm -rf -- "$SL_TMP"
            sl_errtext "$err"
            sl_die "cannot create the folder '%s' given with --out: %s" "$SL_OUT" "$SL_ERR"
        fi
        made=1
    fi
    sl_abspath "$SL_OUT"
    SL_RUN=$SL_PATH
    f="$SL_RUN/$SL_MARKER"
    if ! { printf '# socklab run folder: %s wrote the files below; a later run may replace them\n' \
        "$SL_NAME" >"$f"; } 2>/dev/null; then
        err=$({ : >>"$f"; } 2>&1) || true
        rm -rf -- "$SL_TMP"
        if ((made)); then rmdir -- "$SL_RUN" 2>/dev/null || true; fi
        sl_errtext "$err"
        sl_die 'cannot write in the run folder %s: %s' "$SL_RUN" "$SL_ERR"
    fi
    if ((${#SL_STALE[@]})); then rm -f -- "${SL_STALE[@]}"; fi
    mkfifo "$SL_TMP/sleep.fifo"
    exec {SL_SLEEP_FD}<>"$SL_TMP/sleep.fifo"
}

# sl_enter_netns ARGS...: outside, run this script again inside fresh
# network + PID namespaces (and a user namespace when not root), wait for it
# and exit with its status; inside, bring lo up (unless SL_LO_UP=0: the
# script does it with its own `ip`) and return. Exits 77 with the reason when
# that is impossible.
#
# tcpdump and privileges: Debian's tcpdump, started as uid 0, drops to user
# "tcpdump", which does not exist in a user namespace that maps only root
# (unshare -r), so it fails. As real root we keep a plain network namespace
# and pass "-Z root" (no drop). As a normal user we map our own uid to itself
# and keep the namespace's capabilities (--keep-caps): tcpdump then runs as
# a non-zero uid, has nothing to drop, and CAP_NET_RAW lets it capture.
SL_LO_UP=1
sl_enter_netns() {
    if sl_is_inner; then
        trap 'exit 143' TERM # how the outer half stops us
        SL_RUN=${SOCKLAB_SCRIPT_RUN:-}
        SL_TMP=${SOCKLAB_SCRIPT_TMP:-}
        unset SOCKLAB_SCRIPT_OUTER_NETNS SOCKLAB_SCRIPT_RUN SOCKLAB_SCRIPT_TMP
        [[ $SL_RUN == /* && -d $SL_RUN && $SL_TMP == /* && -d $SL_TMP ]] ||
            sl_die 'the outer half named no run folder'
        # Tell the programs this namespace is private (lab_netns.h).
        export SOCKLAB_PRIVATE_NETNS=$SL_NETNS
        if ((SL_LO_UP)); then
            ip link set lo up || sl_unavailable 'cannot bring lo up in the namespace'
        fi
        return 0
    fi
    if ((SL_DRY_RUN)); then
        sl_line '%s: dry run: every option checked, nothing started; programs from %s' "$SL_NAME" "$SL_BIN"
        sl_tr '  would run: %s'
        # shellcheck disable=SC2059 # the format is the (translated) msgid
        if ((${#SL_DRY_CMDS[@]})); then printf -- "$SL_TR\n" "${SL_DRY_CMDS[@]}"; fi
        exit 0
    fi
    command -v unshare >/dev/null || sl_unavailable 'unshare (util-linux) is not installed'
    command -v ip >/dev/null || sl_unavailable 'ip (iproute2) is not installed'
    command -v ss >/dev/null || sl_unavailable 'ss (iproute2) is not installed'
    [[ -n ${SL_NETNS:-} ]] || sl_netns_id
    [[ $SL_NETNS != unknown ]] || sl_unavailable 'cannot read /proc/self/ns/net'
    local ns_args err rc=0
    if ((EUID == 0)); then
        ns_args=(--net --pid --fork --kill-child --mount-proc)
    else
        ns_args=(--user --map-current-user --keep-caps --net --pid --fork --kill-child --mount-proc)
    fi
    if ! err=$(unshare "${ns_args[@]}" true 2>&1); then
        sl_unavailable 'no private network namespace (unshare %s: %s)' "${ns_args[*]}" "${err:-failed}"
    fi
    SL_CHILD=""
    trap 'sl_outer_stop INT 130' INT
    trap 'sl_outer_stop TERM 143' TERM
    trap 'sl_outer_stop HUP 129' HUP
    sl_make_run
    export SOCKLAB_SCRIPT_OUTER_NETNS=$SL_NETNS SOCKLAB_BIN="$SL_BIN" \
        SOCKLAB_SCRIPT_RUN=$SL_RUN SOCKLAB_SCRIPT_TMP=$SL_TMP
    # In the background, so that `wait` returns at once on a signal (unshare
    # ignores INT and TERM and passes nothing on). Bash starts a background
    # job with SIGINT ignored: sl_outer_stop stops the inner half with TERM.
    unshare "${ns_args[@]}" bash "$0" "$@" <&0 &
    SL_CHILD=$!
    wait "$SL_CHILD" || rc=$?
    SL_CHILD=""
    if ((rc > 128)); then
        sl_mark_interrupted 'it ended by signal %s' $((rc - 128))
    fi
    rm -rf -- "$SL_TMP"
    exit "$rc"
}

# sl_outer_stop SIGNAME STATUS: the outer half got a signal. Ask the inner
# half (PID 1 of its namespace; from here, unshare's child) to stop; if it
# has not within 0.6 s, end unshare, whose --kill-child takes the whole
# namespace. Then remove the temporary folder, mark the run folder and exit
# with STATUS.
sl_outer_stop() {
    local i
    trap '' INT TERM HUP
    if [[ -n ${SL_CHILD:-} ]]; then
        if sl_child_pid "$SL_CHILD"; then kill -TERM "$SL_CHILD_PID" 2>/dev/null || true; fi
        for ((i = 0; i < 60; i++)); do
            kill -0 "$SL_CHILD" 2>/dev/null || break
            read -r -t 0.01 -u "$SL_SLEEP_FD" _ || true
        done
        kill -KILL "$SL_CHILD" 2>/dev/null || true
        wait "$SL_CHILD" 2>/dev/null || true
    fi
    if [[ -n ${SL_TMP:-} ]]; then rm -rf -- "$SL_TMP"; fi
    if [[ -n ${SL_RUN:-} ]]; then
        sl_mark_interrupted 'it was stopped by SIG%s' "$1"
        sl_say 'stopped by SIG%s; what the run wrote so far is in %s' "$1" "$SL_RUN" || true
    fi
    exit "$2"
}

# sl_mark_interrupted FORMAT ARG: leave a file INTERRUPTED in the run
# folder, saying why (FORMAT, an msgid, with ARG).
sl_mark_interrupted() {
    {
        sl_own INTERRUPTED
        local why when
        printf -v when '%(%Y-%m-%d %H:%M:%S)T' -1
        sl_tr "$1"
        # shellcheck disable=SC2059 # the format is the (translated) msgid
        printf -v why -- "$SL_TR" "$2"
        {
            sl_line 'This run did not finish: %s (%s).' "$why" "$when"
            sl_line 'The files here are what it wrote until then.'
        } >"$SL_RUN/INTERRUPTED"
    } 2>/dev/null || true
}

# sl_child_pid PID: set SL_CHILD_PID to a child of PID (from the kernel's
# list, else from every process's parent).
sl_child_pid() {
    local l f p
    SL_CHILD_PID=""
    l=""
    read -r l 2>/dev/null <"/proc/$1/task/$1/children" # no newline: read says 1
    if [[ -n $l ]]; then
        SL_CHILD_PID=${l%% *}
        return 0
    fi
    for f in /proc/[0-9]*/stat; do
        read -r l 2>/dev/null <"$f" || continue
        l=${l##*) }
        read -r _ p _ <<<"$l"
        if [[ $p == "$1" ]]; then
            p=${f#/proc/}
            SL_CHILD_PID=${p%/stat}
            return 0
        fi
    done
    return 1
}

# sl_have_tcpdump: 0 if tcpdump can be used.
sl_have_tcpdump() {
    if command -v tcpdump >/dev/null; then return 0; fi
    return 1
}

# sl_setup_run [FIFO...]: in the inner half, make the named FIFOs in the
# temporary folder (one mkfifo for all: sl_start and sl_capture_start use
# them when they exist) and install the cleanup trap. Sets SL_T0 (epoch of
# the run's start).
sl_setup_run() {
    export NSTAT_HISTORY="$SL_TMP/nstat.history" # nstat's memory, private to the run
    SL_PIDS=()
    SL_TCPDUMP_PIDS=()
    SL_FIFO_FDS=()
    trap sl_cleanup EXIT
    trap 'exit 143' TERM HUP
    sl_awk_tr "${SL_AWK_FILES[@]/#/$SL_LIBDIR/}"
    SL_T0=$EPOCHREALTIME
    if (($#)); then mkfifo "${@/#/$SL_TMP/}"; fi
    exec {SL_SLEEP_FD}<>"$SL_TMP/sleep.fifo"
    SL_FIFO_FDS+=("$SL_SLEEP_FD")
    sl_own snapshots.txt
    : >"$SL_RUN/snapshots.txt"
}

# sl_cleanup: stop what the inner half started (the temporary folder is the
# outer half's to remove).
sl_cleanup() {
    local pid fd
    trap - EXIT INT TERM HUP
    for pid in "${SL_PIDS[@]}" "${SL_TCPDUMP_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for fd in "${SL_FIFO_FDS[@]}"; do
        exec {fd}>&- || true
    done
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
    sl_own "$name.pcap"
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
                sl_die 'tcpdump did not start on %s' "${SL_TCPDUMP_IFACES[i]}"
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
    sl_own "$side.out" "$side.err" "$side.cmd" starts.tsv
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

# sl_conn_states: with SL_CONN_STATES=1, each snapshot also records every TCP
# socket's state for the ladder ($SL_TMP/conns.txt: "TIME STATE LOCAL PEER",
# and "TIME -" for the snapshot itself), so that it can say which final ACKs
# a listener did not act on (the request stays SYN-RECV: the accept queue was
# full, or TCP_DEFER_ACCEPT waits for data), which the capture cannot show.
SL_CONN_STATES=0
sl_conn_states() {
    local t l
    sl_now
    t=$SL_NOW
    {
        printf '%s -\n' "$t"
        while read -r l; do printf '%s %s\n' "$t" "$l"; done < <(ss -tanH 2>/dev/null)
    } >>"$SL_TMP/conns.txt"
}

# sl_snapshot TITLE: append `ss` (and the parts) under TITLE. One process
# per command (no sed): one after the other, as two processes side by side
# take longer than in turn on a small VM.
sl_snapshot() {
    local i
    SL_SNAP_CMD_0=(ss "${SL_SS_ARGS[@]}")
    ((SL_CONN_STATES)) && sl_conn_states
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
                sl_tr '[%s] after: %s   (t=%s; the program did not wait)'
                # shellcheck disable=SC2059 # the format is the (translated) msgid
                printf -v line -- "$SL_TR" "$side" "${line%%  state=*}" "$SL_NOW"
                sl_snapshot "$line"
            fi
        done
        SL_MARKS[$side]=${#lines[@]}
    done
}

# sl_is_step_line LINE: 0 if LINE is a program's step prompt (the token
# "step: ", in any language). Only where the program puts one, right after
# its clock and side: network bytes, quoted later on a line, never count.
sl_is_step_line() {
    [[ $1 =~ ^\ *[0-9]+\.[0-9]+\ [a-z]+\ +step:\  ]]
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
            sl_is_step_line "${lines[i]}" && steps+=("$i")
        done
        n=${#steps[@]}
        while ((SL_STEPS[$side] < n)); do
            i=${steps[SL_STEPS[$side]]}
            line=${lines[i]}
            SL_STEPS[$side]=$((SL_STEPS[$side] + 1))
            # The prompt after the "step: " token is in the learner's language.
            what=${line#*step: }
            what=${what#press Enter to }
            what=${what#按回车键：}
            what=${what%%  state=*}
            sl_marks
            sl_now
            sl_tr '[%s] before: %s   (t=%s)'
            # shellcheck disable=SC2059 # the format is the (translated) msgid
            printf -v what -- "$SL_TR" "$side" "$what" "$SL_NOW"
            sl_snapshot "$what"
            printf '\n' >&"${SL_FD[$side]}" || true
            # When the line was released: the program's clock is anchored on it.
            sl_own releases.tsv
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
            sl_say '%s exited (%s) before printing /%s/:' "$side" "${SL_RC[$side]}" "$regex"
            sl_cat "$SL_RUN/$side.out" >&2
            sl_cat "$SL_RUN/$side.err" >&2
            return 1
        fi
        sl_ms
        ((SL_MS < end)) || break
        sl_poll_sleep
    done
    sl_say '%s printed no /%s/ within %ss' "$side" "$regex" "$3"
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
            sl_say '%s still running after %ss: stopped it' "$side" "$SL_TIMEOUT_S"
        fi
        sl_reap "$side"
    done
    for side in $stopped; do
        sl_own stopped.txt
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
    sl_own releases.tsv clocks.tsv narration.txt
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
        sl_own packets.txt ladder.txt
        : >"$SL_RUN/packets.txt"
        [[ -e $SL_TMP/conns.txt ]] || : >"$SL_TMP/conns.txt"
        awk -v t0="$SL_T0" -v sports="$ports" -v states="$SL_TMP/states.txt" \
            -v conns="$SL_TMP/conns.txt" -v srvout="$SL_RUN/server.out" -v list="$raw" -v listout="$SL_RUN/packets.txt" \
            -v tr="$SL_AWK_TR" -v rows="$SL_TMP/ladder.rows" \
            -f "$SL_LIBDIR/ladder.awk" "$raw" "$raw_abs" >"$SL_RUN/ladder.txt"
        sl_ladder_svg "$SL_TMP/ladder.rows"
    fi
    sl_own report.txt
    {
        sl_line '== Narration (both sides, by time since the run started)'
        printf '\n'
        sl_cat "$SL_RUN/narration.txt"
        for side in "${SL_SIDES[@]}"; do
            if [[ -s $SL_RUN/$side.err ]]; then
                printf '\n[%s] stderr:\n' "$side"
                sl_cat "$SL_RUN/$side.err" '  '
            fi
            stopped=""
            if sl_file_has "$SL_RUN/stopped.txt" "^$side\$"; then
                sl_tr ' (stopped by the script once the client was done)'
                stopped=$SL_TR
            fi
            sl_line '[%s] exit status %s%s' "$side" "${SL_RC[$side]:-?}" "$stopped"
        done
        printf '\n'
        sl_line '== Kernel socket table, under the step that preceded each snapshot'
        printf '\n'
        sl_cat "$SL_RUN/snapshots.txt"
        if ((have)); then
            sl_line '== Packets on lo (tcpdump; seconds since the run started)'
            printf '\n'
            sl_cat "$SL_RUN/packets.txt"
            printf '\n'
            sl_line '== Ladder diagram (from the capture)'
            printf '\n'
            sl_cat "$SL_RUN/ladder.txt"
        else
            sl_line '== Packets: none captured (tcpdump is not installed: apt-get install tcpdump)'
            printf '\n'
            sl_line '== Ladder diagram: needs the capture, so none'
        fi
        printf '\n'
        sl_line 'Files: %s' "$SL_RUN"
    } >"$SL_RUN/report.txt"
    sl_cat "$SL_RUN/report.txt"
}

# sl_ladder_svg ROWS: the ladder as a picture, ladder.svg in the run folder,
# from the rows ladder.awk wrote (-v rows=ROWS), when they hold an arrow.
sl_ladder_svg() {
    local kind="" key="" n=0
    if [[ -s $1 ]]; then IFS=$'\t' read -r kind key n <"$1" || true; fi
    [[ $kind == meta && $key == rows && $n =~ ^[1-9][0-9]*$ ]] || return 0
    sl_picture ladder-svg.awk ladder.svg "$1"
}

# sl_picture AWK OUT [ARG...]: draw the picture OUT (a file name in the run
# folder) with scripts/AWK, if that file is there:
#   awk -f markup.awk -f AWK -v tr=TABLE -v title=TITLE ARG... > OUT
# (TABLE: the translations, SL_AWK_TR; TITLE: SL_PICTURE_TITLE, by default
# the script and its scenario;
# ARGs: more -v settings, then the input files), bounded (SL_PICTURE_S). A
# picture that fails is said, and the run goes on.
SL_PICTURE_S=10
sl_picture() {
    local awkf=$SL_LIBDIR/$1 out=$2 rc=0
    [[ -f $awkf ]] || return 0
    sl_own "$out"
    sl_bounded "$SL_PICTURE_S" awk -f "$SL_LIBDIR/markup.awk" -f "$awkf" -v tr="$SL_AWK_TR" -v title="${SL_PICTURE_TITLE:-$SL_NAME --scenario $SL_SCENARIO}" \
        "${@:3}" >"$SL_RUN/$out" || rc=$?
    ((rc == 0)) || sl_say 'could not draw %s (%s: exit %s)' "$out" "$1" "$rc"
}

# sl_bounded S CMD...: run CMD, stopped (TERM) if it takes longer than S
# seconds; its exit status, 124 when stopped. (No timeout(1): a paced poll,
# like every wait of a run.)
sl_bounded() {
    local end pid rc=0
    sl_ms
    end=$((SL_MS + $1 * 1000))
    "${@:2}" &
    pid=$!
    SL_PIDS+=("$pid")
    sl_poll_reset
    while kill -0 "$pid" 2>/dev/null; do
        sl_ms
        if ((SL_MS >= end)); then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            return 124
        fi
        sl_poll_sleep
    done
    wait "$pid" || rc=$?
    return "$rc"
}

# sl_pictures: the end of every run, after report.txt: the script's own
# picture (the function named in SL_PICTURES_HOOK, which calls sl_picture:
# backlog-probe's drain.svg), then the page for a projector, report.html,
# by scripts/report-html.sh RUN_FOLDER when that script is there (it shows
# what the folder holds, ladder.svg and the pictures too), bounded by
# SL_PICTURE_S. Nothing on stdout: the run's output is report.txt's.
SL_PICTURES_HOOK=""
sl_pictures() {
    local rc=0
    if [[ -n $SL_PICTURES_HOOK ]]; then "$SL_PICTURES_HOOK"; fi
    [[ -f $SL_LIBDIR/report-html.sh ]] || return 0
    sl_bounded "$SL_PICTURE_S" bash "$SL_LIBDIR/report-html.sh" "$SL_RUN" >/dev/null || rc=$?
    ((rc == 0)) || sl_say 'could not write %s (%s: exit %s)' report.html report-html.sh "$rc"
}

# sl_port_arg DEFAULT: the server's port: --port, else the last --port or
# -p given to the server as a word of its own, else DEFAULT.
sl_port_arg() {
    local i port=$1 args=("${SL_PASS[@]}" "${SL_PASS_SERVER[@]}")
    for ((i = 0; i < ${#args[@]}; i++)); do
        case ${args[i]} in
        -p | --port) ((i + 1 < ${#args[@]})) && port=${args[i + 1]} ;;
        --port=*) port=${args[i]#*=} ;;
        -p?*) port=${args[i]#-p} ;;
        esac
    done
    [[ -n $SL_PORT ]] && port=$SL_PORT
    [[ $port == "$1" ]] || sl_check_port "$port" "the server's --port"
    SL_SERVER_PORT=$port
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
        sl_say 'tcpdump is not installed: no packet list and no ladder diagram (apt-get install tcpdump)'
    fi
    # No --port of our own: the programs default to their pair's fixed port,
    # and a client in a refused-* scenario picks a closed one by itself.
    # The server sends nothing before its client starts: it may start while
    # tcpdump gets ready.
    sl_side_args server
    sl_start server "$SL_BIN/$server" --step --scenario "$SL_SCENARIO" "${SL_ARGS[@]}"
    [[ -n $capture ]] && sl_capture_wait
    sl_drive_until server 'listening on ' 5 || sl_die '%s did not start' "$server"
    sl_side_args client
    sl_start client "$SL_BIN/$client" --step --scenario "$SL_SCENARIO" "${SL_ARGS[@]}"
    sl_drive_pair client "$grace"
    sl_now
    sl_tr 'after both programs exited   (t=%s)'
    # shellcheck disable=SC2059 # the format is the (translated) msgid
    printf -v SL_TR -- "$SL_TR" "$SL_NOW"
    sl_snapshot "$SL_TR"
    [[ -n $capture ]] && sl_capture_stop
    sl_report "$capture" "$ports"
    sl_pictures
    [[ ${SL_RC[server]} == 0 || -s $SL_RUN/stopped.txt ]] && [[ ${SL_RC[client]} == 0 ]]
}
