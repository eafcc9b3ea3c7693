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
 * Run, in two terminals:
 *   udp-server --scenario reconnect
 *   udp-client --scenario reconnect
 * (refused-*, recverr and bench need no server.)
 */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
/* After <time.h>: struct scm_timestamping in it needs struct timespec. */
#include <linux/errqueue.h>

#include "lab_cli.h"
#include "lab_endpoint.h"
#include "lab_kstat.h"
#include "lab_narrate.h"
#include "lab_parse.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "scenarios.h"

static const char *const PROG = "udp-client";

struct client {
    struct lab_cli cli;
    struct lab_narrator n;
    enum udp_scenario scenario;
    uint16_t second_port;
    int ttl;
    long bench_count;
    int rounds;
    int family;
    struct lab_endpoint server; /* --host, --port */
    struct lab_endpoint second; /* --host, --second-port */
};

enum { OPT_SECOND_PORT = LAB_OPT_FIRST_PRIVATE, OPT_TTL, OPT_COUNT, OPT_ROUNDS };

static void usage(void)
{
    printf("Usage: %s [OPTION]...\n"
           "A UDP client that shows, one scenario at a time, what connect() changes on a\n"
           "UDP socket, and narrates every call with the addresses the kernel reports.\n\n"
           "Options:\n"
           "  -s, --scenario NAME   which story to play (default echo-unconnected)\n"
           "  -H, --host HOST       server address or name (default 127.0.0.1; ::1 for "
           "IPv6)\n"
           "  -p, --port PORT       server port (default %d); refused-* and recverr aim at\n"
           "                        a free port unless this is given\n"
           "      --second-port P   the server's second socket (default --port + 1, %d)\n"
           "      --ttl N           ttl: IP_TTL / IPV6_UNICAST_HOPS to send with (default "
           "1);\n"
           "                        a value the kernel refuses is a usage error\n"
           "      --count N         bench: datagrams per measurement (default 100000)\n"
           "      --rounds N        bench: measurements per method (default 5)\n"
           "  -t, --timeout MS      bound on every wait for a datagram (default 1000)\n"
           "      --step            wait for Enter before each connect() and send\n"
           "  -q, --quiet           events only, no explanations\n"
           "  -h, --help            this text\n\n%s\n"
           "Exit status: 0 when the kernel did what the scenario teaches (an expected\n"
           "ECONNREFUSED or time-out included), 1 when a call failed unexpectedly or the\n"
           "kernel did something else, 2 on bad usage.\n\n"
           "Example:\n  %s --scenario refused-connected --host ::1\n",
           PROG, UDP_DEMO_PORT, UDP_DEMO_SECOND_PORT, UDP_SCENARIO_HELP, PROG);
}

static const char *fmt_ep(const struct lab_endpoint *ep, char *buf)
{
    return lab_endpoint_format((const struct sockaddr *)&ep->ss, buf, LAB_ENDPOINT_STRLEN);
}

static int ttl_level(int family)
{
    return family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
}

static int ttl_option(int family)
{
    return family == AF_INET6 ? IPV6_UNICAST_HOPS : IP_TTL;
}

static const char *ttl_name(int family)
{
    return family == AF_INET6 ? "IPV6_UNICAST_HOPS" : "IP_TTL";
}

/* What the field is called in narration. */
static const char *ttl_word(int family)
{
    return family == AF_INET6 ? "hop limit" : "TTL";
}

/* Ask the kernel itself whether it takes this TTL: its answer decides. */
static int check_ttl(const struct client *c, const char *arg)
{
    int fd = socket(c->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0; /* no socket, no verdict: the scenario will say why */
    int rc = setsockopt(fd, ttl_level(c->family), ttl_option(c->family), &c->ttl, sizeof c->ttl);
    int err = errno;
    close(fd);
    if (rc == 0)
        return 0;
    lab_usage_error(PROG, "bad ttl '%s' (setsockopt(%s) says %s; the kernel takes %s)", arg,
                    ttl_name(c->family), lab_errno_name(err),
                    c->family == AF_INET6 ? "0 to 255, or -1" : "1 to 255, or -1");
    return -1;
}

static int parse_args(struct client *c, int argc, char *argv[])
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
    lab_cli_init(&c->cli, PROG, UDP_DEMO_PORT, 1000);
    c->second_port = UDP_DEMO_SECOND_PORT;
    c->ttl = 1;
    c->bench_count = 100000;
    c->rounds = 5;
    const char *ttl_arg = NULL;
    int second_port_given = 0, bench_given = 0;
    int opt, rc;
    while ((rc = lab_cli_next(&c->cli, argc, argv, options, &opt)) > 0) {
        long v;
        switch (opt) {
        case OPT_SECOND_PORT:
            if (lab_cli_port(PROG, "second-port", optarg, 1, &c->second_port) < 0)
                return -1;
            second_port_given = 1;
            break;
        case OPT_TTL:
            /* Digits (and '-'), like every number; the kernel judges the range. */
            if (strspn(optarg + (*optarg == '-'), "0123456789") + (*optarg == '-') !=
                    strlen(optarg) ||
                lab_parse_long(optarg, -1000000, 1000000, &v) < 0) {
                lab_usage_error(PROG, "bad ttl '%s' (want an integer: 1 to 255, or -1)", optarg);
                return -1;
            }
            c->ttl = (int)v;
            ttl_arg = optarg;
            break;
        case OPT_COUNT:
            if (lab_cli_long(PROG, "count", optarg, 1, 100000000, &v) < 0)
                return -1;
            c->bench_count = v;
            bench_given = 1;
            break;
        case OPT_ROUNDS:
            if (lab_cli_long(PROG, "rounds", optarg, 1, 100, &v) < 0)
                return -1;
            c->rounds = (int)v;
            bench_given = 1;
            break;
        default:
            return lab_cli_unknown(&c->cli, opt, argv);
        }
    }
    /* The server's second socket is its --port + 1: follow a moved --port. */
    if (!second_port_given && c->cli.port_given && c->cli.port < 65535)
        c->second_port = (uint16_t)(c->cli.port + 1);
    int sc = 0;
    if (rc < 0 ||
        lab_cli_finish(&c->cli, argc, argv, udp_scenario_names, &sc, SOCK_DGRAM, &c->server) < 0)
        return -1;
    if (c->cli.help)
        return 0;
    c->scenario = (enum udp_scenario)sc;
    /* An option the scenario never uses would be silently ignored: refuse it. */
    const char *name = udp_scenario_names[c->scenario], *unused = NULL;
    if (ttl_arg != NULL && c->scenario != SC_TTL)
        unused = "--ttl has no use in scenario %s (only ttl sends with it)";
    else if (bench_given && c->scenario != SC_BENCH)
        unused = "--count and --rounds have no use in scenario %s (only bench measures)";
    else if (second_port_given && c->scenario != SC_RECONNECT && c->scenario != SC_DISCONNECT &&
             c->scenario != SC_FILTER)
        unused = "--second-port has no use in scenario %s (only reconnect, disconnect and "
                 "filter talk to the server's second port)";
    if (unused != NULL) {
        lab_usage_error(PROG, unused, name);
        return -1;
    }
    c->family = c->server.ss.ss_family;
    c->second = c->server;
    lab_endpoint_set_port(&c->second, c->second_port);
    if (ttl_arg != NULL && check_ttl(c, ttl_arg) < 0)
        return -1;
    return 0;
}

