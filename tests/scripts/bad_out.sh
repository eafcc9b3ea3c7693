#!/usr/bin/env bash
# bad.scripts.out-not-ours: --out never touches what a run did not write. A
# folder holding someone's files (among them names a run writes, such as
# report.txt) is refused with exit 2 and one line, and stays byte for byte
# as it was; so is an earlier run's folder once someone added a file to it,
# one whose marker is a symbolic link, and one whose marker lists a folder.
# (Reusing a run's own folder is checked in script.closed-stdio.)
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
copy_scripts

# Someone's folder: their thesis, a build log, and files named as a run's.
dir=$WORK/mine
mkdir "$dir"
for f in thesis.out compile.err deploy.cmd wireshark-trace.pcap report.txt narration.txt \
    packets.txt ladder.txt .hidden; do
    printf 'precious %s\n' "$f" >"$dir/$f"
done
folder_state "$dir"
before=$STATE
expect_fail 2 close-demo --out "$dir"
[[ $ERR_LINE == *"$dir"* ]] || fail "the line does not name the folder: $ERR_LINE"
expect_fail 2 ttl-hops --out "$dir/" --quiet
folder_state "$dir"
[[ $STATE == "$before" ]] || fail "the folder changed:"$'\n'"$before"$'\n---\n'"$STATE"

# An earlier run's folder (its marker lists report.txt) where someone has
# since put notes.txt.
run=$WORK/run
mkdir "$run"
printf '# socklab run folder\nreport.txt\n' >"$run/.socklab-run"
printf 'old report\n' >"$run/report.txt"
printf 'my notes\n' >"$run/notes.txt"
folder_state "$run"
before=$STATE
expect_fail 2 udp-connect --out "$run"
[[ $ERR_LINE == *notes.txt* ]] || fail "the line does not name the file in the way: $ERR_LINE"
folder_state "$run"
[[ $STATE == "$before" ]] || fail "the run folder changed:"$'\n'"$before"$'\n---\n'"$STATE"

# A marker that is a symbolic link (to a list that names the user's file).
link=$WORK/link
mkdir "$link"
printf 'report.txt\n' >"$WORK/list"
ln -s "$WORK/list" "$link/.socklab-run"
printf 'precious\n' >"$link/report.txt"
folder_state "$link"
before=$STATE
expect_fail 2 close-demo --out "$link"
folder_state "$link"
[[ $STATE == "$before" ]] || fail "the folder with a linked marker changed"

# A marker that lists a folder: a run writes files only.
sub=$WORK/sub
mkdir -p "$sub/capture.pcap"
printf 'capture.pcap\n' >"$sub/.socklab-run"
printf 'precious\n' >"$sub/capture.pcap/keep"
expect_fail 2 backlog-probe --out "$sub"
[[ -f $sub/capture.pcap/keep ]] || fail "the listed folder lost its file"
echo "ok: no folder that a run did not make is written to"
