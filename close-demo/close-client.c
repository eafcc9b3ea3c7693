/* close-client: the active end of TCP's close, narrated.
 *
 * Demonstrates, together with close-server (same --scenario on both ends):
 * FIN_WAIT2 and TIME_WAIT with the kernel's own 60 s timer after close(),
 * half-close with shutdown(SHUT_WR), CLOSE_WAIT when the server closes first,
 * data queued before an RST still being readable, SO_LINGER {1,0} leaving no
 * TIME_WAIT, an orphaned FIN_WAIT2, connect() on a connected TCP socket
 * (EISCONN; AF_UNSPEC disconnects with RST and allows a new connect), and a
 * write() after the server's close (it works; the next one fails: EPIPE),
 * a TIME_WAIT that ACKs the server's FIN again when its first ACK was
 * lost, its 60 s starting over, what goes wrong with no TIME_WAIT at all,
 * a new connect() taking a TIME_WAIT's 4-tuple over (tcp_tw_reuse), and a
 * simultaneous close (CLOSING, TIME_WAIT on both ends).
 * This file parses, connects and dispatches; each scenario is a function of
 * its own name in client/<name>.c.
 *
 * Run, in two terminals:
 *   close-server --scenario graceful
 *   close-client --scenario graceful
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/client.h"
#include "closing.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_watch.h"

static const char *const PROG = "close-client";

/* The client's half of each scenario (scenarios.c lists them all). */
/* clang-format off */
static const struct play {
    const char *name;
    int (*run)(struct client *c);
    /* before connect(), or NULL: 0, or 2 after a usage line */
    int (*before)(struct client *c);
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
    {"no-time-wait", no_time_wait, NULL},
    {"tw-reuse", tw_reuse, tw_reuse_before_connect},
    {"simultaneous-close", simultaneous_close, NULL},
};
/* clang-format on */

#define PLAYS (sizeof plays / sizeof plays[0])

enum { OPT_BYTES = LAB_OPT_FIRST_PRIVATE, OPT_TW_REUSE };

/* --help, one msgid per paragraph or option (the option itself is part of
 * its msgid, so a translation keeps the columns). */
