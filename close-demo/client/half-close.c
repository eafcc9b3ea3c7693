/* half-close, the client's half: shutdown(SHUT_WR), then read the reply
 * that still comes after our FIN, then EOF.
 * Claim C4: our fd reports CLOSE while the TIME_WAIT lives on as a separate
 * kernel object that only sock_diag (ss) shows.
 * Partner: close-server --scenario half-close */
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

int half_close(struct client *c)
{
    send_first(c);
    struct lab_endpoint local, peer; /* once the fd reports CLOSE, getpeername fails */
    closing_note_tuple(&c->n, c->fd, &local, &peer);
    lab_step(&c->n, c->cli.step, "shutdown(SHUT_WR)");
    if (shutdown(c->fd, SHUT_WR) < 0)
        lab_fail_errno(&c->n, errno, "shutdown(SHUT_WR)");
    int state;
    /* CLOSE too: a server run with --hold-ms 0 may reply and close before we look. */
    if (lab_wait_fd_state(c->fd, LAB_STATE_BIT(LAB_TCP_FIN_WAIT2) | LAB_STATE_BIT(LAB_TCP_CLOSE),
                          c->cli.timeout_ms, &state) < 0)
        lab_fail_errno(&c->n, errno, "waiting for FIN_WAIT2");
    lab_say_fd(&c->n, c->fd, "shutdown(SHUT_WR): our FIN is sent and ACKed");
    lab_explain(&c->n, "We told the server 'no more data from me'; the fd stays open and");
    lab_explain(&c->n, "can still read. The server sees EOF, yet may keep sending.");

    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    if (read_some(c, deadline) == 0)
        lab_fail_fd(&c->n, c->fd,
                    "EOF before any reply: the server closed without answering our half-close");
    lab_explain(&c->n, "Data still arrives after our own FIN: a TCP connection is two");
    lab_explain(&c->n, "independent byte streams, and we closed only ours.");
    if (read_some(c, deadline) > 0)
        lab_fail_fd(&c->n, c->fd, "more data where the server's EOF should come");
    lab_explain(&c->n, "The server's FIN: we ACKed it and the fd now reports CLOSE. The");
    lab_explain(&c->n, "TIME_WAIT that follows is a separate kernel object:");
    struct lab_conn conn;
    if (lab_diag_find((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss, &conn) <= 0) {
        lab_say(&c->n, "sock_diag: no TIME_WAIT found (unexpected)");
        return 1;
    }
    lab_say_conn(&c->n, &conn, "sock_diag:");
    lab_step(&c->n, c->cli.step, "close() the fd");
    closing_close(&c->n, &c->fd);
    lab_say(&c->n, "close(): nothing left to send, the fd is released");
    return 0;
}
