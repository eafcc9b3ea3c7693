/* backlog-server: what listen()'s backlog really limits on Linux.
 *
 * It listens with --backlog N and then, per --accept, never accepts, accepts
 * one connection after a delay, or accepts everything. It prints the backlog
 * the kernel really uses (after the net.core.somaxconn clamp), watches its
 * accept queue fill (TCP_INFO on the listener: what `ss -lnt` shows as Recv-Q
 * and Send-Q) and the kernel's ListenOverflows/ListenDrops counters, and ends
 * by itself once every client connection to its port is gone.
 *
 *   terminal 1: backlog-server --scenario fill
 *   terminal 2: backlog-client --scenario fill
 *
 * Scenarios that change sysctls (clamp, syn-queue with --syncookies,
 * ack-overflow with --abort-on-overflow) run only inside a private network
 * namespace; backlog-probe/README.md shows how to put both terminals there.
 * The listener and the watch over its queue are in server/; each scenario
 * below is what it adds to them.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lab_backlog.h"
#include "lab_cli.h"
#include "lab_fail.h"
#include "lab_narrate.h"
#include "probe.h"
#include "server/server.h"

static const char *const PROG = "backlog-server";

enum { DEFAULT_TIMEOUT_MS = 600000 }; /* ten minutes: time to switch terminals */

static void explain_accept_queue(const struct server *s)
{
    lab_explain(&s->n, "the kernel completes handshakes without us: each one lands in");
    lab_explain(&s->n, "the accept queue until accept() takes it out. Once the queue");
    lab_explain(&s->n, "holds backlog+1, new SYNs are dropped (ListenOverflows),");
    lab_explain(&s->n, "never refused: the clients wait in SYN_SENT and retransmit.");
}

/* fill (C8, C9): listen(fd, 4) and never accept(): the queue holds
 * backlog+1 = 5 handshakes; the kernel drops every later SYN.
 * Client: backlog-client --scenario fill */
static int fill(struct server *s)
{
    int lfd = server_listen(s);
    server_say_defer_accept(s);
    explain_accept_queue(s);
    return server_watch(s, lfd);
}

/* drain (C9): fill, then one accept() 200 ms after the first connection
 * came (--accept one-after:200): a waiting client takes the free slot only
 * when its SYN is retransmitted. Client: backlog-client --scenario drain */
static int drain(struct server *s)
{
    int lfd = server_listen(s);
    server_say_defer_accept(s);
    lab_explain(&s->n, "like fill, then one accept() frees one slot; nobody is told:");
    lab_explain(&s->n, "the slot stays empty until a waiting client retransmits its");
    lab_explain(&s->n, "SYN (1 s after the first one); the first SYN to arrive gets it.");
    return server_watch(s, lfd);
}

/* clamp (C8): net.core.somaxconn lowered to 16 before listen(fd, 1000): the
 * kernel grants 16, and so it does to listen(fd, -1) and listen(fd, 100000)
 * on other sockets. Client: backlog-client --scenario clamp */
static int clamp(struct server *s)
{
    int lfd = server_listen(s);
    static const int asked[] = {-1, 100000};
    for (size_t i = 0; i < sizeof asked / sizeof asked[0]; i++) {
        unsigned got;
        if (lab_backlog_granted(&s->bound, asked[i], &got) < 0)
            lab_fail_errno(&s->n, errno, "listen(fd, %d) on another socket", asked[i]);
        lab_say(&s->n, "another listener with listen(fd, %d) gets backlog %u = somaxconn", asked[i],
                got);
    }
    server_say_defer_accept(s);
    explain_accept_queue(s);
    return server_watch(s, lfd);
}

/* syn-queue (C10): TCP_DEFER_ACCEPT keeps each handshake a request
 * (SYN_RECV) until data comes, so quiet clients fill the SYN queue; it is
 * bounded by the listen backlog, and past it SYN cookies (or drops, with
 * --syncookies 0) take over. Client: backlog-client --scenario syn-queue */
static int syn_queue(struct server *s)
{
    int lfd = server_listen(s);
    server_say_defer_accept(s);
    server_say_syn_sysctls(s);
    lab_explain(&s->n, "tcp_max_syn_backlog is computed when a network namespace is");
    lab_explain(&s->n, "created (max(128, TCP hash buckets/128)); it only matters with");
    lab_explain(&s->n, "syncookies off:");
    lab_explain(&s->n, "then SYNs from unproven peers are dropped once the SYN");
    lab_explain(&s->n, "queue is 3/4 full. The listen backlog bounds it anyway.");
    lab_explain(&s->n, "TCP_DEFER_ACCEPT keeps each handshake a request (SYN_RECV) until");
    lab_explain(&s->n, "data arrives, so the clients below fill the SYN queue the way a");
    lab_explain(&s->n, "SYN flood would. That queue is bounded by the listen backlog");
    lab_explain(&s->n, "too: past backlog+1 requests the kernel answers with a SYN");
    lab_explain(&s->n, "cookie (tcp_syncookies=1 or 2) or drops the SYN (0).");
    return server_watch(s, lfd);
}

