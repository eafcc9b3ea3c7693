/* tcp-peer: a scripted TCP peer against the kernel's own socket, narrated.
 *
 * Shows what two honest kernels never show each other: an old segment landing
 * in a new connection on the same 4-tuple (why TIME_WAIT lasts 2 MSL), an RST
 * or a FIN sent into TIME_WAIT, a LAST_ACK kept waiting for its ACK, a SYN,ACK
 * that goes unanswered. One process plays both ends: the kernel's socket
 * (narrated as "server") and, on a TUN device or a veth driven through
 * AF_PACKET, the peer ("peer") that writes its segments by hand. It works in
 * a network namespace of its own, so it needs no privilege and leaves nothing
 * behind. This file parses, sets up and dispatches; each scenario is a
 * function of its own name in scenarios/<name>.c.
 *
 * Run:
 *   tcp-peer --scenario old-duplicate
 *   tcp-peer --scenario old-duplicate --guard timestamps --pcap /tmp/old.pcap
 *   tcpdump -nr /tmp/old.pcap
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab_cli.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_kstat.h"
#include "lab_netns.h"
#include "lab_pcap.h"
#include "play.h"

static const char *const PROG = "tcp-peer";

/* clang-format off */
static const struct scenario {
    const char *name;
    int (*run)(struct play *pl);
    const char *summary; /* one --help line */
} scenarios[] = {
    {"old-duplicate", old_duplicate,
     N_("an old segment read in a new connection on the same 4-tuple (C26, C27)")},
    {"rst-into-time-wait", rst_into_time_wait,
     N_("an in-window RST ends TIME_WAIT unless tcp_rfc1337 is 1 (C28)")},
    {"fin-into-time-wait", fin_into_time_wait,
     N_("a FIN sent again is ACKed again and restarts TIME_WAIT (C29)")},
    {"hold-last-ack", hold_last_ack,
     N_("LAST_ACK sends its FIN again until the ACK comes (C30)")},
    {"drop-synack", drop_synack,
     N_("an unanswered SYN,ACK sent again after 1 s, then set up (C31)")},
};
/* clang-format on */

#define SCENARIOS (sizeof scenarios / sizeof scenarios[0])

enum {
    OPT_IPV6 = LAB_OPT_FIRST_PRIVATE,
    OPT_LINK,
    OPT_PCAP,
    OPT_GUARD,
    OPT_RFC1337,
    OPT_RESENDS,
    OPT_CHECK
};

struct options {
    struct lab_cli cli;
    int family;
    int link;         /* enum lab_rawlink_kind */
    const char *pcap; /* --pcap FILE, or NULL */
    int guard;        /* enum guard */
    long rfc1337;
    long resends; /* -1: the scenario's own */
    int guard_given, rfc1337_given;
    int check; /* --check: judge the options only */
    const struct scenario *sc;
};

static void usage(void)
{
    printf(lab_tr("Usage: %s [OPTION]...\n"), PROG);
    fputs(lab_tr("Plays one end of a TCP connection segment by segment against the kernel's\n"
                 "own socket, in a network namespace of its own, and narrates both sides:\n"
                 "what a real peer does only when the network misbehaves.\n"),
          stdout);
    fputs("\n", stdout);
    fputs(lab_tr("Options:\n"), stdout);
    fputs(lab_tr("  -s, --scenario NAME  which story to play (default old-duplicate)\n"), stdout);
    fputs(lab_tr("      --ipv6           IPv6 (2001:db8::1 and ::2) instead of IPv4 (192.0.2.1\n"
                 "                       and .2)\n"),
          stdout);
    printf(lab_tr("  -p, --port PORT      the kernel socket's port (default %d)\n"), TCP_PEER_PORT);
    fputs(lab_tr("      --guard G        old-duplicate: none (default), time-wait or timestamps\n"),
          stdout);
    fputs(lab_tr("      --rfc1337 0|1    rst-into-time-wait: net.ipv4.tcp_rfc1337 (default 0)\n"),
          stdout);
    fputs(lab_tr("      --resends N      hold-last-ack: FINs (default 2, at most 4); drop-synack:\n"
                 "                       SYN,ACKs (default 1, at most 2) to wait for\n"),
          stdout);
    fputs(
        lab_tr("      --pcap FILE      write every segment to FILE (a new file) for tcpdump -r\n"),
        stdout);
    fputs(lab_tr("      --link KIND      tun, packet (veth and AF_PACKET) or any (default: TUN\n"
                 "                       if /dev/net/tun may be opened)\n"),
          stdout);
    fputs(lab_tr("  -t, --timeout MS     bound on every wait (default 10000)\n"), stdout);
    fputs(lab_tr("      --check          only check the options: exit 0, or 2 with the reason\n"),
          stdout);
    lab_cli_usage_quiet_help(23);
    fputs("\n", stdout);
    fputs(lab_tr("Scenarios:\n"), stdout);
    for (size_t i = 0; i < SCENARIOS; i++)
        printf("  %-20s %s\n", scenarios[i].name, lab_tr(scenarios[i].summary));
    fputs("\n", stdout);
    fputs(lab_tr("Example:\n"), stdout);
    printf("  %s --scenario old-duplicate --guard timestamps\n", PROG);
}

