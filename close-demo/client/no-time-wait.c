/* no-time-wait, the client's half: we close first, but the server has set
 * net.ipv4.tcp_max_tw_buckets to 0 in our shared namespace: when the
 * server's FIN comes, our kernel ACKs it and keeps no TIME_WAIT (TcpExt
 * TCPTimeWaitOverflow counts it). The ACK is lost (the server drops it), and
 * the server's FIN sent again finds no socket here: our kernel answers with
 * an RST. What goes wrong without TIME_WAIT (claim C20).
 * Partner: close-server --scenario no-time-wait */
#include <errno.h>

#include "client.h"
#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

/* A counter of this namespace; a failed read ends the program. */
static unsigned long long counter(const struct client *c, const char *group, const char *field)
{
    unsigned long long v;
    if (lab_netstat_read(group, field, &v) < 0)
        lab_fail_errno(&c->n, errno, "reading %s %s", group, field);
    return v;
}

int no_time_wait(struct client *c)
{
    send_first(c);
    unsigned long long overflow0 = counter(c, "TcpExt", "TCPTimeWaitOverflow");
    /* From before close(): the server's FIN again may come at any time. */
    unsigned long long rsts0 = counter(c, "Tcp", "OutRsts");
    struct lab_endpoint local, peer;
    closing_close_noting(&c->n, c->cli.step, "close()", &c->fd, &local, &peer);
    lab_say(&c->n, "close(): the kernel sends our FIN; the fd is gone");
    struct lab_conn last;
    int rc = lab_watch_conn(&c->n, (struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss,
                            LAB_STATE_BIT(LAB_TCP_TIME_WAIT), c->cli.timeout_ms, NULL, &last);
    if (rc < 0)
        lab_fail_errno(&c->n, errno, "waiting for the server's FIN (last state %s)",
                       lab_tcp_state_name(last.state));
    if (rc == 1)
        lab_fail(&c->n, "a TIME_WAIT after all: does the server run no-time-wait in this "
                        "namespace?  state=TIME_WAIT");
    unsigned long long overflow = counter(c, "TcpExt", "TCPTimeWaitOverflow") - overflow0;
    lab_say(&c->n,
            "sock_diag: gone at once, no TIME_WAIT; TcpExt TCPTimeWaitOverflow +%llu  "
            "state=CLOSE",
            overflow);
    lab_explain(&c->n, "The server's FIN came and our kernel ACKed it, then found");
    lab_explain(&c->n, "net.ipv4.tcp_max_tw_buckets (0) reached: instead of TIME_WAIT, nothing.");
    lab_explain(&c->n, "The counter says so. Our ACK is lost on its way (the server drops it).");

    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    struct lab_backoff pace = {0};
    unsigned long long rsts;
    while ((rsts = counter(c, "Tcp", "OutRsts")) == rsts0 && lab_ms_left(deadline) > 0)
        lab_backoff_pause(&pace, -1);
    if (rsts == rsts0)
        lab_fail_errno(&c->n, ETIMEDOUT, "waiting for the server's FIN again (Tcp OutRsts)");
    lab_say(&c->n, "Tcp OutRsts +%llu: the server's FIN again found no socket  state=CLOSE",
            rsts - rsts0);
    lab_explain(&c->n, "With no TIME_WAIT to ACK it again, our kernel answered the FIN with an");
    lab_explain(&c->n, "RST: the server's close ends in ECONNRESET. (The counter is this");
    lab_explain(&c->n, "network namespace's: on a busy host other connections' RSTs count too.)");
    return 0;
}
