# shellcheck shell=bash
# demo.sh: helpers for the end-to-end demo tests (source it from bash).
# Each test runs inside its own network namespace (socklab-netns-run), so
# fixed ports are free and nothing leaks between tests. Checks use bash's
# own regex matching: a process start costs milliseconds on a small VM, and
# there are dozens of these tests.
set -euo pipefail

BIN="${SOCKLAB_BIN:?SOCKLAB_BIN must name the folder of the built programs}"
# A private work folder with one fork (mkdir), not two ($(mktemp)).
WORK=${TMPDIR:-/tmp}/socklab-demo.$$.$RANDOM
mkdir -m 700 -- "$WORK" || exit 1
SERVER_PID=
cleanup() {
    local rc=$?
    # A Chinese run that passed its checks must also have left no English.
    if ((rc == 0 && ${ZH:-0})) && ! (zh_check_all); then rc=1; fi
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
    if [[ ${KEEP_WORK:-0} == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
    exit "$rc"
}
trap cleanup EXIT

# An fd that never delivers data: "read -t" on it is a sleep without a fork.
exec {PACE_FD}<> <(:)

fail() {
    echo "FAIL: $*"
    local f
    for f in "$WORK"/*.out "$WORK"/*.err; do
        [[ -s $f ]] && { echo "--- ${f##*/}"; cat "$f"; }
    done
    exit 1
}

# first_match FILE REGEX [AFTER]: set MATCH to the number of the first line
# after line AFTER (default 0) that matches the extended regex (BASH_REMATCH
# holds its groups), or to "" if none. A variable, not output: $(...) forks.
first_match() {
    local file=$1 regex=$2 after=${3:-0} n=0 line
    local -a lines=()
    MATCH=
    [[ -f $file ]] && mapfile -t lines <"$file"
    for line in "${lines[@]}"; do
        n=$((n + 1))
        if ((n > after)) && [[ $line =~ $regex ]]; then
            MATCH=$n
            return 0
        fi
    done
}

# wait_for_line FILE REGEX [TIMEOUT_S]: bounded poll until FILE has a matching line.
wait_for_line() {
    local file=$1 regex=$2 limit=${3:-3} i
    for ((i = 0; i < limit * 200; i++)); do
        first_match "$file" "$regex"
        [[ -n $MATCH ]] && return 0
        read -r -t 0.005 -u "$PACE_FD" _ || true # pacing of a bounded poll
    done
    fail "no line matching /$regex/ in ${file##*/} after ${limit}s"
}

# start_server NAME ARGS...: start $BIN/NAME in the background (stdout to
# server.out) and wait for its "listening on ADDR" line; sets SERVER_PID and SERVER_PORT.
start_server() {
    local name=$1
    shift
    # Empty the files here: the background child truncates them only when it
    # gets to run, and a second server in one test must not be read as the first.
    : >"$WORK/server.out"
    : >"$WORK/server.err"
    # No timeout(1) around it: one more fork and exec per program, and the
    # test's TIMEOUT already bounds a hang.
    "$BIN/$name" "$@" >>"$WORK/server.out" 2>>"$WORK/server.err" </dev/null &
    SERVER_PID=$!
    wait_for_line "$WORK/server.out" 'listening on '
    first_match "$WORK/server.out" 'listening on [^ ]*:([0-9]+)'
    [[ -n $MATCH ]] || fail "server did not print its port"
    export SERVER_PORT=${BASH_REMATCH[1]}
}

# wait_server [EXPECTED_STATUS]: wait for the server and check its exit status.
wait_server() {
    local want=${1:-0} rc=0
    wait "$SERVER_PID" || rc=$?
    SERVER_PID=
    [[ $rc -eq $want ]] || fail "server exited $rc, want $want"
}

# run_client NAME EXPECTED_STATUS ARGS...: run $BIN/NAME to completion (client.out).
run_client() {
    local name=$1 want=$2 rc=0
    shift 2
    "$BIN/$name" "$@" >"$WORK/client.out" 2>"$WORK/client.err" </dev/null || rc=$?
    [[ $rc -eq $want ]] || fail "$name exited $rc, want $want"
}

# In Chinese (SOCKLAB_DEMO_LANG=zh_CN, the zh.demo.* tests) the same test
# runs the programs in Chinese and checks what must not change with the
# language: each expected line is reduced to its tokens (state=, errno=,
# timer=, quoted network bytes, "listening on"), in the same order; a
# regex with no token checks nothing there. At the end no line may still
# hold an English sentence (a string the catalog lacks).
ZH=0
if [[ ${SOCKLAB_DEMO_LANG:-} == zh_CN ]]; then
    ZH=1
    [[ -f ${SOCKLAB_CATALOG:-} ]] || {
        echo "SKIP: no Chinese catalog was built (msgfmt, from Debian's gettext, is missing)"
        exit 77
    }
    export LANGUAGE=zh_CN LC_ALL=C.UTF-8
fi

# zh_tokens REGEX: set ZH_REGEX to REGEX's tokens joined by ".*" ("" if none).
zh_tokens() {
    local rest=$1 tokens=()
    local token='((state|errno|timer)=(\([A-Z0-9_|]+\)|[A-Z0-9_.?]+)|listening on|"[^"]*")'
    while [[ $rest =~ $token ]]; do
        tokens+=("${BASH_REMATCH[1]}")
        rest=${rest#*"${BASH_REMATCH[1]}"}
    done
    ZH_REGEX=
    local t
    for t in "${tokens[@]}"; do ZH_REGEX+=${ZH_REGEX:+.*}$t; done
}

# expect_line FILE REGEX: some line of FILE matches.
expect_line() {
    local regex=$2
    if ((ZH)); then
        zh_tokens "$regex"
        [[ -n $ZH_REGEX ]] || return 0
        regex=$ZH_REGEX
    fi
    first_match "$1" "$regex"
    [[ -n $MATCH ]] || fail "${1##*/} has no line matching /$regex/"
}

# expect_no_line FILE REGEX: no line of FILE matches.
expect_no_line() {
    local regex=$2
    if ((ZH)); then
        zh_tokens "$regex"
        [[ -n $ZH_REGEX ]] || return 0
        regex=$ZH_REGEX
    fi
    first_match "$1" "$regex"
    [[ -z $MATCH ]] || fail "${1##*/} has a line matching /$regex/"
}

# expect_order FILE REGEX...: the regexes match lines of FILE in this order.
expect_order() {
    local file=$1 line=0 regex
    shift
    for regex in "$@"; do
        if ((ZH)); then
            zh_tokens "$regex"
            [[ -n $ZH_REGEX ]] || continue
            regex=$ZH_REGEX
        fi
        first_match "$file" "$regex" "$line"
        [[ -n $MATCH ]] || fail "${file##*/}: no line matching /$regex/ after line $line"
        line=$MATCH
    done
}

# zh_untranslated FILE: fail on a line of FILE that still holds an English
# sentence: four words of letters in a row, once tokens, quoted bytes, calls,
# options, names with _ or = and addresses are taken out.
zh_untranslated() {
    local l text words='[A-Za-z]{2,}[,.:;]? +[A-Za-z]{2,}[,.:;]? +[A-Za-z]{2,}[,.:;]? +[A-Za-z]{2,}'
    [[ -f $1 ]] || return 0
    local -a lines=()
    mapfile -t lines <"$1"
    for l in "${lines[@]}"; do
        text=$l
        while [[ $text =~ \"[^\"]*\" ]]; do text=${text/"${BASH_REMATCH[0]}"/ }; done
        while [[ $text =~ [^\ ]*[_=\(\)/:-][^\ ]* ]]; do text=${text/"${BASH_REMATCH[0]}"/ }; done
        [[ $text =~ $words ]] && fail "${1##*/}: untranslated: $l"
    done
    return 0
}

# At the end of a Chinese run: every line of both programs was translated.
zh_check_all() {
    ((ZH)) || return 0
    local f
    for f in "$WORK"/*.out "$WORK"/*.err; do zh_untranslated "$f"; done
}

# head_ends PROGRAM ARGS...: in `PROGRAM ARGS | head -1` head takes the first
# line (listening on ...) into server.out and goes; the program must see its
# reader gone and end at once with 0, not after its --timeout (keep it 3000
# or more), not by SIGPIPE (141).
head_ends() {
    local t0=${EPOCHREALTIME/./} rcs=(-1 -1) ms
    { timeout 5 "$BIN/$1" "${@:2}" </dev/null | head -1 >"$WORK/server.out"; rcs=("${PIPESTATUS[@]}"); } ||
        true
    ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
    expect_line "$WORK/server.out" 'listening on '
    [[ ${rcs[0]} -eq 0 ]] || fail "$1 exited ${rcs[0]}, want 0"
    ((ms < 1500)) || fail "$1 ran $ms ms after its reader had gone"
}
