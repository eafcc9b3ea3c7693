/* drain, the client's half (claim C9): a fill, then the wait for the
 * server's one accept(). The slot it frees is announced to nobody: a waiting
 * client gets in only when its SYN retransmission timer fires (1 s after its
 * first SYN) and the SYN finds room; the others find the queue full again.
 * Partner: backlog-server --scenario drain */
#include <errno.h>
#include <stdio.h>

#include "client.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"

/* Every connection still pending has resent its SYN at least once. */
static int all_retransmitted(const struct client *c)
{
    for (long i = 0; i < c->m; i++) {
        unsigned retrans = 0;
        if (c->conns[i].fate == F_PENDING &&
            (lab_tcp_total_retrans(c->conns[i].fd, &retrans) < 0 || retrans == 0))
            return 0;
    }
    return 1;
}

/* After the first round: poll (bounded by --deadline) until one more
 * connection got in and every other waiting one has been retransmitted. */
static void await_retransmits(struct client *c, struct round *r, long first)
{
    lab_say(&c->n, "waiting for the server to free a slot and for our SYNs to be "
                   "retransmitted (about 1 s after the first ones)");
    int drained = 0;
    for (;;) {
        drained |= count_fate(c, F_COMPLETED) > first;
        if (drained && all_retransmitted(c))
            return;
        do
            if (!round_poll(c, r))
                return;
        while (r->now - r->last_progress < SETTLE_MS);
    }
}

/* When this kernel resends a dropped SYN. Linux 6.5 added
 * tcp_syn_linear_timeouts (default 4): the first gaps stay at the 1 s initial
 * RTO until that many have passed, then doubling starts, and SYN_SENT gets
 * that many resends on top of tcp_syn_retries (tcp_write_timeout). Older
 * kernels double from the start. Seconds after connect(). */
static void explain_syn_schedule(const struct lab_narrator *n)
{
    long linear = 0, retries = 6;
    int has_linear = lab_sysctl_read("net.ipv4.tcp_syn_linear_timeouts", &linear) == 0;
    if (lab_sysctl_read("net.ipv4.tcp_syn_retries", &retries) < 0)
        retries = 6; /* unreadable: take its default */
    char when[160] = "";
    size_t used = 0;
    long t = 0, gap = 1;
    long resends = retries + (has_linear ? linear : 0);
    for (long k = 0; k < resends && k < 12 && used < sizeof when - 16; k++) {
        t += gap;
        used += (size_t)snprintf(when + used, sizeof when - used, "%s%ld", k ? ", " : "", t);
        if (k + 1 > linear)
            gap *= 2;
    }
    lab_explain(n, "on this kernel a dropped SYN is resent at %s s after connect()", when);
    if (has_linear)
        lab_explain(
            n, "(tcp_syn_linear_timeouts=%ld: 1 s gaps first, Linux 6.5+; tcp_syn_retries=%ld)",
            linear, retries);
    else
        lab_explain(n,
                    "(no tcp_syn_linear_timeouts, before Linux 6.5: every gap doubles; "
                    "tcp_syn_retries=%ld)",
                    retries);
}

/* The late ones, each by its own connect(); only a SYN that was really resent
 * is the retransmit timer's doing. */
static void say_late_ones(struct client *c)
{
    int resent = 0;
    for (long i = 0; i < c->m; i++) {
        const struct conn *k = &c->conns[i];
        unsigned retrans = 0;
        if (k->fate != F_COMPLETED || k->done_ms - k->started_ms <= SETTLE_MS * 2)
            continue;
        if (lab_tcp_total_retrans(k->fd, &retrans) < 0) {
            lab_say_errno(&c->n, errno, "conn %ld: getsockopt(TCP_INFO)", i + 1);
            continue;
        }
        lab_say(&c->n,
                "conn %ld completed %lld ms after its connect() state=%s; its SYN "
                "was sent %u more time(s)",
                i + 1, k->done_ms - k->started_ms, lab_tcp_state_name(lab_tcp_state_of_fd(k->fd)),
                retrans);
        resent |= retrans > 0;
    }
    if (resent) {
        lab_explain(&c->n, "nobody told them a slot was free: the SYN retransmit timer");
        lab_explain(&c->n, "(1 s initial RTO) fired, and the SYN found room");
        explain_syn_schedule(&c->n);
    }
}

int drain(struct client *c)
{
    struct round r;
    connect_all(c, &r);
    long first = first_round(c, &r);
    if (first >= 0)
        await_retransmits(c, &r, first);
    say_late_ones(c);
    end_round(c);
    if (report_outcome(c))
        explain_accept_queue(c);
    return client_finish(c);
}
