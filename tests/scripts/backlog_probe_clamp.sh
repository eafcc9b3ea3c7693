#!/usr/bin/env bash
# script.backlog-probe-clamp: a scenario that changes a sysctl runs through the
# script's own namespaces (its PID namespace must not be mistaken for the
# host's): somaxconn 16 clamps listen(1000), and 16 + 1 handshakes complete.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
run_script backlog-probe --scenario clamp

# Before Linux 6.3 a user namespace's network namespace (the script's, when
# not root) has no net.core sysctls: the lesson is shown at somaxconn's default.
IFS=. read -r major minor _ <<<"$(uname -r)"
if ((EUID != 0 && (major < 6 || (major == 6 && minor < 3)))); then
    expect_line "$OUT/narration.txt" '\[server\] sysctl net.core.somaxconn -> 16: errno=ENOENT, not shown in this namespace'
    expect_line "$OUT/narration.txt" '\[server\] listen\(fd, 1000\): net.core.somaxconn=4096, effective backlog 1000, capacity 1001'
    expect_line "$OUT/narration.txt" '\[server\] another listener with listen\(fd, 100000\) gets backlog 4096 = somaxconn'
    expect_line "$OUT/narration.txt" '\[client\] summary: 20 completed, 0 in SYN_SENT, 0 reset, 0 refused'
    echo "ok: clamp ran in the script's private namespace (somaxconn hidden there on this kernel)"
    exit 0
fi
expect_line "$OUT/narration.txt" '\[server\] before listen: sysctl net.core.somaxconn [0-9]+ -> 16 \(private namespace\)'
expect_line "$OUT/narration.txt" '\[server\] listen\(fd, 1000\): net.core.somaxconn=16, effective backlog 16, capacity 17'
# Where handshakes are slow (an emulated machine), requests can reach the
# backlog of 16 before the accept queue is full, and SYN cookies let more in:
# then the kernel's counters say so. Otherwise: 16 + 1, and 3 left waiting.
read_lines "$OUT/narration.txt"
if [[ ${FILE_LINES[*]} == *"SyncookiesSent +"* ]]; then
    expect_line "$OUT/narration.txt" '\[client\] summary: (1[7-9]|20) completed, [0-3] in SYN_SENT, 0 reset, 0 refused'
    echo "note: SYN cookies let some in (slow handshakes)"
else
    expect_line "$OUT/narration.txt" '\[client\] summary: 17 completed, 3 in SYN_SENT, 0 reset, 0 refused'
fi
echo "ok: clamp ran in the script's private namespace"
