#!/usr/bin/env bash
# script.closed-stdio: started with stdin, stdout and stderr closed
# (`script <&- >&- 2>&-`), a run still completes and writes its report (awk
# used to abort on the closed stdout). --bind 0.0.0.0 goes to the server
# alone, and the client connects to 127.0.0.1. The --out folder is an
# earlier run's: the files that run listed in its marker are replaced or
# removed, a marker entry that points outside the folder is ignored, and the
# new marker lists every file the new run wrote.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump is not installed"; exit 77; }
command -v unshare >/dev/null || { echo "SKIP: unshare is not installed"; exit 77; }

mkdir "$OUT"
printf '# socklab run folder\nreport.txt\nold-side.out\n../victim\n' >"$OUT/.socklab-run"
printf 'old report\n' >"$OUT/report.txt"
printf 'old output\n' >"$OUT/old-side.out"
printf 'not the run'"'"'s\n' >"$WORK/victim"
rc=0
bash "$SCRIPTS/close-demo.sh" --out "$OUT" --quiet --server-arg --hold-ms --server-arg 0 \
    --bind 0.0.0.0 <&- >&- 2>&- || rc=$?
((rc != 77)) || { echo "SKIP: the script cannot run here (exit 77)"; exit 77; }
((rc == 0)) || fail "close-demo.sh with fds 0-2 closed exited $rc"
for f in report.txt narration.txt ladder.txt; do
    [[ -s $OUT/$f ]] || fail "no $f"
done
read -r first <"$OUT/report.txt"
[[ $first == "== Narration"* ]] || fail "report.txt is not the new report: $first"
# --bind is the server's; the client connects to loopback.
read -r cmd <"$OUT/server.cmd"
[[ $cmd == *" --bind 0.0.0.0"* ]] || fail "the server did not get --bind: $cmd"
read -r cmd <"$OUT/client.cmd"
[[ $cmd == *" --host 127.0.0.1"* && $cmd != *--bind* ]] || fail "the client's command: $cmd"
[[ ! -e $OUT/old-side.out ]] || fail "the earlier run's old-side.out is still there"
[[ -f $WORK/victim ]] || fail "a marker entry outside the folder was removed"
[[ ! -e $OUT/INTERRUPTED ]] || fail "the run says it was interrupted"
expect_marker_lists_all "$OUT"
shopt -s nullglob dotglob
left=("$WORK"/*)
shopt -u nullglob dotglob
[[ ${#left[@]} == 2 ]] || fail "files left beside the run folder: ${left[*]##*/}"
echo "ok: the run with fds 0-2 closed wrote its report into the reused folder"
