/* simultaneous-close, the server's half: both ends send their FIN before
 * either has heard the other's. We stop hearing (a socket filter that drops
 * everything) before we read the client's bytes: the client, watching our
 * receive queue through sock_diag, then stops hearing too and sends its FIN,
 * which we lose; then we send ours: both FIN_WAIT1. We hear again first: the
 * client's FIN, sent again, comes before the ACK of ours: CLOSING; once the
 * client hears again (its cue: our close() of the fd in CLOSING), the ACK
 * of our FIN: TIME_WAIT on both ends (claim C22).
 * Partner: close-client --scenario simultaneous-close */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "server.h"

#define SA(ep) ((struct sockaddr *)&(ep).ss)

/* Deaf from now on, then read the client's first bytes (queued already). */
static void go_deaf_then_read(struct server *s)
{
    int ready = lab_wait_fd(s->conn, POLLIN, s->cli.timeout_ms);
    if (ready <= 0)
        lab_fail_errno(&s->n, ready < 0 ? errno : ETIMEDOUT, "waiting for the client's bytes");
    go_deaf(s);
    lab_explain(&s->n, "before TCP sees it. We read only now: the client sees our receive");
    lab_explain(&s->n, "queue empty (sock_diag) and knows we are deaf.");
    read_first_bytes(s, N_("the client's first bytes"));
}

/* Wait until our end (sock_diag: after the FIN no fd state tells CLOSING
 * from TIME_WAIT's minisock) is in a state of mask. */
static void await_ours(const struct server *s, const struct lab_endpoint *local,
                       const struct lab_endpoint *peer, unsigned mask, struct lab_conn *ours)
{
    int rc = lab_watch_wait(SA(*local), SA(*peer), mask, s->cli.timeout_ms, ours);
    if (rc < 0)
        lab_fail_errno(&s->n, errno, "sock_diag: waiting for our end (still %s)",
                       lab_tcp_state_name(ours->state));
    if (rc == 0)
        lab_fail(&s->n, "sock_diag: our end is gone, with no TIME_WAIT  state=CLOSE");
}

int simultaneous_close(struct server *s)
{
    go_deaf_then_read(s);
    struct lab_endpoint local, peer;
    closing_note_tuple(&s->n, s->conn, &local, &peer);
    struct lab_conn theirs, ours;
    if (lab_diag_find(SA(peer), SA(local), &theirs) != 1)
        lab_fail(&s->n, "sock_diag cannot see the client's end: simultaneous-close needs both "
                        "programs in one network namespace");
    int rc = lab_watch_wait(SA(peer), SA(local), LAB_STATE_BIT(LAB_TCP_FIN_WAIT1),
                            s->cli.timeout_ms, &theirs);
    if (rc != 1)
        lab_fail_errno(&s->n, rc < 0 ? errno : ECONNRESET,
                       "sock_diag: waiting for the client's FIN (still %s)",
                       lab_tcp_state_name(theirs.state));
    lab_say_conn(&s->n, &theirs, "sock_diag, the client's end: its FIN, lost on its way to us:");
    lab_explain(&s->n, "The client is deaf too and has sent its FIN; our filter dropped it.");

    lab_step(&s->n, s->cli.step, "shutdown(SHUT_WR): our FIN");
    if (shutdown(s->conn, SHUT_WR) < 0)
        lab_fail_errno(&s->n, errno, "shutdown(SHUT_WR)");
    lab_say_fd(&s->n, s->conn, "shutdown(SHUT_WR): our FIN goes out, the client's unheard");
    lab_explain(&s->n, "Both FIN_WAIT1: two FINs under way, neither heard. A simultaneous");
    lab_explain(&s->n, "close: there is no passive closer, no CLOSE_WAIT, no LAST_ACK.");

    lab_step(&s->n, s->cli.step, "setsockopt(SO_DETACH_FILTER): hear the client again");
    if (lab_drop_input(s->conn, 0) < 0)
        lab_fail_errno(&s->n, errno, "setsockopt(SO_DETACH_FILTER)");
    lab_say_fd(&s->n, s->conn, "setsockopt(SO_DETACH_FILTER): we hear the client again");
    await_ours(s, &local, &peer, LAB_STATE_BIT(LAB_TCP_CLOSING), &ours);
    lab_say_conn(&s->n, &ours, "sock_diag: the client's FIN, sent again, before the ACK of ours:");
    lab_explain(&s->n, "CLOSING: we have the client's FIN (and ACK it), but not the ACK of");
    lab_explain(&s->n, "ours: the client still hears nothing. Only a simultaneous close gets");
    lab_explain(&s->n, "here; our FIN goes out again on the retransmission timer above.");
    lab_step(&s->n, s->cli.step, "close()");
    closing_close(&s->n, &s->conn);
    lab_say(&s->n, "close(): the fd is gone; the kernel finishes the close alone");
    lab_explain(&s->n, "Our FIN is out already: close() only lets go of the fd. The client");
    lab_explain(&s->n, "waits for that (sock_diag shows our end with no fd) to hear again.");

    await_ours(s, &local, &peer, LAB_STATE_BIT(LAB_TCP_TIME_WAIT), &ours);
    lab_say_conn(&s->n, &ours, "sock_diag: the ACK of our FIN at last:");
    lab_explain(&s->n, "CLOSING -> TIME_WAIT. We sent a FIN before hearing one: we are an");
    lab_explain(&s->n, "active closer too, and keep the 4-tuple for 60 s, as the client does.");
    return 0;
}
