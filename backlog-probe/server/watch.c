/* backlog-server's watch over its listener: the accept queue as the kernel
 * reports it (TCP_INFO on the listener: ss's Recv-Q and Send-Q), the
 * kernel's overflow counters, accept() as --accept says, and the clients'
 * connections (sock_diag), until none is left; then the summary. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/sock_diag.h>
#endif

#include "lab_backlog.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "probe.h"
#include "server.h"

#define MAX_ACCEPTED 64 /* connections kept open to read from; later ones are closed at once */

struct accepted {
    int fd;
    struct lab_endpoint peer;
};

struct watch {
    struct server *s;
    int lfd;
    unsigned long long base[PROBE_NCOUNTERS], last[PROBE_NCOUNTERS];
    struct accepted acc[MAX_ACCEPTED];
    int nacc, accepted_total;
    int seen; /* a client came: from now on, none left ends the watch */
    unsigned queued, limit, last_queued, peak, last_drops;
    long long now, start, first_queued_at, last_change, last_print, last_probe;
    long long every; /* how often the costly reads run: 20 ms, 250 ms once quiet */
    long long last_census, census_every;
    int refilled_said, last_syn_recv;
    struct lab_backoff pace;
};

/* Packets this listener dropped (SO_MEMINFO): unlike ListenDrops, which
 * counts for the whole namespace, this is ours alone. 0 where unknown. */
static unsigned listener_drops(int lfd)
{
#if defined(SO_MEMINFO)
    unsigned mem[SK_MEMINFO_VARS];
    socklen_t len = sizeof mem;
    if (getsockopt(lfd, SOL_SOCKET, SO_MEMINFO, mem, &len) == 0 &&
        len > SK_MEMINFO_DROPS * sizeof mem[0])
        return mem[SK_MEMINFO_DROPS];
#else
    (void)lfd;
#endif
    return 0;
}

/* Print the counters if they moved since w->last, and update it. */
static void say_counter_changes(struct watch *w)
{
    unsigned long long now[PROBE_NCOUNTERS];
    probe_read_counters(now);
    if (memcmp(now, w->last, sizeof now) == 0)
        return;
    char text[512];
    lab_say(&w->s->n, "kernel counters since start: %s",
            probe_format_counters(w->base, now, text, sizeof text));
    memcpy(w->last, now, sizeof now);
}

static void queue_changed(struct watch *w)
{
    const struct lab_narrator *n = &w->s->n;
    if (w->queued > 0 && w->first_queued_at < 0)
        w->first_queued_at = w->now;
    w->seen = 1;
    w->last_change = w->now;
    lab_backoff_reset(&w->pace);
    if (w->queued > w->peak)
        w->peak = w->queued;
    int full = w->queued > w->limit;
    /* Coalesce bursts: one line per 20 ms, but never skip "full". */
    if (full || w->queued < w->last_queued || w->now - w->last_print >= 20 || w->limit < 64) {
        /* TRANSLATORS: keep the word FULL: scripts/backlog-probe.sh snapshots on it. */
        const char *why = full ? lab_tr(": FULL, new SYNs are dropped") : "";
        lab_say(n, "accept queue %u (Recv-Q), backlog %u (Send-Q)%s", w->queued, w->limit, why);
        w->last_print = w->now;
    }
    if (full && w->accepted_total > 0 && !w->refilled_said) {
        lab_explain(n, "a retransmitted SYN took the free slot; the other");
        lab_explain(n, "waiting clients found the queue full again");
        w->refilled_said = 1;
    }
    w->last_queued = w->queued;
    say_counter_changes(w);
}

/* The counters are per namespace, not per listener: news, not a sign that
 * our clients came. Except the deferred handshakes, which leave no other
 * trace a listener can read. */
static void probe_counters(struct watch *w)
{
    unsigned long long now[PROBE_NCOUNTERS];
    w->last_probe = w->now;
    probe_read_counters(now);
    if (memcmp(now, w->last, sizeof now) == 0)
        return;
    if (w->s->defer_accept > 0 && now[PC_DEFER_ACCEPT_DROP] != w->last[PC_DEFER_ACCEPT_DROP])
        w->seen = 1;
    w->last_change = w->now;
    lab_backoff_reset(&w->pace);
    say_counter_changes(w);
    w->last_print = w->now;
}