/* ack-overflow (C9): backlog 2 and TCP_DEFER_ACCEPT: a client's first data
 * meets a full accept queue; dropped, or answered with RST when
 * --abort-on-overflow 1. Client: backlog-client --scenario ack-overflow */
static int ack_overflow(struct server *s)
{
    int lfd = server_listen(s);
    server_say_defer_accept(s);
    server_say_syn_sysctls(s);
    lab_explain(&s->n, "TCP_DEFER_ACCEPT: a client's handshake completes on its side but");
    lab_explain(&s->n, "it joins the accept queue only when its first data arrives. If");
    lab_explain(&s->n, "the queue is full then, tcp_abort_on_overflow decides: 0 drops");
    lab_explain(&s->n, "the segment silently (the client retransmits), 1 answers RST.");
    return server_watch(s, lfd);
}

/* Each scenario (by enum probe_scenario, whose names both ends take): the
 * function that plays it and its presets, which explicit options override.
 * A scenario that accepts, or defers accepting, needs that to show anything:
 * an option that undoes it is bad usage. */
static const struct scenario {
    int (*run)(struct server *s);
    long backlog;            /* listen(fd, backlog) */
    enum accept_mode accept; /* and, for one-after, the delay and why it is needed */
    long accept_delay_ms;
    const char *accept_why;
    long defer_accept; /* TCP_DEFER_ACCEPT seconds, -1 = none */
    long somaxconn;    /* net.core.somaxconn to set, -1 = leave alone */
} scenarios[SC_COUNT] = {
    [SC_FILL] = {fill, 4, ACCEPT_NEVER, 0, NULL, -1, -1},
    [SC_DRAIN] = {drain, 4, ACCEPT_ONE_AFTER, 200, "it frees one slot", -1, -1},
    [SC_CLAMP] = {clamp, 1000, ACCEPT_NEVER, 0, NULL, -1, 16},
    [SC_SYN_QUEUE] = {syn_queue, 4, ACCEPT_NEVER, 0, NULL, 30, -1},
    [SC_ACK_OVERFLOW] = {ack_overflow, 2, ACCEPT_NEVER, 0, NULL, 30, -1},
};

static void usage(void)
{
    printf("Usage: %s [OPTION]...\n"
           "Listen with a given backlog and show what the kernel does with it: the\n"
           "backlog it really grants, the accept queue as it fills (what `ss -lnt`\n"
           "shows) and the kernel's overflow counters. The server ends by itself once\n"
           "no client connection to its port is left.\n\n"
           "Options:\n"
           "  -s, --scenario NAME          which scenario to play (default fill)\n"
           "  -b, --bind ADDR              address to listen on (default 127.0.0.1;\n"
           "                               ::1 for IPv6)\n"
           "  -p, --port PORT              port (default %d; 0 = let the kernel choose)\n"
           "      --backlog N              listen(fd, N); negative means somaxconn\n"
           "                               (default 4; 1000 for clamp, 2 for ack-overflow)\n"
           "      --accept MODE            never, one-after:MS or all (default never;\n"
           "                               one-after:200 for drain)\n"
           "      --defer-accept SECS      set TCP_DEFER_ACCEPT (default 30 for syn-queue\n"
           "                               and ack-overflow)\n"
           "      --somaxconn N            set net.core.somaxconn before listen\n"
           "                               (default 16 for clamp)             [namespace]\n"
           "      --syncookies 0|1|2       set net.ipv4.tcp_syncookies        [namespace]\n"
           "      --max-syn-backlog N      set net.ipv4.tcp_max_syn_backlog   [namespace]\n"
           "      --abort-on-overflow 0|1  set net.ipv4.tcp_abort_on_overflow [namespace]\n"
           "  -t, --timeout MS             bound on the whole run (default %d)\n"
           "      --step                   wait for Enter before each state-changing call\n"
           "  -q, --quiet                  events only, no explanations\n"
           "  -h, --help                   this text\n\n"
           "[namespace]: sysctls are changed only in a private network namespace, never\n"
           "on the host (see backlog-probe/README.md).\n\n%s\n"
           "Example:\n"
           "  terminal 1: %s --scenario fill --backlog 4\n"
           "  terminal 2: backlog-client --scenario fill --connections 8\n",
           PROG, PROBE_PORT, DEFAULT_TIMEOUT_MS, PROBE_SCENARIO_HELP, PROG);
}

enum {
    OPT_BACKLOG = LAB_OPT_FIRST_PRIVATE,
    OPT_ACCEPT,
    OPT_DEFER_ACCEPT,
    OPT_SOMAXCONN,
    OPT_SYNCOOKIES,
    OPT_ABORT_ON_OVERFLOW,
    OPT_MAX_SYN_BACKLOG,
};

