/* backlog-client: how many connections a listener's accept queue really holds.
 *
 * It opens --connections M connections at once with non-blocking connect()
 * and poll(), bounded by --deadline, then reports the fate of each one:
 * completed (the handshake is done, so the server's kernel put it in the
 * accept queue), still in SYN_SENT (its SYN was dropped and is being
 * retransmitted), reset, refused or timed out, and what that says about the
 * queue: on Linux it holds backlog + 1.
 *
 *   terminal 1: backlog-server --scenario fill
 *   terminal 2: backlog-client --scenario fill
 *
 * Every connection is closed with an RST (SO_LINGER 0) at the end, so a run
 * leaves no TIME_WAIT behind and can be repeated at once. Each scenario is a
 * file of client/ named after it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "client/client.h"
#include "lab_cli.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_narrate.h"
#include "lab_sock.h"
#include "probe.h"

static const char *const PROG = "backlog-client";

enum {
    DEFAULT_TIMEOUT_MS = 2000,
    MAX_CONNECTIONS = 65535,
    SPARE_FDS = 32, /* stdio, netlink and /proc reads next to the connections */
};

/* Each scenario's client half (client/<name>.c) and its presets, which
 * explicit options override. */
/* clang-format off */
static const struct scenario {
    const char *name;
    int (*run)(struct client *c);
    long connections;         /* 0 = 2 * backlog + 1, from the listener (sock_diag) */
    long deadline_ms;
    const char *paces_itself; /* why --send and --deadline have no use (N_()); NULL if they do */
} scenarios[] = {
    {"fill",         fill,         8,  2000, NULL},
    {"drain",        drain,        8,  3000, NULL},
    {"clamp",        clamp,        20, 2000, NULL},
    {"syn-queue",    syn_queue,    8,  2000, NULL},
    {"ack-overflow", ack_overflow, 0,  2000,
     N_("it sends one byte on each connection itself, each wait bounded by --timeout")},
};
/* clang-format on */

#define SCENARIOS (sizeof scenarios / sizeof scenarios[0])

/* --help, one msgid per paragraph or option (the option itself is part of
 * its msgid, so a translation keeps the columns). */
static void usage(void)
{
    printf(lab_tr("Usage: %s [OPTION]...\n"), PROG);
    fputs(lab_tr("Open many connections at once and report what the listen queue did with\n"
                 "each one: completed, still in SYN_SENT (its SYN dropped), reset or refused.\n"
                 "The soft open-file limit is raised to the hard one when M needs it.\n"),
          stdout);
    fputs("\n", stdout);
    fputs(lab_tr("Options:\n"), stdout);
    fputs(lab_tr("  -s, --scenario NAME  which scenario to play (default fill)\n"), stdout);
    fputs(lab_tr("  -H, --host HOST      server address or name (default 127.0.0.1; ::1 for\n"
                 "                       IPv6)\n"),
          stdout);
    printf(lab_tr("  -p, --port PORT      server port (default %d)\n"), PROBE_PORT);
    fputs(lab_tr("      --connections M  connections to open (default 8; 20 for clamp;\n"
                 "                       ack-overflow: 2*backlog+1, read from the listener)\n"),
          stdout);
    fputs(lab_tr("      --deadline MS    bound on the whole connect phase (default 2000;\n"
                 "                       3000 for drain; not for ack-overflow)\n"),
          stdout);
    fputs(lab_tr("      --send           write one byte on each connection once it completes\n"
                 "                       (not for ack-overflow, which sends by itself)\n"),
          stdout);
    printf(lab_tr("  -t, --timeout MS     bound on each single wait (default %d)\n"),
           DEFAULT_TIMEOUT_MS);
    fputs(lab_tr("      --step           wait for Enter before each state-changing call\n"),
          stdout);
    lab_cli_usage_quiet_help(23);
    fputs("\n", stdout);
    probe_print_scenarios();
    fputs("\n", stdout);
    fputs(lab_tr("Example:\n"), stdout);
    printf(lab_tr("  terminal 1: %s\n"), "backlog-server --scenario fill --backlog 4");
    printf(lab_tr("  terminal 2: %s\n"), "backlog-client --scenario fill --connections 8");
}

enum { OPT_CONNECTIONS = LAB_OPT_FIRST_PRIVATE, OPT_DEADLINE, OPT_SEND };

