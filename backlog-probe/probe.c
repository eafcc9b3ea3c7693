/* What both ends of backlog-probe share: the scenarios' help and the
 * counters they narrate, read the way nstat reads them. */
#include "probe.h"

#include <stdio.h>

#include "lab_i18n.h"
#include "lab_kstat.h"

/* Each scenario's name (a token: never translated) and what it shows; a
 * second line of a text is indented to its column. */
static const struct {
    const char *name, *text;
} scenario_help[] = {
    {"fill", N_("backlog N, more than N+1 clients: N+1 complete, the rest wait\n"
                "                in SYN_SENT, never ECONNREFUSED (C8, C9)\n")},
    {"drain", N_("fill, then one accept(): a waiting client gets in when its\n"
                 "                SYN is retransmitted, about 1 s later (C9)\n")},
    {"clamp", N_("somaxconn lowered to 16: listen(1000) and listen(-1) get 16 (C8)\n")},
    {"syn-queue", N_("TCP_DEFER_ACCEPT holds handshakes as requests: the SYN queue\n"
                     "                is bounded by the backlog; cookies on or off (C10)\n")},
    {"ack-overflow",
     N_("data into a full queue: dropped, or RST with\n"
        "                tcp_abort_on_overflow=1 (ECONNRESET, never ECONNREFUSED)\n")},
};

void probe_print_scenarios(void)
{
    /* TRANSLATORS: keep "Scenarios" first: scripts find the list by it. */
    fputs(lab_tr("Scenarios (give both programs the same one):\n"), stdout);
    for (size_t i = 0; i < sizeof scenario_help / sizeof scenario_help[0]; i++)
        printf("  %-14s%s", scenario_help[i].name, lab_tr(scenario_help[i].text));
}

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
