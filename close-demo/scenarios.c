/* The scenario list both programs share. Adding a scenario: one row here,
 * and on each end a file client/<name>.c or server/<name>.c, its function's
 * declaration in client.h or server.h and a row in the end's table. */
#include "scenarios.h"

#include <string.h>

#include "lab_cli.h"
#include "lab_i18n.h"

#define FIRST(bytes) bytes, sizeof bytes - 1

const struct close_scenario close_scenarios[] = {
    {"graceful", FIRST("hello 1\n"), CLOSE_TAKES_HOLD,
     N_("client writes, closes; server reads to EOF, closes later:\n"
        "FIN_WAIT2 then TIME_WAIT (~60 s timer) on the client,\n"
        "CLOSE_WAIT on the server (default)")},
    {"half-close", FIRST("question\n"), CLOSE_TAKES_HOLD,
     N_("client shutdown(SHUT_WR); server sees EOF, still replies")},
    {"server-first", FIRST("hello\n"), 0,
     N_("server closes first and owns the TIME_WAIT; re-binding its\n"
        "port with and without SO_REUSEADDR")},
    {"unread-data", FIRST("a request the server will never read\n"), 0,
     N_("server closes with unread data: RST instead of FIN; the\n"
        "client reads what was queued, then ECONNRESET")},
    {"linger0", FIRST("hello, and goodbye\n"), 0,
     N_("client closes with SO_LINGER {1,0}: RST, no TIME_WAIT")},
    {"close-wait-leak", FIRST("hello, and I close\n"), CLOSE_TAKES_HOLD,
     N_("server never closes after EOF: CLOSE_WAIT stays, client's\n"
        "orphaned FIN_WAIT2 runs on tcp_fin_timeout")},
    {"reconnect", FIRST("first connection\n"), 0,
     N_("second connect() -> EISCONN; connect(AF_UNSPEC) resets;\n"
        "the same socket connects again")},
    /* large-transfer sends byte i as i % 251: these are its first eight. */
    {"large-transfer", FIRST("\x00\x01\x02\x03\x04\x05\x06\x07"), CLOSE_TAKES_BYTES,
     N_("client sends --bytes and closes; server counts every byte")},
    {"write-after-close", FIRST("before your close\n"), 0,
     N_("server reads, closes; client writes anyway: write() works,\n"
        "the server's RST follows; next write() -> EPIPE, read() -> 0")},
    {"fin-timeout", FIRST("I close and wait\n"), CLOSE_TAKES_FIN_TIMEOUT,
     N_("server closes too late: the client's orphaned FIN_WAIT2\n"
        "ends after --fin-timeout s, no TIME_WAIT; the server's late\n"
        "FIN draws an RST")},
    {"lost-ack", FIRST("goodbye\n"), 0,
     N_("the client's last ACK is lost (the server drops it): LAST_ACK\n"
        "sends its FIN again; the client's TIME_WAIT ACKs it again\n"
        "and its 60 s timer restarts")},
    {"no-time-wait", FIRST("no TIME_WAIT for me\n"), 0,
     N_("the server sets tcp_max_tw_buckets to 0 (private namespace):\n"
        "the client keeps no TIME_WAIT; the server's FIN sent again\n"
        "(its last ACK lost) draws an RST: ECONNRESET")},
    {"tw-reuse", FIRST("one port, two connections\n"), CLOSE_TAKES_TW_REUSE,
     N_("one ephemeral port (private namespace): the client closes,\n"
        "then connects again onto its own TIME_WAIT: EADDRNOTAVAIL\n"
        "with --tw-reuse 0; reused after a delay with 2 (loopback)")},
    {"simultaneous-close", FIRST("we both close\n"), 0,
     N_("both ends send FIN before hearing the other's (filters):\n"
        "FIN_WAIT1 on both, CLOSING, then TIME_WAIT on both")},
};

#define COUNT (sizeof close_scenarios / sizeof close_scenarios[0])

const size_t close_scenario_count = COUNT;

const char *const *close_scenario_names(void)
{
    static const char *names[COUNT + 1];
    for (size_t i = 0; i < COUNT; i++)
        names[i] = close_scenarios[i].name;
    return names;
}

/* "a", "a and b", "a, b and c" into buf; returns buf. */
static const char *join(char *buf, size_t len, const char *const words[], size_t count)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        const char *sep = i == 0 ? "" : i + 1 == count ? lab_tr(" and ") : lab_tr(", ");
        int w = snprintf(buf + used, len - used, "%s%s", sep, words[i]);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
    return buf;
}

int close_scenario_takes(const char *prog, const struct close_scenario *sc, unsigned option,
                         const char *name, const char *what)
{
    const char *takers[COUNT];
    size_t k = 0;
    char list[256];
    if (sc->takes & option)
        return 0;
    for (size_t i = 0; i < COUNT; i++)
        if (close_scenarios[i].takes & option)
            takers[k++] = close_scenarios[i].name;
    lab_usage_error(prog, "%s has no use in scenario %s (only %s %s)", name, sc->name,
                    join(list, sizeof list, takers, k), lab_tr(what));
    return -1;
}

/* "  name             first line", then each further line under the first. */
void close_scenarios_usage(FILE *out)
{
    enum { NAME_WIDTH = 16 };
    fputs(lab_tr("Scenarios (give both ends the same one):\n"), out);
    for (size_t i = 0; i < COUNT; i++) {
        const char *line = lab_tr(close_scenarios[i].help);
        /* A name too long for its column gets a line of its own. */
        if (strlen(close_scenarios[i].name) > NAME_WIDTH)
            fprintf(out, "  %s\n%*s", close_scenarios[i].name, NAME_WIDTH + 3, "");
        else
            fprintf(out, "  %-*s ", NAME_WIDTH, close_scenarios[i].name);
        for (const char *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
            fprintf(out, "%.*s\n%*s", (int)(nl - line), line, NAME_WIDTH + 3, "");
        fprintf(out, "%s\n", line);
    }
}