static int pick(const char *option, const char *arg, const char *const names[], int *out)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(arg, names[i]) == 0)
            return *out = i, 0;
    lab_usage_error(
        PROG, "--%s takes %s, not '%s'", option,
        strcmp(option, "guard") == 0 ? "none, time-wait or timestamps" : "tun, packet or any", arg);
    return -1;
}

static int parse_option(struct options *o, int opt, char *argv[])
{
    static const char *const guards[] = {"none", "time-wait", "timestamps", NULL};
    static const char *const links[] = {"any", "tun", "packet", NULL};
    switch (opt) {
    case OPT_IPV6:
        o->family = AF_INET6;
        return 0;
    case OPT_LINK:
        return pick("link", optarg, links, &o->link);
    case OPT_PCAP:
        o->pcap = optarg;
        return 0;
    case OPT_GUARD:
        o->guard_given = 1;
        return pick("guard", optarg, guards, &o->guard);
    case OPT_RFC1337:
        o->rfc1337_given = 1;
        return lab_cli_long(PROG, "rfc1337", optarg, 0, 1, &o->rfc1337);
    case OPT_RESENDS:
        return lab_cli_long(PROG, "resends", optarg, 1, 4, &o->resends);
    case OPT_CHECK:
        o->check = 1;
        return 0;
    default:
        return lab_cli_unknown(&o->cli, opt, argv);
    }
}

/* An option that only one scenario takes, given to another: one line, -1. */
static int only_for(const struct options *o, int given, const char *option, const char *name)
{
    if (given && strcmp(o->sc->name, name) != 0) {
        lab_usage_error(PROG, "%s is for --scenario %s only", option, name);
        return -1;
    }
    return 0;
}

static int parse_args(struct options *o, int argc, char *argv[])
{
    static const struct option options[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"ipv6", no_argument, NULL, OPT_IPV6},
        {"link", required_argument, NULL, OPT_LINK},
        {"pcap", required_argument, NULL, OPT_PCAP},
        {"guard", required_argument, NULL, OPT_GUARD},
        {"rfc1337", required_argument, NULL, OPT_RFC1337},
        {"resends", required_argument, NULL, OPT_RESENDS},
        {"check", no_argument, NULL, OPT_CHECK},
        {NULL, 0, NULL, 0},
    };
    lab_cli_init(&o->cli, PROG, TCP_PEER_PORT, 10000);
    o->family = AF_INET;
    o->resends = -1;
    int opt, more;
    while ((more = lab_cli_next(&o->cli, argc, argv, options, &opt)) > 0)
        if (parse_option(o, opt, argv) < 0)
            return -1;
    if (more < 0)
        return -1;
    if (optind < argc)
        return lab_usage_error(PROG, "unexpected argument '%s'", argv[optind]), -1;
    if (o->cli.help)
        return 0;
    if (o->cli.step)
        return lab_usage_error(PROG, "--step is not for tcp-peer: it plays both ends at once"), -1;
    const char *names[SCENARIOS + 1];
    for (size_t i = 0; i < SCENARIOS; i++)
        names[i] = scenarios[i].name;
    names[SCENARIOS] = NULL;
    int i = o->cli.scenario ? lab_cli_scenario(PROG, names, o->cli.scenario) : 0;
    if (i < 0)
        return -1;
    o->sc = &scenarios[i];
    if (o->cli.port == 0)
        return lab_usage_error(PROG, "--port 0: the peer must know the port it connects to"), -1;
    int wants_resends =
        strcmp(o->sc->name, "hold-last-ack") == 0 || strcmp(o->sc->name, "drop-synack") == 0;
    if (o->resends >= 0 && !wants_resends)
        return lab_usage_error(PROG, "--resends is for hold-last-ack and drop-synack only"), -1;
    if (o->resends > 2 && strcmp(o->sc->name, "drop-synack") == 0)
        return lab_usage_error(PROG, "--resends: drop-synack waits for at most 2 (1 s + 2 s)"), -1;
    if (o->resends < 0)
        o->resends = strcmp(o->sc->name, "drop-synack") == 0 ? 1 : 2;
    if (only_for(o, o->guard_given, "--guard", "old-duplicate") < 0 ||
        only_for(o, o->rfc1337_given, "--rfc1337", "rst-into-time-wait") < 0)
        return -1;
    if (o->pcap && access(o->pcap, F_OK) == 0)
        return lab_usage_error(PROG, "--pcap %s: the file exists (tcp-peer writes only new files)",
                               o->pcap),
               -1;
    return 0;
}

