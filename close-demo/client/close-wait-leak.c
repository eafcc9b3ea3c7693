/* close-wait-leak, the client's half: we close, the server never does. Our
 * orphaned FIN_WAIT2 ends on net.ipv4.tcp_fin_timeout (claim C6: that sysctl
 * times this state, not TIME_WAIT); the server's CLOSE_WAIT has no timer at
 * all (claim C2).
 * Partner: close-server --scenario close-wait-leak */
#include <errno.h>

#include "client.h"
#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

int close_wait_leak(struct client *c)
{
    send_first(c);
    struct lab_endpoint local, peer;
    closing_close_noting(&c->n, c->cli.step, "close()", &c->fd, &local, &peer);
    lab_say(&c->n, "close(): the kernel sends our FIN");
    struct lab_conn conn;
    /* Wait for whatever follows FIN_WAIT1, and judge it: FIN_WAIT2 is the
     * lesson; the server's FIN (TIME_WAIT, CLOSING) or RST (gone) is not. */
    int rc = lab_watch_wait((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss,
                            ~LAB_STATE_BIT(LAB_TCP_FIN_WAIT1), c->cli.timeout_ms, &conn);
    if (rc < 0)
        lab_fail_errno(&c->n, errno, "waiting for FIN_WAIT2");
    if (rc == 0) {
        lab_say(&c->n, "unexpected: the connection is gone, the server reset it (does it run "
                       "another scenario?)  state=CLOSE");
        return 1;
    }
    if (conn.state != LAB_TCP_FIN_WAIT2) {
        lab_say_conn(&c->n, &conn,
                     "unexpected: the server closed too, a close-wait-leak server never does "
                     "(another scenario, or --hold-ms 0?):");
        return 1;
    }
    lab_say_conn(&c->n, &conn, "sock_diag:");
    lab_explain(&c->n, "Our FIN is ACKed but the server never closes, so its FIN never");
    lab_explain(&c->n, "comes. We no longer own an fd: this orphaned FIN_WAIT2 is kept by");
    lab_explain(&c->n, "the kernel only until net.ipv4.tcp_fin_timeout runs out (the timer");
    lab_explain(&c->n, "above). The server's CLOSE_WAIT has no such timer.");
    return 0;
}
