/* backlog-client's outcome: what became of each connection, what the server
 * holds of them (sock_diag, when it shares our network namespace), what that
 * says about its queue, and the end every scenario shares. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "client.h"
#include "lab_backlog.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"

struct find_listener {
    uint16_t port;
    long backlog, queued;
};

static int match_listener(const struct lab_conn *c, void *arg)
{
    struct find_listener *f = arg;
    if (c->state != LAB_TCP_LISTEN || lab_endpoint_port(&c->local) != f->port)
        return 0;
    f->backlog = (long)c->wqueue;
    f->queued = (long)c->rqueue;
    return 1;
}

long listener_backlog(const struct lab_endpoint *server, long *queued)
{
    struct find_listener f = {.port = lab_endpoint_port(server), .backlog = -1, .queued = -1};
    if (lab_diag_list(server->ss.ss_family, LAB_STATE_BIT(LAB_TCP_LISTEN), match_listener, &f) < 0)
        return -1;
    if (f.backlog < 0)
        errno = ENOENT;
    if (queued != NULL)
        *queued = f.queued;
    return f.backlog;
}

/* The server's side of every connection, from one sock_diag dump: its state
 * indexed by the client's port (0 = not seen). */
struct server_view {
    uint16_t port;
    unsigned char *state;
};

static int note_server_side(const struct lab_conn *c, void *arg)
{
    struct server_view *v = arg;
    if (c->state != LAB_TCP_LISTEN && lab_endpoint_port(&c->local) == v->port)
        v->state[lab_endpoint_port(&c->remote)] = (unsigned char)c->state;
    return 0;
}

/* Split the completed connections into those the server really holds and
 * those whose final ACK it dropped (or, with TCP_DEFER_ACCEPT, is holding);
 * 0, or -1 with errno. */
static int classify_by_server(struct client *c)
{
    struct server_view v = {.port = lab_endpoint_port(&c->server), .state = calloc(65536, 1)};
    if (v.state == NULL)
        return -1;
    if (lab_diag_list(c->server.ss.ss_family, 0, note_server_side, &v) < 0) {
        free(v.state);
        return -1;
    }
    for (long i = 0; i < c->m; i++) {
        struct conn *k = &c->conns[i];
        struct lab_endpoint local;
        if (k->fate != F_COMPLETED || lab_endpoint_local(k->fd, &local) < 0)
            continue;
        if (lab_tcp_is_request(v.state[lab_endpoint_port(&local)]))
            k->fate = F_HALF_OPEN;
    }
    free(v.state);
    return 0;
}

void end_round(struct client *c)
{
    if (c->send) {
        lab_say(&c->n, "--send: wrote 1 byte on each connection the moment it completed");
        lab_explain(&c->n, "it waits in the server's socket until accept() and read()");
    }
    c->elapsed_ms = lab_now_ms() - c->t0 - c->stepped_ms;
    if (c->backlog >= 0 && classify_by_server(c) < 0)
        lab_say_errno(&c->n, errno, "sock_diag");
}

/* One line per run of consecutive connections that share a fate. */
static void report_fates(const struct client *c)
{
    long i = 0;
    while (i < c->m) {
        const struct conn *k = &c->conns[i];
        long j = i + 1;
        while (j < c->m && c->conns[j].fate == k->fate && c->conns[j].err == k->err)
            j++;
        char text[160];
        fate_text(k, text, sizeof text);
        if (j - i == 1)
            lab_say(&c->n, "conn %ld: %s", i + 1, text);
        else
            lab_say(&c->n, "conn %ld-%ld (%ld): %s", i + 1, j, j - i, text);
        i = j;
    }
}

