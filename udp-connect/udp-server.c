/* udp-server: a UDP echo server that narrates, for every datagram, the peer
 * address recvfrom() handed it and what it sent back with sendto().
 *
 * Demonstrates, together with udp-client (same --scenario on both ends): that
 * a UDP server learns each client's address from the datagram itself (C14),
 * and, with a second socket on another port, what a connected client filters
 * out (C15), re-targets (C16) and lets in again after disconnecting (C17).
 *
 * Run, in two terminals:
 *   udp-server --scenario filter
 *   udp-client --scenario filter
 * and in a third: ss -uanp 'sport = :19002 or sport = :19003'
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab_cli.h"
#include "lab_endpoint.h"
#include "lab_narrate.h"
#include "lab_parse.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "scenarios.h"

static const char *const PROG = "udp-server";

/* Where the answer to a datagram goes out from. */
enum reply_mode {
    REPLY_SAME,  /* the socket it arrived on: a plain echo */
    REPLY_OTHER, /* the second socket only (--reply-from-other, filter) */
    REPLY_BOTH,  /* the same socket, then a copy from the second (disconnect) */
    REPLY_LATE,  /* same, but first a "late" datagram from the first socket to a
                    client that moved to the second port (reconnect) */
};

struct server {
    struct lab_cli cli;
    struct lab_narrator n;
    enum udp_scenario scenario;
    long count; /* stop after this many datagrams; 0 = no limit */
    int reply_from_other;
    int other_port; /* -1 = port + 1 */
    enum reply_mode mode;
    struct lab_endpoint bind_ep, other_ep;
    int fd, other_fd; /* other_fd is -1 when no second socket is open */
    int explained;
};

enum { OPT_COUNT = LAB_OPT_FIRST_PRIVATE, OPT_REPLY_FROM_OTHER, OPT_OTHER_PORT };

static void usage(void)
{
    printf("Usage: %s [OPTION]...\n"
           "A UDP echo server: recvfrom() each datagram, narrate the sender's address,\n"
           "sendto() it back. Exits 0 after --count datagrams, or when --timeout passes\n"
           "with no datagram at all.\n\n"
           "Options:\n"
           "  -s, --scenario NAME    which story to play (default echo-unconnected)\n"
           "  -b, --bind ADDR        address to bind (default 127.0.0.1; ::1 for IPv6)\n"
           "  -p, --port PORT        port of the first socket (default %d; 0 = kernel "
           "picks)\n"
           "      --reply-from-other answer every datagram from a second socket on\n"
           "                         another port (the filter scenario turns it on)\n"
           "      --other-port PORT  port of the second socket (default: --port + 1, %d)\n"
           "      --count N          exit after N datagrams (default 0: no limit)\n"
           "  -t, --timeout MS       exit after MS without a datagram (default 600000)\n"
           "      --step             wait for Enter before each bind() and sendto()\n"
           "  -q, --quiet            events only, no explanations\n"
           "  -h, --help             this text\n\n%s\n"
           "Example:\n  %s --scenario reconnect --bind ::1\n",
           PROG, UDP_DEMO_PORT, UDP_DEMO_SECOND_PORT, UDP_SCENARIO_HELP, PROG);
}

static int parse_args(struct server *s, int argc, char *argv[])
{
    static const struct option options[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"bind", required_argument, NULL, 'b'},
        {"count", required_argument, NULL, OPT_COUNT},
        {"reply-from-other", no_argument, NULL, OPT_REPLY_FROM_OTHER},
        {"other-port", required_argument, NULL, OPT_OTHER_PORT},
        {NULL, 0, NULL, 0},
    };
    lab_cli_init(&s->cli, PROG, UDP_DEMO_PORT, 600000);
    s->other_port = -1;
    int opt, rc;
    while ((rc = lab_cli_next(&s->cli, argc, argv, options, &opt)) > 0) {
        long v;
        switch (opt) {
        case OPT_COUNT:
            if (lab_cli_long(PROG, "count", optarg, 0, 1000000000, &v) < 0)
                return -1;
            s->count = v;
            break;
        case OPT_REPLY_FROM_OTHER:
            s->reply_from_other = 1;
            break;
        case OPT_OTHER_PORT: {
            uint16_t port;
            if (lab_parse_port(optarg, &port) < 0) {
                lab_usage_error(PROG, "bad other-port '%s' (want 0 to 65535)", optarg);
                return -1;
            }
            s->other_port = port;
            break;
        }
        default:
            return lab_cli_unknown(&s->cli, opt, argv);
        }
    }
    int sc = 0;
    if (rc < 0 ||
        lab_cli_finish(&s->cli, argc, argv, udp_scenario_names, &sc, SOCK_DGRAM, &s->bind_ep) < 0)
        return -1;
    s->scenario = (enum udp_scenario)sc;
    if (s->reply_from_other || s->scenario == SC_FILTER)
        s->mode = REPLY_OTHER;
    else if (s->scenario == SC_DISCONNECT)
        s->mode = REPLY_BOTH;
    else if (s->scenario == SC_RECONNECT)
        s->mode = REPLY_LATE;
    else
        s->mode = REPLY_SAME;
    return 0;
}

