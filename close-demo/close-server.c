/* close-server: the passive end of TCP's close, narrated.
 *
 * Demonstrates, together with close-client (same --scenario on both ends):
 * EOF arriving behind the data, CLOSE_WAIT until the application closes,
 * the server as active closer owning TIME_WAIT (and SO_REUSEADDR), RST on a
 * close with unread data, ECONNRESET after an abortive close, a CLOSE_WAIT
 * leak, and a peer that disconnects with connect(AF_UNSPEC) and comes back.
 *
 * Run, in two terminals:
 *   close-server --scenario graceful
 *   close-client --scenario graceful
 * and in a third, while --step holds a side: ss -tano 'sport = :19001 or dport = :19001'
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
#include "lab_kstat.h"
#include "lab_narrate.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "closing.h"
#include "scenarios.h"

static const char *const PROG = "close-server";

struct server {
    struct lab_cli cli;
    struct lab_narrator n;
    enum close_scenario scenario;
    int hold_ms;
    int hold_given; /* --hold-ms was given */
    int reuseaddr;
    struct lab_endpoint bind_ep;
    int listener;
    int conn;          /* the accepted connection, -1 once closed */
    size_t first_seen; /* how many of the client's first bytes matched its scenario's */
};

/* Reads narrated one line each before the rest are only counted: a client
 * that trickles bytes must not get one line per byte. */
#define READS_SHOWN 5

enum { OPT_HOLD = LAB_OPT_FIRST_PRIVATE, OPT_REUSEADDR };

static void usage(void)
{
    printf("Usage: %s [OPTION]...\n"
           "The server end of the close demo: accepts one connection (two for\n"
           "reconnect), plays its half of the scenario and narrates each step with\n"
           "the TCP state the kernel reports.\n\n"
           "Options:\n"
           "  -s, --scenario NAME  which story to play (default graceful)\n"
           "  -b, --bind ADDR      address to listen on (default 127.0.0.1; ::1 for IPv6)\n"
           "  -p, --port PORT      port to listen on (default %d; 0 = kernel picks)\n"
           "      --hold-ms MS     how long to sit in CLOSE_WAIT before closing (default\n"
           "                       100; graceful, half-close and close-wait-leak only)\n"
           "      --reuseaddr      set SO_REUSEADDR on the listener\n"
           "  -t, --timeout MS     bound on every wait for the peer or the kernel\n"
           "                       (default 600000: time to switch terminals)\n"
           "      --step           wait for Enter before each state-changing call\n"
           "  -q, --quiet          events only, no explanations\n"
           "  -h, --help           this text\n\n%s\n"
           "Example:\n  %s --scenario half-close --bind ::1\n",
           PROG, CLOSE_DEMO_PORT, CLOSE_SCENARIO_HELP, PROG);
}

static int parse_args(struct server *s, int argc, char *argv[])
{
    static const struct option options[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"bind", required_argument, NULL, 'b'},
        {"hold-ms", required_argument, NULL, OPT_HOLD},
        {"reuseaddr", no_argument, NULL, OPT_REUSEADDR},
        {NULL, 0, NULL, 0},
    };
    lab_cli_init(&s->cli, PROG, CLOSE_DEMO_PORT, 600000);
    s->hold_ms = 100;
    int opt, more;
    while ((more = lab_cli_next(&s->cli, argc, argv, options, &opt)) > 0) {
        long v;
        switch (opt) {
        case OPT_HOLD:
            if (lab_cli_long(PROG, "hold-ms", optarg, 0, 600000, &v) < 0)
                return -1;
            s->hold_ms = (int)v;
            s->hold_given = 1;
            break;
        case OPT_REUSEADDR:
            s->reuseaddr = 1;
            break;
        default:
            return lab_cli_unknown(&s->cli, opt, argv);
        }
    }
    if (more < 0)
        return -1;
    int sc = 0;
    if (lab_cli_finish(&s->cli, argc, argv, close_scenario_names, &sc, SOCK_STREAM, &s->bind_ep) <
        0)
        return -1;
    s->scenario = (enum close_scenario)sc;
    /* An option the scenario never uses would be silently ignored: refuse it. */
    if (s->hold_given && !s->cli.help && s->scenario != SC_GRACEFUL &&
        s->scenario != SC_HALF_CLOSE && s->scenario != SC_CLOSE_WAIT_LEAK) {
        lab_usage_error(PROG,
                        "--hold-ms has no use in scenario %s (only graceful, half-close and "
                        "close-wait-leak hold CLOSE_WAIT)",
                        close_scenario_names[s->scenario]);
        return -1;
    }
    return 0;
}

