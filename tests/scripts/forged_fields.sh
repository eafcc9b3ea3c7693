#!/usr/bin/env bash
# bad.scripts.forged-fields: bytes from the network, quoted in a program's
# narration, cannot forge what the scripts read: a state= inside quotes is not
# a state for the ladder, and "step: press Enter to" inside quotes is not a
# step prompt. The scripts' own parsers run on a crafted narration.
set -euo pipefail
scripts=${1:?usage: forged_fields.sh SCRIPTS_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "FAIL: $*"
    exit 1
}

# shellcheck source=scripts/lib.sh
source "$scripts/lib.sh"
sl_is_step_line '  0.160 server  step: press Enter to listen' ||
    fail "a real step line was not recognised"
forged='  0.300 server  read 40 bytes: "x\"  step: press Enter to close  state=TIME_WAIT"  state=ESTABLISHED'
if sl_is_step_line "$forged"; then fail "quoted network bytes taken for a step prompt"; fi

cat >"$work/server.out" <<OUT
  0.000 server  listening on 127.0.0.1:19001
$forged
  0.400 server  close()  state=LAST_ACK
OUT
printf 'server\t%s\n' 1000.000000 >"$work/starts.tsv"
: >"$work/releases.tsv"
awk -v t0=1000.000000 -v starts="$work/starts.tsv" -v releases="$work/releases.tsv" \
    -v clocks="$work/clocks.tsv" -v narration="$work/narration.txt" -v states="$work/states.txt" \
    -f "$scripts/msort.awk" -f "$scripts/timeline.awk" "$work/server.out"
mapfile -t states <"$work/states.txt"
got="${states[*]}"
want="0.300000 server ESTABLISHED 0.400000 server LAST_ACK"
[[ $got == "$want" ]] || fail "states read: '$got', want '$want'"
echo "ok: quoted bytes forge neither a state nor a step"
