/* lost-ack, the server's half: we are the passive closer and lose the
 * client's final ACK (a socket filter drops everything that arrives), so we
 * stay in LAST_ACK and send our FIN again. The client's TIME_WAIT is still
 * there to ACK it (claim C19); once we hear again, LAST_ACK ends.
 * Partner: close-client --scenario lost-ack */
#include <errno.h>
#include <sys/socket.h>

#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "server.h"

/* Wait in LAST_ACK until our FIN has been sent again; say so with the timer
 * of the next retransmission. */
static void await_retransmission(const struct server *s)
{
    struct lab_endpoint local, peer;
    closing_note_tuple(&s->n, s->conn, &local, &peer);
    long long deadline = lab_now_ms() + s->cli.timeout_ms;
    struct lab_backoff pace = {0};
    unsigned retrans = 0;
    for (;;) {
        if (lab_tcp_total_retrans(s->conn, &retrans) < 0)
            lab_fail_errno(&s->n, errno, "getsockopt(TCP_INFO)");
        if (retrans > 0 || lab_tcp_state_of_fd(s->conn) != LAB_TCP_LAST_ACK ||
            lab_ms_left(deadline) == 0)
            break;
        lab_backoff_pause(&pace, -1);
    }
    if (lab_tcp_state_of_fd(s->conn) != LAB_TCP_LAST_ACK)
        lab_fail_fd(&s->n, s->conn, "LAST_ACK ended while we heard nothing");
    if (retrans == 0)
        lab_fail_errno(&s->n, ETIMEDOUT, "waiting for our FIN's retransmission");
    struct lab_conn c;
    if (lab_diag_find((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss, &c) != 1)
        lab_fail_errno(&s->n, errno, "sock_diag lookup of our LAST_ACK");
    lab_say_conn(&s->n, &c, "our FIN again (retransmission %u): no ACK reached us:", retrans);
    lab_explain(&s->n, "LAST_ACK waits for the ACK of our FIN and, each time its");
    lab_explain(&s->n, "retransmission timer (above) runs out, sends the FIN again. The");
    lab_explain(&s->n, "client's TIME_WAIT is still there to answer it; without TIME_WAIT our");
    lab_explain(&s->n, "FIN would draw an RST (claim C20).");
}

/* After the filter is gone (retrans_before: our FIN's retransmissions until
 * then): wait until LAST_ACK ends and say how. 0 when an ACK ended it, 1 when
 * an RST did (narrated). */
static int await_last_ack_end(const struct server *s, unsigned retrans_before)
{
    int state;
    if (lab_wait_fd_state(s->conn, ~LAB_STATE_BIT(LAB_TCP_LAST_ACK), s->cli.timeout_ms, &state) < 0)
        lab_fail_errno(&s->n, errno, "waiting for the end of LAST_ACK");
    int err = 0;
    socklen_t len = sizeof err;
    unsigned retrans = 0;
    if (getsockopt(s->conn, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
        lab_tcp_total_retrans(s->conn, &retrans) < 0)
        lab_fail_errno(&s->n, errno, "getsockopt(SO_ERROR, TCP_INFO)");
    if (err != 0) {
        lab_say_errno(&s->n, err, "our FIN drew an RST: the client kept no TIME_WAIT  state=%s",
                      lab_tcp_state_name(state));
        return 1;
    }
    lab_say_fd(&s->n, s->conn, "LAST_ACK over after %u retransmissions of our FIN: it is ACKed",
               retrans);
    if (retrans - retrans_before > 1) {
        long limit = 500;
        (void)lab_sysctl_read("net.ipv4.tcp_invalid_ratelimit", &limit);
        lab_explain(&s->n, "%u of them after the filter came off went unanswered: a TIME_WAIT",
                    retrans - retrans_before - 1);
        lab_explain(&s->n, "answers some repeated segments at most once per");
        lab_explain(&s->n, "net.ipv4.tcp_invalid_ratelimit = %ld ms.", limit);
    }
    lab_explain(&s->n, "The client's TIME_WAIT did its job: it kept the connection's last");
    lab_explain(&s->n, "state, so a FIN sent again got its ACK again, not an RST.");
    return 0;
}

int lost_ack(struct server *s)
{
    read_to_eof(s);
    go_deaf(s);
    lab_explain(&s->n, "before TCP sees it: a network that loses what the client sends us.");

    lab_step(&s->n, s->cli.step, "shutdown(SHUT_WR): our FIN");
    if (shutdown(s->conn, SHUT_WR) < 0)
        lab_fail_errno(&s->n, errno, "shutdown(SHUT_WR)");
    lab_say_fd(&s->n, s->conn, "shutdown(SHUT_WR): our FIN goes out");
    lab_explain(&s->n, "The same FIN as close() sends, but we keep the fd to lift the filter");
    lab_explain(&s->n, "later. The client ACKs our FIN at once and enters TIME_WAIT; the ACK");
    lab_explain(&s->n, "is lost, so we stay in LAST_ACK.");
    await_retransmission(s);

    lab_step(&s->n, s->cli.step, "setsockopt(SO_DETACH_FILTER): hear the client again");
    if (lab_drop_input(s->conn, 0) < 0)
        lab_fail_errno(&s->n, errno, "setsockopt(SO_DETACH_FILTER)");
    unsigned retrans; /* counted now: --step may have held us through more of them */
    if (lab_tcp_total_retrans(s->conn, &retrans) < 0)
        lab_fail_errno(&s->n, errno, "getsockopt(TCP_INFO)");
    lab_say_fd(&s->n, s->conn, "setsockopt(SO_DETACH_FILTER): we hear the client again");
    lab_explain(&s->n, "Our next FIN meets the client's TIME_WAIT, whose ACK now gets through.");
    return await_last_ack_end(s, retrans);
}
