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
#include "lab_sock.h"
#include "lab_step.h"
#include "scenarios.h"

static const char *const PROG = "udp-server";

/* Where the one answer to a datagram goes out from. */
enum reply_mode {
    REPLY_SAME,  /* the socket it arrived on: a plain echo */
    REPLY_OTHER, /* the second socket only (--reply-from-other, filter) */
    REPLY_ASKED, /* the same socket, or the other one for a datagram that asks
                    for it (UDP_ASK_OTHER: reconnect, disconnect) */
};

/* The largest UDP payload (IPv6 without jumbograms: 65535 - 8; IPv4: 65507),
 * so that no datagram is cut; MSG_TRUNC would still tell a longer one's size. */
#define DATAGRAM_MAX 65527

/* Datagrams narrated one by one per second; beyond that they are answered and
 * summed up, so that a flood cannot flood the terminal too. */
#define SHOWN_PER_SECOND 10

struct server {
    struct lab_cli cli;
    struct lab_narrator n;
    enum udp_scenario scenario;
    long count; /* stop after this many datagrams; 0 = no limit */
    int count_given, keep_serving;
    int reply_from_other;
    int other_port; /* -1 = port + 1 */
    int other_port_given;
    enum reply_mode mode;
    struct lab_endpoint bind_ep, other_ep;
    int fd, other_fd; /* other_fd is -1 when no second socket is open */
    int explained, explained_asked;
    long long window_start; /* this second of narration (lab_now_ms) */
    long shown, hidden;     /* datagrams narrated and only counted in it */
    long long hidden_bytes;
    char buf[DATAGRAM_MAX];
};

enum { OPT_COUNT = LAB_OPT_FIRST_PRIVATE, OPT_REPLY_FROM_OTHER, OPT_OTHER_PORT, OPT_KEEP_SERVING };

