#!/usr/bin/env bash
# bad.scripts.unwritable: a read-only checkout (no runs/ yet, or runs/
# already there) and an --out folder that cannot be made or written to each
# give one line naming the folder and the reason, exit 1, before any
# namespace or program starts, and nothing left in TMPDIR. Read-only means a
# read-only bind mount in a mount namespace of the test's own (as root or in
# a user namespace); where none can be made, an ordinary user gets folders
# without write permission instead (root ignores those: skipped).
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"

# read_only DIR: make DIR read-only (MODE says how).
read_only() {
    if [[ $MODE == mount ]]; then
        if ! mount --bind "$1" "$1" || ! mount -o remount,bind,ro "$1"; then
            fail "cannot make $1 read-only"
        fi
    else
        chmod a-w "$1"
    fi
}
# writable DIR: undo read_only.
writable() {
    if [[ $MODE == mount ]]; then umount "$1"; else chmod u+w "$1"; fi
}

if [[ ${2:-} == inside ]]; then
    # The caller's WORK, not the one common.sh just made (the caller removes
    # its own, once this mount namespace and its mounts are gone).
    rmdir "$WORK"
    trap - EXIT
    WORK=$3 MODE=$4 REPO=$3/repo OUT=$3/out
    cd "$WORK" || exit 1
    if [[ $MODE == mount ]]; then why="Read-only file system"; else why="Permission denied"; fi
    mkdir "$WORK/ro"
    read_only "$REPO"
    expect_fail 1 close-demo
    [[ $ERR_LINE == *"$REPO/runs"*"$why"* ]] || fail "the line does not name runs/ and the reason: $ERR_LINE"
    writable "$REPO"
    mkdir "$REPO/runs"
    read_only "$REPO/runs"
    expect_fail 1 udp-connect
    [[ $ERR_LINE == *"$REPO/runs"*"$why"* ]] || fail "the line does not name runs/ and the reason: $ERR_LINE"
    read_only "$WORK/ro"
    expect_fail 1 close-demo --out "$WORK/ro/new"
    [[ $ERR_LINE == *"$WORK/ro/new"*"$why"* ]] || fail "the line does not name the folder and the reason: $ERR_LINE"
    expect_fail 1 ttl-hops --out "$WORK/ro"
    [[ $ERR_LINE == *"$WORK/ro"*"$why"* ]] || fail "the line does not name the folder and the reason: $ERR_LINE"
    [[ $MODE == mount ]] || chmod -R u+w "$WORK" # so that the trap can remove it
    exit 0
fi

copy_scripts
if ((EUID == 0)); then ns=(--mount); else ns=(--user --map-root-user --mount); fi
if unshare "${ns[@]}" true 2>/dev/null; then
    rc=0
    unshare "${ns[@]}" bash "$0" "$SCRIPTS" inside "$WORK" mount || rc=$?
    exit "$rc"
fi
((EUID != 0)) || { echo "SKIP: no mount namespace (unshare --mount), and root ignores permissions"; exit 77; }
trap 'chmod -R u+w "$WORK"; rm -rf "$WORK"' EXIT
bash "$0" "$SCRIPTS" inside "$WORK" permissions
