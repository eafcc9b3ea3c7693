/* udp-server: a UDP echo server that narrates, for every datagram, the peer
 * address recvfrom() handed it and what it sent back with sendto().
 *
 * Demonstrates, together with udp-client (same --scenario on both ends): that
 * a UDP server learns each client's address from the datagram itself (C14),
 * and, with a second socket on another port, what a connected client filters
 * out (C15), re-targets (C16) and lets in again after disconnecting (C17).
 *
 * What the server does in each scenario is a row of the table below; the
 * rules it answers by are in server/answers.c, its loop in server/serve.c.
 *
 * Run, in two terminals:
 *   udp-server --scenario filter
 *   udp-client --scenario filter
 * and in a third: ss -uanp 'sport = :19002 or sport = :19003'
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab_cli.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_step.h"
#include "server/server.h"

static const char *const PROG = "udp-server";

/* What the server explains at the start of some scenarios (said translated). */
static const char *const nothing_comes[] = {
    N_("In this scenario the client aims at a port where nothing listens,"),
    N_("so this server should see no datagram at all."), NULL};
static const char *const own_sink[] = {
    N_("The bench sends to the client's own sink socket; this server"),
    N_("should see no datagram."), NULL};
static const char *const no_router[] = {
    N_("On loopback no router stands between us, so even TTL 1 arrives."), NULL};

/* The server's part in each scenario: how it answers, whether its client is
 * connected to --port (and so must get answers from there: --reply-from-other
 * would contradict it), and what it explains at the start. How many datagrams
 * the client sends is in scenarios.c. */
static const struct {
    enum answer_rule rule;
    int client_connected;
    const char *const *explain;
} presets[SC_COUNT] = {
    [SC_ECHO_UNCONNECTED] = {ANSWER_ECHO, 0, NULL},
    [SC_ECHO_CONNECTED] = {ANSWER_ECHO, 1, NULL},
    [SC_REFUSED_UNCONNECTED] = {ANSWER_ECHO, 0, nothing_comes},
    [SC_REFUSED_CONNECTED] = {ANSWER_ECHO, 0, nothing_comes},
    [SC_RECVERR] = {ANSWER_ECHO, 0, nothing_comes},
    [SC_RECONNECT] = {ANSWER_OTHER_IF_ASKED, 1, NULL},
    [SC_DISCONNECT] = {ANSWER_OTHER_IF_ASKED, 1, NULL},
    [SC_FILTER] = {ANSWER_FROM_SECOND, 0, NULL},
    [SC_TTL] = {ANSWER_ECHO, 0, no_router},
    [SC_BENCH] = {ANSWER_ECHO, 0, own_sink},
};

enum { OPT_COUNT = LAB_OPT_FIRST_PRIVATE, OPT_REPLY_FROM_OTHER, OPT_OTHER_PORT, OPT_KEEP_SERVING };

static void usage(void)
{
    printf(lab_tr("Usage: %s [OPTION]...\n"), PROG);
    fputs(lab_tr("A UDP echo server: recvfrom() each datagram, narrate the sender's address,\n"
                 "sendto() one answer back. Exits 0 once it has answered every datagram the\n"
                 "scenario's udp-client sends (at once where it sends this server none), after\n"
                 "--count datagrams, or when --timeout passes without a datagram after it\n"
                 "served some; 1 when none came at all.\n"),
          stdout);
    fputs("\n", stdout);
    fputs(lab_tr("Options:\n"), stdout);
    fputs(lab_tr("  -s, --scenario NAME    which story to play (default echo-unconnected)\n"),
          stdout);
    fputs(lab_tr("  -b, --bind ADDR        address to bind (default 127.0.0.1; ::1 for IPv6)\n"),
          stdout);
    printf(lab_tr("  -p, --port PORT        port of the first socket (default %d; 0 = kernel "
                  "picks)\n"),
           UDP_DEMO_PORT);
    fputs(lab_tr("      --reply-from-other answer every datagram from a second socket on\n"
                 "                         another port (the filter scenario turns it on; not\n"
                 "                         with echo-connected, reconnect or disconnect)\n"),
          stdout);
    printf(lab_tr("      --other-port PORT  port of the second socket (default: --port + 1, %d;\n"
                  "                         reconnect, disconnect, filter, --reply-from-other)\n"),
           UDP_DEMO_SECOND_PORT);
    fputs(lab_tr("      --count N          exit after N datagrams (default: as many as the\n"
                 "                         scenario's client sends; 0: no limit)\n"),
          stdout);
    fputs(lab_tr("      --keep-serving     serve one client after another, until --timeout\n"
                 "                         passes without a datagram (not with --count)\n"),
          stdout);
    fputs(lab_tr("  -t, --timeout MS       exit after MS without a datagram (default 600000)\n"),
          stdout);
    fputs(lab_tr("      --step             wait for Enter before each bind() and sendto()\n"),
          stdout);
    lab_cli_usage_quiet_help(25);
    fputs("\n", stdout);
    udp_print_scenarios();
    fputs("\n", stdout);
    fputs(lab_tr("Example:\n"), stdout);
    printf("  %s --scenario reconnect --bind ::1\n", PROG);
}