static int fail(const struct server *s, const char *what)
{
    lab_say_errno(&s->n, errno, "%s failed", what);
    return 1;
}

static const char *fmt_ep(const struct lab_endpoint *ep, char *buf)
{
    return lab_endpoint_format((const struct sockaddr *)&ep->ss, buf, LAB_ENDPOINT_STRLEN);
}

/* A UDP socket bound to ep; its real address (the kernel's port for 0) in *bound. */
static int open_bound(struct server *s, const struct lab_endpoint *ep, struct lab_endpoint *bound)
{
    char a[LAB_ENDPOINT_STRLEN];
    int fd = socket(ep->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fail(s, "socket(SOCK_DGRAM)");
        return -1;
    }
    lab_step(&s->n, s->cli.step, "bind()");
    if (bind(fd, (const struct sockaddr *)&ep->ss, ep->len) < 0 ||
        lab_endpoint_local(fd, bound) < 0) {
        lab_say_errno(&s->n, errno, "bind(%s) failed", fmt_ep(ep, a));
        close(fd);
        return -1;
    }
    return fd;
}

static void explain_scenario(const struct server *s)
{
    switch (s->scenario) {
    case SC_REFUSED_UNCONNECTED:
    case SC_REFUSED_CONNECTED:
    case SC_RECVERR:
        lab_explain(&s->n, "In this scenario the client aims at a port where nothing listens,");
        lab_explain(&s->n, "so this server should see no datagram at all.");
        break;
    case SC_BENCH:
        lab_explain(&s->n, "The bench sends to the client's own sink socket; this server");
        lab_explain(&s->n, "should see no datagram.");
        break;
    case SC_TTL:
        lab_explain(&s->n, "On loopback no router stands between us, so even TTL 1 arrives.");
        break;
    default:
        break;
    }
    if (s->mode == REPLY_OTHER) {
        lab_explain(&s->n, "Every answer leaves from the second socket, so its source port is");
        lab_explain(&s->n, "not the one the client sent to.");
    } else if (s->mode == REPLY_BOTH) {
        lab_explain(&s->n, "Every answer goes out twice: from the socket the datagram came in");
        lab_explain(&s->n, "on, then a copy from the second socket.");
    } else if (s->mode == REPLY_LATE) {
        lab_explain(&s->n, "Each socket echoes. When a client shows up on the second port, the");
        lab_explain(&s->n, "first socket sends it one late datagram before the echo.");
    }
}

static int reply(struct server *s, int fd, const char *buf, size_t len,
                 const struct lab_endpoint *peer, const char *what)
{
    char from[LAB_ENDPOINT_STRLEN], to[LAB_ENDPOINT_STRLEN], text[160];
    struct lab_endpoint local;
    if (lab_endpoint_local(fd, &local) < 0)
        return fail(s, "getsockname()");
    fmt_ep(&local, from);
    fmt_ep(peer, to);
    lab_step(&s->n, s->cli.step, "sendto() the answer");
    ssize_t n = sendto(fd, buf, len, 0, (const struct sockaddr *)&peer->ss, peer->len);
    if (n < 0) {
        lab_say_errno(&s->n, errno, "sendto(%s) from %s failed", to, from);
        return 1;
    }
    lab_say(&s->n, "sendto(%s) from %s -> %zd bytes \"%s\"%s", to, from, n,
            lab_escape(buf, len, text, sizeof text), what);
    return 0;
}

