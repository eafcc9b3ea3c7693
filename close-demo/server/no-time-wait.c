/* no-time-wait, the server's half: before listen() we set
 * net.ipv4.tcp_max_tw_buckets to 0 (only in a private network namespace, put
 * back at exit), so the kernel keeps no TIME_WAIT at all. We are the passive
 * closer and lose the client's final ACK (a socket filter drops everything
 * that arrives): LAST_ACK. The client's end is gone at once; once we hear
 * again, our FIN sent again meets no socket and draws an RST: ECONNRESET
 * instead of a clean close. What goes wrong without TIME_WAIT (claim C20).
 * Partner: close-client --scenario no-time-wait */
#include <errno.h>
#include <sys/socket.h>

#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_kstat.h"
#include "lab_netns.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "server.h"

int no_time_wait_before_listen(struct server *s)
{
    if (lab_netns_is_host() != 0)
        return lab_usage_error(
            s->cli.prog, "refusing to change net.ipv4.tcp_max_tw_buckets outside a private network "
                         "namespace: run both programs in one (scripts/close-demo.sh)");
    if (lab_sysctl_restore_on_exit() < 0)
        lab_fail_errno(&s->n, errno, "installing the sysctl restore");
    if (lab_sysctl_change("net.ipv4.tcp_max_tw_buckets", 0, &s->tw_buckets_old) < 0)
        return lab_usage_error(s->cli.prog,
                               "cannot set net.ipv4.tcp_max_tw_buckets to 0 here: errno=%s",
                               lab_errno_name(errno));
    return 0;
}

/* In LAST_ACK, deaf: wait until the client's end is gone (sock_diag, as it
 * shares our kernel on loopback) and say that no TIME_WAIT was left. */
static void see_client_gone(const struct server *s)
{
    struct lab_endpoint local, peer;
    closing_note_tuple(&s->n, s->conn, &local, &peer);
    struct lab_conn theirs;
    int rc = lab_watch_wait((struct sockaddr *)&peer.ss, (struct sockaddr *)&local.ss, 0,
                            s->cli.timeout_ms, &theirs);
    if (rc < 0)
        lab_fail_errno(&s->n, errno, "waiting for the client's end to go (still %s)",
                       lab_tcp_state_name(theirs.state));
    lab_say_fd(&s->n, s->conn, "sock_diag: the client's end is gone, no TIME_WAIT; we wait");
    lab_explain(&s->n, "Its kernel ACKed our FIN and, finding no room for a TIME_WAIT, dropped");
    lab_explain(&s->n, "the connection outright. Its ACK never reached us: we stay in LAST_ACK");
    lab_explain(&s->n, "and will send our FIN again, to nobody.");
}

int no_time_wait(struct server *s)
{
    lab_say(&s->n, "before listen: sysctl net.ipv4.tcp_max_tw_buckets %ld -> 0 (private namespace)",
            s->tw_buckets_old);
    lab_explain(&s->n, "At most 0 TIME_WAIT sockets in this namespace: a connection that would");
    lab_explain(&s->n, "enter TIME_WAIT is dropped instead. The old value comes back at exit.");
    read_to_eof(s);
    go_deaf(s);
    lab_explain(&s->n, "before TCP sees it: the client's final ACK will be lost.");

    lab_step(&s->n, s->cli.step, "shutdown(SHUT_WR): our FIN");
    if (shutdown(s->conn, SHUT_WR) < 0)
        lab_fail_errno(&s->n, errno, "shutdown(SHUT_WR)");
    lab_say_fd(&s->n, s->conn, "shutdown(SHUT_WR): our FIN goes out");
    see_client_gone(s);

    lab_step(&s->n, s->cli.step, "setsockopt(SO_DETACH_FILTER): hear the client again");
    if (lab_drop_input(s->conn, 0) < 0)
        lab_fail_errno(&s->n, errno, "setsockopt(SO_DETACH_FILTER)");
    lab_say_fd(&s->n, s->conn, "setsockopt(SO_DETACH_FILTER): we hear the client again");
    int state;
    if (lab_wait_fd_state(s->conn, ~LAB_STATE_BIT(LAB_TCP_LAST_ACK), s->cli.timeout_ms, &state) < 0)
        lab_fail_errno(&s->n, errno, "waiting for the end of LAST_ACK");
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(s->conn, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        lab_fail_errno(&s->n, errno, "getsockopt(SO_ERROR)");
    if (err == 0) {
        lab_say_fd(&s->n, s->conn, "unexpected: our FIN was ACKed: the client kept a TIME_WAIT");
        return 1;
    }
    lab_say_errno(&s->n, err, "getsockopt(SO_ERROR): our FIN sent again drew an RST  state=%s",
                  lab_tcp_state_name(state));
    lab_explain(&s->n, "Our FIN, sent again, met no socket on the client's side, and a segment");
    lab_explain(&s->n, "for no socket draws an RST: the connection ends in an error although");
    lab_explain(&s->n, "both sides closed cleanly. A TIME_WAIT would have ACKed the FIN again");
    lab_explain(&s->n, "(claim C19): that is its first job.");
    return 0;
}