static int fail(const struct client *c, const char *what)
{
    lab_say_errno(&c->n, errno, "%s failed", what);
    return 1;
}

/* The kernel did something this lab does not teach: say so, exit 1. */
static int unexpected(const struct client *c, const char *what)
{
    lab_say(&c->n, "unexpected: %s", what);
    return 1;
}

static int new_socket(const struct client *c)
{
    int fd = socket(c->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        fail(c, "socket(SOCK_DGRAM)");
    return fd;
}

static void say_local(const struct client *c, int fd, const char *note)
{
    struct lab_endpoint ep;
    char a[LAB_ENDPOINT_STRLEN];
    if (lab_endpoint_local(fd, &ep) < 0)
        lab_say_errno(&c->n, errno, "getsockname() failed");
    else
        lab_say(&c->n, "getsockname() -> %s%s", fmt_ep(&ep, a), note);
}

static int do_connect(const struct client *c, int fd, const struct lab_endpoint *to)
{
    char a[LAB_ENDPOINT_STRLEN];
    lab_step(&c->n, c->cli.step, "connect()");
    long long t0 = lab_now_ms();
    if (connect(fd, (const struct sockaddr *)&to->ss, to->len) < 0) {
        lab_say_errno(&c->n, errno, "connect(%s) failed", fmt_ep(to, a));
        return -1;
    }
    lab_say(&c->n, "connect(%s) -> 0 in %lld ms", fmt_ep(to, a), lab_now_ms() - t0);
    return 0;
}

static int say_peer(const struct client *c, int fd)
{
    struct lab_endpoint ep;
    char a[LAB_ENDPOINT_STRLEN];
    if (lab_endpoint_peer(fd, &ep) < 0) {
        lab_say_errno(&c->n, errno, "getpeername() -> -1");
        return -1;
    }
    lab_say(&c->n, "getpeername() -> %s", fmt_ep(&ep, a));
    return 0;
}

/* A new socket connected to to, its peer narrated; fd, or -1 with nothing left open. */
static int connected_socket(const struct client *c, const struct lab_endpoint *to)
{
    int fd = new_socket(c);
    if (fd >= 0 && (do_connect(c, fd, to) < 0 || say_peer(c, fd) < 0)) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* send() (to == NULL) or sendto(); 0, or -1 after narrating errno. */
static int do_send(const struct client *c, int fd, const char *msg, const struct lab_endpoint *to)
{
    char a[LAB_ENDPOINT_STRLEN], text[160];
    lab_step(&c->n, c->cli.step, to ? "sendto()" : "send()");
    size_t len = strlen(msg);
    ssize_t n = to ? sendto(fd, msg, len, 0, (const struct sockaddr *)&to->ss, to->len)
                   : send(fd, msg, len, 0);
    lab_escape(msg, len, text, sizeof text);
    if (n < 0) {
        if (to)
            lab_say_errno(&c->n, errno, "sendto(%s, \"%s\") -> -1", fmt_ep(to, a), text);
        else
            lab_say_errno(&c->n, errno, "send(\"%s\") -> -1", text);
        return -1;
    }
    if (to)
        lab_say(&c->n, "sendto(%s, \"%s\") -> %zd", fmt_ep(to, a), text, n);
    else
        lab_say(&c->n, "send(\"%s\") -> %zd", text, n);
    return 0;
}

/* Wait up to timeout_ms for a datagram (or a pending error), then recvfrom().
 * Bytes, or -1 with errno (ETIMEDOUT when nothing came). Narrates either way. */
static ssize_t do_recv(const struct client *c, int fd, struct lab_endpoint *from, int timeout_ms)
{
    char buf[2048], text[160], a[LAB_ENDPOINT_STRLEN];
    struct lab_endpoint tmp;
    struct lab_endpoint *f = from ? from : &tmp;
    int ready = lab_wait_fd(fd, POLLIN, timeout_ms);
    if (ready < 0)
        return fail(c, "poll()"), -1;
    if (ready == 0) {
        lab_say(&c->n, "recvfrom(): nothing within %d ms", timeout_ms);
        errno = ETIMEDOUT;
        return -1;
    }
    memset(f, 0, sizeof *f);
    f->len = sizeof f->ss;
    ssize_t n = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&f->ss, &f->len);
    if (n < 0) {
        lab_say_errno(&c->n, errno, "recvfrom() -> -1");
        return -1;
    }
    lab_say(&c->n, "recvfrom() -> %zd bytes \"%s\" from %s", n,
            lab_escape(buf, (size_t)n, text, sizeof text), fmt_ep(f, a));
    return n;
}

/* do_recv() for a reply that must come: 0 once it did; else the exit status,
 * 1 after a failed call or, when nothing came, after "unexpected: <silence>". */
static int recv_reply(const struct client *c, int fd, struct lab_endpoint *from,
                      const char *silence)
{
    if (do_recv(c, fd, from, c->cli.timeout_ms) >= 0)
        return 0;
    /* ECONNREFUSED here: an ICMP port unreachable came back, nobody listens. */
    return errno == ETIMEDOUT || errno == ECONNREFUSED ? unexpected(c, silence) : 1;
}

/* One of the kernel's per-namespace UDP/ICMP counters, IPv4 or IPv6 flavour. */
static unsigned long long counter(const struct client *c, const char *v4group, const char *field)
{
    unsigned long long v = 0;
    char name[64];
    if (c->family == AF_INET6) {
        snprintf(name, sizeof name, "%s6%s", v4group, field);
        (void)lab_snmp6_read(name, &v);
    } else {
        (void)lab_netstat_read(v4group, field, &v);
    }
    return v;
}

/* Poll a counter until it passes before (1) or timeout_ms ends (0); with
 * fd >= 0, also end (0) as soon as something arrives on fd after all. */
static int counter_rises(const struct client *c, const char *group, const char *field,
                         unsigned long long before, int timeout_ms, int fd)
{
    long long deadline = lab_now_ms() + timeout_ms;
    struct lab_backoff pace = {0};
    for (;;) {
        if (counter(c, group, field) > before)
            return 1;
        if (lab_now_ms() >= deadline)
            return 0;
        /* pacing a bounded poll, slower as it lasts */
        int ms = lab_backoff_next(&pace);
        if (fd < 0)
            lab_pause_ms(ms);
        else if (lab_wait_fd(fd, POLLIN, ms) != 0)
            return 0;
    }
}

/* A datagram from someone other than fd's peer is on its way (the server sent
 * it): show that it never reaches fd. 0 if it was dropped, 1 if it arrived. */
static int expect_filtered(const struct client *c, int fd, unsigned long long noports,
                           const char *what)
{
    int seen = counter_rises(c, "Udp", "NoPorts", noports, c->cli.timeout_ms, fd);
    char buf[2048];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n >= 0) {
        lab_say(&c->n,
                "recv() -> %zd bytes: %s arrived after all (does udp-server run another "
                "scenario?)",
                n, what);
        return 1;
    }
    if (errno == ECONNREFUSED) {
        /* Our own datagram bounced: nothing listens on the server's port. */
        fail(c, "recv()");
        return unexpected(c,
                          "the server's port refused (is udp-server --scenario filter running?)");
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK)
        return fail(c, "recv()");
    if (seen) {
        lab_say(&c->n, "%s never arrived: Udp%sNoPorts went up by %llu, recv() -> EAGAIN", what,
                c->family == AF_INET6 ? "6" : " ", counter(c, "Udp", "NoPorts") - noports);
        lab_explain(&c->n, "The kernel found no socket for it: a connected socket matches only");
        lab_explain(&c->n, "datagrams from its peer's address and port. It counted the datagram");
        lab_explain(&c->n, "as 'no port' and answered the sender with ICMP port unreachable.");
    } else {
        lab_say(&c->n, "%s did not arrive within %d ms (recv() -> EAGAIN)", what,
                c->cli.timeout_ms);
    }
    return 0;
}

