/* close-client: the active end of TCP's close, narrated.
 *
 * Demonstrates, together with close-server (same --scenario on both ends):
 * FIN_WAIT2 and TIME_WAIT with the kernel's own 60 s timer after close(),
 * half-close with shutdown(SHUT_WR), CLOSE_WAIT when the server closes first,
 * data queued before an RST still being readable, SO_LINGER {1,0} leaving no
 * TIME_WAIT, an orphaned FIN_WAIT2, and connect() on a connected TCP socket
 * (EISCONN; AF_UNSPEC disconnects with RST and allows a new connect).
 *
 * Run, in two terminals:
 *   close-server --scenario graceful
 *   close-client --scenario graceful
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "closing.h"
#include "lab_cli.h"
#include "lab_diag.h"
#include "lab_endpoint.h"
#include "lab_narrate.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "scenarios.h"

static const char *const PROG = "close-client";

struct client {
    struct lab_cli cli;
    struct lab_narrator n;
    enum close_scenario scenario;
    long bytes;
    int bytes_given; /* --bytes was given */
    struct lab_endpoint server;
    int fd; /* -1 once closed */
};

enum { OPT_BYTES = LAB_OPT_FIRST_PRIVATE };

static void usage(void)
{
    printf("Usage: %s [OPTION]...\n"
           "The client end of the close demo: connects, plays its half of the\n"
           "scenario and narrates each step with the TCP state the kernel reports,\n"
           "also after close(), when only sock_diag can still see the connection.\n\n"
           "Options:\n"
           "  -s, --scenario NAME  which story to play (default graceful)\n"
           "  -H, --host HOST      server address or name (default 127.0.0.1; ::1 for "
           "IPv6)\n"
           "  -p, --port PORT      server port (default %d)\n"
           "      --bytes N        bytes to send in large-transfer (default 1048576)\n"
           "  -t, --timeout MS     bound on every wait for the peer or the kernel\n"
           "                       (default 600000: time to switch terminals)\n"
           "      --step           wait for Enter before each state-changing call\n"
           "  -q, --quiet          events only, no explanations\n"
           "  -h, --help           this text\n\n%s\n"
           "Example:\n  %s --scenario half-close --host ::1\n",
           PROG, CLOSE_DEMO_PORT, CLOSE_SCENARIO_HELP, PROG);
}

static int parse_args(struct client *c, int argc, char *argv[])
{
    static const struct option options[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"host", required_argument, NULL, 'H'},
        {"bytes", required_argument, NULL, OPT_BYTES},
        {NULL, 0, NULL, 0},
    };
    lab_cli_init(&c->cli, PROG, CLOSE_DEMO_PORT, 600000);
    c->bytes = 1L << 20;
    int opt, more;
    while ((more = lab_cli_next(&c->cli, argc, argv, options, &opt)) > 0) {
        switch (opt) {
        case OPT_BYTES:
            if (lab_cli_long(PROG, "bytes", optarg, 0, 1L << 30, &c->bytes) < 0)
                return -1;
            c->bytes_given = 1;
            break;
        default:
            return lab_cli_unknown(&c->cli, opt, argv);
        }
    }
    if (more < 0)
        return -1;
    int sc = 0;
    if (lab_cli_finish(&c->cli, argc, argv, close_scenario_names, &sc, SOCK_STREAM, &c->server) < 0)
        return -1;
    c->scenario = (enum close_scenario)sc;
    /* An option the scenario never uses would be silently ignored: refuse it. */
    if (c->bytes_given && !c->cli.help && c->scenario != SC_LARGE_TRANSFER) {
        lab_usage_error(PROG, "--bytes has no use in scenario %s (only large-transfer sends them)",
                        close_scenario_names[c->scenario]);
        return -1;
    }
    return 0;
}

/* A failed call, narrated with its errno and, where the server did something
 * this scenario does not expect, the likely cause; exit status 1. */
static int fail(const struct client *c, const char *what)
{
    return closing_fail(&c->n, what, "server", c->cli.timeout_ms);
}

/* The server did something this scenario never makes it do: say what, and
 * the likely cause; exit status 1. */
