#!/usr/bin/env bash
# script.lesson19: scripts/lesson19.sh N runs the demonstration of question N
# of lesson 19. Bad questions and a --scenario of one's own are refused (exit
# 2, one line, nothing made); --list names seven questions, each with a
# script that exists and a scenario its programs know; question 4 runs
# udp-connect's disconnect and keeps its run folder like the script would.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
copy_scripts
for q in 0 8 x ''; do
    expect_fail 2 lesson19 "$q"
done
expect_fail 2 lesson19
expect_fail 2 lesson19 1 --scenario linger0

mapfile -t list < <(bash "$SCRIPTS/lesson19.sh" --list)
((${#list[@]} == 14)) || fail "--list printed ${#list[@]} lines, want 7 questions of 2 lines"
for ((i = 1; i < 14; i += 2)); do
    read -r script _ scenario <<<"${list[i]#*scripts/}"
    [[ -f $SCRIPTS/$script ]] || fail "question $(((i + 1) / 2)) runs a missing script: $script"
    [[ -z ${scenario:-} || $scenario =~ ^[a-z-]+$ ]] || fail "odd scenario '$scenario'"
done

command -v tcpdump >/dev/null || { echo "SKIP: tcpdump is not installed"; exit 77; }
rc=0
timeout 25 bash "$SCRIPTS/lesson19.sh" 4 --out "$OUT" --quiet >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
[[ $rc != 77 ]] || { echo "SKIP: $(<"$WORK/stderr")"; exit 77; }
((rc == 0)) || { cat "$WORK/stderr"; fail "lesson19.sh 4 exited $rc"; }
read_lines "$WORK/stdout"
[[ ${FILE_LINES[0]} == "Lesson 19, question 4: "* ]] || fail "first line: ${FILE_LINES[0]}"
expect_line "$OUT/narration.txt" '\[client\] connect\(AF_UNSPEC\) -> 0'
[[ -s $OUT/report.txt && -s $OUT/ladder.txt ]] || fail "no report or ladder in the run folder"
echo "ok: lesson19.sh names seven questions and runs question 4"