/* Aim at a port where nothing listens: the kernel hands out a free port for a
 * throwaway socket, which we close again (unless --port says where to aim). */
static int closed_port(const struct client *c, struct lab_endpoint *to)
{
    char a[LAB_ENDPOINT_STRLEN];
    *to = c->server;
    if (c->cli.port_given) {
        lab_say(&c->n, "aiming at %s (--port): nothing should listen there", fmt_ep(to, a));
        return 0;
    }
    int fd = new_socket(c);
    if (fd < 0)
        return -1;
    struct lab_endpoint any = c->server, got;
    lab_endpoint_set_port(&any, 0);
    if (bind(fd, (struct sockaddr *)&any.ss, any.len) < 0 || lab_endpoint_local(fd, &got) < 0) {
        fail(c, "bind(port 0)");
        close(fd);
        return -1;
    }
    close(fd);
    lab_endpoint_set_port(to, lab_endpoint_port(&got));
    lab_say(&c->n, "aiming at %s: a port the kernel just gave out and we closed again",
            fmt_ep(to, a));
    return 0;
}

/* The refused-* and recverr start: a target in *to where nothing listens, and
 * a new socket to send there; fd or -1. */
static int socket_for_closed_port(const struct client *c, struct lab_endpoint *to)
{
    return closed_port(c, to) < 0 ? -1 : new_socket(c);
}

enum icmp_kind { ICMP_OTHER, ICMP_PORT_UNREACHABLE, ICMP_TIME_EXCEEDED };

/* The ICMP errors this lab names, first match wins (code -1: any code). */
static const struct icmp_error {
    int origin, type, code;
    enum icmp_kind kind;
    const char *text;
} icmp_errors[] = {
    {SO_EE_ORIGIN_ICMP, 3, 3, ICMP_PORT_UNREACHABLE, "destination unreachable, port unreachable"},
    {SO_EE_ORIGIN_ICMP, 3, 1, ICMP_OTHER, "destination unreachable, host unreachable"},
    {SO_EE_ORIGIN_ICMP, 3, -1, ICMP_OTHER, "destination unreachable"},
    {SO_EE_ORIGIN_ICMP, 11, 0, ICMP_TIME_EXCEEDED, "time exceeded in transit (TTL reached 0)"},
    {SO_EE_ORIGIN_ICMP, 11, -1, ICMP_TIME_EXCEEDED, "time exceeded"},
    {SO_EE_ORIGIN_ICMP6, 1, 4, ICMP_PORT_UNREACHABLE, "destination unreachable, port unreachable"},
    {SO_EE_ORIGIN_ICMP6, 1, 3, ICMP_OTHER, "destination unreachable, address unreachable"},
    {SO_EE_ORIGIN_ICMP6, 1, -1, ICMP_OTHER, "destination unreachable"},
    {SO_EE_ORIGIN_ICMP6, 3, 0, ICMP_TIME_EXCEEDED, "time exceeded, hop limit exceeded in transit"},
    {SO_EE_ORIGIN_ICMP6, 3, -1, ICMP_TIME_EXCEEDED, "time exceeded"},
};

