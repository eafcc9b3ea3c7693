#!/usr/bin/env bash
# bad_input.sh PROGRAM ARGS...: the program must reject its arguments with
# exit status 2 and exactly one line on stderr that starts with its name,
# within two seconds (no hang waiting for a peer).
set -euo pipefail
prog=$1
shift
bin="${SOCKLAB_BIN:?}/$prog"
err=$(mktemp)
trap 'rm -f "$err"' EXIT
rc=0
timeout 2 "$bin" "$@" </dev/null >/dev/null 2>"$err" || rc=$?
lines=$(wc -l <"$err")
echo "$prog $*: exit $rc, stderr: $(cat "$err")"
if [[ $rc -ne 2 ]]; then
    echo "FAIL: want exit 2, got $rc"
    exit 1
fi
if [[ $lines -ne 1 ]]; then
    echo "FAIL: want exactly one stderr line, got $lines"
    exit 1
fi
if ! grep -q "^$prog: " "$err"; then
    echo "FAIL: the line must start with '$prog: '"
    exit 1
fi