/* 0 with the scenario in *sc, or -1 after one line (exit 2). */
static int parse_args(struct client *c, const struct scenario **sc, int argc, char *argv[])
{
    static const struct option options[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"host", required_argument, NULL, 'H'},
        {"connections", required_argument, NULL, OPT_CONNECTIONS},
        {"deadline", required_argument, NULL, OPT_DEADLINE},
        {"send", no_argument, NULL, OPT_SEND},
        {NULL, 0, NULL, 0},
    };
    lab_cli_init(&c->cli, PROG, PROBE_PORT, DEFAULT_TIMEOUT_MS);
    int opt, more;
    while ((more = lab_cli_next(&c->cli, argc, argv, options, &opt)) > 0) {
        switch (opt) {
        case OPT_CONNECTIONS:
            if (lab_cli_long(PROG, "connections", optarg, 1, MAX_CONNECTIONS, &c->connections) < 0)
                return -1;
            break;
        case OPT_DEADLINE:
            if (lab_cli_long(PROG, "deadline", optarg, 1, 3600000, &c->deadline_ms) < 0)
                return -1;
            break;
        case OPT_SEND:
            c->send = 1;
            break;
        default:
            return lab_cli_unknown(&c->cli, opt, argv);
        }
    }
    const char *names[SCENARIOS + 1] = {NULL};
    for (size_t i = 0; i < SCENARIOS; i++)
        names[i] = scenarios[i].name;
    int i = 0;
    if (more < 0 || lab_cli_finish(&c->cli, argc, argv, names, &i, SOCK_STREAM, &c->server) < 0)
        return -1;
    *sc = &scenarios[i];
    if (c->cli.help)
        return 0;
    /* An option the scenario would silently ignore is bad usage. */
    if ((*sc)->paces_itself != NULL && (c->send || c->deadline_ms != 0)) {
        lab_usage_error(PROG, "%s has no use in scenario %s (%s)",
                        c->send ? "--send" : "--deadline", (*sc)->name,
                        lab_tr((*sc)->paces_itself));
        return -1;
    }
    if (c->deadline_ms == 0)
        c->deadline_ms = (*sc)->deadline_ms;
    if (c->connections == 0)
        c->connections = (*sc)->connections;
    return 0;
}

/* Make room for m sockets: raise the soft RLIMIT_NOFILE up to the hard one.
 * 0, or 2 after a usage line saying what stops it. */
static int make_room(long m, char *note, size_t notelen)
{
    note[0] = '\0';
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 0; /* let socket() report EMFILE */
    rlim_t need = (rlim_t)m + SPARE_FDS;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        rlim_t old = rl.rlim_cur;
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
            /* Root may raise the hard limit too (CAP_SYS_RESOURCE); others may not. */
            struct rlimit up = {need, need};
            if (setrlimit(RLIMIT_NOFILE, &up) < 0)
                return lab_usage_error(PROG,
                                       "--connections %ld needs %llu open files but the hard "
                                       "limit is %llu (ulimit -Hn; only root may raise it)",
                                       m, (unsigned long long)need,
                                       (unsigned long long)rl.rlim_max);
            rl = up;
        }
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            return lab_usage_error(PROG, "cannot raise the open-file limit to %llu: %s",
                                   (unsigned long long)rl.rlim_max, strerror(errno));
        snprintf(note, notelen, lab_tr("raised the open-file limit from %llu to %llu"),
                 (unsigned long long)old, (unsigned long long)rl.rlim_cur);
    }
    /* Each connection to one server address and port needs its own local port. */
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
    long lo, hi;
    if (f == NULL)
        return 0;
    int n = fscanf(f, "%ld %ld", &lo, &hi);
    fclose(f);
    if (n == 2 && m > hi - lo + 1)
        return lab_usage_error(PROG,
                               "--connections %ld is more than the %ld local ports "
                               "of net.ipv4.ip_local_port_range",
                               m, hi - lo + 1);
    return 0;
}

int main(int argc, char *argv[])
{
    if (lab_prog_init() < 0) { /* fds 0-2 open, SIGPIPE ignored */
        perror(PROG);
        return 1;
    }
    struct client c;
    const struct scenario *sc = NULL;
    memset(&c, 0, sizeof c);
    if (parse_args(&c, &sc, argc, argv) < 0)
        return 2;
    if (c.cli.help) {
        usage();
        return 0;
    }
    lab_endpoint_format((struct sockaddr *)&c.server.ss, c.addr, sizeof c.addr);
    c.backlog = listener_backlog(&c.server, NULL);
    c.backlog_err = errno;
    if (c.connections == 0 && c.backlog < 0) {
        fprintf(stderr,
                lab_tr("%s: cannot see the listener's backlog: ack-overflow needs the server "
                       "in this network namespace\n"),
                PROG);
        return 1;
    }
    c.m = c.connections != 0 ? c.connections : 2 * c.backlog + 1;
    char note[160];
    int rc = make_room(c.m, note, sizeof note);
    if (rc != 0)
        return rc;

    lab_narrator_init(&c.n, "client", c.cli.quiet, stdout);
    lab_fail_context(N_("server"), c.cli.timeout_ms);
    if (note[0])
        lab_say_raw(&c.n, "%s", note); /* translated by make_room */
    c.conns = calloc((size_t)c.m, sizeof *c.conns);
    c.pfd = calloc((size_t)c.m, sizeof *c.pfd);
    c.idx = calloc((size_t)c.m, sizeof *c.idx);
    if (c.conns == NULL || c.pfd == NULL || c.idx == NULL)
        lab_fail_errno(&c.n, ENOMEM, "calloc");
    for (long i = 0; i < c.m; i++)
        c.conns[i].fd = -1;
    probe_read_counters(c.base);
    lab_say(&c.n, "scenario %s: %ld connection(s) to %s, deadline %ld ms", sc->name, c.m, c.addr,
            c.deadline_ms);
    c.t0 = lab_now_ms();
    rc = sc->run(&c);
    free(c.conns);
    free(c.pfd);
    free(c.idx);
    return rc;
}
