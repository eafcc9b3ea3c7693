#!/usr/bin/env bash
# script.examples: every example a script's --help or the README shows must
# run. Script examples run with --dry-run (every option checked by the script
# and by the programs' own parsers, the scenario looked up; the full runs are
# the other script.* tests); the README's two-terminal program examples run
# for real, server and client, here in the test's namespace.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
REPO_DIR=${SCRIPTS%/*}
BIN=${SOCKLAB_BIN:?}
examples=()
for s in "$SCRIPTS"/*.sh; do
    [[ ${s##*/} == lib.sh ]] && continue
    on=0
    while IFS= read -r l; do
        [[ $l == Example* ]] && { on=1; continue; }
        ((on)) && [[ $l == '  scripts/'* ]] && examples+=("${l#  }")
    done < <(bash "$s" --help)
done
# The README: code spans and lines of sh blocks that start with scripts/
# (a wrapped span is joined), leaving out those with a placeholder (N, DIR).
text=$(<"$REPO_DIR/README.md")
flat=${text//$'\n'/ }
# shellcheck disable=SC2016 # backquotes of Markdown, not a command
re='`(scripts/[a-z0-9-]+\.sh[^`]*)`(.*)'
while [[ $flat =~ $re ]]; do
    examples+=("${BASH_REMATCH[1]}")
    flat=${BASH_REMATCH[2]}
done
pairs=()
inblock=0
while IFS= read -r l; do
    [[ $l == '```sh' ]] && { inblock=1; continue; }
    [[ $l == '```'* ]] && { inblock=0; continue; }
    ((inblock)) || continue
    cmd=${l%%#*}
    cmd=${cmd%"${cmd##*[![:space:]]}"}
    [[ $cmd == scripts/* ]] && examples+=("$cmd")
    [[ $cmd == build/bin/* ]] && pairs+=("$cmd")
done <<<"$text"

declare -A done_=()
n=0
for ex in "${examples[@]}"; do
    [[ $ex =~ (^|[[:space:]])[A-Z]+([[:space:]]|$) ]] && continue # a placeholder
    [[ -n ${done_[$ex]:-} ]] && continue
    [[ $ex == scripts/lesson19.sh* ]] && continue # script.lesson19 runs each one
    done_[$ex]=1
    eval "words=($ex)" # the README's own quoting
    for ((i = 0; i < ${#words[@]}; i++)); do
        [[ ${words[i]} == --out ]] && words[i + 1]=$WORK/ex$n
    done
    rc=0
    (cd "$REPO_DIR" && bash "${words[@]}" --dry-run) >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
    ((rc == 0)) || fail "example '$ex' does not run (exit $rc): $(<"$WORK/stderr")"
    n=$((n + 1))
done
((n >= 10)) || fail "found only $n script examples"
echo "ok: $n script examples pass every check"

# The programs, two terminals: each server line with the client line after it.
exec {pace}<> <(:)
m=0
for ((i = 0; i + 1 < ${#pairs[@]}; i++)); do
    read -r -a server <<<"${pairs[i]}"
    read -r -a client <<<"${pairs[i + 1]}"
    [[ ${server[0]} == *-server && ${client[0]} == *-client ]] || continue
    server[0]=$BIN/${server[0]#build/bin/}
    client[0]=$BIN/${client[0]#build/bin/}
    : >"$WORK/server.out" # before the server starts: the poll reads it at once
    "${server[@]}" --timeout 5000 >>"$WORK/server.out" 2>&1 &
    spid=$!
    for ((k = 0; k < 500; k++)); do # bounded poll for the server's first line
        [[ $(<"$WORK/server.out") == *'listening on '* ]] && break
        read -r -t 0.01 -u "$pace" _ || true
    done
    rc=0
    timeout 10 "${client[@]}" >"$WORK/client.out" 2>&1 || rc=$?
    ((rc == 0)) || fail "README example '${pairs[i + 1]}' exited $rc: $(<"$WORK/client.out")"
    kill "$spid" 2>/dev/null || true # a UDP server serves on
    wait "$spid" 2>/dev/null || true
    m=$((m + 1))
done
((m >= 3)) || fail "found only $m program pairs in the README"
echo "ok: $m README program pairs run"