/* What an extended error is, in words and as a kind. */
static const char *icmp_describe(const struct sock_extended_err *ee, enum icmp_kind *kind)
{
    *kind = ICMP_OTHER;
    for (size_t i = 0; i < sizeof icmp_errors / sizeof icmp_errors[0]; i++) {
        const struct icmp_error *e = &icmp_errors[i];
        if (ee->ee_origin == e->origin && ee->ee_type == e->type &&
            (e->code < 0 || ee->ee_code == e->code)) {
            *kind = e->kind;
            return e->text;
        }
    }
    return ee->ee_origin == SO_EE_ORIGIN_LOCAL ? "raised by this host's own stack" : "other";
}

/* ep's address without the port ("10.0.1.2", "fd00::2"): the offender of an
 * ICMP error has none. */
static const char *fmt_addr(const struct lab_endpoint *ep, char *buf)
{
    char a[LAB_ENDPOINT_STRLEN];
    fmt_ep(ep, a);
    char *colon = strrchr(a, ':');
    if (colon)
        *colon = '\0';
    const char *start = a;
    size_t len = strlen(a);
    if (a[0] == '[' && len >= 2 && a[len - 1] == ']') {
        start++;
        len -= 2;
    }
    snprintf(buf, LAB_ENDPOINT_STRLEN, "%.*s", (int)len, start);
    return buf;
}

/* Read one entry of fd's error queue and narrate it; its kind, or -1. */
static int read_error_queue(const struct client *c, int fd, struct lab_endpoint *offender)
{
    char data[512], text[160], a[LAB_ENDPOINT_STRLEN], o[LAB_ENDPOINT_STRLEN];
    union {
        char buf[512];
        struct cmsghdr align;
    } control;
    struct lab_endpoint dest;
    memset(&dest, 0, sizeof dest);
    struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &dest.ss;
    msg.msg_namelen = sizeof dest.ss;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    ssize_t n = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
    if (n < 0) {
        lab_say_errno(&c->n, errno, "recvmsg(MSG_ERRQUEUE) -> -1");
        return -1;
    }
    dest.len = msg.msg_namelen;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
        if (!((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR) ||
              (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_RECVERR)))
            continue;
        struct sock_extended_err ee;
        memcpy(&ee, CMSG_DATA(cm), sizeof ee);
        struct lab_endpoint off;
        memset(&off, 0, sizeof off);
        size_t room = cm->cmsg_len - CMSG_LEN(sizeof ee);
        const unsigned char *sa = CMSG_DATA(cm) + sizeof ee; /* SO_EE_OFFENDER */
        if (room > sizeof off.ss)
            room = sizeof off.ss;
        memcpy(&off.ss, sa, room);
        off.len = (socklen_t)room;
        lab_endpoint_set_port(&off, 0);
        lab_say(&c->n, "recvmsg(MSG_ERRQUEUE) -> original %zd bytes \"%s\" to %s", n,
                lab_escape(data, (size_t)n, text, sizeof text), fmt_ep(&dest, a));
        enum icmp_kind kind;
        const char *what = icmp_describe(&ee, &kind);
        lab_say(&c->n, "  extended error: errno=%s origin=%s type=%u code=%u (%s) from %s",
                lab_errno_name((int)ee.ee_errno),
                ee.ee_origin == SO_EE_ORIGIN_ICMP    ? "ICMP"
                : ee.ee_origin == SO_EE_ORIGIN_ICMP6 ? "ICMPv6"
                                                     : "other",
                ee.ee_type, ee.ee_code, what, fmt_addr(&off, o));
        if (offender)
            *offender = off;
        return (int)kind;
    }
    lab_say(&c->n, "recvmsg(MSG_ERRQUEUE) -> %zd bytes but no extended error", n);
    return -1;
}

static int set_recverr(const struct client *c, int fd)
{
    int one = 1;
    int v6 = c->family == AF_INET6;
    lab_step(&c->n, c->cli.step, "setsockopt(IP_RECVERR)");
    if (setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVERR : IP_RECVERR, &one,
                   sizeof one) < 0)
        return fail(c, v6 ? "setsockopt(IPV6_RECVERR)" : "setsockopt(IP_RECVERR)");
    lab_say(&c->n, "setsockopt(%s, 1) -> 0", v6 ? "IPV6_RECVERR" : "IP_RECVERR");
    return 0;
}

/* ---- scenarios ---------------------------------------------------------- */

static int echo_unconnected(struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN], b[LAB_ENDPOINT_STRLEN];
    int fd = new_socket(c);
    if (fd < 0)
        return 1;
    say_local(c, fd, " (no port yet)");
    if (do_send(c, fd, "hello, unconnected", &c->server) < 0)
        return close(fd), 1;
    say_local(c, fd, " (bound by sendto)");
    lab_explain(&c->n, "sendto() bound the socket to a free port first; the address stays the");
    lab_explain(&c->n, "wildcard, so each datagram's source address comes from its route.");
    struct lab_endpoint from;
    int rc = recv_reply(c, fd, &from, "no reply (is udp-server running?)");
    close(fd);
    if (rc != 0)
        return rc;
    lab_explain(&c->n, "The reply arrived although nothing was connected: the kernel delivers");
    lab_explain(&c->n, "by destination port, and this socket owns that port since sendto().");
    lab_explain(&c->n, "The server learned our address and port from the datagram itself.");
    if (!lab_endpoint_equal((struct sockaddr *)&from.ss, (struct sockaddr *)&c->server.ss)) {
        lab_say(&c->n, "the reply came from %s, not from %s", fmt_ep(&from, a),
                fmt_ep(&c->server, b));
        lab_explain(&c->n, "An unconnected socket takes datagrams from anyone.");
    }
    return 0;
}

