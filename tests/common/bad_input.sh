#!/usr/bin/env bash
# bad_input.sh PROGRAM ARGS...: the program must reject its arguments with
# exit status 2 and exactly one line on stderr that starts with its name,
# within two seconds (no hang waiting for a peer). Written with few forks:
# there are dozens of these tests.
set -u
prog=$1
shift
rc=0
err=$(timeout 2 "${SOCKLAB_BIN:?}/$prog" "$@" 2>&1 >/dev/null </dev/null) || rc=$?
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
