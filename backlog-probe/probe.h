/* What backlog-server and backlog-client share: the port, the scenarios'
 * help (both ends take the same names, each mapping them to its own function
 * of that name) and the kernel counters both of them narrate. */
#ifndef BACKLOG_PROBE_PROBE_H
#define BACKLOG_PROBE_PROBE_H

#include <stddef.h>

#define PROBE_PORT 19004

#define PROBE_SCENARIO_HELP                                                                        \
    "Scenarios (give both programs the same one):\n"                                               \
    "  fill          backlog N, more than N+1 clients: N+1 complete, the rest wait\n"              \
    "                in SYN_SENT, never ECONNREFUSED (C8, C9)\n"                                   \
    "  drain         fill, then one accept(): a waiting client gets in when its\n"                 \
    "                SYN is retransmitted, about 1 s later (C9)\n"                                 \
    "  clamp         somaxconn lowered to 16: listen(1000) and listen(-1) get 16 (C8)\n"           \
    "  syn-queue     TCP_DEFER_ACCEPT holds handshakes as requests: the SYN queue\n"               \
    "                is bounded by the backlog; cookies on or off (C10)\n"                         \
    "  ack-overflow  data into a full queue: dropped, or RST with\n"                               \
    "                tcp_abort_on_overflow=1 (ECONNRESET, never ECONNREFUSED)\n"

/* TcpExt counters of /proc/net/netstat, per network namespace; the first two
 * are always shown, the others when they moved. */
enum {
    PC_LISTEN_OVERFLOWS,
    PC_LISTEN_DROPS,
    PC_REQQ_FULL_DO_COOKIES,
    PC_REQQ_FULL_DROP,
    PC_SYNCOOKIES_SENT,
    PC_SYNCOOKIES_RECV,
    PC_EMBRYONIC_RSTS,
    PC_DEFER_ACCEPT_DROP,
    PROBE_NCOUNTERS
};

/* Read all counters into v (0 for any this kernel lacks). */
void probe_read_counters(unsigned long long v[PROBE_NCOUNTERS]);

/* Read one counter (0 if absent). */
unsigned long long probe_counter(int which);

/* "ListenOverflows +3, ListenDrops +3, ..." for now - base, into buf; returns buf. */
const char *probe_format_counters(const unsigned long long base[PROBE_NCOUNTERS],
                                  const unsigned long long now[PROBE_NCOUNTERS], char *buf,
                                  size_t len);

#endif
