/* What both ends of backlog-probe share: the counters they narrate, read
 * the way nstat reads them. */
#include "probe.h"

#include <stdio.h>

#include "lab_kstat.h"

static const char *const counter_names[PROBE_NCOUNTERS] = {
    [PC_LISTEN_OVERFLOWS] = "ListenOverflows",
    [PC_LISTEN_DROPS] = "ListenDrops",
    [PC_REQQ_FULL_DO_COOKIES] = "TCPReqQFullDoCookies",
    [PC_REQQ_FULL_DROP] = "TCPReqQFullDrop",
    [PC_SYNCOOKIES_SENT] = "SyncookiesSent",
    [PC_SYNCOOKIES_RECV] = "SyncookiesRecv",
    [PC_EMBRYONIC_RSTS] = "EmbryonicRsts",
    [PC_DEFER_ACCEPT_DROP] = "TCPDeferAcceptDrop",
};

unsigned long long probe_counter(int which)
{
    unsigned long long v = 0;
    if (lab_netstat_read("TcpExt", counter_names[which], &v) < 0)
        v = 0;
    return v;
}

void probe_read_counters(unsigned long long v[PROBE_NCOUNTERS])
{
    for (int i = 0; i < PROBE_NCOUNTERS; i++)
        v[i] = probe_counter(i);
}

const char *probe_format_counters(const unsigned long long base[PROBE_NCOUNTERS],
                                  const unsigned long long now[PROBE_NCOUNTERS], char *buf,
                                  size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < PROBE_NCOUNTERS; i++) {
        if (i > PC_LISTEN_DROPS && now[i] == base[i])
            continue;
        int w = snprintf(buf + used, len - used, "%s%s +%llu", used ? ", " : "", counter_names[i],
                         now[i] - base[i]);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
    return buf;
}