static int parse_accept(struct server *s, const char *arg)
{
    if (strcmp(arg, "never") == 0) {
        s->accept = ACCEPT_NEVER;
    } else if (strcmp(arg, "all") == 0) {
        s->accept = ACCEPT_ALL;
    } else if (strncmp(arg, "one-after:", 10) == 0) {
        if (lab_cli_long(PROG, "accept delay", arg + 10, 0, 3600000, &s->accept_delay_ms) < 0)
            return -1;
        s->accept = ACCEPT_ONE_AFTER;
    } else {
        lab_usage_error(PROG, "bad --accept '%s' (want never, one-after:MS or all)", arg);
        return -1;
    }
    s->accept_given = 1;
    return 0;
}

/* One of the server's own options into s; 0, or -1 after one line. */
static int parse_option(struct server *s, int opt, char *argv[])
{
    switch (opt) {
    case OPT_BACKLOG:
        s->backlog_given = 1;
        return lab_cli_long(PROG, "backlog", optarg, INT_MIN, INT_MAX, &s->backlog);
    case OPT_ACCEPT:
        return parse_accept(s, optarg);
    case OPT_DEFER_ACCEPT:
        return lab_cli_long(PROG, "defer-accept", optarg, 0, 3600, &s->defer_accept);
    case OPT_SOMAXCONN:
        return lab_cli_long(PROG, "somaxconn", optarg, 0, INT_MAX, &s->somaxconn);
    case OPT_SYNCOOKIES:
        return lab_cli_long(PROG, "syncookies", optarg, 0, 2, &s->syncookies);
    case OPT_ABORT_ON_OVERFLOW:
        return lab_cli_long(PROG, "abort-on-overflow", optarg, 0, 1, &s->abort_on_overflow);
    case OPT_MAX_SYN_BACKLOG:
        return lab_cli_long(PROG, "max-syn-backlog", optarg, 1, INT_MAX, &s->max_syn_backlog);
    default:
        return lab_cli_unknown(&s->cli, opt, argv);
    }
}

/* The scenario's presets where no option was given; an option that would
 * undo what the scenario shows is bad usage (-1 after one line). */
static int apply_presets(struct server *s)
{
    const struct scenario *sc = &scenarios[s->scenario];
    const char *name = probe_scenario_names[s->scenario];
    if (sc->accept != ACCEPT_NEVER && s->accept_given && s->accept != sc->accept) {
        lab_usage_error(PROG, "--scenario %s needs --accept one-after:MS (%s)", name,
                        sc->accept_why);
        return -1;
    }
    if (sc->defer_accept > 0 && s->defer_accept == 0) {
        lab_usage_error(
            PROG, "--scenario %s needs TCP_DEFER_ACCEPT: --defer-accept must be 1 or more", name);
        return -1;
    }
    if (!s->backlog_given)
        s->backlog = sc->backlog;
    if (!s->accept_given) {
        s->accept = sc->accept;
        s->accept_delay_ms = sc->accept_delay_ms;
    }
    if (s->defer_accept < 0)
        s->defer_accept = sc->defer_accept;
    if (s->somaxconn < 0)
        s->somaxconn = sc->somaxconn;
    return 0;
}

static int parse_args(struct server *s, int argc, char *argv[])
{
    static const struct option options[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"bind", required_argument, NULL, 'b'},
        {"backlog", required_argument, NULL, OPT_BACKLOG},
        {"accept", required_argument, NULL, OPT_ACCEPT},
        {"defer-accept", required_argument, NULL, OPT_DEFER_ACCEPT},
        {"somaxconn", required_argument, NULL, OPT_SOMAXCONN},
        {"syncookies", required_argument, NULL, OPT_SYNCOOKIES},
        {"abort-on-overflow", required_argument, NULL, OPT_ABORT_ON_OVERFLOW},
        {"max-syn-backlog", required_argument, NULL, OPT_MAX_SYN_BACKLOG},
        {NULL, 0, NULL, 0},
    };
    lab_cli_init(&s->cli, PROG, PROBE_PORT, DEFAULT_TIMEOUT_MS);
    s->defer_accept = s->somaxconn = s->syncookies = -1;
    s->abort_on_overflow = s->max_syn_backlog = -1;
    int opt, more;
    while ((more = lab_cli_next(&s->cli, argc, argv, options, &opt)) > 0)
        if (parse_option(s, opt, argv) < 0)
            return -1;
    if (more < 0 || probe_cli_finish(&s->cli, argc, argv, &s->scenario, &s->ep) < 0)
        return -1;
    return s->cli.help ? 0 : apply_presets(s);
}

int main(int argc, char *argv[])
{
    if (lab_prog_init() < 0) { /* fds 0-2 open, SIGPIPE ignored */
        perror(PROG);
        return 1;
    }
    struct server s;
    memset(&s, 0, sizeof s);
    if (parse_args(&s, argc, argv) < 0)
        return 2;
    if (s.cli.help) {
        usage();
        return 0;
    }
    lab_narrator_init(&s.n, "server", s.cli.quiet, stdout);
    lab_fail_context("client", s.cli.timeout_ms);
    int rc = server_change_sysctls(&s);
    if (rc != 0)
        return rc;
    return scenarios[s.scenario].run(&s);
}