static int echo_connected(struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN];
    int fd = new_socket(c);
    if (fd < 0)
        return 1;
    say_local(c, fd, " (no port yet)");
    unsigned long long out0 = counter(c, "Udp", "OutDatagrams");
    unsigned long long in0 = counter(c, "Udp", "InDatagrams");
    if (do_connect(c, fd, &c->server) < 0)
        return close(fd), 1;
    unsigned long long out1 = counter(c, "Udp", "OutDatagrams");
    unsigned long long in1 = counter(c, "Udp", "InDatagrams");
    const char *u = c->family == AF_INET6 ? "Udp6" : "Udp ";
    lab_say(&c->n, "%sOutDatagrams %llu -> %llu, %sInDatagrams %llu -> %llu across connect()", u,
            out0, out1, u, in0, in1);
    if (out1 != out0)
        lab_explain(&c->n, "(Other programs in this namespace sent UDP meanwhile.)");
    lab_explain(&c->n, "connect() on UDP sends nothing: no handshake, no datagram. It looks");
    lab_explain(&c->n, "up the route, picks our address and port, and records the peer.");
    say_local(c, fd, " (chosen by connect)");
    lab_explain(&c->n, "Address from the route to the server, port from the free ones: both");
    lab_explain(&c->n, "fixed at connect() time, before any datagram left.");
    if (say_peer(c, fd) < 0)
        return close(fd), 1;
    if (do_send(c, fd, "hello, connected", NULL) < 0)
        return close(fd), 1;
    int rc = recv_reply(c, fd, NULL, "no reply (is udp-server running?)");
    close(fd);
    if (rc != 0)
        return rc;
    lab_explain(&c->n, "send() needs no address: the peer %s is stored in the socket.",
                fmt_ep(&c->server, a));
    return 0;
}

static int refused_unconnected(struct client *c)
{
    struct lab_endpoint to;
    int fd = socket_for_closed_port(c, &to);
    if (fd < 0)
        return 1;
    unsigned long long icmp0 = counter(c, "Icmp", "InDestUnreachs");
    if (do_send(c, fd, "anyone there?", &to) < 0)
        return close(fd), 1;
    lab_explain(&c->n, "sendto() succeeds: it only hands the datagram to the network.");
    int icmp = counter_rises(c, "Icmp", "InDestUnreachs", icmp0, c->cli.timeout_ms, -1);
    if (icmp)
        lab_say(&c->n, "Icmp%sInDestUnreachs went up: the port unreachable came back",
                c->family == AF_INET6 ? "6" : " ");
    ssize_t n = do_recv(c, fd, NULL, c->cli.timeout_ms);
    int err = errno;
    close(fd);
    if (n >= 0)
        return unexpected(c, "a datagram arrived from a closed port");
    if (err != ETIMEDOUT)
        return unexpected(c, "the unconnected socket was told of the error");
    lab_explain(&c->n, "The ICMP error quotes our datagram's header, so the kernel did find");
    lab_explain(&c->n, "this socket. It still reports nothing: the socket is not connected");
    lab_explain(&c->n, "and IP_RECVERR is off, and for that case the UDP error handler");
    lab_explain(&c->n, "(__udp4_lib_err, __udp6_lib_err) drops the error. A bare errno from");
    lab_explain(&c->n, "recvfrom() could not say which of many destinations refused.");
    lab_explain(&c->n, "See the recverr scenario for the socket option that changes this.");
    return 0;
}

static int refused_connected(struct client *c)
{
    struct lab_endpoint to;
    int fd = socket_for_closed_port(c, &to);
    if (fd < 0)
        return 1;
    if (do_connect(c, fd, &to) < 0)
        return close(fd), 1;
    lab_explain(&c->n, "connect() succeeds at once although nothing listens: it sent nothing.");
    if (do_send(c, fd, "anyone there?", NULL) < 0)
        return close(fd), 1;
    lab_explain(&c->n, "send() succeeds too: the refusal is still on its way back.");
    ssize_t n = do_recv(c, fd, NULL, c->cli.timeout_ms);
    int err = errno;
    if (n >= 0)
        return close(fd), unexpected(c, "a datagram arrived from a closed port");
    if (err != ECONNREFUSED) {
        close(fd);
        return unexpected(c, "the connected socket was not told ECONNREFUSED");
    }
    lab_explain(&c->n, "The ICMP port unreachable matched the connected socket's peer, so the");
    lab_explain(&c->n, "kernel stored ECONNREFUSED as the socket's pending error; the next");
    lab_explain(&c->n, "call on the socket returned it.");
    char buf[64];
    ssize_t again = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    int err2 = errno;
    close(fd);
    if (again >= 0 || (err2 != EAGAIN && err2 != EWOULDBLOCK)) {
        errno = err2;
        return unexpected(c, "the error was reported twice");
    }
    lab_say_errno(&c->n, err2, "recv() again -> -1");
    lab_explain(&c->n, "Reported once: reading the error cleared it. The next send() would");
    lab_explain(&c->n, "go out, bounce, and arm it again.");
    return 0;
}

static int recverr(struct client *c)
{
    struct lab_endpoint to;
    int fd = socket_for_closed_port(c, &to);
    if (fd < 0)
        return 1;
    if (set_recverr(c, fd) != 0)
        return close(fd), 1;
    if (do_send(c, fd, "anyone there?", &to) < 0)
        return close(fd), 1;
    int ready = lab_wait_fd(fd, POLLIN, c->cli.timeout_ms);
    struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
    if (ready <= 0 || poll(&p, 1, 0) < 0) {
        close(fd);
        return ready < 0 ? fail(c, "poll()") : unexpected(c, "no error within the timeout");
    }
    lab_say(&c->n, "poll(POLLIN) -> revents%s%s", p.revents & POLLIN ? " POLLIN" : "",
            p.revents & POLLERR ? " POLLERR: an error is queued on the unconnected socket" : "");
    char buf[64];
    ssize_t n = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL);
    int err = errno;
    if (n >= 0 || err != ECONNREFUSED) {
        close(fd);
        errno = err;
        return unexpected(c, "recvfrom() did not fail with ECONNREFUSED");
    }
    lab_say_errno(&c->n, err, "recvfrom() -> -1");
    lab_explain(&c->n, "With IP_RECVERR even an unconnected socket gets the error: the UDP");
    lab_explain(&c->n, "error handler queues it on the error queue and sets the socket error.");
    int kind = read_error_queue(c, fd, NULL);
    close(fd);
    if (kind != ICMP_PORT_UNREACHABLE)
        return unexpected(c, "the error queue did not hold a port unreachable");
    lab_explain(&c->n, "The error queue keeps what the bare errno loses: the ICMP type and");
    lab_explain(&c->n, "code, who sent it, and the datagram it refers to (address included).");
    lab_explain(&c->n, "udp(7) says unconnected sockets get errors by default; Linux's code");
    lab_explain(&c->n, "reports them only on connected sockets unless IP_RECVERR is set.");
    return 0;
}