/* What the command line said beyond struct server's fields. */
struct given {
    int reply_from_other, other_port_given;
};

/* Every option, into s and g; 0, or -1 after one line. */
static int parse_options(struct server *s, struct given *g, int argc, char *argv[])
{
    static const struct option options[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"bind", required_argument, NULL, 'b'},
        {"count", required_argument, NULL, OPT_COUNT},
        {"keep-serving", no_argument, NULL, OPT_KEEP_SERVING},
        {"reply-from-other", no_argument, NULL, OPT_REPLY_FROM_OTHER},
        {"other-port", required_argument, NULL, OPT_OTHER_PORT},
        {NULL, 0, NULL, 0},
    };
    int opt, rc;
    while ((rc = lab_cli_next(&s->cli, argc, argv, options, &opt)) > 0) {
        long v;
        uint16_t port;
        if (opt == OPT_COUNT) {
            if (lab_cli_long(PROG, "count", optarg, 0, 1000000000, &v) < 0)
                return -1;
            s->count = v;
            s->count_given = 1;
        } else if (opt == OPT_KEEP_SERVING) {
            s->keep_serving = 1;
        } else if (opt == OPT_REPLY_FROM_OTHER) {
            g->reply_from_other = 1;
        } else if (opt == OPT_OTHER_PORT) {
            if (lab_cli_port(PROG, "other-port", optarg, 0, &port) < 0)
                return -1;
            s->other_port = port;
            g->other_port_given = 1;
        } else {
            return lab_cli_unknown(&s->cli, opt, argv);
        }
    }
    return rc;
}

/* The options that contradict each other or the scenario, or that it would
 * silently ignore: the first one's line, and -1; else 0. */
static int check_options(const struct server *s, const struct given *g)
{
    const char *name = udp_scenario_names[s->scenario];
    if (s->keep_serving && s->count_given) {
        lab_usage_error(PROG, "--keep-serving contradicts --count (serve until --timeout, or "
                              "stop after N datagrams: one of them)");
        return -1;
    }
    if (g->reply_from_other && presets[s->scenario].client_connected) {
        lab_usage_error(PROG,
                        "--reply-from-other contradicts scenario %s (its client is connected to "
                        "--port and must get answers from there)",
                        name);
        return -1;
    }
    if (g->other_port_given && s->rule == ANSWER_ECHO) {
        lab_usage_error(PROG,
                        "--other-port has no use in scenario %s (only reconnect, disconnect, "
                        "filter and --reply-from-other open a second socket)",
                        name);
        return -1;
    }
    if (g->other_port_given && s->other_port != 0 && s->other_port == s->cli.port) {
        lab_usage_error(PROG,
                        "--other-port %d is --port: the second socket needs a port of its own",
                        s->other_port);
        return -1;
    }
    return 0;
}