static void usage(void)
{
    printf("Usage: %s [OPTION]...\n"
           "A UDP echo server: recvfrom() each datagram, narrate the sender's address,\n"
           "sendto() one answer back. Exits 0 once it has answered every datagram the\n"
           "scenario's udp-client sends (at once where it sends this server none), after\n"
           "--count datagrams, or when --timeout passes without a datagram after it\n"
           "served some; 1 when none came at all.\n\n"
           "Options:\n"
           "  -s, --scenario NAME    which story to play (default echo-unconnected)\n"
           "  -b, --bind ADDR        address to bind (default 127.0.0.1; ::1 for IPv6)\n"
           "  -p, --port PORT        port of the first socket (default %d; 0 = kernel "
           "picks)\n"
           "      --reply-from-other answer every datagram from a second socket on\n"
           "                         another port (the filter scenario turns it on; not\n"
           "                         with echo-connected, reconnect or disconnect)\n"
           "      --other-port PORT  port of the second socket (default: --port + 1, %d;\n"
           "                         reconnect, disconnect, filter, --reply-from-other)\n"
           "      --count N          exit after N datagrams (default: as many as the\n"
           "                         scenario's client sends; 0: no limit)\n"
           "      --keep-serving     serve one client after another, until --timeout\n"
           "                         passes without a datagram (not with --count)\n"
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
        {"keep-serving", no_argument, NULL, OPT_KEEP_SERVING},
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
            s->count_given = 1;
            break;
        case OPT_KEEP_SERVING:
            s->keep_serving = 1;
            break;
        case OPT_REPLY_FROM_OTHER:
            s->reply_from_other = 1;
            break;
        case OPT_OTHER_PORT: {
            uint16_t port;
            if (lab_cli_port(PROG, "other-port", optarg, 0, &port) < 0)
                return -1;
            s->other_port = port;
            s->other_port_given = 1;
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
    if (s->cli.help)
        return 0;
    s->scenario = (enum udp_scenario)sc;
    const char *name = udp_scenario_names[s->scenario];
    if (s->keep_serving && s->count_given) {
        lab_usage_error(PROG, "--keep-serving contradicts --count (serve until --timeout, or "
                              "stop after N datagrams: one of them)");
        return -1;
    }
    if (!s->count_given && !s->keep_serving)
        s->count = udp_scenario_datagrams[s->scenario];
    /* Options that contradict the scenario, or that it would silently ignore. */
    if (s->reply_from_other && (s->scenario == SC_ECHO_CONNECTED || s->scenario == SC_RECONNECT ||
                                s->scenario == SC_DISCONNECT)) {
        lab_usage_error(PROG,
                        "--reply-from-other contradicts scenario %s (its client is connected to "
                        "--port and must get answers from there)",
                        name);
        return -1;
    }
    if (s->reply_from_other || s->scenario == SC_FILTER)
        s->mode = REPLY_OTHER;
    else if (s->scenario == SC_DISCONNECT || s->scenario == SC_RECONNECT)
        s->mode = REPLY_ASKED;
    else
        s->mode = REPLY_SAME;
    if (s->other_port_given && s->mode == REPLY_SAME) {
        lab_usage_error(PROG,
                        "--other-port has no use in scenario %s (only reconnect, disconnect, "
                        "filter and --reply-from-other open a second socket)",
                        name);
        return -1;
    }
    if (s->other_port_given && s->other_port != 0 && s->other_port == s->cli.port) {
        lab_usage_error(PROG,
                        "--other-port %d is --port: the second socket needs a port of its own",
                        s->other_port);
        return -1;
    }
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
    } else if (s->mode == REPLY_ASKED) {
        lab_explain(&s->n, "Each socket echoes; a datagram that says \"%s\"", UDP_ASK_OTHER);
        lab_explain(&s->n, "is answered from the other socket instead. One answer per datagram:");
        lab_explain(&s->n, "a server that sent more than it got could multiply an attack.");
    }
}

/* One line for the datagrams only counted in this window, then a new window. */
static void say_hidden(struct server *s)
{
    long long now = lab_now_ms();
    if (s->hidden > 0)
        lab_say(&s->n,
                "... and %ld more datagrams (%lld bytes) answered in %.1f s, not shown one "
                "by one",
                s->hidden, s->hidden_bytes, (double)(now - s->window_start) / 1000);
    s->window_start = now;
    s->shown = s->hidden = 0;
    s->hidden_bytes = 0;
}

/* Narrate this datagram, or only count it once SHOWN_PER_SECOND were narrated
 * in this second: 1 to narrate. */
static int narrate_this(struct server *s, size_t len)
{
    if (lab_now_ms() - s->window_start >= 1000)
        say_hidden(s);
    if (s->shown < SHOWN_PER_SECOND) {
        s->shown++;
        return 1;
    }
    s->hidden++;
    s->hidden_bytes += (long long)len;
    return 0;
}

static int reply(struct server *s, int fd, const char *buf, size_t len,
                 const struct lab_endpoint *peer, const char *what, int say)
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
    if (say)
        lab_say(&s->n, "sendto(%s) from %s -> %zd bytes \"%s\"%s", to, from, n,
                lab_escape(buf, len, text, sizeof text), what);
    return 0;
}

