/* backlog-client's connections: many non-blocking connect()s at once, one
 * poll() over those still pending, and the fate of each (completed, still in
 * SYN_SENT, refused, reset ...). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"

void client_step(struct client *c, const char *what)
{
    long long t = lab_now_ms();
    lab_step(&c->n, c->cli.step, what);
    c->stepped_ms += lab_now_ms() - t;
}

int open_conn(struct conn *c, const struct lab_endpoint *server)
{
    memset(c, 0, sizeof *c);
    c->started_ms = lab_now_ms();
    c->fd = socket(server->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        c->fate = F_ERROR;
        c->err = errno;
        return -1;
    }
    if (connect(c->fd, (const struct sockaddr *)&server->ss, server->len) == 0) {
        c->fate = F_COMPLETED; /* on loopback the handshake may run inside connect() */
        c->done_ms = lab_now_ms();
        return 0;
    }
    int err = errno;
    if (err == EINPROGRESS) {
        c->fate = F_PENDING;
        return 0;
    }
    c->err = err;
    c->fate = err == ECONNREFUSED ? F_REFUSED : err == ETIMEDOUT ? F_TIMEDOUT : F_ERROR;
    c->done_ms = lab_now_ms();
    return -1;
}

/* One byte on a connection that just completed (--send); a failure is kept in err. */
static void send_byte(struct conn *c)
{
    if (send(c->fd, "x", 1, MSG_NOSIGNAL) < 0)
        c->err = errno;
}

void finish_conn(struct conn *c, int send_one)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    c->done_ms = lab_now_ms();
    c->err = err;
    switch (err) {
    case 0:
        c->fate = F_COMPLETED;
        if (send_one)
            send_byte(c);
        break;
    case ECONNREFUSED:
        c->fate = F_REFUSED;
        break;
    case ECONNRESET:
        c->fate = F_RESET;
        break;
    case ETIMEDOUT:
        c->fate = F_TIMEDOUT;
        break;
    default:
        c->fate = F_ERROR;
        break;
    }
}

/* One poll() over the pending connections; how many finished, or -1 with errno. */
static int poll_pending(struct client *c, int timeout_ms)
{
    nfds_t np = 0;
    for (long i = 0; i < c->m; i++) {
        if (c->conns[i].fate != F_PENDING)
            continue;
        c->pfd[np] = (struct pollfd){.fd = c->conns[i].fd, .events = POLLOUT};
        c->idx[np++] = i;
    }
    if (np == 0)
        return 0;
    int r = poll(c->pfd, np, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    int done = 0;
    for (nfds_t k = 0; k < np && r > 0; k++) {
        if (c->pfd[k].revents == 0)
            continue;
        finish_conn(&c->conns[c->idx[k]], c->send);
        done++;
    }
    return done;
}

long count_fate(const struct client *c, enum fate f)
{
    long k = 0;
    for (long i = 0; i < c->m; i++)
        k += c->conns[i].fate == f;
    return k;
}

void connect_all(struct client *c, struct round *r)
{
    client_step(c, N_("open the connections"));
    r->t0 = lab_now_ms();
    r->drops0 = probe_counter(PC_LISTEN_DROPS);
    for (long i = 0; i < c->m; i++) {
        struct conn *k = &c->conns[i];
        /* EADDRNOTAVAIL (no local port left) is a fate to count, not the end. */
        if (open_conn(k, &c->server) < 0 && k->fate == F_ERROR && k->err != EADDRNOTAVAIL) {
            lab_say_errno(&c->n, k->err, "conn %ld: socket/connect", i + 1);
            for (long j = i + 1; j < c->m; j++)
                c->conns[j] = (struct conn){.fd = -1, .fate = F_ERROR, .err = k->err};
            break;
        }
        if (k->fate == F_COMPLETED && c->send)
            send_byte(k);
    }
    lab_say(&c->n, "%ld non-blocking connect() calls issued in %lld ms", c->m,
            lab_now_ms() - r->t0);
    r->deadline = r->t0 + c->deadline_ms;
    r->last_progress = lab_now_ms();
}

int round_poll(struct client *c, struct round *r)
{
    int done = poll_pending(c, 5);
    if (done < 0)
        lab_fail_errno(&c->n, errno, "poll");
    r->now = lab_now_ms();
    if (done > 0)
        r->last_progress = r->now;
    r->pending = count_fate(c, F_PENDING);
    if (r->pending == 0)
        return 0;
    if (r->now >= r->deadline) {
        lab_say(&c->n, "deadline of %ld ms reached with %ld connection(s) pending", c->deadline_ms,
                r->pending);
        return 0;
    }
    return 1;
}

long first_round(struct client *c, struct round *r)
{
    while (round_poll(c, r)) {
        /* Loopback runs each handshake inside connect(), so once every SYN
         * still pending is accounted for by a listen drop, the round is over;
         * otherwise a short quiet period decides. */
        int accounted = r->pending <= (long)(probe_counter(PC_LISTEN_DROPS) - r->drops0);
        if (r->now - r->last_progress < SETTLE_MS && !accounted)
            continue;
        long completed = count_fate(c, F_COMPLETED);
        /* TRANSLATORS: keep state=SYN_SENT: scripts/backlog-probe.sh snapshots on it. */
        lab_say(&c->n, "after %lld ms: %ld completed, %ld waiting in state=SYN_SENT",
                r->now - r->t0, completed, r->pending);
        return completed;
    }
    return -1;
}

const char *fate_text(const struct conn *c, char *buf, size_t len)
{
    const char *state = lab_tcp_state_name(lab_tcp_state_of_fd(c->fd));
    switch (c->fate) {
    case F_PENDING:
        snprintf(buf, len,
                 lab_tr("still state=SYN_SENT: its SYN was dropped, it is retransmitting"));
        break;
    case F_COMPLETED:
        snprintf(buf, len, lab_tr("completed state=%s: queued (or accepted) on the server"), state);
        break;
    case F_HALF_OPEN:
        snprintf(buf, len,
                 lab_tr("completed here state=%s, but the server holds only a request "
                        "state=SYN_RECV"),
                 state);
        break;
    case F_REFUSED:
        snprintf(buf, len, lab_tr("refused errno=ECONNREFUSED"));
        break;
    case F_RESET:
        snprintf(buf, len, lab_tr("reset errno=ECONNRESET"));
        break;
    case F_TIMEDOUT:
        snprintf(buf, len, lab_tr("timed out errno=ETIMEDOUT"));
        break;
    case F_QUEUED:
        snprintf(buf, len, lab_tr("byte acknowledged state=ESTABLISHED: queued on the server"));
        break;
    case F_DROPPED:
        snprintf(buf, len, lab_tr("byte unacknowledged, still state=%s: silently dropped"), state);
        break;
    case F_ERROR:
    default:
        snprintf(buf, len, lab_tr("failed errno=%s"), lab_errno_name(c->err));
        break;
    }
    return buf;
}