/* Close the connection once, so every exit path leaves no fd behind. */
static int conn_close(struct server *s)
{
    int rc = close(s->conn);
    s->conn = -1;
    return rc;
}

/* The step a system call failed at: narrated with its errno and, where the
 * client did something this scenario does not expect, the likely cause; exit
 * status 1. */
static int fail(const struct server *s, const char *what)
{
    return closing_fail(&s->n, what, "client", s->cli.timeout_ms);
}

/* Abort the connection: RST, so that a client stuck in another scenario's
 * wait learns at once that this run is over. */
static void conn_abort(struct server *s)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    if (setsockopt(s->conn, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0)
        lab_say_errno(&s->n, errno, "setsockopt(SO_LINGER) failed");
    conn_close(s);
    lab_say(&s->n, "close() with SO_LINGER {1, 0}: RST, so that the client stops too");
}

/* The client's first bytes tell which scenario it plays (scenarios.h): 0 while
 * they fit ours (or once they did), 1 after saying which one it seems to run
 * and resetting the connection. */
static int check_client(struct server *s, const char *buf, size_t len)
{
    const struct close_first_bytes *want = &close_first[s->scenario];
    if (s->first_seen >= want->len || len == 0)
        return 0;
    size_t n = len < want->len - s->first_seen ? len : want->len - s->first_seen;
    if (memcmp(buf, want->bytes + s->first_seen, n) == 0) {
        s->first_seen += n;
        return 0;
    }
    /* What the client sent from its first byte on, to compare with each scenario. */
    char got[64];
    size_t have = s->first_seen;
    memcpy(got, want->bytes, have);
    size_t more = len < sizeof got - have ? len : sizeof got - have;
    memcpy(got + have, buf, more);
    have += more;
    const char *theirs = NULL;
    for (int i = 0; close_scenario_names[i] != NULL; i++) {
        size_t k = have < close_first[i].len ? have : close_first[i].len;
        if (i != (int)s->scenario && memcmp(got, close_first[i].bytes, k) == 0)
            theirs = close_scenario_names[i];
    }
    char shown[160], wanted[80];
    lab_escape(got, have, shown, sizeof shown);
    lab_escape(want->bytes, want->len, wanted, sizeof wanted);
    if (theirs != NULL)
        lab_say(&s->n,
                "unexpected: the client sent \"%s\", a %s client starts with \"%s\": the "
                "client runs scenario %s; give both ends the same --scenario",
                shown, close_scenario_names[s->scenario], wanted, theirs);
    else
        lab_say(&s->n,
                "unexpected: the client sent \"%s\", a %s client starts with \"%s\": the "
                "other end runs another scenario or is no close-client",
                shown, close_scenario_names[s->scenario], wanted);
    conn_abort(s);
    return 1;
}

/* lab_read_bounded within one deadline for a whole wait: a client that keeps
 * sending a byte now and then cannot stretch it (ETIMEDOUT once it passed). */