static int surprise(const struct client *c, const char *what)
{
    lab_say_fd(&c->n, c->fd,
               "unexpected: %s (does close-server run another scenario? give both "
               "ends the same --scenario)",
               what);
    return 1;
}

static int fd_close(struct client *c)
{
    int rc = close(c->fd);
    c->fd = -1;
    return rc;
}

static int send_text(const struct client *c, const char *text)
{
    char shown[160];
    if (lab_send_all(c->fd, text, strlen(text)) < 0)
        return fail(c, "write()");
    lab_say_fd(&c->n, c->fd, "write() -> %zu bytes \"%s\"", strlen(text),
               lab_escape(text, strlen(text), shown, sizeof shown));
    return 0;
}

/* Read once, by deadline (one --timeout for a whole exchange), and narrate;
 * bytes, 0 on EOF, -1 with errno (ETIMEDOUT once the deadline passed). */
static ssize_t read_once(const struct client *c, long long deadline)
{
    char buf[512], shown[160];
    int left = lab_ms_left(deadline);
    if (left == 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    ssize_t r = lab_read_bounded(c->fd, buf, sizeof buf, left);
    if (r > 0)
        lab_say_fd(&c->n, c->fd, "read() -> %zd bytes \"%s\"", r,
                   lab_escape(buf, (size_t)r, shown, sizeof shown));
    else if (r == 0)
        lab_say_fd(&c->n, c->fd, "read() -> 0: EOF");
    return r;
}

/* Note the connection's address pair (no fd will reach it afterwards), then
 * close() the fd, after --step has let the learner look. 0, or 1 after narrating. */
static int close_noting_tuple(struct client *c, const char *step, struct lab_endpoint *local,
                              struct lab_endpoint *peer)
{
    if (closing_tuple(c->fd, local, peer) < 0)
        return fail(c, "getsockname/getpeername");
    lab_step(&c->n, c->cli.step, step);
    if (fd_close(c) < 0)
        return fail(c, "close()");
    return 0;
}

/* close() as the active closer, then follow the connection to TIME_WAIT. */
static int active_close(struct client *c)
{
    struct lab_endpoint local, peer;
    if (close_noting_tuple(c, "close()", &local, &peer) != 0)
        return 1;
    lab_say(&c->n, "close(): the kernel sends our FIN; the fd is gone");
    lab_explain(&c->n, "From now on we ask the kernel about the connection through sock_diag,");
    lab_explain(&c->n, "the way 'ss -tan' does, by its address pair.");
    return closing_watch_active(&c->n, &local, &peer, c->cli.timeout_ms);
}

static int graceful(struct client *c)
{
    static const char *const messages[] = {CLOSE_FIRST_GRACEFUL, "hello 2\n", "bye\n"};
    for (size_t i = 0; i < 3; i++)
        if (send_text(c, messages[i]) != 0)
            return 1;
    return active_close(c);
}

static int half_close(struct client *c)
{
    if (send_text(c, CLOSE_FIRST_HALF_CLOSE) != 0)
        return 1;
    struct lab_endpoint local, peer; /* once the fd reports CLOSE, getpeername fails */
    if (closing_tuple(c->fd, &local, &peer) < 0)
        return fail(c, "getsockname/getpeername");
    lab_step(&c->n, c->cli.step, "shutdown(SHUT_WR)");
    if (shutdown(c->fd, SHUT_WR) < 0)
        return fail(c, "shutdown(SHUT_WR)");
    int state;
    /* CLOSE too: a server run with --hold-ms 0 may reply and close before we look. */
    if (lab_wait_fd_state(c->fd, LAB_STATE_BIT(LAB_TCP_FIN_WAIT2) | LAB_STATE_BIT(LAB_TCP_CLOSE),
                          c->cli.timeout_ms, &state) < 0)
        return fail(c, "waiting for FIN_WAIT2");
    lab_say_fd(&c->n, c->fd, "shutdown(SHUT_WR): our FIN is sent and ACKed");
    lab_explain(&c->n, "We told the server 'no more data from me'; the fd stays open and");
    lab_explain(&c->n, "can still read. The server sees EOF, yet may keep sending.");
    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    ssize_t r = read_once(c, deadline);
    if (r < 0)
        return fail(c, "read()");
    if (r == 0)
        return surprise(c, "EOF before any reply: the server closed without answering our "
                           "half-close");
    lab_explain(&c->n, "Data still arrives after our own FIN: a TCP connection is two");
    lab_explain(&c->n, "independent byte streams, and we closed only ours.");
    if ((r = read_once(c, deadline)) < 0)
        return fail(c, "read()");
    if (r > 0)
        return surprise(c, "more data where the server's EOF should come");
    lab_explain(&c->n, "The server's FIN: we ACKed it and the fd now reports CLOSE. The");
    lab_explain(&c->n, "TIME_WAIT that follows is a separate kernel object:");
    struct lab_conn conn;
    int found = lab_diag_find((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss, &conn);
    if (found <= 0) {
        lab_say(&c->n, "sock_diag: no TIME_WAIT found (unexpected)");
        return 1;
    }
    lab_say_conn(&c->n, &conn, "sock_diag:");
    lab_step(&c->n, c->cli.step, "close() the fd");
    fd_close(c);
    lab_say(&c->n, "close(): nothing left to send, the fd is released");
    return 0;
}

static int server_first(struct client *c)
{
    if (send_text(c, CLOSE_FIRST_SERVER_FIRST) != 0)
        return 1;
    ssize_t r = read_once(c, lab_now_ms() + c->cli.timeout_ms);
    if (r < 0)
        return fail(c, "read()");
    if (r > 0)
        return surprise(c, "data where the server's EOF should come");
    lab_explain(&c->n, "The server closed first: its FIN put us in CLOSE_WAIT until we close()");
    lab_explain(&c->n, "too. Our kernel delays the ACK of that FIN; if we close quickly, our");
    lab_explain(&c->n, "FIN carries it and the close takes three segments. The server owns");
    lab_explain(&c->n, "the TIME_WAIT.");
    struct lab_endpoint local, peer;
    if (close_noting_tuple(c, "close()", &local, &peer) != 0)
        return 1;
    lab_say(&c->n, "close(): the kernel sends our FIN");
    closing_report_passive(&c->n, &local, &peer);
    return 0;
}

static int unread_data(struct client *c)
{
    if (send_text(c, CLOSE_FIRST_UNREAD_DATA) != 0)
        return 1;
    int state;
    /* CLOSE_WAIT too: a server that read our request closes with a FIN. */
    if (lab_wait_fd_state(c->fd, LAB_STATE_BIT(LAB_TCP_CLOSE) | LAB_STATE_BIT(LAB_TCP_CLOSE_WAIT),
                          c->cli.timeout_ms, &state) < 0)
        return fail(c, "waiting for the server's RST");
    if (state == LAB_TCP_CLOSE_WAIT)
        return surprise(c, "the server closed with a FIN, not an RST: it read our request");
    int unread = lab_unread_bytes(c->fd);
    if (unread < 0)
        return fail(c, "ioctl(FIONREAD)");
    lab_say_fd(&c->n, c->fd, "the server's RST arrived; %d bytes wait unread", unread);
    lab_explain(&c->n, "The RST killed the connection, but what arrived before it is still");
    lab_explain(&c->n, "in our receive queue, and read() hands it out first.");
    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    ssize_t r = read_once(c, deadline);
    if (r < 0 && errno == ECONNRESET)
        return surprise(c, "nothing was queued before the RST: the server sent no reply");
    if (r <= 0)
        return r < 0 ? fail(c, "read()") : surprise(c, "EOF where the queued reply should come");
    r = read_once(c, deadline);
    if (r >= 0 || errno != ECONNRESET) {
        lab_say(&c->n, "expected ECONNRESET after the queued data");
        return 1;
    }
    lab_say_errno(&c->n, ECONNRESET, "read() -> -1  state=CLOSE");
    lab_explain(&c->n, "Only then does the reset surface, once. Had the server read our");
    lab_explain(&c->n, "request first, its close() would have sent a plain FIN.");
    fd_close(c);
    return 0;
}

static int linger0(struct client *c)
{
    if (send_text(c, CLOSE_FIRST_LINGER0) != 0)
        return 1;
    struct lab_endpoint local, peer;
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    if (setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0)
        return fail(c, "setsockopt(SO_LINGER)");
    lab_say_fd(&c->n, c->fd, "setsockopt(SO_LINGER, {on, 0 s})");
    if (close_noting_tuple(c, "close() with linger 0", &local, &peer) != 0)
        return 1;
    lab_say(&c->n, "close(): with a zero linger time the kernel sends RST, not FIN");
    struct lab_conn conn;
    int found = lab_diag_find((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss, &conn);
    if (found < 0)
        return fail(c, "sock_diag lookup");
    if (found) {
        lab_say_conn(&c->n, &conn, "sock_diag: still there (unexpected):");
        return 1;
    }
    lab_say(&c->n, "sock_diag: connection gone at once, no TIME_WAIT  state=CLOSE");
    lab_explain(&c->n, "An abortive close skips the whole four-way close: unsent data is");
    lab_explain(&c->n, "dropped, the peer gets ECONNRESET, nobody keeps TIME_WAIT. Tempting");
    lab_explain(&c->n, "for busy servers, but it also throws away what TIME_WAIT protects.");
    return 0;
}

static int close_wait_leak(struct client *c)
{
    if (send_text(c, CLOSE_FIRST_CLOSE_WAIT_LEAK) != 0)
        return 1;
    struct lab_endpoint local, peer;
    if (close_noting_tuple(c, "close()", &local, &peer) != 0)
        return 1;
    lab_say(&c->n, "close(): the kernel sends our FIN");
    struct lab_conn conn;
    /* Wait for whatever follows FIN_WAIT1, and judge it: FIN_WAIT2 is the
     * lesson; the server's FIN (TIME_WAIT, CLOSING) or RST (gone) is not. */
    int rc = lab_watch_wait((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss,
                            ~LAB_STATE_BIT(LAB_TCP_FIN_WAIT1), c->cli.timeout_ms, &conn);
    if (rc < 0)
        return fail(c, "waiting for FIN_WAIT2");
    if (rc == 0) {
        lab_say(&c->n, "unexpected: the connection is gone, the server reset it (does it run "
                       "another scenario?)  state=CLOSE");
        return 1;
    }
    if (conn.state != LAB_TCP_FIN_WAIT2) {
        lab_say_conn(&c->n, &conn,
                     "unexpected: the server closed too, a close-wait-leak server never does "
                     "(another scenario, or --hold-ms 0?):");
        return 1;
    }
    lab_say_conn(&c->n, &conn, "sock_diag:");
    lab_explain(&c->n, "Our FIN is ACKed but the server never closes, so its FIN never");
    lab_explain(&c->n, "comes. We no longer own an fd: this orphaned FIN_WAIT2 is kept by");
    lab_explain(&c->n, "the kernel only until net.ipv4.tcp_fin_timeout runs out (the timer");
    lab_explain(&c->n, "above). The server's CLOSE_WAIT has no such timer.");
    return 0;
}

static int reconnect(struct client *c)
{
    if (send_text(c, CLOSE_FIRST_RECONNECT) != 0)
        return 1;
    lab_step(&c->n, c->cli.step, "connect() again on the connected socket");
    if (connect(c->fd, (struct sockaddr *)&c->server.ss, c->server.len) == 0) {
        lab_say(&c->n, "second connect() succeeded (unexpected)");
        return 1;
    }
    int err = errno;
    if (err != EISCONN)
        return fail(c, "second connect()");
    lab_say_errno(&c->n, err, "connect() again -> -1  state=%s",
                  lab_tcp_state_name(lab_tcp_state_of_fd(c->fd)));
    lab_explain(&c->n, "A TCP socket connects once; the connection is not touched.");

    lab_step(&c->n, c->cli.step, "connect(AF_UNSPEC)");
    struct sockaddr unspec;
    memset(&unspec, 0, sizeof unspec);
    unspec.sa_family = AF_UNSPEC;
    if (connect(c->fd, &unspec, sizeof unspec) < 0)
        return fail(c, "connect(AF_UNSPEC)");
    lab_say_fd(&c->n, c->fd, "connect(AF_UNSPEC) -> 0");
    lab_explain(&c->n, "Linux's extension: AF_UNSPEC 'disconnects' a TCP socket. The kernel");
    lab_explain(&c->n, "aborts with RST (the server will read ECONNRESET) and the socket is");
    lab_explain(&c->n, "back to CLOSE. Not bound explicitly, it also gave back its local");
    lab_explain(&c->n, "port, so the next connect() picks a new one.");

    lab_step(&c->n, c->cli.step, "connect() the same socket again");
    if (lab_connect_bounded(c->fd, &c->server, c->cli.timeout_ms) < 0)
        return fail(c, "connect() after AF_UNSPEC");
    struct lab_endpoint local;
    char addr[LAB_ENDPOINT_STRLEN];
    if (lab_endpoint_local(c->fd, &local) < 0)
        return fail(c, "getsockname()");
    lab_say_fd(&c->n, c->fd, "connect() on the same fd -> connected again from %s",
               lab_endpoint_format((struct sockaddr *)&local.ss, addr, sizeof addr));
    if (send_text(c, "second connection, same socket\n") != 0)
        return 1;
    return active_close(c);
}

static int large_transfer(struct client *c)
{
    char chunk[65536];
    long sent = 0;
    int writes = 0;
    while (sent < c->bytes) {
        size_t n = sizeof chunk;
        if ((long)n > c->bytes - sent)
            n = (size_t)(c->bytes - sent);
        for (size_t i = 0; i < n; i++)
            chunk[i] = (char)((sent + (long)i) % 251);
        if (lab_send_all(c->fd, chunk, n) < 0)
            return fail(c, "write()");
        sent += (long)n;
        writes++;
    }
    lab_say_fd(&c->n, c->fd, "wrote %ld bytes in %d write() calls", sent, writes);
    lab_explain(&c->n, "write() returned once the bytes were in our send buffer, not once");
    lab_explain(&c->n, "the server had them. close() now does not discard them: the kernel");
    lab_explain(&c->n, "sends them all, then the FIN.");
    return active_close(c);
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
    if (parse_args(&c, argc, argv) < 0)
        return 2;
    if (c.cli.help) {
        usage();
        return 0;
    }
    lab_narrator_init(&c.n, "client", c.cli.quiet, stdout);

    char addr[LAB_ENDPOINT_STRLEN], from[LAB_ENDPOINT_STRLEN];
    lab_endpoint_format((struct sockaddr *)&c.server.ss, addr, sizeof addr);
    c.fd = socket(c.server.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c.fd < 0)
        return fail(&c, "socket()");
    lab_step(&c.n, c.cli.step, "connect()");
    if (lab_connect_bounded(c.fd, &c.server, c.cli.timeout_ms) < 0) {
        int err = errno;
        lab_say_errno(&c.n, err, "connect() to %s failed", addr);
        if (err == ECONNREFUSED)
            lab_explain(&c.n, "Nothing listens there: start close-server first.");
        close(c.fd);
        return 1;
    }
    struct lab_endpoint local;
    if (lab_endpoint_local(c.fd, &local) < 0)
        return fail(&c, "getsockname()");
    lab_say_fd(&c.n, c.fd, "connect() -> connected to %s from %s  scenario=%s", addr,
               lab_endpoint_format((struct sockaddr *)&local.ss, from, sizeof from),
               close_scenario_names[c.scenario]);

    int rc = 1;
    switch (c.scenario) {
    case SC_GRACEFUL:
        rc = graceful(&c);
        break;
    case SC_HALF_CLOSE:
        rc = half_close(&c);
        break;
    case SC_SERVER_FIRST:
        rc = server_first(&c);
        break;
    case SC_UNREAD_DATA:
        rc = unread_data(&c);
        break;
    case SC_LINGER0:
        rc = linger0(&c);
        break;
    case SC_CLOSE_WAIT_LEAK:
        rc = close_wait_leak(&c);
        break;
    case SC_RECONNECT:
        rc = reconnect(&c);
        break;
    case SC_LARGE_TRANSFER:
        rc = large_transfer(&c);
        break;
    }
    if (c.fd >= 0)
        fd_close(&c);
    lab_say(&c.n, "done, exit %d", rc);
    return rc;
}