static int reconnect(struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN];
    int fd = connected_socket(c, &c->server);
    if (fd < 0)
        return 1;
    say_local(c, fd, "");
    if (do_send(c, fd, "hello, first server", NULL) < 0)
        return close(fd), 1;
    struct lab_endpoint from;
    int rc = recv_reply(c, fd, &from, "no reply (is udp-server --scenario reconnect running?)");
    if (rc != 0)
        return close(fd), rc;
    if (do_connect(c, fd, &c->second) < 0 || say_peer(c, fd) < 0)
        return close(fd), 1;
    say_local(c, fd, " (same port: connect again keeps the binding)");
    lab_explain(&c->n, "A second connect() is allowed on UDP: it replaces the peer.");
    if (do_send(c, fd, "hello, second server", NULL) < 0)
        return close(fd), 1;
    if ((rc = recv_reply(c, fd, &from, "no reply from the second port")) != 0)
        return close(fd), rc;
    if (!lab_endpoint_equal((struct sockaddr *)&from.ss, (struct sockaddr *)&c->second.ss)) {
        close(fd);
        lab_say(&c->n, "got a datagram from %s", fmt_ep(&from, a));
        return unexpected(c, "a datagram from the old peer got through");
    }
    /* The old peer speaks late: the server answers this one from its first
     * socket (one answer per datagram, see UDP_ASK_OTHER). */
    unsigned long long noports = counter(c, "Udp", "NoPorts");
    if (do_send(c, fd, UDP_ASK_OTHER, NULL) < 0)
        return close(fd), 1;
    lab_say(&c->n, "(udp-server --scenario reconnect answers that from %s, our old peer)",
            fmt_ep(&c->server, a));
    rc = expect_filtered(c, fd, noports, "the first server's late answer");
    close(fd);
    return rc;
}

static int disconnect(struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN];
    int fd = connected_socket(c, &c->server);
    if (fd < 0)
        return 1;
    say_local(c, fd, "");
    unsigned long long noports = counter(c, "Udp", "NoPorts");
    if (do_send(c, fd, "while connected", NULL) < 0)
        return close(fd), 1;
    int rc = recv_reply(c, fd, NULL, "no reply (is udp-server --scenario disconnect running?)");
    if (rc != 0)
        return close(fd), rc;
    noports = counter(c, "Udp", "NoPorts");
    if (do_send(c, fd, UDP_ASK_OTHER, NULL) < 0)
        return close(fd), 1;
    if (expect_filtered(c, fd, noports, "the answer from the second port") != 0)
        return close(fd), 1;

    struct sockaddr_storage unspec;
    memset(&unspec, 0, sizeof unspec);
    unspec.ss_family = AF_UNSPEC;
    lab_step(&c->n, c->cli.step, "connect(AF_UNSPEC)");
    if (connect(fd, (struct sockaddr *)&unspec, sizeof unspec) < 0)
        return close(fd), fail(c, "connect(AF_UNSPEC)");
    lab_say(&c->n, "connect(AF_UNSPEC) -> 0: disconnected");
    struct lab_endpoint peer;
    if (lab_endpoint_peer(fd, &peer) == 0 || errno != ENOTCONN)
        return close(fd), unexpected(c, "getpeername() did not fail with ENOTCONN");
    lab_say_errno(&c->n, errno, "getpeername() -> -1");
    say_local(c, fd, "");
    lab_explain(&c->n, "Disconnecting also gave back the port that connect() had picked:");
    lab_explain(&c->n, "only a port named in bind() survives it (bind() to port 0 does not).");
    if (do_send(c, fd, "no address", NULL) == 0 || errno != EDESTADDRREQ)
        return close(fd), unexpected(c, "send() did not fail with EDESTADDRREQ");
    lab_explain(&c->n, "send() has no peer to send to; sendto() must name one again.");
    if (do_send(c, fd, "after disconnect", &c->server) < 0)
        return close(fd), 1;
    say_local(c, fd, " (a new port, bound by sendto)");
    struct lab_endpoint from;
    rc = recv_reply(c, fd, &from, "no echo after disconnecting");
    if (rc == 0 && do_send(c, fd, UDP_ASK_OTHER, &c->server) < 0)
        rc = 1;
    if (rc == 0)
        rc = recv_reply(c, fd, &from, "the filter was not lifted");
    close(fd);
    if (rc != 0)
        return rc;
    if (!lab_endpoint_equal((struct sockaddr *)&from.ss, (struct sockaddr *)&c->second.ss))
        return unexpected(c, "no datagram from the second port");
    lab_say(&c->n, "the answer from %s arrived this time: the filter is lifted",
            fmt_ep(&c->second, a));
    return 0;
}

