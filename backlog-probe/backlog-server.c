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
 * Each scenario is a file of server/ named after it, built on the listener
 * (server/listener.c) and the watch over its queue (server/watch.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lab_backlog.h"
#include "lab_cli.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_narrate.h"
#include "probe.h"
#include "server/server.h"

static const char *const PROG = "backlog-server";

enum { DEFAULT_TIMEOUT_MS = 600000 }; /* ten minutes: time to switch terminals */

/* Each scenario's server half (server/<name>.c) and its presets, which
 * explicit options override. A scenario that accepts, or defers accepting,
 * needs that to show anything: an option that undoes it is bad usage. */
/* clang-format off */
static const struct scenario {
    const char *name;
    int (*run)(struct server *s);
    long backlog;            /* listen(fd, backlog) */
    enum accept_mode accept; /* and, for one-after, the delay and why it is needed */
    long accept_delay_ms;
    const char *accept_why;  /* N_(), said translated */
    long defer_accept;       /* TCP_DEFER_ACCEPT seconds, -1 = none */
    long somaxconn;          /* net.core.somaxconn to set, -1 = leave alone */
} scenarios[] = {
    {"fill",         fill,         4,    ACCEPT_NEVER,     0,   NULL,                    -1, -1},
    {"drain",        drain,        4,    ACCEPT_ONE_AFTER, 200, N_("it frees one slot"), -1, -1},
    {"clamp",        clamp,        1000, ACCEPT_NEVER,     0,   NULL,                    -1, 16},
    {"syn-queue",    syn_queue,    4,    ACCEPT_NEVER,     0,   NULL,                    30, -1},
    {"ack-overflow", ack_overflow, 2,    ACCEPT_NEVER,     0,   NULL,                    30, -1},
};
/* clang-format on */

#define SCENARIOS (sizeof scenarios / sizeof scenarios[0])

/* --help, one msgid per paragraph or option (the option itself is part of
 * its msgid, so a translation keeps the columns). */
static void usage(void)
{
    printf(lab_tr("Usage: %s [OPTION]...\n"), PROG);
    fputs(lab_tr("Listen with a given backlog and show what the kernel does with it: the\n"
                 "backlog it really grants, the accept queue as it fills (what `ss -lnt`\n"
                 "shows) and the kernel's overflow counters. The server ends by itself once\n"
                 "no client connection to its port is left.\n"),
          stdout);
    fputs("\n", stdout);
    fputs(lab_tr("Options:\n"), stdout);
    fputs(lab_tr("  -s, --scenario NAME          which scenario to play (default fill)\n"), stdout);
    fputs(lab_tr("  -b, --bind ADDR              address to listen on (default 127.0.0.1;\n"
                 "                               ::1 for IPv6)\n"),
          stdout);
    printf(lab_tr("  -p, --port PORT              port (default %d; 0 = let the kernel choose)\n"),
           PROBE_PORT);
    fputs(
        lab_tr("      --backlog N              listen(fd, N); negative means somaxconn\n"
               "                               (default 4; 1000 for clamp, 2 for ack-overflow)\n"),
        stdout);
    fputs(lab_tr("      --accept MODE            never, one-after:MS or all (default never;\n"
                 "                               one-after:200 for drain)\n"),
          stdout);
    fputs(lab_tr("      --defer-accept SECS      set TCP_DEFER_ACCEPT (default 30 for syn-queue\n"
                 "                               and ack-overflow)\n"),
          stdout);
    fputs(lab_tr("      --somaxconn N            set net.core.somaxconn before listen\n"
                 "                               (default 16 for clamp)             [namespace]\n"),
          stdout);
    fputs(lab_tr("      --syncookies 0|1|2       set net.ipv4.tcp_syncookies        [namespace]\n"),
          stdout);
    fputs(lab_tr("      --max-syn-backlog N      set net.ipv4.tcp_max_syn_backlog   [namespace]\n"),
          stdout);
    fputs(lab_tr("      --abort-on-overflow 0|1  set net.ipv4.tcp_abort_on_overflow [namespace]\n"),
          stdout);
    printf(lab_tr("  -t, --timeout MS             bound on the whole run (default %d)\n"),
           DEFAULT_TIMEOUT_MS);
    fputs(lab_tr("      --step                   wait for Enter before each state-changing call\n"),
          stdout);
    lab_cli_usage_quiet_help(31);
    fputs("\n", stdout);
    fputs(lab_tr("[namespace]: sysctls are changed only in a private network namespace, never\n"
                 "on the host (see backlog-probe/README.md).\n"),
          stdout);
    fputs("\n", stdout);
    probe_print_scenarios();
    fputs("\n", stdout);
    fputs(lab_tr("Example:\n"), stdout);
    printf(lab_tr("  terminal 1: %s\n"), "backlog-server --scenario fill --backlog 4");
    printf(lab_tr("  terminal 2: %s\n"), "backlog-client --scenario fill --connections 8");
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
        const char *what = lab_tr("accept delay"); /* a part of a value, not an option */
        if (lab_cli_long(PROG, what, arg + 10, 0, 3600000, &s->accept_delay_ms) < 0)
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
static int apply_presets(struct server *s, const struct scenario *sc)
{
    if (sc->accept != ACCEPT_NEVER && s->accept_given && s->accept != sc->accept) {
        lab_usage_error(PROG, "--scenario %s needs --accept one-after:MS (%s)", sc->name,
                        lab_tr(sc->accept_why));
        return -1;
    }
    if (sc->defer_accept > 0 && s->defer_accept == 0) {
        lab_usage_error(PROG,
                        "--scenario %s needs TCP_DEFER_ACCEPT: --defer-accept must be 1 or more",
                        sc->name);
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

/* 0 with the scenario in *sc, or -1 after one line (exit 2). */
static int parse_args(struct server *s, const struct scenario **sc, int argc, char *argv[])
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
    const char *names[SCENARIOS + 1] = {NULL};
    for (size_t i = 0; i < SCENARIOS; i++)
        names[i] = scenarios[i].name;
    int i = 0;
    if (more < 0 || lab_cli_finish(&s->cli, argc, argv, names, &i, SOCK_STREAM, &s->ep) < 0)
        return -1;
    *sc = &scenarios[i];
    return s->cli.help ? 0 : apply_presets(s, *sc);
}

int main(int argc, char *argv[])
{
    if (lab_prog_init() < 0) { /* fds 0-2 open, SIGPIPE ignored */
        perror(PROG);
        return 1;
    }
    struct server s;
    const struct scenario *sc = NULL;
    memset(&s, 0, sizeof s);
    if (parse_args(&s, &sc, argc, argv) < 0)
        return 2;
    if (s.cli.help) {
        usage();
        return 0;
    }
    lab_narrator_init(&s.n, "server", s.cli.quiet, stdout);
    lab_fail_context(N_("client"), s.cli.timeout_ms);
    int rc = server_change_sysctls(&s);
    if (rc != 0)
        return rc;
    return sc->run(&s);
}
