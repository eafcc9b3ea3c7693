#!/usr/bin/env bash
# script.lesson19: scripts/lesson19.sh N runs the demonstration of question N
# of lesson 19. Bad questions and a --scenario of one's own are refused (exit
# 2, one line, nothing made); --list names seven questions, each with a
# script that exists, and a dry run of each starts that scenario.
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
# Each question, dry: the script it names checks every option and says what
# it would start (the full runs are the other script.* tests).
for ((q = 1; q <= 7; q++)); do
    read -r script _ scenario <<<"${list[2 * q - 1]#*scripts/}"
    [[ -f $SCRIPTS/$script ]] || fail "question $q runs a missing script: $script"
    rc=0
    bash "$SCRIPTS/lesson19.sh" "$q" --dry-run >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
    ((rc == 0)) || fail "lesson19.sh $q --dry-run exited $rc: $(<"$WORK/stderr")"
    read_lines "$WORK/stdout"
    [[ ${FILE_LINES[0]} == "Lesson 19, question $q: "* ]] || fail "first line: ${FILE_LINES[0]}"
    [[ -z ${scenario:-} || ${FILE_LINES[*]} == *"would run: "*"--scenario $scenario"* ]] ||
        fail "question $q does not start scenario $scenario: ${FILE_LINES[*]}"
done
echo "ok: lesson19.sh names seven questions, each one's script accepts its run"
