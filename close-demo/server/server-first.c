/* server-first, the server's half: we close first, so the TIME_WAIT is ours
 * (claims C4 and C25) and holds our port: a restarted listener's
 * bind() fails with EADDRINUSE, unless SO_REUSEADDR is on the new socket and
 * was on the old listener the connection came from (--reuseaddr).
 * Partner: close-client --scenario server-first */
#include <errno.h>
#include <stdlib.h>

#include "closing.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_watch.h"
#include "server.h"

/* Listen on our port again, as a restarted server would: 1 if bind() and
 * listen() worked (the listener kept in s->listener when keep), 0 on
 * EADDRINUSE (narrated either way); any other error ends the program. */
static int try_rebind(struct server *s, int reuse, int keep)
{
    const char *how = lab_tr(reuse ? N_("with") : N_("without"));
    int fd = lab_tcp_listen(&s->bind_ep, 8, reuse);
    if (fd < 0) {
        int err = errno;
        lab_say_errno(&s->n, err, "new listener %s SO_REUSEADDR: bind()", how);
        if (err != EADDRINUSE)
            exit(1); /* the line said why */
        return 0;
    }
    lab_say_fd(&s->n, fd, "new listener %s SO_REUSEADDR: bind() and listen() ok", how);
    if (keep)
        s->listener = fd;
    else
        closing_close(&s->n, &fd);
    return 1;
}

static int restart_on_same_port(struct server *s, int *tw_gone)
{
    lab_step(&s->n, s->cli.step, "close the listener and listen again, as a restart would");
    closing_close(&s->n, &s->listener);
    lab_say(&s->n, "closed the listener; now restarting on the same port");
    if (closing_rst_ended_time_wait(&s->n)) {
        *tw_gone = 1;
        return 0; /* the port is free again: nothing to show */
    }
    int ok_plain = try_rebind(s, 0, 0);
    int ok_reuse = try_rebind(s, 1, s->reuseaddr);
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
     * the flag it succeeds only if the old listener had it as well. Unless
     * the TIME_WAIT was ended meanwhile, by an RST (narrated then). */
    if ((ok_plain || ok_reuse != s->reuseaddr) && closing_rst_ended_time_wait(&s->n)) {
        *tw_gone = 1;
        return 0;
    }
    if (ok_plain || ok_reuse != s->reuseaddr) {
        lab_say(&s->n, "the kernel did not do what this lab expects");
        return 1;
    }
    return 0;
}

/* Claim C25: the client connects again from its old port, and its SYN gets
 * through our TIME_WAIT to the listener we made with SO_REUSEADDR. */
static void accept_over_time_wait(struct server *s, const struct lab_endpoint *old_peer,
                                  int tw_gone)
{
    if (s->listener < 0) { /* an RST ended our TIME_WAIT: listen again all the same */
        s->listener = lab_tcp_listen(&s->bind_ep, 8, 1);
        if (s->listener < 0)
            lab_fail_errno(&s->n, errno, "listening again");
    }
    lab_explain(&s->n, "We told the client (\"again\") to connect once more from its old port:");
    lab_explain(&s->n, "the same 4-tuple as our TIME_WAIT.");
    s->conn = accept_one(s);
    if (s->conn < 0)
        exit(0); /* the reader of our narration has gone */
    struct lab_endpoint peer;
    if (lab_endpoint_peer(s->conn, &peer) < 0)
        lab_fail_errno(&s->n, errno, "getpeername()");
    if (!lab_endpoint_equal((const struct sockaddr *)&peer.ss,
                            (const struct sockaddr *)&old_peer->ss))
        lab_fail_fd(&s->n, s->conn, "the client came back from another port");
    if (tw_gone) {
        lab_say_fd(&s->n, s->conn, "the same 4-tuple again (our TIME_WAIT was gone already)");
        read_to_eof(s);
        passive_close(s);
        return;
    }
    lab_say_fd(&s->n, s->conn, "the same 4-tuple again, accepted over our TIME_WAIT");
    lab_explain(&s->n, "Its SYN had a newer timestamp and sequence number than the old");
    lab_explain(&s->n, "connection's, so the TIME_WAIT let it through to the listener: it");
    lab_explain(&s->n, "blocks bind() of our port, not a new connection (claim C25).");
    read_to_eof(s);
    passive_close(s);
}

int server_first(struct server *s)
{
    char buf[256], text[160];
    ssize_t r = lab_read_bounded(s->conn, buf, sizeof buf, s->cli.timeout_ms);
    if (r < 0)
        lab_fail_errno(&s->n, errno, "read()");
    if (r == 0)
        lab_fail_fd(&s->n, s->conn, "EOF before the client's request");
    check_client(s, buf, (size_t)r);
    lab_say_fd(&s->n, s->conn, "read() -> %zd bytes \"%s\"", r,
               lab_escape(buf, (size_t)r, text, sizeof text));
    if (s->reuseaddr) { /* a listener will be back: ask the client to return */
        if (lab_send_all(s->conn, "again\n", 6) < 0)
            lab_fail_errno(&s->n, errno, "write()");
        lab_say_fd(&s->n, s->conn, "write() -> 6 bytes \"again\\n\": come back from the same port");
    }

    struct lab_endpoint local, peer;
    closing_close_noting(&s->n, s->cli.step, "close() first (we become the active closer)",
                         &s->conn, &local, &peer);
    lab_say(&s->n, "close(): we close first, the kernel sends our FIN");
    /* 1: an RST ended our TIME_WAIT (narrated): no bind() to show blocked. */
    int tw_gone = closing_watch_active(&s->n, &local, &peer, s->cli.timeout_ms) == 1;
    int rc = 0;
    if (!tw_gone) {
        lab_explain(&s->n, "The side that closes first keeps TIME_WAIT: here, the server. For");
        lab_explain(&s->n, "60 s it blocks bind() of our port (below); it does not block the");
        lab_explain(&s->n, "client: a new SYN from the same client port, with a newer sequence");
        lab_explain(&s->n, "number and timestamp, is accepted over it (claim C25).");
        rc = restart_on_same_port(s, &tw_gone);
    }
    if (rc == 0 && s->reuseaddr)
        accept_over_time_wait(s, &peer, tw_gone);
    return rc;
}
