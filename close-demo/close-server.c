/* close-server: the passive end of TCP's close, narrated.
 *
 * Demonstrates, together with close-client (same --scenario on both ends):
 * EOF arriving behind the data, CLOSE_WAIT until the application closes,
 * the server as active closer owning TIME_WAIT (and SO_REUSEADDR), RST on a
 * close with unread data, ECONNRESET after an abortive close, a CLOSE_WAIT
 * leak, a peer that disconnects with connect(AF_UNSPEC) and comes back, the
 * RST a closed socket answers a late write() with, and a close so late that
 * the client's orphaned FIN_WAIT2 has timed out (net.ipv4.tcp_fin_timeout,
 * set only in a private network namespace), a LAST_ACK that loses the
 * client's ACK and sends its FIN again (with no TIME_WAIT on the client:
 * tcp_max_tw_buckets 0, an RST), a client that reconnects onto its own
 * TIME_WAIT, and a simultaneous close.
 * This file parses, listens, accepts and dispatches; each scenario is a
 * function of its own name in server/<name>.c.
 *
 * Run, in two terminals:
 *   close-server --scenario graceful
 *   close-client --scenario graceful
 * and in a third, while --step holds a side: ss -tano 'sport = :19001 or dport = :19001'
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "closing.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"
#include "lab_watch.h"
#include "server/server.h"

static const char *const PROG = "close-server";

/* The server's half of each scenario (scenarios.c lists them all). */
/* clang-format off */
static const struct play {
    const char *name;
    int (*run)(struct server *s);
    /* before listen(), or NULL: 0, or 2 after a usage line */
    int (*before)(struct server *s);
} plays[] = {
    {"graceful", graceful, NULL},
    {"half-close", half_close, NULL},
    {"server-first", server_first, NULL},
    {"unread-data", unread_data, NULL},
    {"linger0", linger0, NULL},
    {"close-wait-leak", close_wait_leak, NULL},
    {"reconnect", reconnect, NULL},
    {"large-transfer", large_transfer, NULL},
    {"write-after-close", write_after_close, NULL},
    {"fin-timeout", fin_timeout, NULL},
    {"lost-ack", lost_ack, NULL},
    {"no-time-wait", no_time_wait, no_time_wait_before_listen},
    {"tw-reuse", tw_reuse, NULL},
    {"simultaneous-close", simultaneous_close, NULL},
};
/* clang-format on */

#define PLAYS (sizeof plays / sizeof plays[0])

enum { OPT_HOLD = LAB_OPT_FIRST_PRIVATE, OPT_REUSEADDR, OPT_FIN_TIMEOUT };

/* --help, one msgid per paragraph or option (the option itself is part of
 * its msgid, so a translation keeps the columns). */
static void usage(void)
{
    printf(lab_tr("Usage: %s [OPTION]...\n"), PROG);
    fputs(lab_tr("The server end of the close demo: accepts one connection (two for\n"
                 "reconnect and tw-reuse), plays its half of the scenario and narrates\n"
                 "each step with the TCP state the kernel reports.\n"),
          stdout);
    fputs("\n", stdout);
    fputs(lab_tr("Options:\n"), stdout);
    fputs(lab_tr("  -s, --scenario NAME  which story to play (default graceful)\n"), stdout);
    fputs(lab_tr("  -b, --bind ADDR      address to listen on (default 127.0.0.1; ::1 for IPv6)\n"),
          stdout);
    printf(lab_tr("  -p, --port PORT      port to listen on (default %d; 0 = kernel picks)\n"),
           CLOSE_DEMO_PORT);
    fputs(lab_tr("      --hold-ms MS     how long to sit in CLOSE_WAIT before closing (default\n"
                 "                       100; graceful, half-close and close-wait-leak only)\n"),
          stdout);
    fputs(lab_tr("      --reuseaddr      set SO_REUSEADDR on the listener\n"), stdout);
    fputs(lab_tr("      --fin-timeout S  net.ipv4.tcp_fin_timeout for fin-timeout (default 1;\n"
                 "                       set only in a private network namespace)\n"),
          stdout);
    fputs(lab_tr("  -t, --timeout MS     bound on every wait for the peer or the kernel\n"
                 "                       (default 600000: time to switch terminals)\n"),
          stdout);
    fputs(lab_tr("      --step           wait for Enter before each state-changing call\n"),
          stdout);
    lab_cli_usage_quiet_help(23);
    fputs("\n", stdout);
    close_scenarios_usage(stdout);
    fputs("\n", stdout);
    fputs(lab_tr("Example:\n"), stdout);
    printf("  %s --scenario half-close --bind ::1\n", PROG);
}

static const struct play *find_play(const char *name)
{
    for (size_t i = 0; i < PLAYS; i++)
        if (strcmp(plays[i].name, name) == 0)
            return &plays[i];
    return NULL;
}

