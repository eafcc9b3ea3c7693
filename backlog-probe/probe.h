/* What backlog-server and backlog-client share: the port, the scenarios'
 * help (both ends take the same names, each mapping them to its own function
 * of that name) and the kernel counters both of them narrate. */
#ifndef BACKLOG_PROBE_PROBE_H
#define BACKLOG_PROBE_PROBE_H

#include <stddef.h>

#define PROBE_PORT 19004

/* The scenarios' part of both programs' --help, in the learner's language:
 * "Scenarios (give both programs the same one):" and one entry each. */
void probe_print_scenarios(void);

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
