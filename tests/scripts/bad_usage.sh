#!/usr/bin/env bash
# bad.scripts.usage: every bad option is caught before anything starts: the
# script exits 2 with one line on stderr and nothing on stdout, makes no
# runs/ folder (nor the --out one) and leaves no temporary folder. The
# scenario is looked up in the programs' own lists; options meant for one
# program are checked by that program. ttl-hops refuses a TTL given twice
# (its files would overwrite each other). lib.sh is a library: run directly,
# it says so in one line, and it is not executable.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
copy_scripts
out=$WORK/never

# Checked by the programs (each start costs; one case per kind): the
# scenario against each --help's list (backlog-server's is in its option
# line), an option of one program given to both.
for s in close-demo backlog-probe; do
    expect_fail 2 "$s" --scenario nope --out "$out"
    [[ $ERR_LINE == *"unknown scenario 'nope' (one of: "*", "* ]] || fail "no list of scenarios: $ERR_LINE"
done
expect_fail 2 close-demo --hold-ms 5          # a server option, given to both
[[ $ERR_LINE == *close-client*--client-arg* ]] ||
    fail "the line does not say which program refused, and how to give one side an option: $ERR_LINE"
# Checked by the script itself.
expect_fail 2 close-demo --scenario '' --out "$out"
expect_fail 2 close-demo --scenario
expect_fail 2 close-demo --port 0 --out "$out"
expect_fail 2 close-demo --bind 192.0.2.1
for t in 08 99999999999999999999; do
    expect_fail 2 close-demo --run-timeout "$t" --out "$out"
done
expect_fail 2 close-demo --out ''
expect_fail 2 close-demo --out "$REPO/scripts/lib.sh" # a file, not a folder
expect_fail 2 close-demo --scen graceful               # an abbreviation the programs would take
expect_fail 2 close-demo -qs nope                      # a cluster the programs would take
expect_fail 2 ttl-hops --ttls '1 2 1' --out "$out"
expect_fail 2 ttl-hops --ttl 2
[[ ! -e $out ]] || fail "a failed check made the --out folder"

# The library, run by mistake (by bash, or by sh as execve's fallback does).
expect_fail 2 lib --help
[[ $ERR_LINE == "lib.sh: "* ]] || fail "lib.sh's line does not start with its name: $ERR_LINE"
rc=0
err=$(sh "$REPO/scripts/lib.sh" --help 2>&1 >/dev/null) || rc=$?
[[ $rc == 2 && $err == "lib.sh: "* && $err != *$'\n'* ]] || fail "sh lib.sh: exit $rc: $err"
[[ ! -x $SCRIPTS/lib.sh ]] || fail "scripts/lib.sh is executable, but it is a library"
echo "ok: every bad usage exits 2 with one line, before any folder is made"
