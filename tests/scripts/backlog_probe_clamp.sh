#!/usr/bin/env bash
# script.backlog-probe-clamp: a scenario that changes a sysctl runs through the
# script's own namespaces (its PID namespace must not be mistaken for the
# host's): somaxconn 16 clamps listen(1000), and 16 + 1 handshakes complete.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
run_script backlog-probe --scenario clamp

expect_line "$OUT/narration.txt" '\[server\] before listen: sysctl net.core.somaxconn [0-9]+ -> 16 \(private namespace\)'
expect_line "$OUT/narration.txt" '\[server\] listen\(fd, 1000\): net.core.somaxconn=16, effective backlog 16, capacity 17'
expect_line "$OUT/narration.txt" '\[client\] summary: 17 completed, 3 in SYN_SENT, 0 reset, 0 refused'
echo "ok: clamp ran in the script's private namespace"