/* The accept queue (TCP_INFO): said when it changed, else the counters when they moved. */
static void watch_queue(struct watch *w)
{
    if (lab_tcp_listen_queue(w->lfd, &w->queued, &w->limit) < 0)
        lab_fail_errno(&w->s->n, errno, "TCP_INFO on the listener");
    unsigned drops = listener_drops(w->lfd);
    if (drops != w->last_drops) {
        w->seen = 1; /* a SYN or ACK for us was dropped: clients are here */
        w->last_drops = drops;
        lab_backoff_reset(&w->pace);
    }
    if (w->queued != w->last_queued)
        queue_changed(w);
    else if (w->now - w->last_probe >= w->every)
        probe_counters(w);
}

static void accept_one(struct watch *w)
{
    const struct lab_narrator *n = &w->s->n;
    lab_step(n, w->s->cli.step, "accept one connection");
    struct lab_endpoint peer;
    int fd = lab_accept_bounded(w->lfd, 0, &peer);
    w->accepted_total++;
    if (fd < 0) {
        lab_say_errno(n, errno, "accept");
        return;
    }
    char p[LAB_ENDPOINT_STRLEN];
    unsigned queued, limit;
    if (lab_tcp_listen_queue(w->lfd, &queued, &limit) < 0)
        lab_fail_errno(n, errno, "TCP_INFO on the listener");
    lab_say(n, "accepted %s state=%s, accept queue now %u",
            lab_endpoint_format((struct sockaddr *)&peer.ss, p, sizeof p),
            lab_tcp_state_name(lab_tcp_state_of_fd(fd)), queued);
    if (w->nacc == MAX_ACCEPTED) {
        close(fd);
        return;
    }
    w->acc[w->nacc++] = (struct accepted){.fd = fd, .peer = peer};
}

/* accept() as --accept says: everything queued, or one connection once the
 * first one has waited MS ms. */
static void accept_by_policy(struct watch *w)
{
    const struct server *s = w->s;
    if (s->accept == ACCEPT_ALL) {
        for (unsigned k = 0; k < w->queued; k++)
            accept_one(w);
    } else if (s->accept == ACCEPT_ONE_AFTER && w->accepted_total == 0 && w->first_queued_at >= 0 &&
               w->now - w->first_queued_at >= s->accept_delay_ms) {
        accept_one(w);
        lab_explain(&s->n, "one slot is free now, but no SYN is waiting for it: the");
        lab_explain(&s->n, "dropped ones come back when their 1 s retransmit timer fires");
    }
}

