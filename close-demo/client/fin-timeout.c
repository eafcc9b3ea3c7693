/* fin-timeout, the client's half: we close, the server holds CLOSE_WAIT. Our
 * orphaned FIN_WAIT2 waits for its FIN only net.ipv4.tcp_fin_timeout seconds,
 * then it is gone, with no TIME_WAIT; the server's late FIN finds no socket
 * here, and our kernel answers it with an RST (claim C24).
 * Partner: close-server --scenario fin-timeout */
#include <errno.h>

#include "client.h"
#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

/* This namespace's Tcp OutRsts; a failed read ends the program. */
static unsigned long long out_rsts(const struct client *c)
{
    unsigned long long v;
    if (lab_netstat_read("Tcp", "OutRsts", &v) < 0)
        lab_fail_errno(&c->n, errno, "reading Tcp OutRsts");
    return v;
}

int fin_timeout(struct client *c)
{
    send_first(c);
    /* Counted from before our close(): the server's late FIN may come the
     * moment our FIN_WAIT2 is gone, before we see that it is. */
    unsigned long long rsts0 = out_rsts(c);
    struct lab_endpoint local, peer;
    closing_close_noting(&c->n, c->cli.step, "close()", &c->fd, &local, &peer);
    lab_say(&c->n, "close(): the kernel sends our FIN; the fd is gone");
    struct lab_conn conn;
    int rc = lab_watch_wait((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss,
                            ~LAB_STATE_BIT(LAB_TCP_FIN_WAIT1), c->cli.timeout_ms, &conn);
    if (rc < 0)
        lab_fail_errno(&c->n, errno, "waiting for FIN_WAIT2");
    if (rc == 0)
        lab_fail(&c->n, "the connection is gone, the server reset it  state=CLOSE");
    if (conn.state != LAB_TCP_FIN_WAIT2)
        lab_fail(&c->n, "the server closed at once, a fin-timeout server waits  state=%s",
                 lab_tcp_state_name(conn.state));
    long fin = 60;
    (void)lab_sysctl_read("net.ipv4.tcp_fin_timeout", &fin);
    lab_say_conn(&c->n, &conn, "sock_diag: orphaned, waiting for the server's FIN:");
    lab_explain(&c->n, "Our FIN is ACKed, the server's FIN does not come. No fd owns this");
    lab_explain(&c->n, "socket any more, so the kernel keeps it only for");
    lab_explain(&c->n, "net.ipv4.tcp_fin_timeout = %ld s: the timer above (ss calls it", fin);
    lab_explain(&c->n, "'timewait', though the state is FIN_WAIT2).");

    long long t0 = lab_now_ms();
    rc = lab_watch_wait((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss,
                        ~LAB_STATE_BIT(LAB_TCP_FIN_WAIT2), c->cli.timeout_ms, &conn);
    if (rc < 0)
        lab_fail_errno(&c->n, errno, "waiting for the FIN_WAIT2 to time out");
    if (rc == 1)
        lab_fail(&c->n, "the server closed before our timer ran out  state=%s",
                 lab_tcp_state_name(conn.state));
    lab_say(&c->n, "sock_diag: FIN_WAIT2 gone after %lld ms, no TIME_WAIT  state=CLOSE",
            lab_now_ms() - t0);
    lab_explain(&c->n, "The timer ended the connection outright: unlike a FIN_WAIT2 that gets");
    lab_explain(&c->n, "its FIN, this one leaves no TIME_WAIT. Nothing of it is left here.");

    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    struct lab_backoff pace = {0};
    unsigned long long rsts;
    while ((rsts = out_rsts(c)) == rsts0 && lab_ms_left(deadline) > 0)
        lab_backoff_pause(&pace, -1);
    if (rsts == rsts0)
        lab_fail_errno(&c->n, ETIMEDOUT, "waiting for the server's late FIN (Tcp OutRsts)");
    lab_say(&c->n, "Tcp OutRsts +%llu: the server's late FIN found no socket  state=CLOSE",
            rsts - rsts0);
    lab_explain(&c->n, "Our kernel answered it with an RST: to it, the connection no longer");
    lab_explain(&c->n, "exists. (The counter is this network namespace's: on a busy host other");
    lab_explain(&c->n, "connections' RSTs count too.)");
    return 0;
}