static void set_endpoint(struct lab_endpoint *ep, int family, int host, uint16_t port)
{
    char text[32];
    snprintf(text, sizeof text, family == AF_INET ? "192.0.2.%d" : "2001:db8::%d", host);
    char err[128];
    if (lab_endpoint_resolve(text, port, SOCK_STREAM, ep, err, sizeof err) < 0) {
        fprintf(stderr, "%s: %s\n", PROG, err);
        _exit(1);
    }
}

/* The namespace, the link and the capture; 0, or 1 after narrating why not. */
static int set_up(struct play *pl, const struct options *o)
{
    char why[256];
    if (lab_netns_enter_private(why, sizeof why) < 0) {
        lab_say_errno(&pl->app, errno, "no network namespace of our own: %s", why);
        return 1;
    }
    if (lab_sysctl_restore_on_exit() < 0) {
        lab_say_errno(&pl->app, errno, "sysctl restore at exit");
        return 1;
    }
    if (lab_rawlink_open(&pl->link, o->link, (struct sockaddr *)&pl->kernel_ep.ss,
                         (struct sockaddr *)&pl->peer_ep.ss, o->family == AF_INET ? 24 : 64, why,
                         sizeof why) < 0) {
        lab_say_errno(&pl->wire, errno, "no link to play the peer on: %s", why);
        return 1;
    }
    char k[LAB_ENDPOINT_STRLEN], p[LAB_ENDPOINT_STRLEN];
    lab_say(&pl->wire, "plays %s over %s (%s), the kernel's socket is %s",
            lab_endpoint_str(&pl->peer_ep, p, sizeof p), pl->link.ifname,
            lab_rawlink_kind_name(pl->link.kind), lab_endpoint_str(&pl->kernel_ep, k, sizeof k));
    if (o->pcap && (pl->pcap_fd = lab_pcap_create(o->pcap)) < 0) {
        lab_say_errno(&pl->wire, errno, "--pcap %s", o->pcap);
        return 1;
    }
    return 0;
}

int main(int argc, char *argv[])
{
    if (lab_prog_init() < 0) {
        perror(PROG);
        return 1;
    }
    struct options o;
    memset(&o, 0, sizeof o);
    if (parse_args(&o, argc, argv) < 0)
        return 2;
    if (o.cli.help) {
        usage();
        return 0;
    }
    if (o.check) /* for scripts: every option judged, nothing made */
        return 0;
    struct play pl;
    memset(&pl, 0, sizeof pl);
    pl.listener = pl.pcap_fd = -1;
    pl.link.fd = -1;
    pl.timeout_ms = o.cli.timeout_ms;
    pl.guard = o.guard;
    pl.rfc1337 = o.rfc1337;
    pl.resends = o.resends;
    set_endpoint(&pl.kernel_ep, o.family, 1, o.cli.port);
    set_endpoint(&pl.peer_ep, o.family, 2, TCP_PEER_PEER_PORT);
    lab_narrator_init(&pl.app, "server", o.cli.quiet, stdout);
    lab_narrator_init(&pl.wire, "peer", o.cli.quiet, stdout);
    pl.wire.start_us = pl.app.start_us; /* one clock for both ends */
    lab_fail_context(N_("peer"), o.cli.timeout_ms);
    int rc = set_up(&pl, &o);
    if (rc == 0) {
        play_peer_new(&pl, TCP_PEER_PEER_PORT, 1000000);
        rc = o.sc->run(&pl);
    }
    if (pl.pcap_fd >= 0)
        close(pl.pcap_fd);
    lab_rawlink_close(&pl.link);
    return rc;
}