/* Read what accepted connections send; close them on EOF or error. */
static void service_accepted(struct watch *w)
{
    const struct lab_narrator *n = &w->s->n;
    for (int i = 0; i < w->nacc;) {
        struct accepted *a = &w->acc[i];
        char buf[64], esc[200], p[LAB_ENDPOINT_STRLEN];
        lab_endpoint_format((struct sockaddr *)&a->peer.ss, p, sizeof p);
        if (lab_wait_fd(a->fd, POLLIN, 0) <= 0) {
            i++;
            continue;
        }
        ssize_t r = recv(a->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (r > 0) {
            lab_say(n, "read %zd byte(s) \"%s\" from %s", r,
                    lab_escape(buf, (size_t)r, esc, sizeof esc), p);
            i++;
            continue;
        }
        if (r == 0)
            lab_say(n, "EOF from %s, closing", p);
        else
            lab_say_errno(n, errno, "read from %s, closing", p);
        close(a->fd);
        *a = w->acc[--w->nacc];
    }
}

/* What sock_diag shows for our port: connections still alive on either side. */
struct census {
    uint16_t port;
    int syn_recv;    /* requests waiting for their final ACK (or, deferred, for data) */
    int server_side; /* full sockets of ours: queued or accepted */
    int client_side; /* the clients' sockets, when they share our namespace */
};

static int count_conn(const struct lab_conn *c, void *arg)
{
    struct census *s = arg;
    if (c->state == LAB_TCP_LISTEN || c->state == LAB_TCP_TIME_WAIT)
        return 0;
    if (lab_endpoint_port(&c->local) == s->port && lab_tcp_is_request(c->state))
        s->syn_recv++;
    else if (lab_endpoint_port(&c->local) == s->port)
        s->server_side++;
    else if (lab_endpoint_port(&c->remote) == s->port)
        s->client_side++;
    return 0;
}

/* Every 20 ms or so once things are quiet: is any client connection left?
 * 1 once a client came and none is. */
static int none_left(struct watch *w)
{
    const struct lab_narrator *n = &w->s->n;
    long long every = w->census_every > w->every ? w->census_every : w->every;
    if (w->now - w->last_census < every || (w->seen && w->now - w->last_change < 5))
        return 0;
    struct census cs = {.port = lab_endpoint_port(&w->s->bound)};
    int rc = lab_diag_list(w->s->bound.ss.ss_family, 0, count_conn, &cs);
    int err = errno;
    /* A dump of thousands of sockets costs milliseconds: space them out. */
    w->last_census = lab_now_ms();
    w->census_every = 20 + 4 * (w->last_census - w->now);
    if (rc < 0)
        lab_fail_errno(n, err, "sock_diag");
    if (cs.syn_recv != w->last_syn_recv) {
        lab_say(n, "requests (state=SYN_RECV, sock_diag) on our port: %d", cs.syn_recv);
        if (cs.syn_recv > w->last_syn_recv && w->s->defer_accept > 0)
            lab_explain(n, "handshakes done, held back by TCP_DEFER_ACCEPT");
        else if (cs.syn_recv > w->last_syn_recv)
            lab_explain(n, "their final ACK met a full accept queue and was "
                           "dropped; the SYN-ACK will be resent");
        w->last_syn_recv = cs.syn_recv;
        lab_backoff_reset(&w->pace);
    }
    int alive = cs.syn_recv + cs.server_side + cs.client_side;
    if (alive > 0)
        w->seen = 1;
    return w->seen && alive == 0;
}

void server_explain_accept_queue(const struct server *s)
{
    lab_explain(&s->n, "the kernel completes handshakes without us: each one lands in");
    lab_explain(&s->n, "the accept queue until accept() takes it out. Once the queue");
    lab_explain(&s->n, "holds backlog+1, new SYNs are dropped (ListenOverflows),");
    lab_explain(&s->n, "never refused: the clients wait in SYN_SENT and retransmit.");
}

static void say_accept_policy(const struct server *s)
{
    if (s->accept == ACCEPT_ONE_AFTER)
        lab_say(&s->n, "accept policy: one connection, %ld ms after the first one is queued",
                s->accept_delay_ms);
    else
        lab_say(&s->n, "accept policy: %s", s->accept == ACCEPT_ALL ? "all" : "never");
}

/* The end: what is left in the queue, the summary, the listener closed. */
static int watch_end(struct watch *w, int status)
{
    const struct lab_narrator *n = &w->s->n;
    if (status == 0) {
        lab_say(n, "no client connection to port %u is left",
                (unsigned)lab_endpoint_port(&w->s->bound));
        if (lab_tcp_listen_queue(w->lfd, &w->queued, &w->limit) < 0)
            lab_fail_errno(n, errno, "TCP_INFO on the listener");
        if (w->queued > 0) {
            lab_explain(n, "yet the accept queue still counts %u: those connections were",
                        w->queued);
            lab_explain(n, "reset while waiting, and accept() would hand them out dead");
        }
    }
    unsigned long long end[PROBE_NCOUNTERS];
    probe_read_counters(end);
    char text[512];
    probe_format_counters(w->base, end, text, sizeof text);
    lab_say(n, "summary: backlog %u, peak accept queue %u, accepted %d; %s", w->limit, w->peak,
            w->accepted_total, text);
    for (int i = 0; i < w->nacc; i++)
        close(w->acc[i].fd);
    close(w->lfd);
    lab_say(n, "closed the listener state=CLOSE");
    return status;
}

int server_watch(struct server *s, int lfd)
{
    say_accept_policy(s);
    struct watch w = {.s = s, .lfd = lfd, .first_queued_at = -1, .census_every = 20};
    probe_read_counters(w.base);
    memcpy(w.last, w.base, sizeof w.last);
    w.last_drops = listener_drops(lfd);
    w.start = w.last_change = lab_now_ms();
    for (;;) {
        w.now = lab_now_ms();
        /* Quiet for a while (the pacing at its slowest): the counters and the
         * sock_diag census, which cost far more than TCP_INFO, less often. */
        w.every = w.pace.polls > LAB_BACKOFF_FAST + 10 ? 250 : 20;
        watch_queue(&w);
        accept_by_policy(&w);
        service_accepted(&w);
        if (none_left(&w))
            return watch_end(&w, 0);
        /* --timeout bounds the whole run, so clients that keep something
         * changing cannot keep the server alive for ever. */
        if (w.now - w.start > s->cli.timeout_ms) {
            lab_say(&s->n, "%s within --timeout %d ms, giving up errno=ETIMEDOUT",
                    lab_tr(w.seen ? N_("clients still connected") : N_("no client came")),
                    s->cli.timeout_ms);
            return watch_end(&w, 1);
        }
        /* Pacing only: 1 ms while things change keeps the narration in order;
         * while nothing does, up to 50 ms, so an idle server costs no CPU. A
         * reader of our narration that went away (| head -1) ends the run at
         * once, cleanly: there is nobody left to show anything to. */
        if (lab_backoff_pause(&w.pace, STDOUT_FILENO) < 0)
            return watch_end(&w, 0);
    }
}
