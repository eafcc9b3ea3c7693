#!/usr/bin/env bash
# bad_limits.sh CASE: bad input that depends on the environment.
#   too-many-connections  more connections than the hard open-file limit
#   host-sysctl-refused   a sysctl-changing scenario in the host's namespace
set -euo pipefail
bad="${SOCKLAB_TEST_COMMON:?}/bad_input.sh"
case $1 in
too-many-connections)
    ulimit -n 256 # soft and hard
    # Without CAP_SYS_RESOURCE (which root has, and uses to raise the hard
    # limit) the client may not raise it.
    drop=()
    if ((EUID == 0)) && command -v setpriv >/dev/null; then
        drop=(setpriv --inh-caps=-sys_resource --bounding-set=-sys_resource)
    fi
    exec "${drop[@]}" bash "$bad" backlog-client --connections 1000
    ;;
host-sysctl-refused)
    # Run where ctest runs, with SOCKLAB_PRIVATE_NETNS naming some other
    # namespace: nothing tells the server this one is private, so it refuses.
    # Only Linux >= 6.18 can tell a non-initial namespace by itself (fixed
    # inode of the initial one); there, outside the initial one, the server
    # rightly believes it and this case does not apply.
    IFS=. read -r major minor _ <<<"$(uname -r)"
    if ((major > 6 || (major == 6 && minor >= 18))) &&
        [[ $(readlink /proc/self/ns/net) != "net:[4026531833]" ]]; then
        echo "SKIP: ctest runs outside the initial network namespace (a container?), which Linux 6.18+ tells apart"
        exit 77
    fi
    # Ask for the value somaxconn already has: even a broken guard changes nothing.
    export SOCKLAB_PRIVATE_NETNS=1:1
    exec bash "$bad" backlog-server --scenario clamp \
        --somaxconn "$(cat /proc/sys/net/core/somaxconn)"
    ;;
*)
    echo "bad_limits.sh: unknown case '$1'" >&2
    exit 2
    ;;
esac
