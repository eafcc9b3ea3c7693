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
 * listen() worked, 0 on EADDRINUSE (narrated either way); any other error
 * ends the program. */
static int try_rebind(const struct server *s, int reuse)
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
    closing_close(&s->n, &fd);
    return 1;
}

static int restart_on_same_port(struct server *s)
{
    lab_step(&s->n, s->cli.step, "close the listener and listen again, as a restart would");
    closing_close(&s->n, &s->listener);
    lab_say(&s->n, "closed the listener; now restarting on the same port");
    if (closing_rst_ended_time_wait(&s->n))
        return 0; /* the port is free again: nothing to show */
    int ok_plain = try_rebind(s, 0);
    int ok_reuse = try_rebind(s, 1);
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
    if ((ok_plain || ok_reuse != s->reuseaddr) && closing_rst_ended_time_wait(&s->n))
        return 0;
    if (ok_plain || ok_reuse != s->reuseaddr) {
        lab_say(&s->n, "the kernel did not do what this lab expects");
        return 1;
    }
    return 0;
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

    struct lab_endpoint local, peer;
    closing_close_noting(&s->n, s->cli.step, "close() first (we become the active closer)",
                         &s->conn, &local, &peer);
    lab_say(&s->n, "close(): we close first, the kernel sends our FIN");
    if (closing_watch_active(&s->n, &local, &peer, s->cli.timeout_ms) == 1)
        return 0; /* no TIME_WAIT left to block bind(): nothing more to show */
    lab_explain(&s->n, "The side that closes first keeps TIME_WAIT: here, the server. For");
    lab_explain(&s->n, "60 s it blocks bind() of our port (below); it does not block the");
    lab_explain(&s->n, "client: a new SYN from the same client port, with a newer sequence");
    lab_explain(&s->n, "number and timestamp, is accepted over it (claim C25).");
    return restart_on_same_port(s);
}
