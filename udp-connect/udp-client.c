/* udp-client: what connect() means for a UDP socket, narrated.
 *
 * Demonstrates, together with udp-server (same --scenario on both ends): an
 * unconnected socket gets replies (C14); connect() sends nothing (C11); ICMP
 * port unreachable is reported to a connected socket (C13) but not to an
 * unconnected one (C12) unless IP_RECVERR is set; a second connect re-targets
 * (C16); connect(AF_UNSPEC) disconnects (C17); a connected socket drops
 * datagrams from other sources (C15); IP_TTL limits and ICMP time exceeded
 * (C7); and what a connected socket saves per datagram (bench).
 *
 * Each scenario is one function in client/<scenario>.c, its header comment
 * naming the claim and the server to run with it; this file parses the
 * options and plays the one chosen.
 *
 * Run, in two terminals:
 *   udp-server --scenario reconnect
 *   udp-client --scenario reconnect
 * (refused-*, recverr and bench need no server.)
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/client.h"
#include "lab_cli.h"
#include "lab_i18n.h"
#include "lab_parse.h"
#include "lab_ttl.h"

static const char *const PROG = "udp-client";

/* The options only some scenarios use. */
enum { USES_SECOND_PORT = 1, USES_TTL = 2, USES_BENCH = 4 };

/* Each scenario's function (client/<scenario>.c) and the options it takes. */
static const struct {
    void (*play)(const struct client *c);
    unsigned uses;
} scenarios[SC_COUNT] = {
    [SC_ECHO_UNCONNECTED] = {echo_unconnected, 0},
    [SC_ECHO_CONNECTED] = {echo_connected, 0},
    [SC_REFUSED_UNCONNECTED] = {refused_unconnected, 0},
    [SC_REFUSED_CONNECTED] = {refused_connected, 0},
    [SC_RECVERR] = {recverr, 0},
    [SC_RECONNECT] = {reconnect, USES_SECOND_PORT},
    [SC_DISCONNECT] = {disconnect, USES_SECOND_PORT},
    [SC_FILTER] = {filter, USES_SECOND_PORT},
    [SC_TTL] = {ttl, USES_TTL},
    [SC_BENCH] = {bench, USES_BENCH},
};

/* An option the chosen scenario never uses would be silently ignored: each
 * is refused with its line (%s: the scenario; lab_usage_error translates
 * it), in this order. */
static const struct {
    unsigned use;
    const char *refusal;
} unused_options[] = {
    {USES_TTL, N_("--ttl has no use in scenario %s (only ttl sends with it)")},
    {USES_BENCH, N_("--count and --rounds have no use in scenario %s (only bench measures)")},
    {USES_SECOND_PORT, N_("--second-port has no use in scenario %s (only reconnect, disconnect and "
                          "filter talk to the server's second port)")},
};

enum { OPT_SECOND_PORT = LAB_OPT_FIRST_PRIVATE, OPT_TTL, OPT_COUNT, OPT_ROUNDS };

static void usage(void)
{
    printf(lab_tr("Usage: %s [OPTION]...\n"), PROG);
    fputs(lab_tr("A UDP client that shows, one scenario at a time, what connect() changes on a\n"
                 "UDP socket, and narrates every call with the addresses the kernel reports.\n"),
          stdout);
    fputs("\n", stdout);
    fputs(lab_tr("Options:\n"), stdout);
    fputs(lab_tr("  -s, --scenario NAME   which story to play (default echo-unconnected)\n"),
          stdout);
    fputs(lab_tr("  -H, --host HOST       server address or name (default 127.0.0.1; ::1 for "
                 "IPv6)\n"),
          stdout);
    printf(lab_tr("  -p, --port PORT       server port (default %d); refused-* and recverr aim at\n"
                  "                        a free port unless this is given\n"),
           UDP_DEMO_PORT);
    printf(lab_tr("      --second-port P   the server's second socket (default --port + 1, %d)\n"),
           UDP_DEMO_SECOND_PORT);
    fputs(lab_tr("      --ttl N           ttl: IP_TTL / IPV6_UNICAST_HOPS to send with (default "
                 "1);\n"
                 "                        a value the kernel refuses is a usage error\n"),
          stdout);
    fputs(lab_tr("      --count N         bench: datagrams per measurement (default 100000)\n"),
          stdout);
    fputs(lab_tr("      --rounds N        bench: measurements per method (default 5)\n"), stdout);
    fputs(lab_tr("  -t, --timeout MS      bound on every wait for a datagram (default 1000)\n"),
          stdout);
    fputs(lab_tr("      --step            wait for Enter before each connect() and send\n"),
          stdout);
    lab_cli_usage_quiet_help(24);
    fputs("\n", stdout);
    udp_print_scenarios();
    fputs("\n", stdout);
    fputs(lab_tr("Exit status: 0 when the kernel did what the scenario teaches (an expected\n"
                 "ECONNREFUSED or time-out included), 1 when a call failed unexpectedly or the\n"
                 "kernel did something else, 2 on bad usage.\n"),
          stdout);
    fputs("\n", stdout);
    fputs(lab_tr("Example:\n"), stdout);
    printf("  %s --scenario refused-connected --host ::1\n", PROG);
}