static int handle(struct server *s, int fd)
{
    char *buf = s->buf, text[160], from[LAB_ENDPOINT_STRLEN], on[LAB_ENDPOINT_STRLEN];
    struct lab_endpoint peer, local;
    memset(&peer, 0, sizeof peer);
    peer.len = sizeof peer.ss;
    ssize_t n;
    /* MSG_TRUNC: the datagram's real length, even if it did not fit. */
    do {
        n = recvfrom(fd, buf, sizeof s->buf, MSG_TRUNC, (struct sockaddr *)&peer.ss, &peer.len);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return fail(s, "recvfrom()");
    if (lab_endpoint_local(fd, &local) < 0)
        return fail(s, "getsockname()");
    size_t len = (size_t)n < sizeof s->buf ? (size_t)n : sizeof s->buf;
    int say = narrate_this(s, len);
    if (say)
        lab_say(&s->n, "recvfrom() on %s -> %zd bytes \"%s\" from %s", fmt_ep(&local, on), n,
                lab_escape(buf, len, text, sizeof text), fmt_ep(&peer, from));
    if ((size_t)n > len) /* cannot happen for UDP over IP; said, not hidden, if it does */
        lab_say(&s->n, "the datagram had %zd bytes, more than UDP carries: only %zu kept", n, len);
    if (!s->explained) {
        s->explained = 1;
        lab_explain(&s->n, "recvfrom() filled in the sender's address from the datagram's IP and");
        lab_explain(&s->n, "UDP headers. UDP keeps no per-client state: that address, given back");
        lab_explain(&s->n, "to sendto(), is all the server needs to answer.");
    }
    int other = fd == s->fd ? s->other_fd : s->fd;
    int asked = s->mode == REPLY_ASKED && len == sizeof UDP_ASK_OTHER - 1 &&
                memcmp(buf, UDP_ASK_OTHER, len) == 0;
    if (s->mode == REPLY_OTHER)
        return reply(s, s->other_fd, buf, len, &peer, " (from the second socket)", say);
    if (!asked)
        return reply(s, fd, buf, len, &peer, "", say);
    int rc = reply(s, other, buf, len, &peer,
                   other == s->fd ? " (asked for: from the first socket)"
                                  : " (asked for: from the second socket)",
                   say);
    if (rc == 0 && say && !s->explained_asked) {
        s->explained_asked = 1;
        lab_explain(&s->n, "A client connected to the port it sent to will never see this one:");
        lab_explain(&s->n, "its kernel drops it and answers with ICMP port unreachable, which an");
        lab_explain(&s->n, "unconnected socket like ours ignores.");
    }
    return rc;
}

/* The scenario's client has sent all it sends: the exchange is over. */
static void say_exchange_over(const struct server *s, long served)
{
    lab_say(&s->n, "answered %ld datagram%s, as many as a client of scenario %s sends: exiting",
            served, served == 1 ? "" : "s", udp_scenario_names[s->scenario]);
    lab_explain(&s->n, "The exchange is over; --keep-serving would wait for the next client.");
}

static int serve(struct server *s)
{
    long served = 0;
    long long idle_since = lab_now_ms();
    for (;;) {
        /* stdout too, for nothing but errors: POLLERR (or POLLHUP) there means
         * that whoever read our narration (a pipe into head -1, a terminal) is
         * gone, and so is our reason to run: a clean end, not a SIGPIPE death. */
        struct pollfd p[3] = {{.fd = s->fd, .events = POLLIN, .revents = 0},
                              {.fd = s->other_fd, .events = POLLIN, .revents = 0},
                              {.fd = STDOUT_FILENO, .events = 0, .revents = 0}};
        int left = lab_ms_left(idle_since + s->cli.timeout_ms);
        if (s->hidden > 0 && left > 1000) /* wake up to summarise the last second */
            left = 1000;
        int rc = left == 0 ? 0 : poll(p, 3, left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return fail(s, "poll()");
        if (p[2].revents & (POLLERR | POLLHUP))
            return 0;
        if (s->hidden > 0 && lab_now_ms() - s->window_start >= 1000)
            say_hidden(s);
        if (rc == 0 && lab_ms_left(idle_since + s->cli.timeout_ms) > 0)
            continue;
        if (rc == 0 && served == 0) {
            errno = ETIMEDOUT;
            lab_say_errno(&s->n, errno, "no datagram within %d ms (--timeout); start udp-client",
                          s->cli.timeout_ms);
            return 1;
        }
        if (rc == 0) {
            say_hidden(s);
            lab_say(&s->n, "no datagram for %d ms: exiting after %ld datagram%s", s->cli.timeout_ms,
                    served, served == 1 ? "" : "s");
            return 0;
        }
        if (rc > 0 && (p[0].revents | p[1].revents) != 0)
            idle_since = lab_now_ms();
        for (int i = 0; i < 2; i++) {
            if (!(p[i].revents & (POLLIN | POLLERR)))
                continue;
            if (handle(s, p[i].fd) != 0)
                return 1;
            served++;
            if (s->count > 0 && served >= s->count) {
                say_hidden(s);
                if (s->count_given)
                    lab_say(&s->n, "served %ld datagram%s (--count): exiting", served,
                            served == 1 ? "" : "s");
                else
                    say_exchange_over(s, served);
                return 0;
            }
        }
    }
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
    int rc = 0;
    if (s.count == 0 && !s.count_given && !s.keep_serving) {
        lab_say(&s.n, "in scenario %s the client sends this server nothing: exiting",
                udp_scenario_names[s.scenario]);
        lab_explain(&s.n, "Run udp-client alone; --keep-serving keeps this server up anyway.");
    } else {
        rc = serve(&s);
    }
    close(s.fd);
    if (s.other_fd >= 0)
        close(s.other_fd);
    return rc;
}