int report_outcome(struct client *c)
{
    report_fates(c);
    long held = count_fate(c, F_COMPLETED) + count_fate(c, F_QUEUED);
    long half_open = count_fate(c, F_HALF_OPEN) + count_fate(c, F_DROPPED);
    long refused = count_fate(c, F_REFUSED);
    lab_say(&c->n,
            "summary: %ld completed, %ld in SYN_SENT, %ld reset, %ld refused, %ld timed "
            "out, %ld failed, in %lld ms",
            held + half_open, count_fate(c, F_PENDING), count_fate(c, F_RESET), refused,
            count_fate(c, F_TIMEDOUT), count_fate(c, F_ERROR), c->elapsed_ms);
    if (refused == c->m) {
        /* Nothing listens: the queue lessons would only mislead. */
        lab_say(&c->n,
                "every connect() was refused  errno=ECONNREFUSED: is backlog-server "
                "running on %s?",
                c->addr);
        lab_explain(&c->n, "A full queue never refuses on Linux; a refusal means no listener.");
        c->status = 1;
        return 0;
    }
    if (c->backlog >= 0)
        lab_say(&c->n,
                /* TRANSLATORS: keep both numbers: scripts and their tests read them. */
                "server side (sock_diag): %ld held in the accept queue or accepted, "
                "%ld still requests state=SYN_RECV",
                held, half_open);
    return 1;
}

void explain_accept_queue(struct client *c)
{
    const struct lab_narrator *n = &c->n;
    long held = count_fate(c, F_COMPLETED) + count_fate(c, F_QUEUED);
    long queued = -1;
    if (c->backlog >= 0 && listener_backlog(&c->server, &queued) >= 0 && queued > c->backlog)
        lab_say(n,
                "the listener's accept queue holds %ld (ss's Recv-Q) with "
                "backlog %ld (Send-Q): backlog + %ld, full",
                queued, c->backlog, queued - c->backlog);
    else if (c->backlog >= 0 && queued >= 0)
        lab_say(n,
                "the listener's accept queue holds %ld (ss's Recv-Q) with "
                "backlog %ld (Send-Q): not full, room for %ld more",
                queued, c->backlog, c->backlog + 1 - queued);
    else if (held > 0)
        lab_say(n, "%ld completed: on Linux that means a backlog of %ld", held, held - 1);
    lab_explain(n, "Linux calls the queue full when it holds MORE than backlog");
    if (count_fate(c, F_HALF_OPEN) + count_fate(c, F_DROPPED) > 0) {
        lab_explain(n, "the half-open ones sent their SYN while there was room, but");
        lab_explain(n, "their final ACK met a full queue and was dropped");
        lab_explain(n, "(ListenOverflows); the server will resend its SYN-ACK");
    }
}

static long vm_hwm_kb(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (f == NULL)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

int client_finish(struct client *c)
{
    const struct lab_narrator *n = &c->n;
    if (count_fate(c, F_PENDING) > 0) {
        lab_explain(n, "none of the SYN_SENT ones saw ECONNREFUSED: Linux drops the");
        lab_explain(n, "SYN of a full queue and the client retransmits it");
    }
    unsigned long long now[PROBE_NCOUNTERS];
    char text[512];
    probe_read_counters(now);
    lab_say(n, "kernel counters (this namespace): %s",
            probe_format_counters(c->base, now, text, sizeof text));

    lab_step(n, c->cli.step, "close every connection (RST)");
    long closed = 0, refused = count_fate(c, F_REFUSED);
    for (long i = 0; i < c->m; i++) {
        if (c->conns[i].fd < 0)
            continue;
        if (lab_close_reset(c->conns[i].fd) < 0)
            lab_say_errno(n, errno, "conn %ld: close with SO_LINGER 0", i + 1);
        closed++;
    }
    lab_say(n,
            "closed %ld connection(s) with SO_LINGER 0 (an RST for each one that was set up; "
            "no TIME_WAIT left)",
            closed);
    lab_say(n, "peak memory VmHWM=%ld kB", vm_hwm_kb());
    if (refused > 0 && refused < c->m && c->status == 0) {
        lab_say(n, "connect: errno=ECONNREFUSED: is backlog-server running on %s?", c->addr);
        c->status = 1;
    }
    return c->status;
}
