# shellcheck shell=bash
# common.sh: helpers for the script.* tests (source it from bash).
#   run_script NAME ARGS...: run scripts/NAME.sh with --out in a private
#   temp dir; exit 77 with the reason if the machine cannot run it.
set -euo pipefail
SCRIPTS=${1:?usage: test.sh SCRIPTS_DIR}
WORK=$(mktemp -d)
export TMPDIR="$WORK/tmp" # the script's own temp files must be gone afterwards
mkdir -p "$TMPDIR"
OUT="$WORK/out"
trap 'rm -rf "$WORK"' EXIT

fail() {
    echo "FAIL: $*"
    [[ -f $OUT/report.txt ]] && { echo "--- report.txt"; cat "$OUT/report.txt"; }
    exit 1
}

run_script() {
    local name=$1 rc=0
    shift
    command -v tcpdump >/dev/null || { echo "SKIP: tcpdump is not installed"; exit 77; }
    command -v unshare >/dev/null || { echo "SKIP: unshare is not installed"; exit 77; }
    timeout 25 bash "$SCRIPTS/$name.sh" --out "$OUT" --quiet "$@" >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
    if [[ $rc -eq 77 ]]; then
        echo "SKIP: $(tail -1 "$WORK/stderr")"
        exit 77
    fi
    [[ $rc -eq 0 ]] || { cat "$WORK/stderr"; fail "$name.sh exited $rc"; }
    local f
    for f in report.txt narration.txt snapshots.txt packets.txt ladder.txt; do
        [[ -s $OUT/$f ]] || fail "no $f in the run directory"
    done
    cmp -s "$WORK/stdout" "$OUT/report.txt" || fail "stdout and report.txt differ"
    # Nothing left behind: no temp file, no process still holding the run's files.
    [[ -z $(ls -A "$TMPDIR") ]] || fail "temp files left: $(ls -A "$TMPDIR")"
    expect_order "$OUT/report.txt" '^== Narration' '^== (Kernel socket|Socket) table' '^== Packets' '^== Ladder'
}

# expect_line FILE REGEX: some line of FILE matches.
expect_line() {
    grep -Eq -- "$2" "$1" || fail "$(basename "$1") has no line matching /$2/"
}

# expect_order FILE REGEX...: the regexes match lines of FILE in this order.
expect_order() {
    local file=$1 line=0 regex n
    shift
    for regex in "$@"; do
        n=$(awk -v start="$line" -v re="$regex" 'NR > start && $0 ~ re { print NR; exit }' "$file")
        [[ -n $n ]] || fail "$(basename "$file"): no line matching /$regex/ after line $line"
        line=$n
    done
}