/* What the command line said, before the scenario is known. */
struct given {
    uint16_t second_port; /* --second-port, else --port + 1 */
    const char *ttl_arg;  /* --ttl's text, for the kernel's verdict */
    unsigned uses;        /* USES_*: the scenario-only options given */
};

/* --ttl: digits (and '-'), like every number; the kernel judges the range. */
static int parse_ttl(struct client *c, const char *arg)
{
    long v;
    size_t sign = *arg == '-';
    if (strspn(arg + sign, "0123456789") + sign != strlen(arg) ||
        lab_parse_long(arg, -1000000, 1000000, &v) < 0) {
        lab_usage_error(PROG, "bad ttl '%s' (want an integer: 1 to 255, or -1)", arg);
        return -1;
    }
    c->ttl = (int)v;
    return 0;
}

/* Every option, into c and g; 0, or -1 after one line. */
static int parse_options(struct client *c, struct given *g, int argc, char *argv[])
{
    static const struct option options[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"host", required_argument, NULL, 'H'},
        {"second-port", required_argument, NULL, OPT_SECOND_PORT},
        {"ttl", required_argument, NULL, OPT_TTL},
        {"count", required_argument, NULL, OPT_COUNT},
        {"rounds", required_argument, NULL, OPT_ROUNDS},
        {NULL, 0, NULL, 0},
    };
    int opt, rc;
    while ((rc = lab_cli_next(&c->cli, argc, argv, options, &opt)) > 0) {
        long v;
        if (opt == OPT_SECOND_PORT) {
            if (lab_cli_port(PROG, "second-port", optarg, 1, &g->second_port) < 0)
                return -1;
            g->uses |= USES_SECOND_PORT;
        } else if (opt == OPT_TTL) {
            if (parse_ttl(c, optarg) < 0)
                return -1;
            g->ttl_arg = optarg;
            g->uses |= USES_TTL;
        } else if (opt == OPT_COUNT) {
            if (lab_cli_long(PROG, "count", optarg, 1, 100000000, &v) < 0)
                return -1;
            c->bench_count = v;
            g->uses |= USES_BENCH;
        } else if (opt == OPT_ROUNDS) {
            if (lab_cli_long(PROG, "rounds", optarg, 1, 100, &v) < 0)
                return -1;
            c->rounds = (int)v;
            g->uses |= USES_BENCH;
        } else {
            return lab_cli_unknown(&c->cli, opt, argv);
        }
    }
    return rc;
}

/* Ask the kernel itself whether it takes --ttl: its answer decides. */
static int check_ttl(const struct client *c, const char *arg)
{
    int fd = socket(c->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0; /* no socket, no verdict: the scenario will say why */
    int rc = lab_ttl_set(fd, c->family, c->ttl);
    int err = errno;
    close(fd);
    if (rc == 0)
        return 0;
    lab_usage_error(PROG, "bad ttl '%s' (setsockopt(%s) says %s; the kernel takes %s)", arg,
                    lab_ttl_option(c->family), lab_errno_name(err),
                    c->family == AF_INET6 ? lab_tr("0 to 255, or -1") : lab_tr("1 to 255, or -1"));
    return -1;
}

/* The command line into c; 0, or -1 after one line (bad usage). */
static int parse_args(struct client *c, int argc, char *argv[])
{
    lab_cli_init(&c->cli, PROG, UDP_DEMO_PORT, 1000);
    c->ttl = 1;
    c->bench_count = 100000;
    c->rounds = 5;
    struct given g = {.second_port = UDP_DEMO_SECOND_PORT, .ttl_arg = NULL, .uses = 0};
    int sc = 0;
    if (parse_options(c, &g, argc, argv) < 0 ||
        lab_cli_finish(&c->cli, argc, argv, udp_scenario_names, &sc, SOCK_DGRAM, &c->server) < 0)
        return -1;
    if (c->cli.help)
        return 0;
    c->scenario = (enum udp_scenario)sc;
    for (size_t i = 0; i < sizeof unused_options / sizeof unused_options[0]; i++) {
        if ((g.uses & unused_options[i].use) && !(scenarios[sc].uses & unused_options[i].use)) {
            lab_usage_error(PROG, unused_options[i].refusal, udp_scenario_names[sc]);
            return -1;
        }
    }
    /* The server's second socket is its --port + 1: follow a moved --port. */
    if (!(g.uses & USES_SECOND_PORT) && c->cli.port_given && c->cli.port < 65535)
        g.second_port = (uint16_t)(c->cli.port + 1);
    c->family = c->server.ss.ss_family;
    c->second = c->server;
    lab_endpoint_set_port(&c->second, g.second_port);
    if (g.ttl_arg != NULL && check_ttl(c, g.ttl_arg) < 0)
        return -1;
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
    if (parse_args(&c, argc, argv) < 0)
        return 2;
    if (c.cli.help) {
        usage();
        return 0;
    }
    lab_narrator_init(&c.n, "client", c.cli.quiet, stdout);
    /* No lab_fail_context: each unexpected outcome here names its own likely
     * cause, and most are the kernel's doing, not the server's. */
    char a[LAB_ENDPOINT_STRLEN];
    lab_say(&c.n, "scenario %s, server %s", udp_scenario_names[c.scenario],
            lab_endpoint_str(&c.server, a, sizeof a));
    scenarios[c.scenario].play(&c);
    return 0;
}