static ssize_t read_by(int fd, void *buf, size_t len, long long deadline)
{
    int left = lab_ms_left(deadline);
    if (left == 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    return lab_read_bounded(fd, buf, len, left);
}

/* After READS_SHOWN narrated reads, one line for the ones only counted. */
static void say_hidden_reads(const struct server *s, long calls, long bytes)
{
    if (calls > 0)
        lab_say(&s->n, "... and %ld more read() calls with %ld bytes, not shown one by one", calls,
                bytes);
}

/* Read and narrate until EOF, all within one --timeout; 0, or 1 after
 * narrating what went wrong (a failed read, or a client of another scenario). */
static int read_to_eof(struct server *s, int fd)
{
    char buf[65536];
    long reads = 0, hidden_bytes = 0;
    long long deadline = lab_now_ms() + s->cli.timeout_ms;
    for (;;) {
        ssize_t r = read_by(fd, buf, sizeof buf, deadline);
        if (r <= 0)
            say_hidden_reads(s, reads - READS_SHOWN, hidden_bytes);
        if (r < 0)
            return fail(s, "read()");
        if (r == 0 && s->first_seen < close_first[s->scenario].len) {
            lab_say_fd(&s->n, fd,
                       "unexpected: EOF after %zu of the bytes a %s client sends first (does "
                       "the client run another scenario?)",
                       s->first_seen, close_scenario_names[s->scenario]);
            return 1;
        }
        if (r == 0)
            break;
        if (check_client(s, buf, (size_t)r) != 0)
            return 1;
        if (reads++ < READS_SHOWN) {
            char text[160];
            lab_say_fd(&s->n, fd, "read() -> %zd bytes \"%s\"", r,
                       lab_escape(buf, (size_t)r, text, sizeof text));
        } else {
            hidden_bytes += r;
        }
    }
    lab_say_fd(&s->n, fd, "read() -> 0: EOF");
    lab_explain(&s->n, "The client's FIN was queued behind its data, so every byte came");
    lab_explain(&s->n, "out first; read() returns 0 only after the last one. The FIN moved");
    lab_explain(&s->n, "our socket to CLOSE_WAIT, where it stays until we close(). Our kernel");
    lab_explain(&s->n, "ACKs that FIN on its own, but delays the ACK (about 40 ms here,");
    lab_explain(&s->n, "200 ms at most) in case our FIN or data can carry it.");
    return 0;
}

static int passive_close(struct server *s)
{
    int fd = s->conn;
    struct lab_endpoint local, peer;
    if (closing_tuple(fd, &local, &peer) < 0)
        return fail(s, "getsockname/getpeername");
    lab_step(&s->n, s->cli.step, "close() the connection");
    if (conn_close(s) < 0)
        return fail(s, "close()");
    lab_say(&s->n, "close(): the kernel sends our FIN");
    closing_report_passive(&s->n, &local, &peer);
    return 0;
}

static int hold_in_close_wait(struct server *s)
{
    int fd = s->conn;
    if (s->hold_ms > 0) {
        lab_say_fd(&s->n, fd, "holding the socket open for %d ms", s->hold_ms);
        lab_explain(&s->n, "The client's socket moves on without us: FIN_WAIT1 until our kernel");
        lab_explain(&s->n, "ACKs its FIN (at once, or up to ~40 ms later if the ACK is delayed),");
        lab_explain(&s->n, "then FIN_WAIT2 until our FIN, which only close() or shutdown() sends.");
        lab_explain(&s->n, "Its own narration, or ss in a third terminal, says which it is in.");
        lab_pause_ms(s->hold_ms); /* the demonstration itself, not synchronisation */
    }
    return 0;
}

static int graceful(struct server *s)
{
    int fd = s->conn;
    if (read_to_eof(s, fd) != 0)
        return 1;
    hold_in_close_wait(s);
    return passive_close(s);
}

static int half_close(struct server *s)
{
    int fd = s->conn;
    if (read_to_eof(s, fd) != 0)
        return 1;
    lab_explain(&s->n, "EOF means the client will send nothing more. It does not mean it");
    lab_explain(&s->n, "stopped reading: a half-closed connection still carries our data.");
    hold_in_close_wait(s);
    static const char reply[] = "reply after your FIN\n";
    lab_step(&s->n, s->cli.step, "write() the reply");
    if (lab_send_all(fd, reply, sizeof reply - 1) < 0)
        return fail(s, "write()");
    lab_say_fd(&s->n, fd, "write() -> %zu bytes after EOF", sizeof reply - 1);
    return passive_close(s);
}

/* Try to listen on the port again, as a restarted server would. */
static int try_rebind(const struct server *s, int reuse, int *ok)
{
    int fd = lab_tcp_listen(&s->bind_ep, 8, reuse);
    *ok = fd >= 0;
    if (fd < 0) {
        lab_say_errno(&s->n, errno, "new listener %s SO_REUSEADDR: bind()",
                      reuse ? "with" : "without");
        return errno == EADDRINUSE ? 0 : -1;
    }
    lab_say_fd(&s->n, fd, "new listener %s SO_REUSEADDR: bind() and listen() ok",
               reuse ? "with" : "without");
    close(fd);
    return 0;
}

static int server_first(struct server *s)
{
    int fd = s->conn;
    char buf[256], text[160];
    ssize_t r = lab_read_bounded(fd, buf, sizeof buf, s->cli.timeout_ms);
    if (r < 0)
        return fail(s, "read()");
    if (r == 0) {
        lab_say_fd(&s->n, fd,
                   "unexpected: EOF before the client's request (does it run another "
                   "scenario?)");
        return 1;
    }
    if (check_client(s, buf, (size_t)r) != 0)
        return 1;
    lab_say_fd(&s->n, fd, "read() -> %zd bytes \"%s\"", r,
               lab_escape(buf, (size_t)r, text, sizeof text));

    struct lab_endpoint local, peer;
    if (closing_tuple(fd, &local, &peer) < 0)
        return fail(s, "getsockname/getpeername");
    lab_step(&s->n, s->cli.step, "close() first (we become the active closer)");
    if (conn_close(s) < 0)
        return fail(s, "close()");
    lab_say(&s->n, "close(): we close first, the kernel sends our FIN");
    if (closing_watch_active(&s->n, &local, &peer, s->cli.timeout_ms) != 0)
        return 1;
    lab_explain(&s->n, "The side that closes first keeps TIME_WAIT: here, the server. It");
    lab_explain(&s->n, "holds the 4-tuple, and so our port, for 60 s.");

    lab_step(&s->n, s->cli.step, "close the listener and listen again, as a restart would");
    close(s->listener);
    s->listener = -1;
    lab_say(&s->n, "closed the listener; now restarting on the same port");
    int ok_plain, ok_reuse;
    if (try_rebind(s, 0, &ok_plain) < 0 || try_rebind(s, 1, &ok_reuse) < 0)
        return 1;
    lab_explain(&s->n, "Without SO_REUSEADDR the TIME_WAIT's claim on the port blocks bind().");
    if (s->reuseaddr) {
        lab_explain(&s->n, "With it, bind() succeeds: the TIME_WAIT keeps the flag of its own");
        lab_explain(&s->n,
                    "socket, which copied it from our old listener. Linux wants the flag on");
        lab_explain(&s->n, "the connection's socket and on the new one.");
    } else {
        lab_explain(&s->n, "Even with it bind() fails here: the TIME_WAIT keeps the flag of its");
        lab_explain(&s->n, "own socket, which copied it from our old listener, which lacked it.");
        lab_explain(&s->n, "Run close-server again with --reuseaddr to see bind() succeed.");
    }
    /* What Linux does (checked by claim tests): plain bind always fails; with
     * the flag it succeeds only if the old listener had it as well. */
    if (ok_plain || ok_reuse != s->reuseaddr) {
        lab_say(&s->n, "the kernel did not do what this lab expects");
        return 1;
    }
    return 0;
}

static int unread_data(struct server *s)
{
    int fd = s->conn;
    int ready = lab_wait_fd(fd, POLLIN, s->cli.timeout_ms);
    if (ready <= 0) {
        if (ready == 0)
            errno = ETIMEDOUT;
        return fail(s, "waiting for the client's request");
    }
    /* Look without reading (MSG_PEEK): the lesson needs the bytes left unread. */
    char peek[64];
    ssize_t seen = recv(fd, peek, sizeof peek, MSG_PEEK | MSG_DONTWAIT);
    if (seen < 0)
        return fail(s, "recv(MSG_PEEK)");
    if (check_client(s, peek, (size_t)seen) != 0)
        return 1;
    if (seen == 0) {
        lab_say_fd(&s->n, fd,
                   "EOF where this scenario expects a request: the client closed (does "
                   "it run another scenario?)");
        return 1;
    }
    int unread = lab_unread_bytes(fd);
    lab_say_fd(&s->n, fd, "the client's request arrived: %d bytes we will not read", unread);
    static const char reply[] = "reply before the reset\n";
    if (lab_send_all(fd, reply, sizeof reply - 1) < 0)
        return fail(s, "write()");
    lab_say_fd(&s->n, fd, "write() -> %zu bytes", sizeof reply - 1);

    struct lab_endpoint local, peer;
    if (closing_tuple(fd, &local, &peer) < 0)
        return fail(s, "getsockname/getpeername");
    lab_step(&s->n, s->cli.step, "close() with unread data");
    if (conn_close(s) < 0)
        return fail(s, "close()");
    lab_say(&s->n, "close() with %d unread bytes: the kernel sends RST, not FIN", unread);
    lab_explain(&s->n, "Data we never read would be lost silently if we sent a normal FIN,");
    lab_explain(&s->n, "so the kernel tells the peer the truth: RST (RFC 2525, 2.17).");
    struct lab_conn c;
    int found = lab_diag_find((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss, &c);
    if (found < 0)
        return fail(s, "sock_diag lookup");
    if (found) {
        lab_say_conn(&s->n, &c, "sock_diag: unexpected leftover:");
        return 1;
    }
    lab_say(&s->n, "sock_diag: connection gone, no TIME_WAIT  state=CLOSE");
    return 0;
}

static int expect_reset(struct server *s)
{
    int fd = s->conn;
    char buf[256], text[160];
    long reads = 0, hidden_bytes = 0;
    long long deadline = lab_now_ms() + s->cli.timeout_ms;
    for (;;) {
        ssize_t r = read_by(fd, buf, sizeof buf, deadline);
        if (r > 0) {
            if (check_client(s, buf, (size_t)r) != 0)
                return 1;
            if (reads++ < READS_SHOWN)
                lab_say_fd(&s->n, fd, "read() -> %zd bytes \"%s\"", r,
                           lab_escape(buf, (size_t)r, text, sizeof text));
            else
                hidden_bytes += r;
            continue;
        }
        say_hidden_reads(s, reads - READS_SHOWN, hidden_bytes);
        if (r == 0) {
            lab_say_fd(&s->n, fd,
                       "read() -> 0: EOF, but this scenario expects a reset (does the client "
                       "run another scenario?)");
            return 1;
        }
        if (errno != ECONNRESET)
            return fail(s, "read()");
        int err = errno;
        int state = lab_tcp_state_of_fd(fd);
        lab_say_errno(&s->n, err, "read() -> -1  state=%s", lab_tcp_state_name(state));
        return 0;
    }
}

static int linger0(struct server *s)
{
    if (expect_reset(s) != 0)
        return 1;
    lab_explain(&s->n, "The client aborted with SO_LINGER {on, 0 s}: its kernel sent RST and");
    lab_explain(&s->n, "threw away whatever it had not sent yet. What had already reached us");
    lab_explain(&s->n, "stayed readable; then read() fails with ECONNRESET. No side keeps a");
    lab_explain(&s->n, "TIME_WAIT.");
    conn_close(s);
    return 0;
}

static int close_wait_leak(struct server *s)
{
    int fd = s->conn;
    if (read_to_eof(s, fd) != 0)
        return 1;
    lab_say(&s->n, "this server 'forgets' to close()");
    hold_in_close_wait(s);
    lab_say_fd(&s->n, fd, "still not closed after %d ms", s->hold_ms);
    lab_explain(&s->n, "CLOSE_WAIT has no timer: the kernel waits for the application for");
    lab_explain(&s->n, "ever. A server that misses close() on some path collects these until");
    lab_explain(&s->n, "it runs out of fds (EMFILE); 'ss -tan state close-wait' shows them.");
    lab_explain(&s->n, "The client's side is orphaned in FIN_WAIT2 and will be dropped by its");
    lab_explain(&s->n, "kernel after net.ipv4.tcp_fin_timeout; ours would stay.");
    lab_step(&s->n, s->cli.step, "close() at last (a leaking server never would)");
    conn_close(s);
    lab_say(&s->n, "close() at last, before exiting: our FIN finally goes out  state=CLOSE");
    lab_explain(&s->n, "Had we simply exited, the kernel would have closed the fd for us; a");
    lab_explain(&s->n, "long-running server that leaks keeps CLOSE_WAIT until it dies.");
    return 0;
}

/* accept() within --timeout: the connection's fd, -1 after narrating why
 * not, or -2 when the reader of our narration has gone (nothing said). */
static int accept_one(struct server *s)
{
    struct lab_endpoint peer;
    lab_step(&s->n, s->cli.step, "accept()");
    /* Watching stdout too: a reader of our narration that went away (a pipe
     * into head -1) ends the wait, and the run, at once and cleanly. */
    int ready = lab_wait_fd_watching(s->listener, POLLIN, STDOUT_FILENO, s->cli.timeout_ms);
    if (ready < 0 && errno == EPIPE)
        return -2;
    if (ready == 0)
        errno = ETIMEDOUT;
    int fd = ready <= 0 ? -1 : lab_accept_bounded(s->listener, 0, &peer);
    if (fd < 0) {
        if (errno == ETIMEDOUT)
            lab_say_errno(&s->n, errno, "no client within %d ms (--timeout); start close-client",
                          s->cli.timeout_ms);
        else
            fail(s, "accept()");
        return -1;
    }
    char addr[LAB_ENDPOINT_STRLEN];
    int state = lab_tcp_state_of_fd(fd); /* read once: the line and its explanation agree */
    lab_say(&s->n, "accept() -> connection from %s  state=%s",
            lab_endpoint_format((struct sockaddr *)&peer.ss, addr, sizeof addr),
            lab_tcp_state_name(state));
    if (state != LAB_TCP_ESTABLISHED) {
        lab_explain(&s->n, "Not ESTABLISHED any more: the kernel completed the handshake and");
        lab_explain(&s->n, "queued what the client sent (its FIN too, or a reset) before we");
        lab_explain(&s->n, "even called accept(). The connection never waits for the app.");
    }
    return fd;
}

static int reconnect(struct server *s)
{
    int fd = s->conn;
    if (expect_reset(s) != 0)
        return 1;
    lab_explain(&s->n, "The client called connect(AF_UNSPEC) on its connected socket. Linux");
    lab_explain(&s->n, "treats that as 'disconnect': its kernel aborted with RST.");
    conn_close(s);
    lab_say(&s->n, "waiting for the same client socket to connect again");
    s->conn = fd = accept_one(s);
    if (fd == -2)
        return 0;
    if (fd < 0)
        return 1;
    if (read_to_eof(s, fd) != 0)
        return 1;
    return passive_close(s);
}

static int large_transfer(struct server *s)
{
    int fd = s->conn;
    char buf[65536];
    long long total = 0, reads = 0;
    long long deadline = lab_now_ms() + s->cli.timeout_ms;
    for (;;) {
        ssize_t r = read_by(fd, buf, sizeof buf, deadline);
        if (r < 0) {
            lab_say(&s->n, "read %lld bytes in %lld reads so far", total, reads);
            return fail(s, "read()");
        }
        if (r == 0)
            break;
        if (check_client(s, buf, (size_t)r) != 0)
            return 1;
        for (ssize_t i = 0; i < r; i++) {
            if ((unsigned char)buf[i] != (unsigned char)((total + i) % 251)) {
                /* No point reading on: the stream is not the one we check. */
                lab_say(&s->n, "data corrupted at byte %lld", total + i);
                return 1;
            }
        }
        total += r;
        reads++;
    }
    lab_say_fd(&s->n, fd, "read() -> 0: EOF after exactly %lld bytes in %lld reads", total, reads);
    lab_say(&s->n, "every byte matched the client's pattern");
    lab_explain(&s->n, "close() on the client did not cut the stream: its kernel sent all");
    lab_explain(&s->n, "queued data and only then the FIN, and we saw EOF only after the");
    lab_explain(&s->n, "last byte. The FIN is just another place in the byte stream.");
    return passive_close(s);
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
    if (parse_args(&s, argc, argv) < 0)
        return 2;
    if (s.cli.help) {
        usage();
        return 0;
    }
    lab_narrator_init(&s.n, "server", s.cli.quiet, stdout);

    char addr[LAB_ENDPOINT_STRLEN];
    lab_endpoint_format((struct sockaddr *)&s.bind_ep.ss, addr, sizeof addr);
    s.listener = lab_tcp_listen(&s.bind_ep, 8, s.reuseaddr);
    if (s.listener < 0) {
        int err = errno;
        lab_say_errno(&s.n, err, "listen on %s failed", addr);
        if (err == EADDRINUSE)
            lab_explain(&s.n, "Another server, or a TIME_WAIT left by a server-first run, holds "
                              "the port; use --reuseaddr (on both runs) or another --port.");
        return 1;
    }
    struct lab_endpoint bound;
    if (lab_endpoint_local(s.listener, &bound) < 0)
        return fail(&s, "getsockname()");
    lab_say_fd(&s.n, s.listener, "listening on %s  scenario=%s",
               lab_endpoint_format((struct sockaddr *)&bound.ss, addr, sizeof addr),
               close_scenario_names[s.scenario]);
    if (!lab_endpoint_is_loopback(&bound))
        lab_say(&s.n, "note: %s is not a loopback address: other hosts can connect", addr);
    s.bind_ep = bound; /* server-first re-binds the very port we got */

    s.conn = accept_one(&s);
    if (s.conn == -2) { /* nobody reads us any more: a clean end */
        s.conn = -1;
        close(s.listener);
        return 0;
    }
    int rc = 1;
    if (s.conn >= 0) {
        switch (s.scenario) {
        case SC_GRACEFUL:
            rc = graceful(&s);
            break;
        case SC_HALF_CLOSE:
            rc = half_close(&s);
            break;
        case SC_SERVER_FIRST:
            rc = server_first(&s);
            break;
        case SC_UNREAD_DATA:
            rc = unread_data(&s);
            break;
        case SC_LINGER0:
            rc = linger0(&s);
            break;
        case SC_CLOSE_WAIT_LEAK:
            rc = close_wait_leak(&s);
            break;
        case SC_RECONNECT:
            rc = reconnect(&s);
            break;
        case SC_LARGE_TRANSFER:
            rc = large_transfer(&s);
            break;
        }
    }
    if (s.conn >= 0)
        conn_close(&s);
    if (s.listener >= 0)
        close(s.listener);
    lab_say(&s.n, "done, exit %d", rc);
    return rc;
}