static int filter(struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN];
    lab_say(&c->n, "socket 1: connected");
    int cfd = connected_socket(c, &c->server);
    if (cfd < 0)
        return 1;
    unsigned long long noports = counter(c, "Udp", "NoPorts");
    if (do_send(c, cfd, "from the connected socket", NULL) < 0)
        return close(cfd), 1;
    if (expect_filtered(c, cfd, noports, "the reply from the second port") != 0)
        return close(cfd), 1;

    lab_say(&c->n, "socket 2: unconnected");
    int ufd = new_socket(c);
    if (ufd < 0)
        return close(cfd), 1;
    struct lab_endpoint from;
    int rc = do_send(c, ufd, "from the unconnected socket", &c->server) < 0
                 ? 1
                 : recv_reply(c, ufd, &from, "no reply (is udp-server --scenario filter running?)");
    close(ufd);
    if (rc != 0)
        return close(cfd), rc;
    lab_say(&c->n, "the reply came from %s although we sent to %s", fmt_ep(&from, a),
            lab_endpoint_format((struct sockaddr *)&c->server.ss, (char[LAB_ENDPOINT_STRLEN]){0},
                                LAB_ENDPOINT_STRLEN));
    lab_explain(&c->n, "An unconnected socket accepts datagrams from any address and port.");

    lab_say(&c->n, "socket 1 again: sendto() another address while connected");
    noports = counter(c, "Udp", "NoPorts");
    if (do_send(c, cfd, "sendto while connected", &c->second) < 0) {
        int err = errno;
        close(cfd);
        errno = err;
        return err == EISCONN ? unexpected(c, "EISCONN: this kernel behaves like BSD") : 1;
    }
    lab_explain(&c->n, "Linux lets a connected UDP socket sendto() any address, for that one");
    lab_explain(&c->n, "datagram; the BSDs refuse with EISCONN. The peer stays the same.");
    rc = expect_filtered(c, cfd, noports, "the answer to it");
    if (rc == 0 && say_peer(c, cfd) < 0)
        rc = 1;
    close(cfd);
    return rc;
}

/* ttl, step 1: the values the kernel accepts, on a scratch socket. */
static int ttl_limits(struct client *c)
{
    int fd = new_socket(c);
    if (fd < 0)
        return 1;
    int v6 = c->family == AF_INET6;
    static const int probes[] = {0, 256, 255, -1};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        int v = probes[i];
        int rc = setsockopt(fd, ttl_level(c->family), ttl_option(c->family), &v, sizeof v);
        int err = errno;
        if (rc < 0) {
            lab_say_errno(&c->n, err, "setsockopt(%s, %d) -> -1", ttl_name(c->family), v);
        } else {
            int got = 0;
            socklen_t len = sizeof got;
            getsockopt(fd, ttl_level(c->family), ttl_option(c->family), &got, &len);
            lab_say(&c->n, "setsockopt(%s, %d) -> 0, getsockopt() reads %d%s", ttl_name(c->family),
                    v, got, v == -1 ? " (the system default)" : "");
        }
        int want_ok = v == 255 || v == -1 || (v == 0 && v6);
        if ((rc == 0) != want_ok || (rc < 0 && err != EINVAL)) {
            close(fd);
            return unexpected(c, "the kernel's TTL range differs from what this lab teaches");
        }
    }
    close(fd);
    lab_explain(&c->n, "The TTL field is 8 bits: 255 is the largest. -1 means 'the system");
    if (v6) {
        lab_explain(&c->n, "default'. IPv6 also takes 0 (a hop limit of 0 still leaves this");
        lab_explain(&c->n, "host; the first router discards it), IPv4 refuses 0.");
    } else {
        lab_explain(&c->n, "default' (net.ipv4.ip_default_ttl); 0 and 256 are EINVAL.");
    }
    return 0;
}

