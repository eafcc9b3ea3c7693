/* ack-overflow, the client's half (claim C9, the one RST): with the
 * server's TCP_DEFER_ACCEPT a handshake completes here while the server
 * keeps only a request until data comes. The victims connect first and keep
 * quiet; backlog+1 fillers then connect and send, filling the accept queue;
 * last, each victim sends one byte into the full queue. The server drops it
 * (the victim stays ESTABLISHED and retransmits), or, with
 * tcp_abort_on_overflow=1, answers RST: ECONNRESET, never ECONNREFUSED.
 * Partner: backlog-server --scenario ack-overflow [--abort-on-overflow 1] */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#if defined(__linux__)
#include <linux/sockios.h>
#endif

#include "client.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"

/* Bytes sent on fd and not yet acknowledged (SIOCOUTQ), or -1 where unknown. */
static int unacked_bytes(int fd)
{
    int outq = -1;
#if defined(SIOCOUTQ)
    if (ioctl(fd, SIOCOUTQ, &outq) < 0)
        outq = -1;
#else
    (void)fd;
#endif
    return outq;
}

/* The fate of the byte just sent on k: acknowledged (queued on the server),
 * dropped (ListenOverflows grew past overflows_before), reset, or no answer
 * within --timeout. */
static void await_first_byte(const struct client *c, struct conn *k,
                             unsigned long long overflows_before)
{
    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    struct lab_backoff pace = {0};
    for (;;) {
        struct pollfd p = {.fd = k->fd, .events = POLLIN};
        if (poll(&p, 1, lab_backoff_next(&pace)) < 0 && errno != EINTR)
            lab_fail_errno(&c->n, errno, "poll");
        if (p.revents & (POLLERR | POLLHUP)) {
            finish_conn(k, 0);
            return;
        }
        k->done_ms = lab_now_ms();
        if (unacked_bytes(k->fd) == 0) {
            k->fate = F_QUEUED;
            return;
        }
        if (probe_counter(PC_LISTEN_OVERFLOWS) > overflows_before) {
            k->fate = F_DROPPED;
            return;
        }
        if (k->done_ms >= deadline) {
            k->fate = F_ERROR;
            k->err = ETIMEDOUT;
            return;
        }
    }
}

/* connect() conn i, waiting at most --timeout; a failure ends the run, named
 * by role (N_(): said translated). */
static void connect_one(struct client *c, long i, const char *role)
{
    struct conn *k = &c->conns[i];
    if (open_conn(k, &c->server) == 0 && k->fate == F_PENDING &&
        lab_wait_fd(k->fd, POLLOUT, c->cli.timeout_ms) > 0)
        finish_conn(k, 0);
    if (k->fate == F_PENDING)
        k->err = ETIMEDOUT;
    if (k->fate != F_COMPLETED)
        lab_fail_errno(&c->n, k->err, "conn %ld (%s): connect", i + 1, lab_tr(role));
}

/* send() one byte on conn i and wait for its fate; -1 if send() failed. */
static int send_one(struct client *c, long i, const char *byte)
{
    struct conn *k = &c->conns[i];
    unsigned long long before = probe_counter(PC_LISTEN_OVERFLOWS);
    if (send(k->fd, byte, 1, MSG_NOSIGNAL) < 0) {
        k->fate = F_ERROR;
        k->err = errno;
        return -1;
    }
    await_first_byte(c, k, before);
    return 0;
}

/* How many victims: what the connections beyond the fillers allow, at most
 * backlog (the SYN queue is bounded by the backlog too); the rest unused. */
static long plan_victims(struct client *c, long fillers)
{
    long victims = c->m - fillers;
    if (victims > c->backlog) {
        lab_say(&c->n,
                "only %ld of the %ld extra connections can wait as requests: the SYN "
                "queue is bounded by the backlog too",
                c->backlog, victims);
        victims = c->backlog;
    }
    if (victims < 1) { /* --connections too few for this listener's backlog */
        lab_say(&c->n, "ack-overflow needs backlog+2 connections or more; got %ld", c->m);
        exit(1);
    }
    for (long i = fillers + victims; i < c->m; i++)
        c->conns[i] = (struct conn){.fd = -1, .fate = F_ERROR, .err = ENOTCONN};
    lab_say(&c->n,
            "plan: %ld victim(s) complete the handshake first and keep quiet, %ld "
            "filler(s) then fill the accept queue, then the victims send",
            victims, fillers);
    return victims;
}

static void explain_victim(const struct client *c, enum fate fate)
{
    if (fate == F_RESET) {
        lab_explain(&c->n, "tcp_abort_on_overflow=1: the server answered the byte with");
        lab_explain(&c->n, "RST, to a client that was ESTABLISHED all along. This is");
        lab_explain(&c->n, "the only RST Linux sends for a full queue, and the client");
        lab_explain(&c->n, "sees ECONNRESET, never ECONNREFUSED");
    } else if (fate == F_DROPPED) {
        lab_explain(&c->n, "tcp_abort_on_overflow=0: ListenOverflows grew and the segment");
        lab_explain(&c->n, "was dropped; the server still holds a request, this side");
        lab_explain(&c->n, "retransmits the byte and gets in once accept() makes room");
    }
}

int ack_overflow(struct client *c)
{
    char text[160];
    if (c->backlog < 0)
        lab_fail_errno(&c->n, c->backlog_err, "cannot see the listener's backlog (sock_diag)");
    long fillers = c->backlog + 1, victims = plan_victims(c, fillers);
    client_step(c, N_("connect the victims"));
    for (long i = fillers; i < fillers + victims; i++) {
        connect_one(c, i, N_("victim"));
        lab_say(&c->n, "conn %ld (victim): connect() done state=%s, nothing sent yet", i + 1,
                lab_tcp_state_name(lab_tcp_state_of_fd(c->conns[i].fd)));
    }
    lab_explain(&c->n, "the server's kernel keeps each as a request (SYN_RECV): with");
    lab_explain(&c->n, "TCP_DEFER_ACCEPT the final ACK alone does not create a socket");
    client_step(c, N_("connect the fillers and send on each"));
    for (long i = 0; i < fillers; i++) {
        connect_one(c, i, N_("filler"));
        (void)send_one(c, i, "f"); /* a failed send() is its fate, said next */
        lab_say(&c->n, "conn %ld (filler): sent 1 byte: %s", i + 1,
                fate_text(&c->conns[i], text, sizeof text));
    }
    lab_say(&c->n, "the accept queue now holds backlog+1 = %ld: full", fillers);
    client_step(c, N_("send one byte on each victim"));
    for (long i = fillers; i < fillers + victims; i++) {
        if (send_one(c, i, "v") < 0) {
            lab_say_errno(&c->n, c->conns[i].err, "conn %ld (victim): send", i + 1);
            continue;
        }
        lab_say(&c->n, "conn %ld (victim): send() returned 1, then: %s", i + 1,
                fate_text(&c->conns[i], text, sizeof text));
        if (i == fillers)
            explain_victim(c, c->conns[i].fate);
    }
    c->elapsed_ms = lab_now_ms() - c->t0 - c->stepped_ms;
    report_outcome(c);
    return client_finish(c);
}
