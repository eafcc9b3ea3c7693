#!/usr/bin/env bash
# bad_input.sh [--want TEXT] PROGRAM ARGS...: the program must reject its
# arguments with exit status 2 and exactly one line on stderr that starts with
# its name, holds TEXT if given, and is printable ASCII (no raw byte of an
# option's internal value), and must print nothing on stdout (bad usage has
# no side effect). A hang (waiting for a peer) meets the test's TIMEOUT.
# Written with few forks (no timeout, no $(...)): there are dozens of these
# tests, and a fork costs milliseconds on a small VM. It runs where ctest
# runs, with no namespace named private.
set -u
LC_ALL=C # byte-wise matching below
want=
if [[ $1 == --want ]]; then
    want=$2
    shift 2
fi
prog=$1
shift
unset SOCKLAB_PRIVATE_NETNS
rc=0
f=${TMPDIR:-/tmp}/bad_input.$$
"${SOCKLAB_BIN:?}/$prog" "$@" >"$f.out" 2>"$f.err" </dev/null || rc=$?
out='' err=''
IFS= read -r -d '' out <"$f.out" || true
IFS= read -r -d '' err <"$f.err" || true
rm -f "$f.out" "$f.err"
out=${out%$'\n'}
err=${err%$'\n'}
echo "$prog $*: exit $rc, stderr: $err"
if [[ $rc -ne 2 ]]; then
    echo "FAIL: want exit 2, got $rc"
    exit 1
fi
mapfile -t lines <<<"$err"
if [[ -z $err || ${#lines[@]} -ne 1 ]]; then
    echo "FAIL: want exactly one stderr line, got ${#lines[@]}"
    exit 1
fi
if [[ $err != "$prog: "* ]]; then
    echo "FAIL: the line must start with '$prog: '"
    exit 1
fi
if [[ -n $want && $err != *"$want"* ]]; then
    echo "FAIL: the line must say '$want'"
    exit 1
fi
if [[ $err == *[^\ -~]* ]]; then
    echo "FAIL: the line holds a byte that is not printable ASCII"
    exit 1
fi
if [[ -n $out ]]; then
    echo "FAIL: bad usage wrote on stdout: $out"
    exit 1
fi