static int ttl(struct client *c)
{
    if (ttl_limits(c) != 0)
        return 1;
    int fd = new_socket(c);
    if (fd < 0)
        return 1;
    lab_step(&c->n, c->cli.step, "setsockopt(TTL)");
    if (setsockopt(fd, ttl_level(c->family), ttl_option(c->family), &c->ttl, sizeof c->ttl) < 0)
        return close(fd), fail(c, "setsockopt(TTL)");
    lab_say(&c->n, "setsockopt(%s, %d) -> 0", ttl_name(c->family), c->ttl);
    if (set_recverr(c, fd) != 0)
        return close(fd), 1;
    lab_explain(&c->n, "ICMP time exceeded is a 'soft' error: without IP_RECVERR the kernel");
    lab_explain(&c->n, "tells no UDP socket about it, connected or not.");
    if (do_send(c, fd, "ttl probe", &c->server) < 0)
        return close(fd), 1;
    struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
    int ready = lab_wait_fd(fd, POLLIN, c->cli.timeout_ms);
    if (ready < 0)
        return close(fd), fail(c, "poll()");
    if (ready == 0) {
        close(fd);
        lab_say(&c->n, "nothing came back within %d ms: no reply, no ICMP error",
                c->cli.timeout_ms);
        return unexpected(c, "silence (a firewall dropping the datagram or the ICMP?)");
    }
    (void)poll(&p, 1, 0);
    int rc = 0;
    if (p.revents & POLLERR) {
        struct lab_endpoint off;
        char o[LAB_ENDPOINT_STRLEN];
        int kind = read_error_queue(c, fd, &off);
        if (kind == ICMP_TIME_EXCEEDED) {
            lab_say(&c->n, "time exceeded from %s: the datagram ran out of hops with %s %d",
                    fmt_addr(&off, o), ttl_word(c->family), c->ttl);
            lab_explain(&c->n, "Each router decrements the TTL; the one that takes it to 0");
            lab_explain(&c->n, "discards the datagram and sends ICMP time exceeded back.");
        } else if (kind == ICMP_PORT_UNREACHABLE) {
            lab_say(&c->n, "delivered with %s %d, but nothing listens on that port",
                    ttl_word(c->family), c->ttl);
        } else if (kind < 0) {
            rc = 1;
        }
    } else {
        struct lab_endpoint from;
        if (do_recv(c, fd, &from, 0) < 0)
            rc = 1;
        else {
            lab_say(&c->n, "delivered with %s %d: the server answered", ttl_word(c->family),
                    c->ttl);
            lab_explain(&c->n,
                        "Only routers decrement the TTL. Loopback (or one link) has none, so");
            lab_explain(&c->n,
                        "even TTL 1 arrives; aim --host at a machine some hops away, or see");
            lab_explain(&c->n, "the claim.C7 test, which builds a router between two namespaces.");
        }
    }
    close(fd);
    return rc;
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v (n > 0) and returns its median. */
static double median_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int bench(struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN];
    enum { UNCONNECTED, CONNECTED, CONNECTED_SENDTO, METHODS };
    static const char *const names[METHODS] = {"unconnected sendto()", "connected send()",
                                               "connected sendto(addr)"};
    int sink = new_socket(c);
    if (sink < 0)
        return 1;
    struct lab_endpoint sink_ep = c->server;
    lab_endpoint_set_port(&sink_ep, 0);
    if (bind(sink, (struct sockaddr *)&sink_ep.ss, sink_ep.len) < 0 ||
        lab_endpoint_local(sink, &sink_ep) < 0)
        return close(sink), fail(c, "bind(sink)");
    lab_say(&c->n, "sink socket on %s (never read: the kernel drops what overflows it)",
            fmt_ep(&sink_ep, a));
    int ufd = new_socket(c), cfd = new_socket(c);
    if (ufd < 0 || cfd < 0 || do_connect(c, cfd, &sink_ep) < 0) {
        if (ufd >= 0)
            close(ufd);
        if (cfd >= 0)
            close(cfd);
        close(sink);
        return 1;
    }
    /* rate[m * rounds + r]; then ratio[k * rounds + r], method k+1 over
     * unconnected in round r, the two measured back to back. */
    double *rate = calloc((size_t)((2 * METHODS - 1) * c->rounds), sizeof *rate);
    if (rate == NULL)
        return close(sink), close(ufd), close(cfd), fail(c, "calloc()");
    double *ratio = rate + METHODS * c->rounds;
    static const char payload[32] = "bench";
    struct utsname un;
    if (uname(&un) < 0)
        snprintf(un.release, sizeof un.release, "(uname: %s)", lab_errno_name(errno));
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    lab_say(&c->n,
            "conditions: %s to %s, %ld datagrams of %zu bytes per measurement, %d round%s "
            "(the three methods one after another in each), Linux %s, %ld CPU%s online",
            c->family == AF_INET6 ? "IPv6" : "IPv4", fmt_ep(&sink_ep, a), c->bench_count,
            sizeof payload, c->rounds, c->rounds == 1 ? "" : "s", un.release, cpus,
            cpus == 1 ? "" : "s");
    int rc = 0;
    for (int r = 0; r < c->rounds && rc == 0; r++) {
        for (int m = 0; m < METHODS && rc == 0; m++) {
            int fd = m == UNCONNECTED ? ufd : cfd;
            const struct sockaddr *to = m == CONNECTED ? NULL : (struct sockaddr *)&sink_ep.ss;
            socklen_t tolen = m == CONNECTED ? 0 : sink_ep.len;
            long long t0 = now_ns();
            for (long i = 0; i < c->bench_count; i++) {
                if (sendto(fd, payload, sizeof payload, 0, to, tolen) < 0 && errno != EINTR) {
                    rc = fail(c, names[m]);
                    break;
                }
            }
            double secs = (double)(now_ns() - t0) / 1e9;
            rate[m * c->rounds + r] = secs > 0 ? (double)c->bench_count / secs : 0;
            lab_say(&c->n, "round %d  %-24s %10.0f datagrams/s", r + 1, names[m],
                    rate[m * c->rounds + r]);
        }
    }
    int measured = rc == 0;
    for (int r = 0; r < c->rounds && measured; r++) {
        double base = rate[UNCONNECTED * c->rounds + r];
        if (base <= 0)
            measured = 0; /* too fast for the clock: no ratio to give */
        for (int m = CONNECTED; m < METHODS && measured; m++)
            ratio[(m - 1) * c->rounds + r] = rate[m * c->rounds + r] / base;
    }
    for (int m = 0; m < METHODS && rc == 0; m++) {
        double *v = rate + m * c->rounds, med = median_of(v, c->rounds);
        double spread = med > 0 ? 100.0 * (v[c->rounds - 1] - v[0]) / med : 0;
        lab_say(&c->n, "median %-24s %10.0f datagrams/s  (min %.0f, max %.0f, spread %.0f%%)",
                names[m], med, v[0], v[c->rounds - 1], spread);
    }
    for (int m = CONNECTED; m < METHODS && measured; m++) {
        double *v = ratio + (m - 1) * c->rounds, med = median_of(v, c->rounds);
        lab_say(&c->n,
                "ratio %s / unconnected sendto() = %.2f  (median of %d round%s; min %.2f, "
                "max %.2f)",
                names[m], med, c->rounds, c->rounds == 1 ? "" : "s", v[0], v[c->rounds - 1]);
    }
    if (measured) {
        lab_explain(&c->n, "An unconnected sendto() makes the kernel look up the route for every");
        lab_explain(&c->n, "datagram; a connected send() reuses the route cached by connect().");
        lab_explain(&c->n, "sendto(addr) on a connected IPv4 socket takes the slow path again;");
        lab_explain(&c->n, "IPv6 checks the cached route against the address and may reuse it.");
        lab_explain(&c->n, "Each ratio compares methods measured back to back in one round; its");
        lab_explain(&c->n, "min and max over the rounds show how much one run's figure varies.");
        lab_explain(&c->n, "They hold for this machine under the conditions above; other");
        lab_explain(&c->n, "machines, kernels and loads give other figures.");
    }
    free(rate);
    close(sink), close(ufd), close(cfd);
    return rc;
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
    char a[LAB_ENDPOINT_STRLEN];
    lab_say(&c.n, "scenario %s, server %s", udp_scenario_names[c.scenario], fmt_ep(&c.server, a));
    switch (c.scenario) {
    case SC_ECHO_UNCONNECTED:
        return echo_unconnected(&c);
    case SC_ECHO_CONNECTED:
        return echo_connected(&c);
    case SC_REFUSED_UNCONNECTED:
        return refused_unconnected(&c);
    case SC_REFUSED_CONNECTED:
        return refused_connected(&c);
    case SC_RECVERR:
        return recverr(&c);
    case SC_RECONNECT:
        return reconnect(&c);
    case SC_DISCONNECT:
        return disconnect(&c);
    case SC_FILTER:
        return filter(&c);
    case SC_TTL:
        return ttl(&c);
    case SC_BENCH:
        return bench(&c);
    }
    return 1;
}
