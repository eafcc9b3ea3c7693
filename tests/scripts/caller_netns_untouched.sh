#!/usr/bin/env bash
# script.caller-netns-untouched: no environment variable makes a script act
# on the network namespace it was started in. The test makes a throw-away
# namespace to stand for the caller's (lo up, one datagram sent: something
# has used it) and starts ttl-hops.sh there with the variables a script's
# inner half once trusted (SOCKLAB_SCRIPT_INNER=1, and
# SOCKLAB_SCRIPT_OUTER_NETNS naming another namespace, a forged run folder),
# once as an ordinary child and once as PID 1 of a new PID namespace, as the
# real inner half runs; close-demo.sh as PID 1 too. `unshare` is a stub on
# PATH that only notes its arguments: each script must take its outer path
# (call unshare to make its own namespaces) and leave the caller's namespace
# as it was: same links, same disable_ipv6, no program run there.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
if [[ ${2:-} == inside ]]; then
    # In the throw-away namespace (as root, or as root of a user namespace).
    SCRIPTS=$1 WORK=$3
    fail() {
        echo "FAIL: $*"
        exit 1
    }
    # links: the interface names of this namespace, in LINKS.
    links() {
        local l lines
        LINKS=""
        mapfile -t lines </proc/net/dev
        for l in "${lines[@]:2}"; do
            l=${l%%:*}
            LINKS+="${l// /} "
        done
    }
    v6=/proc/sys/net/ipv6/conf/all/disable_ipv6
    ip link set lo up || fail "cannot bring lo up in the test's namespace"
    printf 'used\n' >/dev/udp/127.0.0.1/9 || true # lo has now carried packets
    links
    links_before=$LINKS
    v6_before=none
    [[ -r $v6 ]] && read -r v6_before <"$v6"
    real_unshare=$(command -v unshare)
    forged=(SOCKLAB_SCRIPT_INNER=1 SOCKLAB_SCRIPT_OUTER_NETNS=1:1 SOCKLAB_SCRIPT_RUN="$WORK/forged"
        SOCKLAB_SCRIPT_TMP="$WORK/forged" PATH="$WORK/stub:$PATH" TMPDIR="$WORK/tmp")
    # ttl-hops is the one that changes sysctls; close-demo stands for the
    # others (they share sl_enter_netns), as PID 1, where the risk is.
    for run in ttl-hops:child ttl-hops:pid1 close-demo:pid1; do
        script=${run%:*} how=${run#*:}
        out=$WORK/out-$script-$how
        prefix=()
        [[ $how == pid1 ]] && prefix=("$real_unshare" --pid --fork --mount-proc)
        rc=0
        "${prefix[@]}" env "${forged[@]}" bash "$SCRIPTS/$script.sh" --out "$out" --quiet \
            >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
        ((rc != 77)) || { echo "SKIP: $(<"$WORK/stderr")"; exit 77; }
        mapfile -t calls <"$WORK/stub.log"
        [[ ${calls[*]} == *"bash $SCRIPTS/$script.sh"* ]] ||
            fail "$script.sh ($how): took its inner path in the caller's namespace (exit $rc): $(<"$WORK/stderr")"
        ((rc == 0)) || fail "$script.sh ($how): exit $rc: $(<"$WORK/stderr")"
        : >"$WORK/stub.log"
        links
        [[ $LINKS == "$links_before" ]] || fail "$script.sh ($how): links now $LINKS, were $links_before"
        v6_now=none
        [[ -r $v6 ]] && read -r v6_now <"$v6"
        [[ $v6_now == "$v6_before" ]] || fail "$script.sh ($how): disable_ipv6 now $v6_now, was $v6_before"
        shopt -s nullglob dotglob
        files=("$out"/* "$WORK/forged"/* "$WORK/tmp"/*)
        shopt -u nullglob dotglob
        files=("${files[@]/#$out\/.socklab-run/}") # the outer half's marker is expected
        [[ -z ${files[*]} ]] || fail "$script.sh ($how): files written: ${files[*]}"
        echo "ok: $script.sh ($how) left the caller's namespace alone"
    done
    exit 0
fi

# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
command -v unshare >/dev/null || { echo "SKIP: unshare is not installed"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: ip is not installed"; exit 77; }
mkdir "$WORK/stub" "$WORK/forged" "$WORK/tmp"
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s/stub.log"\n' "$WORK" >"$WORK/stub/unshare"
chmod +x "$WORK/stub/unshare"
: >"$WORK/stub.log"
ns=(--net)
((EUID == 0)) || ns=(--user --map-root-user --net)
rc=0
unshare "${ns[@]}" true 2>/dev/null || { echo "SKIP: cannot make a network namespace (unshare ${ns[*]})"; exit 77; }
unshare "${ns[@]}" bash "$0" "$SCRIPTS" inside "$WORK" || rc=$?
exit "$rc"