/* The command line into s; 0, or -1 after one line (bad usage). */
static int parse_args(struct server *s, int argc, char *argv[])
{
    lab_cli_init(&s->cli, PROG, UDP_DEMO_PORT, 600000);
    s->other_port = -1;
    struct given g = {0, 0};
    int sc = 0;
    if (parse_options(s, &g, argc, argv) < 0 ||
        lab_cli_finish(&s->cli, argc, argv, udp_scenario_names, &sc, SOCK_DGRAM, &s->bind_ep) < 0)
        return -1;
    if (s->cli.help)
        return 0;
    s->scenario = (enum udp_scenario)sc;
    s->rule = g.reply_from_other ? ANSWER_FROM_SECOND : presets[sc].rule;
    if (!s->count_given && !s->keep_serving)
        s->count = udp_scenario_datagrams[sc];
    return check_options(s, &g);
}

/* A UDP socket bound to ep; its real address (the kernel's port for 0) in *bound. */
static int open_bound(const struct server *s, const struct lab_endpoint *ep,
                      struct lab_endpoint *bound)
{
    char a[LAB_ENDPOINT_STRLEN];
    int fd = socket(ep->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        lab_fail_errno(&s->n, errno, "socket(SOCK_DGRAM)");
    lab_step(&s->n, s->cli.step, "bind()");
    if (bind(fd, (const struct sockaddr *)&ep->ss, ep->len) < 0 ||
        lab_endpoint_local(fd, bound) < 0)
        lab_fail_errno(&s->n, errno, "bind(%s)", lab_endpoint_str(ep, a, sizeof a));
    return fd;
}

/* The second socket, on --other-port or the first one's port + 1. */
static int open_second(const struct server *s, const struct lab_endpoint *first)
{
    char a[LAB_ENDPOINT_STRLEN];
    struct lab_endpoint ep = s->bind_ep, bound;
    uint16_t port = lab_endpoint_port(first);
    if (s->other_port >= 0)
        port = (uint16_t)s->other_port;
    else
        port = port == 0 || port == 65535 ? 0 : (uint16_t)(port + 1);
    lab_endpoint_set_port(&ep, port);
    int fd = open_bound(s, &ep, &bound);
    lab_say(&s->n, "second socket on %s", lab_endpoint_str(&bound, a, sizeof a));
    return fd;
}

static void close_socket(const struct server *s, int fd)
{
    if (close(fd) < 0)
        lab_fail_errno(&s->n, errno, "close()");
}

int main(int argc, char *argv[])
{
    if (lab_prog_init() < 0) {
        perror(PROG);
        return 1;
    }
    /* Static: the datagram buffer is as big as a datagram can be (64 KiB). */
    static struct server s;
    s.fd = s.other_fd = -1;
    if (parse_args(&s, argc, argv) < 0)
        return 2;
    if (s.cli.help) {
        usage();
        return 0;
    }
    lab_narrator_init(&s.n, "server", s.cli.quiet, stdout);
    lab_fail_context(N_("client"), s.cli.timeout_ms);

    char a[LAB_ENDPOINT_STRLEN];
    struct lab_endpoint bound;
    s.fd = open_bound(&s, &s.bind_ep, &bound);
    /* Raw: scripts and tests read this line in every language. */
    lab_say_raw(&s.n, "listening on %s", lab_endpoint_str(&bound, a, sizeof a));
    if (!lab_endpoint_is_loopback(&bound))
        lab_say(&s.n, "note: %s is not loopback; other machines can reach this server", a);
    if (s.rule != ANSWER_ECHO)
        s.other_fd = open_second(&s, &bound);
    /* "No router on loopback" is only true on loopback (ttl-hops binds a
     * routed address). */
    const char *const *explain = presets[s.scenario].explain;
    if (explain == no_router && !lab_endpoint_is_loopback(&bound))
        explain = NULL;
    for (const char *const *line = explain; line && *line; line++)
        lab_explain(&s.n, "%s", lab_tr(*line));
    explain_rule(&s);
    int rc = 0;
    if (s.count == 0 && !s.count_given && !s.keep_serving) {
        lab_say(&s.n, "in scenario %s the client sends this server nothing: exiting",
                udp_scenario_names[s.scenario]);
        lab_explain(&s.n, "Run udp-client alone; --keep-serving keeps this server up anyway.");
    } else {
        rc = serve(&s);
    }
    close_socket(&s, s.fd);
    if (s.other_fd >= 0)
        close_socket(&s, s.other_fd);
    return rc;
}
