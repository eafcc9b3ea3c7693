#!/usr/bin/env bash
# bad.scripts.tcp-peer: scripts/tcp-peer.sh refuses bad usage before anything
# starts: exit 2, one line on stderr, nothing on stdout, no run folder (nor
# the --out one), no temporary file. tcp-peer judges its own options, those
# that depend on the scenario too (its --help would not), and its line is
# given once, not after a second "tcp-peer: ". The script refuses what only
# a pair of programs takes, and --pcap (it gives that itself).
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
copy_scripts
out=$WORK/never

# Checked by tcp-peer.
expect_fail 2 tcp-peer --scenario nope --out "$out"
[[ $ERR_LINE == "tcp-peer: unknown scenario 'nope' (one of: old-duplicate, "*"(try --help)" ]] ||
    fail "not tcp-peer's own line, once: $ERR_LINE"
expect_fail 2 tcp-peer --scenario hold-last-ack --guard none --out "$out"
[[ $ERR_LINE == *"--guard is for --scenario old-duplicate only"* ]] || fail "the scenario's check: $ERR_LINE"
expect_fail 2 tcp-peer --scenario drop-synack --resends 3 --out "$out"
expect_fail 2 tcp-peer --guard bogus --out "$out"
expect_fail 2 tcp-peer --frob --out "$out"
expect_fail 2 tcp-peer --step --out "$out"
[[ $ERR_LINE == *"--step is not for tcp-peer"* ]] || fail "--step: $ERR_LINE"
# Checked by the script.
expect_fail 2 tcp-peer --pcap "$WORK/x.pcap" --out "$out"
expect_fail 2 tcp-peer --pca "$WORK/x.pcap" --out "$out"
[[ ! -e $WORK/x.pcap ]] || fail "--pcap made its file"
expect_fail 2 tcp-peer --bind 192.0.2.1 --out "$out"
expect_fail 2 tcp-peer -H::1 --out "$out"
expect_fail 2 tcp-peer --server-arg --quiet --out "$out"
expect_fail 2 tcp-peer --detail --out "$out"
expect_fail 2 tcp-peer --port 0 --out "$out"
expect_fail 2 tcp-peer --out "$REPO/scripts/lib.sh" # a file, not a folder
[[ ! -e $out ]] || fail "a failed check made the --out folder"
echo "ok: every bad usage exits 2 with one line, before any folder is made"
