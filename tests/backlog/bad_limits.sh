#!/usr/bin/env bash
# bad_limits.sh CASE: bad input that depends on the environment.
#   too-many-connections  more connections than the hard open-file limit
#   host-sysctl-refused   a sysctl-changing scenario in the host's namespace
set -euo pipefail
bad="${SOCKLAB_TEST_COMMON:?}/bad_input.sh"
case $1 in
too-many-connections)
    ulimit -n 256 # soft and hard: the client may not raise it
    exec bash "$bad" backlog-client --connections 1000
    ;;
host-sysctl-refused)
    # The initial namespace has a fixed inode (PROC_NET_INIT_INO), which tells
    # it even where PID 1 is hidden.
    if [[ $(readlink /proc/self/ns/net) != "net:[4026531833]" &&
        ! /proc/self/ns/net -ef /proc/1/ns/net ]]; then
        echo "SKIP: not in the host's network namespace"
        exit 77
    fi
    # Ask for the value somaxconn already has: even a broken guard changes nothing.
    exec bash "$bad" backlog-server --scenario clamp \
        --somaxconn "$(cat /proc/sys/net/core/somaxconn)"
    ;;
*)
    echo "bad_limits.sh: unknown case '$1'" >&2
    exit 2
    ;;
esac
