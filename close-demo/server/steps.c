/* The steps the server's scenarios share. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "closing.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_kstat.h"
#include "lab_netns.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "server.h"

/* Reads narrated one line each before the rest are only counted: a client
 * that trickles bytes must not get one line per byte. */
#define READS_SHOWN 5

int accept_one(struct server *s)
{
    struct lab_endpoint peer;
    lab_step(&s->n, s->cli.step, "accept()");
    /* Watching stdout too: a reader of our narration that went away (a pipe
     * into head -1) ends the wait, and the run, at once and cleanly. */
    int ready = lab_wait_fd_watching(s->listener, POLLIN, STDOUT_FILENO, s->cli.timeout_ms);
    if (ready < 0 && errno == EPIPE)
        return -1;
    if (ready == 0)
        errno = ETIMEDOUT;
    int fd = ready <= 0 ? -1 : lab_accept_bounded(s->listener, 0, &peer);
    if (fd < 0 && errno != ETIMEDOUT)
        lab_fail_errno(&s->n, errno, "accept()");
    if (fd < 0) {
        lab_say_errno(&s->n, ETIMEDOUT, "no client within %d ms (--timeout); start close-client",
                      s->cli.timeout_ms);
        exit(1);
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

/* Which scenario's client starts with got[0..have): another than ours, or NULL. */
static const char *client_scenario(const struct server *s, const char *got, size_t have)
{
    const char *theirs = NULL;
    for (size_t i = 0; i < close_scenario_count; i++) {
        const struct close_scenario *sc = &close_scenarios[i];
        size_t k = have < sc->first_len ? have : sc->first_len;
        if (sc != s->sc && memcmp(got, sc->first, k) == 0)
            theirs = sc->name;
    }
    return theirs;
}

void check_client(struct server *s, const char *buf, size_t len)
{
    const struct close_scenario *want = s->sc;
    if (s->first_seen >= want->first_len || len == 0)
        return;
    size_t n = len < want->first_len - s->first_seen ? len : want->first_len - s->first_seen;
    if (memcmp(buf, want->first + s->first_seen, n) == 0) {
        s->first_seen += n;
        return;
    }
    /* What the client sent from its first byte on, to compare with each scenario. */
    char got[64];
    size_t have = s->first_seen;
    memcpy(got, want->first, have);
    size_t more = len < sizeof got - have ? len : sizeof got - have;
    memcpy(got + have, buf, more);
    have += more;
    const char *theirs = client_scenario(s, got, have);
    char shown[160], wanted[80];
    lab_escape(got, have, shown, sizeof shown);
    lab_escape(want->first, want->first_len, wanted, sizeof wanted);
    if (theirs != NULL)
        lab_say(&s->n,
                "unexpected: the client sent \"%s\", a %s client starts with \"%s\": the "
                "client runs scenario %s; give both ends the same --scenario",
                shown, want->name, wanted, theirs);
    else
        lab_say(&s->n,
                "unexpected: the client sent \"%s\", a %s client starts with \"%s\": the "
                "other end runs another scenario or is no close-client",
                shown, want->name, wanted);
    /* RST, so that a client stuck in another scenario's wait learns at once
     * that this run is over. */
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    if (setsockopt(s->conn, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0)
        lab_fail_errno(&s->n, errno, "setsockopt(SO_LINGER)");
    closing_close(&s->n, &s->conn);
    lab_say(&s->n, "close() with SO_LINGER {1, 0}: RST, so that the client stops too");
    exit(1);
}

/* Read, check and narrate until EOF or an error, within one --timeout (a
 * client that trickles bytes cannot stretch it): 0 at EOF, -1 with errno. */
static int read_all(struct server *s, char *buf, size_t len)
{
    long reads = 0, hidden_bytes = 0;
    long long deadline = lab_now_ms() + s->cli.timeout_ms;
    ssize_t r;
    while ((r = closing_read_by(s->conn, buf, len, deadline)) > 0) {
        check_client(s, buf, (size_t)r);
        if (reads++ < READS_SHOWN) {
            char text[160];
            lab_say_fd(&s->n, s->conn, "read() -> %zd bytes \"%s\"", r,
                       lab_escape(buf, (size_t)r, text, sizeof text));
        } else {
            hidden_bytes += r;
        }
    }
    int err = errno;
    if (reads > READS_SHOWN)
        lab_say(&s->n, "... and %ld more read() calls with %ld bytes, not shown one by one",
                reads - READS_SHOWN, hidden_bytes);
    errno = err;
    return r == 0 ? 0 : -1;
}

void read_to_eof(struct server *s)
{
    char buf[65536];
    if (read_all(s, buf, sizeof buf) < 0)
        lab_fail_errno(&s->n, errno, "read()");
    if (s->first_seen < s->sc->first_len)
        lab_fail_fd(&s->n, s->conn, "EOF after %zu of the bytes a %s client sends first",
                    s->first_seen, s->sc->name);
    lab_say_fd(&s->n, s->conn, "read() -> 0: EOF");
    lab_explain(&s->n, "The client's FIN was queued behind its data, so every byte came");
    lab_explain(&s->n, "out first; read() returns 0 only after the last one. The FIN moved");
    lab_explain(&s->n, "our socket to CLOSE_WAIT, where it stays until we close(). Our kernel");
    lab_explain(&s->n, "ACKs that FIN on its own, but delays the ACK (about 40 ms here,");
    lab_explain(&s->n, "200 ms at most) in case our FIN or data can carry it.");
}

void read_to_reset(struct server *s)
{
    char buf[256];
    if (read_all(s, buf, sizeof buf) == 0)
        lab_fail_fd(&s->n, s->conn, "read() -> 0: EOF, but this scenario expects a reset");
    if (errno != ECONNRESET)
        lab_fail_errno(&s->n, errno, "read()");
    lab_say_errno(&s->n, ECONNRESET, "read() -> -1  state=%s",
                  lab_tcp_state_name(lab_tcp_state_of_fd(s->conn)));
}

void read_first_bytes(struct server *s, const char *eof_what)
{
    long long deadline = lab_now_ms() + s->cli.timeout_ms;
    while (s->first_seen < s->sc->first_len) {
        char buf[256], text[160];
        ssize_t r = closing_read_by(s->conn, buf, sizeof buf, deadline);
        if (r < 0)
            lab_fail_errno(&s->n, errno, "read()");
        if (r == 0)
            lab_fail_fd(&s->n, s->conn, "EOF before %s", lab_tr(eof_what));
        check_client(s, buf, (size_t)r);
        lab_say_fd(&s->n, s->conn, "read() -> %zd bytes \"%s\"", r,
                   lab_escape(buf, (size_t)r, text, sizeof text));
    }
}

void go_deaf(struct server *s)
{
    lab_step(&s->n, s->cli.step, "setsockopt(SO_ATTACH_FILTER): hear nothing any more");
    if (lab_drop_input(s->conn, 1) < 0)
        lab_fail_errno(&s->n, errno, "setsockopt(SO_ATTACH_FILTER)");
    lab_say_fd(&s->n, s->conn, "setsockopt(SO_ATTACH_FILTER): from now on we hear nothing");
    lab_explain(&s->n, "A socket filter that returns 0 discards every segment for this socket");
}

void hold_in_close_wait(const struct server *s)
{
    if (s->hold_ms == 0)
        return;
    lab_say_fd(&s->n, s->conn, "holding the socket open for %d ms", s->hold_ms);
    lab_explain(&s->n, "The client's socket moves on without us: FIN_WAIT1 until our kernel");
    lab_explain(&s->n, "ACKs its FIN (delayed: about 40 ms here, 200 ms at most),");
    lab_explain(&s->n, "then FIN_WAIT2 until our FIN, which only close() or shutdown() sends.");
    lab_explain(&s->n, "Its own narration, or ss in a third terminal, says which it is in.");
    lab_pause_ms(s->hold_ms); /* the demonstration itself, not synchronisation */
}

void passive_close(struct server *s)
{
    struct lab_endpoint local, peer;
    closing_close_noting(&s->n, s->cli.step, "close() the connection", &s->conn, &local, &peer);
    lab_say(&s->n, "close(): the kernel sends our FIN");
    closing_report_passive(&s->n, &local, &peer);
}

#define FIN_TIMEOUT "net.ipv4.tcp_fin_timeout"

int set_fin_timeout(struct server *s)
{
    s->fin_timeout_err = -1;
    if (lab_netns_is_host() == 0) {
        /* A namespace made by `ip netns add` outlives the run: put it back. */
        if (lab_sysctl_restore_on_exit() < 0)
            lab_fail_errno(&s->n, errno, "installing the sysctl restore");
        if (lab_sysctl_change(FIN_TIMEOUT, s->fin_timeout, &s->fin_timeout_old) == 0) {
            s->fin_timeout_err = 0;
            return 0;
        }
        s->fin_timeout_err = errno;
        s->fin_timeout_old = s->fin_timeout; /* what we asked for, to say so */
    } else if (s->fin_timeout_given) {
        return lab_usage_error(s->cli.prog,
                               "refusing to change net.ipv4.tcp_fin_timeout outside a private "
                               "network namespace: run both programs in one, or leave out "
                               "--fin-timeout");
    }
    if (lab_sysctl_read(FIN_TIMEOUT, &s->fin_timeout) < 0)
        lab_fail_errno(&s->n, errno, "sysctl net.ipv4.tcp_fin_timeout");
    /* We hold CLOSE_WAIT until the client's FIN_WAIT2 has timed out: a timer
     * of the kernel's timer wheel, which may fire up to an eighth late. */
    if (s->fin_timeout * 1000 * 9 / 8 + 500 > s->cli.timeout_ms)
        return lab_usage_error(s->cli.prog,
                               "net.ipv4.tcp_fin_timeout stays %ld s here: waiting that out "
                               "(and the timer's slack) could outlast --timeout %d ms; raise "
                               "--timeout, or run both programs in a private network namespace",
                               s->fin_timeout, s->cli.timeout_ms);
    return 0;
}

void say_fin_timeout(const struct server *s)
{
    if (s->fin_timeout_err == 0) {
        lab_say(&s->n,
                "before listen: sysctl net.ipv4.tcp_fin_timeout %ld -> %ld (private namespace)",
                s->fin_timeout_old, s->fin_timeout);
        lab_explain(&s->n, "The client shares this namespace's value on loopback: its orphaned");
        lab_explain(&s->n, "FIN_WAIT2 will last %ld s, not a minute. The old value comes back at",
                    s->fin_timeout);
        lab_explain(&s->n, "exit.");
    } else if (s->fin_timeout_err < 0) {
        lab_say(&s->n, "sysctl net.ipv4.tcp_fin_timeout stays %ld s: the host's namespace",
                s->fin_timeout);
        lab_explain(&s->n, "This lab changes sysctls only in a private network namespace; the");
        lab_explain(&s->n, "lesson runs with the kernel's value, %ld s of waiting.",
                    s->fin_timeout);
    } else {
        lab_say_errno(&s->n, s->fin_timeout_err,
                      "sysctl net.ipv4.tcp_fin_timeout -> %ld: refused, stays %ld s",
                      s->fin_timeout_old, s->fin_timeout);
    }
}