/* 0 with the scenario's server half in *play, or -1 after one line (exit 2). */
static int parse_args(struct server *s, const struct play **play, int argc, char *argv[])
{
    static const struct option options[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"bind", required_argument, NULL, 'b'},
        {"hold-ms", required_argument, NULL, OPT_HOLD},
        {"reuseaddr", no_argument, NULL, OPT_REUSEADDR},
        {"fin-timeout", required_argument, NULL, OPT_FIN_TIMEOUT},
        {NULL, 0, NULL, 0},
    };
    lab_cli_init(&s->cli, PROG, CLOSE_DEMO_PORT, 600000);
    s->hold_ms = 100;
    s->fin_timeout = 1; /* a lesson of one second, not the kernel's minute */
    int opt, more, hold_given = 0;
    while ((more = lab_cli_next(&s->cli, argc, argv, options, &opt)) > 0) {
        long v;
        switch (opt) {
        case OPT_HOLD:
            if (lab_cli_long(PROG, "hold-ms", optarg, 0, 600000, &v) < 0)
                return -1;
            s->hold_ms = (int)v;
            hold_given = 1;
            break;
        case OPT_REUSEADDR:
            s->reuseaddr = 1;
            break;
        case OPT_FIN_TIMEOUT:
            if (lab_cli_long(PROG, "fin-timeout", optarg, 1, 3600, &s->fin_timeout) < 0)
                return -1;
            s->fin_timeout_given = 1;
            break;
        default:
            return lab_cli_unknown(&s->cli, opt, argv);
        }
    }
    int sc = 0;
    if (more < 0 || lab_cli_finish(&s->cli, argc, argv, close_scenario_names(), &sc, SOCK_STREAM,
                                   &s->bind_ep) < 0)
        return -1;
    s->sc = &close_scenarios[sc];
    if ((*play = find_play(s->sc->name)) == NULL) {
        lab_usage_error(PROG, "scenario %s has no server half (a row missing in %s.c)", s->sc->name,
                        PROG);
        return -1;
    }
    if (hold_given && !s->cli.help &&
        close_scenario_takes(PROG, s->sc, CLOSE_TAKES_HOLD, "--hold-ms", "hold CLOSE_WAIT") < 0)
        return -1;
    if (s->fin_timeout_given && !s->cli.help)
        return close_scenario_takes(PROG, s->sc, CLOSE_TAKES_FIN_TIMEOUT, "--fin-timeout",
                                    "time an orphaned FIN_WAIT2");
    return 0;
}

/* Listen and say where; 0, or -1 after narrating why not. */
static int start_listening(struct server *s)
{
    char addr[LAB_ENDPOINT_STRLEN];
    lab_endpoint_format((struct sockaddr *)&s->bind_ep.ss, addr, sizeof addr);
    s->listener = lab_tcp_listen(&s->bind_ep, 8, s->reuseaddr);
    if (s->listener < 0) {
        int err = errno;
        lab_say_errno(&s->n, err, "listen on %s failed", addr);
        if (err == EADDRINUSE)
            lab_explain(&s->n, "Another server, or a TIME_WAIT left by a server-first run, holds "
                               "the port; use --reuseaddr (on both runs) or another --port.");
        return -1;
    }
    struct lab_endpoint bound;
    if (lab_endpoint_local(s->listener, &bound) < 0)
        lab_fail_errno(&s->n, errno, "getsockname()");
    lab_say_fd(&s->n, s->listener, "listening on %s  scenario=%s",
               lab_endpoint_format((struct sockaddr *)&bound.ss, addr, sizeof addr), s->sc->name);
    if (!lab_endpoint_is_loopback(&bound))
        lab_say(&s->n, "note: %s is not a loopback address: other hosts can connect", addr);
    s->bind_ep = bound; /* server-first re-binds the very port we got */
    return 0;
}

int main(int argc, char *argv[])
{
    if (lab_prog_init() < 0) {
        perror(PROG);
        return 1;
    }
    struct server s;
    memset(&s, 0, sizeof s);
    s.listener = -1;
    s.conn = -1;
    const struct play *play = NULL;
    if (parse_args(&s, &play, argc, argv) < 0)
        return 2;
    if (s.cli.help) {
        usage();
        return 0;
    }
    lab_narrator_init(&s.n, "server", s.cli.quiet, stdout);
    lab_fail_context(N_("client"), s.cli.timeout_ms);
    /* Before listen(): the client's FIN_WAIT2 takes the value in force when
     * its FIN is ACKed, which may happen before we accept(). */
    if ((s.sc->takes & CLOSE_TAKES_FIN_TIMEOUT) && set_fin_timeout(&s) != 0)
        return 2;
    if (play->before != NULL && play->before(&s) != 0)
        return 2;
    if (start_listening(&s) < 0)
        return 1;
    closing_end_at_exit(&s.n);
    s.conn = accept_one(&s);
    if (s.conn < 0) /* nobody reads us any more: a clean end */
        return closing_end_unsaid(0);
    int rc = play->run(&s);
    if (s.conn >= 0)
        closing_close(&s.n, &s.conn);
    if (s.listener >= 0)
        closing_close(&s.n, &s.listener);
    return closing_end(rc);
}