static void usage(void)
{
    printf(lab_tr("Usage: %s [OPTION]...\n"), PROG);
    fputs(lab_tr("The client end of the close demo: connects, plays its half of the\n"
                 "scenario and narrates each step with the TCP state the kernel reports,\n"
                 "also after close(), when only sock_diag can still see the connection.\n"),
          stdout);
    fputs("\n", stdout);
    fputs(lab_tr("Options:\n"), stdout);
    fputs(lab_tr("  -s, --scenario NAME  which story to play (default graceful)\n"), stdout);
    fputs(lab_tr("  -H, --host HOST      server address or name (default 127.0.0.1; ::1 for "
                 "IPv6)\n"),
          stdout);
    printf(lab_tr("  -p, --port PORT      server port (default %d)\n"), CLOSE_DEMO_PORT);
    fputs(lab_tr("      --bytes N        bytes to send in large-transfer (default 1048576)\n"),
          stdout);
    fputs(
        lab_tr("      --tw-reuse N     net.ipv4.tcp_tw_reuse for tw-reuse: 0, 1 or 2 (default 2;\n"
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
    printf("  %s --scenario half-close --host ::1\n", PROG);
}

static const struct play *find_play(const char *name)
{
    for (size_t i = 0; i < PLAYS; i++)
        if (strcmp(plays[i].name, name) == 0)
            return &plays[i];
    return NULL;
}

/* 0 with the scenario's client half in *play, or -1 after one line (exit 2). */
static int parse_args(struct client *c, const struct play **play, int argc, char *argv[])
{
    static const struct option options[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"host", required_argument, NULL, 'H'},
        {"bytes", required_argument, NULL, OPT_BYTES},
        {"tw-reuse", required_argument, NULL, OPT_TW_REUSE},
        {NULL, 0, NULL, 0},
    };
    lab_cli_init(&c->cli, PROG, CLOSE_DEMO_PORT, 600000);
    c->bytes = 1L << 20;
    c->tw_reuse = 2; /* the kernel's default: loopback only */
    int opt, more, bytes_given = 0, tw_reuse_given = 0;
    while ((more = lab_cli_next(&c->cli, argc, argv, options, &opt)) > 0) {
        switch (opt) {
        case OPT_BYTES:
            if (lab_cli_long(PROG, "bytes", optarg, 0, 1L << 30, &c->bytes) < 0)
                return -1;
            bytes_given = 1;
            break;
        case OPT_TW_REUSE:
            if (lab_cli_long(PROG, "tw-reuse", optarg, 0, 2, &c->tw_reuse) < 0)
                return -1;
            tw_reuse_given = 1;
            break;
        default:
            return lab_cli_unknown(&c->cli, opt, argv);
        }
    }
    int sc = 0;
    if (more < 0 || lab_cli_finish(&c->cli, argc, argv, close_scenario_names(), &sc, SOCK_STREAM,
                                   &c->server) < 0)
        return -1;
    c->sc = &close_scenarios[sc];
    if ((*play = find_play(c->sc->name)) == NULL) {
        lab_usage_error(PROG, "scenario %s has no client half (a row missing in %s.c)", c->sc->name,
                        PROG);
        return -1;
    }
    if (bytes_given && !c->cli.help &&
        close_scenario_takes(PROG, c->sc, CLOSE_TAKES_BYTES, "--bytes", "sends them") < 0)
        return -1;
    if (tw_reuse_given && !c->cli.help)
        return close_scenario_takes(PROG, c->sc, CLOSE_TAKES_TW_REUSE, "--tw-reuse",
                                    "reuses a TIME_WAIT");
    return 0;
}

/* Connect to the server and say so; 0, or -1 after narrating why not. */
static int connect_to_server(struct client *c)
{
    char addr[LAB_ENDPOINT_STRLEN], from[LAB_ENDPOINT_STRLEN];
    lab_endpoint_format((struct sockaddr *)&c->server.ss, addr, sizeof addr);
    c->fd = socket(c->server.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        lab_fail_errno(&c->n, errno, "socket()");
    lab_step(&c->n, c->cli.step, "connect()");
    if (lab_connect_bounded(c->fd, &c->server, c->cli.timeout_ms) < 0) {
        int err = errno;
        lab_say_errno(&c->n, err, "connect() to %s failed", addr);
        if (err == ECONNREFUSED)
            lab_explain(&c->n, "Nothing listens there: start close-server first.");
        return -1;
    }
    struct lab_endpoint local;
    if (lab_endpoint_local(c->fd, &local) < 0)
        lab_fail_errno(&c->n, errno, "getsockname()");
    lab_say_fd(&c->n, c->fd, "connect() -> connected to %s from %s  scenario=%s", addr,
               lab_endpoint_format((struct sockaddr *)&local.ss, from, sizeof from), c->sc->name);
    return 0;
}

int main(int argc, char *argv[])
{
    if (lab_prog_init() < 0) {
        perror(PROG);
        return 1;
    }
    struct client c;
    memset(&c, 0, sizeof c);
    c.fd = -1;
    const struct play *play = NULL;
    if (parse_args(&c, &play, argc, argv) < 0)
        return 2;
    if (c.cli.help) {
        usage();
        return 0;
    }
    lab_narrator_init(&c.n, "client", c.cli.quiet, stdout);
    lab_fail_context(N_("server"), c.cli.timeout_ms);
    if (play->before != NULL && play->before(&c) != 0)
        return 2;
    if (connect_to_server(&c) < 0)
        return 1;
    closing_end_at_exit(&c.n);
    int rc = play->run(&c);
    if (c.fd >= 0)
        closing_close(&c.n, &c.fd);
    return closing_end(rc);
}
