#!/usr/bin/env bash
# script.zh-report: with LANGUAGE=zh_CN a script speaks Chinese: the
# report's headings, the snapshot titles, the exit lines, the ladder's
# legend and ending (in ladder.svg too), a usage error (one line, exit 2)
# and lesson19.sh's question title; no line the script itself writes is left an English
# sentence (the programs' own lines are demo.sh's to check). What is read
# by machines stays: state=, the step lines the script answered, "listening
# on", the ladder's rows and columns, the file names. Skips without the
# catalog (no msgfmt) or without tcpdump/unshare.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump is not installed"; exit 77; }
command -v unshare >/dev/null || { echo "SKIP: unshare is not installed"; exit 77; }
command -v gettext >/dev/null || { echo "SKIP: gettext (gettext-base) is not installed"; exit 77; }
dir=${SOCKLAB_LOCALEDIR:-${SOCKLAB_BIN:-}/../locale}
[[ -f $dir/zh_CN/LC_MESSAGES/socklab.mo ]] ||
    { echo "SKIP: no Chinese catalog (built only with msgfmt: apt-get install gettext)"; exit 77; }
heading='== Ladder diagram (from the capture)'
if [[ $(LC_ALL=C.UTF-8 LANGUAGE=zh_CN TEXTDOMAINDIR=$dir gettext -d socklab "$heading") == "$heading" ]]; then
    echo "SKIP: the catalog has no Chinese for the scripts yet (po/zh_CN/scripts.po not merged)"
    exit 77
fi
export LANGUAGE=zh_CN

# english LINE: fail if LINE holds an English sentence (four words of letters
# in a row once quoted bytes and tokens with _ = ( ) / : - are taken out).
english() {
    local text=$1 words='[A-Za-z]{2,}[,.:;]? +[A-Za-z]{2,}[,.:;]? +[A-Za-z]{2,}[,.:;]? +[A-Za-z]{2,}'
    while [[ $text =~ \"[^\"]*\" ]]; do text=${text/"${BASH_REMATCH[0]}"/ }; done
    while [[ $text =~ [^\ ]*[_=\(\)/:-][^\ ]* ]]; do text=${text/"${BASH_REMATCH[0]}"/ }; done
    if [[ $text =~ $words ]]; then fail "untranslated: $1"; fi
    return 0
}

# A usage error: one line, in Chinese, exit 2, nothing made.
copy_scripts
expect_fail 2 close-demo --port 0 --out "$WORK/never"
[[ $ERR_LINE == "close-demo: --port 0："*" (try --help)" ]] || fail "usage line: $ERR_LINE"
english "${ERR_LINE% (try --help)}"

# lesson19.sh's title is the course's own heading (a dry run starts nothing).
rc=0
bash "$SCRIPTS/lesson19.sh" 1 --dry-run >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
((rc == 0)) || fail "lesson19.sh 1 --dry-run exited $rc: $(<"$WORK/stderr")"
read_lines "$WORK/stdout"
[[ ${FILE_LINES[0]} == "第 19 讲，问题 1：如何理解 TCP 四次挥手？" ]] || fail "title: ${FILE_LINES[0]}"
for l in "${FILE_LINES[@]}"; do english "${l%%：*}"; done

rc=0
timeout 55 bash "$SCRIPTS/close-demo.sh" --out "$OUT" --quiet --scenario graceful >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
if ((rc == 77)); then
    read_lines "$WORK/stderr"
    echo "SKIP: ${FILE_LINES[-1]:-cannot run here}"
    exit 77
fi
((rc == 0)) || { cat "$WORK/stderr"; fail "close-demo.sh exited $rc"; }
same_text "$WORK/stdout" "$OUT/report.txt" || fail "stdout and report.txt differ"
expect_marker_lists_all "$OUT"
expect_order "$OUT/report.txt" '^== 讲解' '^\[server\] 退出状态 0$' '^\[client\] 退出状态 0$' \
    '^== 内核的套接字表' '^=== \[server\] 之前：accept\(\)   \(t=[0-9.]+\)$' '^=== 两个程序都退出之后' \
    '^== lo 上的报文' '^== 梯形图（来自抓包）$' '^  箭头两旁' '^  最后一个报文段之后' \
    '^  client  TIME_WAIT -> CLOSED ' "^文件：$OUT\$"

# The tokens: the programs' state= and listening line, every step answered
# (one snapshot each), the file names.
expect_line "$OUT/narration.txt" '^ +[0-9.]+ \[server\] listening on 127\.0\.0\.1:19001 '
expect_line "$OUT/narration.txt" '\[client\] .*state=TIME_WAIT'
grep_lines "$OUT/narration.txt" '\] step: '
steps=${#MATCHED[@]}
grep_lines "$OUT/snapshots.txt" '^=== \[(server|client)\] 之前：'
((steps >= 3 && ${#MATCHED[@]} == steps)) || fail "$steps steps, ${#MATCHED[@]} snapshots before a step"

# The ladder: the time column's Chinese heading takes its display width (4
# columns for two characters), so the titles stay over their columns; the
# close's rows are as in English.
read_lines "$OUT/ladder.txt"
[[ ${FILE_LINES[0]} =~ ^\ {5}时间\ {16}client\ 127\.0\.0\.1\ +server\ 127\.0\.0\.1:19001$ ]] ||
    fail "ladder heading: ${FILE_LINES[0]}"
expect_line "$OUT/ladder.txt" '^ +[0-9.]+ +FIN_WAIT1\*? --\[FIN,ACK .*\]-+-> +CLOSE_WAIT'
expect_line "$OUT/ladder.txt" '^ +[0-9.]+ +TIME_WAIT\*? <-+\[FIN,ACK .*\]-- +LAST_ACK'
# ladder.svg speaks Chinese too: its time heading and the ending.
expect_ladder_svg "$OUT"
expect_line "$OUT/ladder.svg" 'class="time" text-anchor="end">时间</text>'
expect_line "$OUT/ladder.svg" '>最后一个报文段之后'

# Every line the script wrote itself (not the programs' narration, nor ss,
# tcpdump or the ladder's rows) is Chinese.
declare -A theirs=()
for f in narration.txt packets.txt; do
    read_lines "$OUT/$f"
    for l in "${FILE_LINES[@]}"; do [[ -z $l ]] || theirs[$l]=1; done
done
read_lines "$OUT/report.txt"
n=0
for l in "${FILE_LINES[@]}"; do
    # ss's lines (a state in capitals, or its heading), its command line,
    # and the ladder's rows (a time first).
    [[ -z $l || -n ${theirs[$l]:-} || $l =~ ^\ \ (State|[A-Z][A-Z2-]+)\  || $l == '$ '* ]] && continue
    [[ $l =~ ^\ +[0-9]+\.[0-9]+\  ]] && continue
    english "$l"
    n=$((n + 1))
done
((n >= 12)) || fail "only $n lines of the script's own checked"
echo "ok: $n lines of the script's own in Chinese; tokens, steps and the ladder intact"
