/* simultaneous-close, the client's half: both ends send their FIN before
 * either has heard the other's. On loopback FINs never cross by themselves,
 * so both ends stop hearing (socket filters that drop everything): both
 * FIN_WAIT1. The server hears again first and gets our FIN, sent again,
 * before the ACK of its own: CLOSING. Then we hear again: its FIN with the
 * ACK of ours takes us to TIME_WAIT, our ACK takes it to TIME_WAIT too: both
 * ends keep the 4-tuple (claim C22). We follow the server's socket through
 * sock_diag (one kernel for both) to know when to act: its emptied receive
 * queue (it is deaf), its FIN_WAIT1, its CLOSING with no fd (it has seen it).
 * Partner: close-server --scenario simultaneous-close */
#include <errno.h>
#include <sys/socket.h>

#include "client.h"
#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

#define SA(ep) ((struct sockaddr *)&(ep).ss)

/* Wait until the server's end, seen through sock_diag, is in a state of mask. */
static void await_server(const struct client *c, const struct lab_endpoint *local,
                         const struct lab_endpoint *peer, unsigned mask, struct lab_conn *theirs)
{
    int rc = lab_watch_wait(SA(*peer), SA(*local), mask, c->cli.timeout_ms, theirs);
    if (rc < 0)
        lab_fail_errno(&c->n, errno, "sock_diag: waiting for the server's end (still %s)",
                       lab_tcp_state_name(theirs->state));
    if (rc == 0)
        lab_fail(&c->n, "sock_diag: the server's end is gone  state=CLOSE");
}

/* Our bytes ACKed and read by the server: it reads only once it is deaf. */
static void await_server_deaf(const struct client *c, const struct lab_endpoint *local,
                              const struct lab_endpoint *peer)
{
    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    struct lab_backoff pace = {0};
    struct lab_conn ours, theirs;
    for (;;) {
        if (lab_diag_find(SA(*peer), SA(*local), &theirs) != 1)
            lab_fail(&c->n, "sock_diag cannot see the server's end: simultaneous-close needs "
                            "both programs in one network namespace");
        if (lab_diag_find(SA(*local), SA(*peer), &ours) != 1)
            lab_fail_errno(&c->n, errno, "sock_diag lookup of our end");
        if (ours.wqueue == 0 && theirs.rqueue == 0)
            break;
        if (lab_ms_left(deadline) == 0)
            lab_fail_errno(&c->n, ETIMEDOUT, "waiting for the server to read our bytes");
        lab_backoff_pause(&pace, -1);
    }
    lab_say_conn(&c->n, &theirs, "sock_diag, the server's end: it has read our bytes:");
    lab_explain(&c->n, "The server stops hearing before it reads: its emptied receive queue,");
    lab_explain(&c->n, "which we see through sock_diag (one kernel for both ends), is our cue.");
}

/* The server's end in CLOSING with no fd: it has narrated CLOSING and closed. */
static void await_server_orphan(const struct client *c, const struct lab_endpoint *local,
                                const struct lab_endpoint *peer)
{
    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    struct lab_backoff pace = {0};
    struct lab_conn theirs;
    int rc;
    while ((rc = lab_diag_find(SA(*peer), SA(*local), &theirs)) == 1 &&
           theirs.state == LAB_TCP_CLOSING && theirs.inode != 0) {
        if (lab_ms_left(deadline) == 0)
            lab_fail_errno(&c->n, ETIMEDOUT, "waiting for the server to close its fd");
        lab_backoff_pause(&pace, -1);
    }
    if (rc != 1 || theirs.state != LAB_TCP_CLOSING)
        lab_fail(&c->n, "sock_diag: the server's end left CLOSING while we were deaf  state=%s",
                 lab_tcp_state_name(rc == 1 ? theirs.state : LAB_TCP_CLOSE));
}

int simultaneous_close(struct client *c)
{
    send_first(c);
    struct lab_endpoint local, peer;
    closing_note_tuple(&c->n, c->fd, &local, &peer);
    await_server_deaf(c, &local, &peer);
    lab_step(&c->n, c->cli.step, "setsockopt(SO_ATTACH_FILTER): hear nothing any more");
    if (lab_drop_input(c->fd, 1) < 0)
        lab_fail_errno(&c->n, errno, "setsockopt(SO_ATTACH_FILTER)");
    lab_say_fd(&c->n, c->fd, "setsockopt(SO_ATTACH_FILTER): from now on we hear nothing");
    lab_explain(&c->n, "Both ends deaf: each FIN will be lost, so the two FINs cross, as when");
    lab_explain(&c->n, "both close at once over a long path. On loopback a FIN arrives before");
    lab_explain(&c->n, "the other end could send its own: they never cross by themselves.");

    lab_step(&c->n, c->cli.step, "shutdown(SHUT_WR): our FIN");
    if (shutdown(c->fd, SHUT_WR) < 0)
        lab_fail_errno(&c->n, errno, "shutdown(SHUT_WR)");
    lab_say_fd(&c->n, c->fd, "shutdown(SHUT_WR): our FIN goes out");
    struct lab_conn theirs, ours;
    await_server(c, &local, &peer, LAB_STATE_BIT(LAB_TCP_FIN_WAIT1), &theirs);
    lab_say_conn(&c->n, &theirs, "sock_diag, the server's end: its FIN too, unheard:");
    lab_explain(&c->n, "Both FIN_WAIT1: each end has sent its FIN and waits for its ACK, and");
    lab_explain(&c->n, "neither has heard the other's FIN. A simultaneous close.");

    await_server(c, &local, &peer, LAB_STATE_BIT(LAB_TCP_CLOSING), &theirs);
    lab_say_conn(&c->n, &theirs, "sock_diag, the server's end: our FIN, sent again, reached it:");
    lab_explain(&c->n, "The server hears again. Our FIN came before the ACK of its own: it");
    lab_explain(&c->n, "ACKs ours (we do not hear it) and waits in CLOSING for the ACK of its");
    lab_explain(&c->n, "FIN. Once it has seen that and closed its fd, we hear again too.");
    await_server_orphan(c, &local, &peer);
    lab_step(&c->n, c->cli.step, "setsockopt(SO_DETACH_FILTER): hear the server again");
    if (lab_drop_input(c->fd, 0) < 0)
        lab_fail_errno(&c->n, errno, "setsockopt(SO_DETACH_FILTER)");
    lab_say_fd(&c->n, c->fd, "setsockopt(SO_DETACH_FILTER): we hear the server again");

    int rc = lab_watch_wait(SA(local), SA(peer), LAB_STATE_BIT(LAB_TCP_TIME_WAIT),
                            c->cli.timeout_ms, &ours);
    if (rc != 1)
        lab_fail_errno(&c->n, rc < 0 ? errno : ECONNRESET, "waiting for our TIME_WAIT (last %s)",
                       lab_tcp_state_name(ours.state));
    lab_say_conn(&c->n, &ours, "sock_diag: the server's FIN, sent again, with the ACK of ours:");
    lab_explain(&c->n, "Our FIN ACKed and the server's FIN in one segment: FIN_WAIT1 goes");
    lab_explain(&c->n, "straight to TIME_WAIT, and we ACK the server's FIN.");
    await_server(c, &local, &peer, LAB_STATE_BIT(LAB_TCP_TIME_WAIT), &theirs);
    lab_say_conn(&c->n, &theirs, "sock_diag, the server's end: our ACK reached it:");
    lab_explain(&c->n, "CLOSING -> TIME_WAIT. Both ends sent a FIN before hearing one: both");
    lab_explain(&c->n, "are active closers, and both keep the 4-tuple for 60 s.");
    return 0;
}
