# shellcheck shell=bash
# common.sh: helpers for the script.* and bad.scripts.* tests (source it from
# bash).
#   run_script NAME ARGS...: run scripts/NAME.sh with --out in a private
#   temp dir; exit 77 with the reason if the machine cannot run it.
#   expect_fail RC NAME ARGS...: scripts/NAME.sh (or REPO's copy) must exit
#   RC with one line on stderr, nothing on stdout, and make no folder.
# The checks read the run's files with bash itself (mapfile, [[ =~ ]]): a
# process start costs 5-15 ms here, and the budget is tight.
set -euo pipefail
SCRIPTS=${1:?usage: test.sh SCRIPTS_DIR}
WORK=$(mktemp -d)
# The script's own temp files go here too, and must be gone afterwards: at
# the end WORK holds only out/, stdout and stderr.
export TMPDIR="$WORK"
OUT="$WORK/out"
trap 'rm -rf "$WORK"' EXIT

fail() {
    echo "FAIL: $*"
    [[ -f $OUT/report.txt ]] && { echo "--- report.txt"; cat "$OUT/report.txt"; }
    exit 1
}

run_script() {
    local name=$1 rc=0 left=()
    shift
    command -v tcpdump >/dev/null || { echo "SKIP: tcpdump is not installed"; exit 77; }
    command -v unshare >/dev/null || { echo "SKIP: unshare is not installed"; exit 77; }
    timeout 55 bash "$SCRIPTS/$name.sh" --out "$OUT" --quiet "$@" >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
    if [[ $rc -eq 77 ]]; then
        read_lines "$WORK/stderr"
        set -- "${FILE_LINES[@]}" ""
        echo "SKIP: ${*: -2:1}"
        exit 77
    fi
    [[ $rc -eq 0 ]] || { cat "$WORK/stderr"; fail "$name.sh exited $rc"; }
    local f
    for f in report.txt narration.txt snapshots.txt packets.txt ladder.txt; do
        [[ -s $OUT/$f ]] || fail "no $f in the run directory"
    done
    same_text "$WORK/stdout" "$OUT/report.txt" || fail "stdout and report.txt differ"
    expect_marker_lists_all "$OUT"
    # Nothing left behind: no temp file, no process still holding the run's files.
    shopt -s nullglob dotglob
    for f in "$WORK"/*; do
        [[ $f == "$OUT" || $f == "$WORK/stdout" || $f == "$WORK/stderr" ]] || left+=("${f##*/}")
    done
    shopt -u nullglob dotglob
    ((${#left[@]} == 0)) || fail "temp files left: ${left[*]}"
    expect_order "$OUT/report.txt" '^== Narration' '^== (Kernel socket|Socket) table' '^== Packets' '^== Ladder'
}

# expect_ladder_svg DIR: the run folder holds ladder.svg, listed in its
# marker, with one arrow (an element with a marker-end) per arrow of the
# text ladder, i.e. per captured segment; well-formed (xmllint, when
# installed). The count is in SVG_ARROWS.
expect_ladder_svg() {
    local l n=0 err
    [[ -s $1/ladder.svg ]] || fail "no ladder.svg in the run folder"
    read_lines "$1/ladder.txt"
    for l in "${FILE_LINES[@]}"; do
        if [[ $l =~ --\[.*\]-*-\> || $l =~ \<-*-\[.*\]-- ]]; then n=$((n + 1)); fi
    done
    grep_lines "$1/ladder.svg" 'marker-end='
    SVG_ARROWS=${#MATCHED[@]}
    ((n > 0 && SVG_ARROWS == n)) || fail "ladder.txt has $n arrows, ladder.svg $SVG_ARROWS"
    if command -v xmllint >/dev/null; then
        err=$(xmllint --noout "$1/ladder.svg" 2>&1) || fail "ladder.svg is not well-formed: $err"
    fi
    return 0
}

# same_text FILE1 FILE2: the two files hold the same text (like cmp -s).
same_text() {
    local a=() b=() IFS=
    mapfile a <"$1"
    mapfile b <"$2"
    [[ "${a[*]}" == "${b[*]}" ]]
}

# read_lines FILE: the lines of FILE into FILE_LINES.
read_lines() {
    FILE_LINES=()
    mapfile -t FILE_LINES <"$1"
}

# expect_line FILE REGEX: some line of FILE matches (extended regex).
expect_line() {
    local l
    read_lines "$1"
    for l in "${FILE_LINES[@]}"; do [[ $l =~ $2 ]] && return 0; done
    fail "${1##*/} has no line matching /$2/"
}

# expect_order FILE REGEX...: the regexes match lines of FILE in this order.
expect_order() {
    local file=$1 line=0 i regex
    shift
    read_lines "$file"
    for regex in "$@"; do
        # line: the number of the previous match; the search starts after it.
        for ((i = line; i < ${#FILE_LINES[@]}; i++)); do
            [[ ${FILE_LINES[i]} =~ $regex ]] && break
        done
        ((i < ${#FILE_LINES[@]})) || fail "${file##*/}: no line matching /$regex/ after line $line"
        line=$((i + 1))
    done
}

# grep_lines FILE REGEX: the lines of FILE that match, into MATCHED.
grep_lines() {
    local l
    read_lines "$1"
    MATCHED=()
    for l in "${FILE_LINES[@]}"; do
        if [[ $l =~ $2 ]]; then MATCHED+=("$l"); fi
    done
}

# section_lines FILE HEADER: the lines of FILE after the line HEADER, up to
# the next line that starts with "-- " or "== ", into MATCHED.
section_lines() {
    local l on=0
    read_lines "$1"
    MATCHED=()
    for l in "${FILE_LINES[@]}"; do
        if ((on)) && [[ $l == "-- "* || $l == "== "* ]]; then break; fi
        if ((on)); then MATCHED+=("$l"); fi
        [[ $l == "$2" ]] && on=1
    done
    return 0
}

# expect_marker_lists_all DIR: the run folder's marker names every file in it
# (what lets a later run replace them, and nothing else).
expect_marker_lists_all() {
    local f name lines
    local -A listed=()
    [[ -f $1/.socklab-run ]] || fail "no .socklab-run in the run folder"
    mapfile -t lines <"$1/.socklab-run"
    for name in "${lines[@]}"; do listed[$name]=1; done
    shopt -s nullglob dotglob
    for f in "$1"/*; do
        name=${f##*/}
        [[ $name == .socklab-run || -n ${listed[$name]:-} ]] || fail "the marker does not list $name"
    done
    shopt -u nullglob dotglob
}

# copy_scripts: a copy of scripts/ as REPO/scripts (REPO=$WORK/repo), so that
# a test sees what a script does to "its" repository (runs/) without
# touching the real one.
copy_scripts() {
    REPO=$WORK/repo
    mkdir -p "$REPO" "$WORK/tmp"
    cp -R "$SCRIPTS" "$REPO/scripts"
}

# expect_fail RC NAME ARGS...: run NAME.sh from REPO's copy (copy_scripts)
# with TMPDIR=$WORK/tmp: it must exit RC with exactly one line on stderr
# (in ERR_LINE) and nothing on stdout, leave no temporary file and make no
# runs/ folder.
expect_fail() {
    local want=$1 name=$2 rc=0 lines left runs=0
    shift 2
    [[ -e $REPO/runs ]] && runs=1
    TMPDIR=$WORK/tmp bash "$REPO/scripts/$name.sh" "$@" \
        >"$WORK/stdout" 2>"$WORK/stderr" </dev/null || rc=$?
    mapfile -t lines <"$WORK/stderr"
    ERR_LINE=${lines[0]:-}
    if [[ $rc == 77 && $want != 77 ]]; then
        echo "SKIP: $name.sh cannot run here: $ERR_LINE"
        exit 77
    fi
    [[ $rc == "$want" ]] || fail "$name.sh $*: exit $rc, want $want; stderr: ${lines[*]}"
    ((${#lines[@]} == 1)) || fail "$name.sh $*: want one line on stderr, got ${#lines[@]}: $(printf '\n  %s' "${lines[@]}")"
    [[ -s $WORK/stdout ]] && fail "$name.sh $*: printed on stdout"
    [[ $runs == 0 && -e $REPO/runs ]] && fail "$name.sh $*: made $REPO/runs"
    shopt -s nullglob dotglob
    left=("$WORK/tmp"/*)
    shopt -u nullglob dotglob
    ((${#left[@]} == 0)) || fail "$name.sh $*: left ${left[*]##*/} in TMPDIR"
    echo "ok: $name.sh $* -> $rc: $ERR_LINE"
}

# folder_state DIR: every entry's name, type, size, mtime (ns) and checksum,
# in STATE: equal before and after means nothing was touched.
folder_state() {
    local files
    shopt -s nullglob dotglob
    files=("$1"/*)
    shopt -u nullglob dotglob
    STATE=$(stat -c '%n %F %s %.9Y %i' -- "$1" "${files[@]}")
    local f regular=()
    for f in "${files[@]}"; do [[ -f $f && ! -L $f ]] && regular+=("$f"); done
    if ((${#regular[@]})); then STATE+=$'\n'$(cksum -- "${regular[@]}"); fi
}

# The pictures' tests (drain_svg.sh, ttl_svg.sh).
# count_lines FILE REGEX: the lines of FILE that match, in COUNT.
count_lines() {
    local l
    COUNT=0
    read_lines "$1"
    for l in "${FILE_LINES[@]}"; do [[ $l =~ $2 ]] && ((++COUNT)); done
    return 0
}
# want_lines FILE REGEX N: exactly N lines of FILE match.
want_lines() {
    count_lines "$1" "$2"
    ((COUNT == $3)) || fail "${1##*/}: $COUNT line(s) match /$2/, want $3"
}
# well_formed FILE: an XML document with an svg root (xmllint when installed).
well_formed() {
    read_lines "$1"
    [[ ${FILE_LINES[0]} == '<?xml version="1.0" encoding="UTF-8"?>' && ${FILE_LINES[1]} == '<svg xmlns="http://www.w3.org/2000/svg"'* &&
        ${FILE_LINES[-1]} == '</svg>' ]] || fail "${1##*/}: not an SVG document"
    if command -v xmllint >/dev/null; then xmllint --noout "$1" || fail "${1##*/}: not well-formed"; fi
}
