#!/usr/bin/env bash
# lesson19.sh N [OPTION]...: run the lab's demonstration for question N of
# the course's lesson 19 (its Q&A), in a private namespace, with the wire
# captured and the ladder drawn. Each question maps to one scenario of one
# script; the script does the rest (its --out, exit codes, cleanup, signals),
# and the options after N go to it.
set -euo pipefail
here=${BASH_SOURCE[0]%/*}
[[ $here == "${BASH_SOURCE[0]}" ]] && here=. # no fork for dirname
# shellcheck source=scripts/i18n.sh source-path=SCRIPTDIR/..
source "$here/i18n.sh" # the learner's language: sl_tr, sl_help, sl_line

# question | title (the note's heading, then ours) | script | scenario
# In Chinese, the title is the course's own heading: the translation of ours
# (in TITLES_ZH, the msgids).
QUESTIONS=(
    "1|如何理解 TCP 四次挥手 / How does the four-way close work?|close-demo.sh|graceful"
    "2|MSL 是分组在网络中存活的最长时间吗 / Is MSL a packet's lifetime, and what does TTL count?|ttl-hops.sh|"
    "3|listen 的 backlog 是什么 / What does the listen backlog bound?|backlog-probe.sh|fill"
    "4|UDP 连接和断开套接字的过程 / What do connect and disconnect do to a UDP socket?|udp-connect.sh|disconnect"
    "5|不 connect 收不到 ICMP 错误吗 / Can an unconnected UDP socket learn of ICMP errors?|udp-connect.sh|refused-unconnected"
    "6|不 connect，客户端为什么能收到回复 / Why does an unconnected UDP client get the reply?|udp-connect.sh|echo-unconnected"
    "7|UDP 套接字可以多次 connect 吗 / May a UDP socket connect more than once?|udp-connect.sh|reconnect"
)

# title_of N: set TITLE to question N's title in the learner's language.
title_of() {
    local title
    IFS='|' read -r _ title _ _ <<<"${QUESTIONS[$1 - 1]}"
    TITLE=$title
    if ((SL_ZH)); then
        sl_tr_load "${TITLES_ZH[@]}"
        sl_tr "${TITLES_ZH[$1 - 1]}"
        TITLE=$SL_TR
    fi
    return 0
}
# The seven titles in English (their msgids), marked for po/extract.sh.
SL_MARKED=()
sl_mark "How does the four-way close work?"
sl_mark "Is MSL a packet's lifetime, and what does TTL count?"
sl_mark "What does the listen backlog bound?"
sl_mark "What do connect and disconnect do to a UDP socket?"
sl_mark "Can an unconnected UDP socket learn of ICMP errors?"
sl_mark "Why does an unconnected UDP client get the reply?"
sl_mark "May a UDP socket connect more than once?"
TITLES_ZH=("${SL_MARKED[@]}")

usage() {
    sl_help "Usage: scripts/lesson19.sh N [OPTION]...
       scripts/lesson19.sh --list
Run the demonstration that answers question N (1 to 7) of lesson 19: one
scenario of one of the lab's scripts, in a private network namespace, with
both ends' narration, ss snapshots, the packets and a ladder. The options
after N go to that script (e.g. --out DIR, --quiet, --run-timeout S); the
scenario is the question's, so --scenario is refused.

  --list     the seven questions and the command each one runs
  -h, --help this text

Examples:
  scripts/lesson19.sh --list
  scripts/lesson19.sh 1
  scripts/lesson19.sh 3 --quiet"
}

# command_of N: set CMD to the script and its scenario arguments.
command_of() {
    local script scenario
    IFS="|" read -r _ _ script scenario <<<"${QUESTIONS[$1 - 1]}"
    CMD=("$script")
    [[ -z $scenario ]] || CMD+=(--scenario "$scenario")
}

# bad FORMAT [ARG...]: bad usage, one line (FORMAT is an msgid), exit 2.
bad() {
    local msg
    sl_tr "$1"
    # shellcheck disable=SC2059 # the format is the (translated) msgid
    printf -v msg -- "$SL_TR" "${@:2}"
    printf 'lesson19.sh: %s (try --help)\n' "$msg" >&2
    exit 2
}

case ${1-} in
-h | --help)
    usage
    exit 0
    ;;
--list)
    for ((n = 1; n <= ${#QUESTIONS[@]}; n++)); do
        title_of "$n"
        command_of "$n"
        printf '%d  %s\n     scripts/%s\n' "$n" "$TITLE" "${CMD[*]}"
    done
    exit 0
    ;;
[1-7]) ;;
'') bad 'which question? give a number from 1 to 7 (--list names them)' ;;
*) bad "no question '%s': give a number from 1 to 7 (--list names them)" "$1" ;;
esac
n=$1
shift
for a in "$@"; do
    case $a in
    -s | --scenario | --scenario=* | --scen*) bad "question %s has its own scenario: drop '%s'" "$n" "$a" ;;
    esac
done
command_of "$n"
title_of "$n"
sl_line 'Lesson 19, question %d: %s' "$n" "$TITLE"
exec bash "$here/${CMD[0]}" "${CMD[@]:1}" "$@"
