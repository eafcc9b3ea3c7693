/* fin-timeout, the server's half: read to EOF and close only long after.
 * The client's orphaned FIN_WAIT2 does not wait for us: after
 * net.ipv4.tcp_fin_timeout (set to --fin-timeout here, in a private network
 * namespace) it is gone, with no TIME_WAIT, and our late FIN draws an RST
 * (claim C24).
 * Partner: close-client --scenario fin-timeout */
#include <errno.h>
#include <sys/socket.h>

#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "server.h"

/* Stay in CLOSE_WAIT until the client's FIN_WAIT2 has timed out: watched
 * through sock_diag when the client shares our kernel (loopback), else for
 * tcp_fin_timeout and a margin. */
static void outlast_client(const struct server *s)
{
    struct lab_endpoint local, peer;
    closing_note_tuple(&s->n, s->conn, &local, &peer);
    struct lab_conn theirs;
    int found = lab_diag_find((struct sockaddr *)&peer.ss, (struct sockaddr *)&local.ss, &theirs);
    /* Its FIN_WAIT1 ends with our kernel's (maybe delayed) ACK of its FIN. */
    if (found == 1)
        found = lab_watch_wait((struct sockaddr *)&peer.ss, (struct sockaddr *)&local.ss,
                               ~LAB_STATE_BIT(LAB_TCP_FIN_WAIT1), s->cli.timeout_ms, &theirs);
    if (found < 0)
        lab_fail_errno(&s->n, errno, "sock_diag: waiting for the client's FIN_WAIT2");
    if (found == 0 && lab_endpoint_is_loopback(&peer)) {
        /* A slow machine (an emulated CPU) may get here after the timer. */
        lab_say_fd(&s->n, s->conn,
                   "sock_diag: the client's end was gone already: its FIN_WAIT2 timed out "
                   "(%ld s) before we looked; ours is still here",
                   s->fin_timeout);
        return;
    }
    if (found == 0) {
        int ms = (int)s->fin_timeout * 1000 + 500;
        lab_say_fd(&s->n, s->conn, "holding for %d ms, past the client's FIN_WAIT2 timer", ms);
        lab_pause_ms(ms); /* the demonstration itself, not synchronisation */
        return;
    }
    lab_say_conn(&s->n, &theirs, "sock_diag, the client's end (it shares our kernel):");
    lab_explain(&s->n, "Orphaned, waiting for our FIN, which we withhold: its timer is");
    lab_explain(&s->n, "net.ipv4.tcp_fin_timeout. Our CLOSE_WAIT has no timer at all.");
    if (lab_watch_wait((struct sockaddr *)&peer.ss, (struct sockaddr *)&local.ss, 0,
                       s->cli.timeout_ms, &theirs) < 0)
        lab_fail_errno(&s->n, errno, "waiting for the client's FIN_WAIT2 to time out (still %s)",
                       lab_tcp_state_name(theirs.state));
    lab_say_fd(&s->n, s->conn, "sock_diag: the client's end is gone; ours is still here");
}

int fin_timeout(struct server *s)
{
    say_fin_timeout(s);
    read_to_eof(s);
    lab_say(&s->n, "this server 'forgets' to close() for now");
    outlast_client(s);

    lab_step(&s->n, s->cli.step, "shutdown(SHUT_WR): our FIN, late");
    if (shutdown(s->conn, SHUT_WR) < 0)
        lab_fail_errno(&s->n, errno, "shutdown(SHUT_WR)");
    lab_say_fd(&s->n, s->conn, "shutdown(SHUT_WR): our FIN goes out, late");
    lab_explain(&s->n, "The same FIN as close() sends, but our fd stays, to hear the answer.");
    if (lab_tcp_state_of_fd(s->conn) != LAB_TCP_LAST_ACK)
        lab_explain(&s->n,
                    "On loopback it came back before shutdown() even returned: see the state.");
    int state;
    if (lab_wait_fd_state(s->conn, ~LAB_STATE_BIT(LAB_TCP_LAST_ACK), s->cli.timeout_ms, &state) < 0)
        lab_fail_errno(&s->n, errno, "waiting for the answer to our FIN");
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(s->conn, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        lab_fail_errno(&s->n, errno, "getsockopt(SO_ERROR)");
    if (err == 0) {
        lab_say_fd(&s->n, s->conn,
                   "unexpected: our FIN was ACKed, the client's FIN_WAIT2 was still there");
        return 1;
    }
    lab_say_errno(&s->n, err, "getsockopt(SO_ERROR): the client answered with RST  state=%s",
                  lab_tcp_state_name(state));
    lab_explain(&s->n, "Our FIN met no socket on the client's side: its FIN_WAIT2 had timed");
    lab_explain(&s->n, "out, and a segment for no socket draws an RST. A server that closes");
    lab_explain(&s->n, "late, after leaking CLOSE_WAIT, gets this instead of a clean close.");
    return 0;
}