static int handle(struct server *s, int fd)
{
    char buf[2048], text[160], from[LAB_ENDPOINT_STRLEN], on[LAB_ENDPOINT_STRLEN];
    struct lab_endpoint peer, local;
    memset(&peer, 0, sizeof peer);
    peer.len = sizeof peer.ss;
    ssize_t n;
    do {
        n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&peer.ss, &peer.len);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return fail(s, "recvfrom()");
    if (lab_endpoint_local(fd, &local) < 0)
        return fail(s, "getsockname()");
    lab_say(&s->n, "recvfrom() on %s -> %zd bytes \"%s\" from %s", fmt_ep(&local, on), n,
            lab_escape(buf, (size_t)n, text, sizeof text), fmt_ep(&peer, from));
    if (!s->explained) {
        s->explained = 1;
        lab_explain(&s->n, "recvfrom() filled in the sender's address from the datagram's IP and");
        lab_explain(&s->n, "UDP headers. UDP keeps no per-client state: that address, given back");
        lab_explain(&s->n, "to sendto(), is all the server needs to answer.");
    }
    int rc = 0;
    switch (s->mode) {
    case REPLY_SAME:
        rc = reply(s, fd, buf, (size_t)n, &peer, "");
        break;
    case REPLY_OTHER:
        rc = reply(s, s->other_fd, buf, (size_t)n, &peer, " (from the second socket)");
        break;
    case REPLY_BOTH:
        rc = reply(s, fd, buf, (size_t)n, &peer, "");
        if (rc == 0 && fd == s->fd)
            rc = reply(s, s->other_fd, buf, (size_t)n, &peer, " (copy from the second socket)");
        break;
    case REPLY_LATE:
        if (fd == s->other_fd) {
            static const char late[] = "late datagram from the first server";
            rc = reply(s, s->fd, late, sizeof late - 1, &peer, " (late, from the first socket)");
            if (rc == 0) {
                lab_explain(&s->n,
                            "A client connected to the second port will never see this one: its");
                lab_explain(&s->n, "kernel drops it and answers the first socket with ICMP port");
                lab_explain(&s->n, "unreachable, which an unconnected socket like ours ignores.");
            }
        }
        if (rc == 0)
            rc = reply(s, fd, buf, (size_t)n, &peer, "");
        break;
    }
    return rc;
}

static int serve(struct server *s)
{
    long served = 0;
    for (;;) {
        struct pollfd p[2] = {{.fd = s->fd, .events = POLLIN, .revents = 0},
                              {.fd = s->other_fd, .events = POLLIN, .revents = 0}};
        int nfds = s->other_fd >= 0 ? 2 : 1;
        int rc = poll(p, (nfds_t)nfds, s->cli.timeout_ms);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return fail(s, "poll()");
        if (rc == 0) {
            lab_say(&s->n, "no datagram for %d ms: exiting after %ld datagram%s", s->cli.timeout_ms,
                    served, served == 1 ? "" : "s");
            return 0;
        }
        for (int i = 0; i < nfds; i++) {
            if (!(p[i].revents & (POLLIN | POLLERR)))
                continue;
            if (handle(s, p[i].fd) != 0)
                return 1;
            served++;
            if (s->count > 0 && served >= s->count) {
                lab_say(&s->n, "served %ld datagram%s (--count): exiting", served,
                        served == 1 ? "" : "s");
                return 0;
            }
        }
    }
}

int main(int argc, char *argv[])
{
    struct server s;
    memset(&s, 0, sizeof s);
    s.fd = s.other_fd = -1;
    if (parse_args(&s, argc, argv) < 0)
        return 2;
    if (s.cli.help) {
        usage();
        return 0;
    }
    lab_narrator_init(&s.n, "server", s.cli.quiet, stdout);

    char a[LAB_ENDPOINT_STRLEN];
    struct lab_endpoint bound;
    s.fd = open_bound(&s, &s.bind_ep, &bound);
    if (s.fd < 0)
        return 1;
    lab_say(&s.n, "listening on %s", fmt_ep(&bound, a));
    if (!lab_endpoint_is_loopback(&bound))
        lab_say(&s.n, "note: %s is not loopback; other machines can reach this server", a);
    if (s.mode != REPLY_SAME) {
        s.other_ep = s.bind_ep;
        uint16_t port = lab_endpoint_port(&bound);
        if (s.other_port >= 0)
            port = (uint16_t)s.other_port;
        else
            port = port == 0 || port == 65535 ? 0 : (uint16_t)(port + 1);
        lab_endpoint_set_port(&s.other_ep, port);
        struct lab_endpoint other;
        s.other_fd = open_bound(&s, &s.other_ep, &other);
        if (s.other_fd < 0) {
            close(s.fd);
            return 1;
        }
        lab_say(&s.n, "second socket on %s", fmt_ep(&other, a));
    }
    explain_scenario(&s);
    int rc = serve(&s);
    close(s.fd);
    if (s.other_fd >= 0)
        close(s.other_fd);
    return rc;
}
