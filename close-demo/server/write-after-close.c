/* write-after-close, the server's half: read the client's request and close
 * at once. The client writes anyway: our orphaned socket cannot deliver the
 * bytes to anyone, so our kernel answers them with an RST and drops the
 * connection, with no TIME_WAIT (claim C23).
 * Partner: close-client --scenario write-after-close */
#include <errno.h>

#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "server.h"

int write_after_close(struct server *s)
{
    /* Every byte read: our close() sends a FIN, not the RST of unread data. */
    read_first_bytes(s, N_("the client's request"));
    unsigned long long rsts0 = 0, rsts = 0;
    int counted = lab_netstat_read("Tcp", "OutRsts", &rsts0) == 0;
    struct lab_endpoint local, peer;
    closing_close_noting(&s->n, s->cli.step, "close() after the request", &s->conn, &local, &peer);
    lab_say(&s->n, "close(): the kernel sends our FIN; the fd is gone");
    lab_explain(&s->n, "We close first and own no fd any more: the kernel keeps an orphan,");
    lab_explain(&s->n, "closing on our behalf, which no application will ever read from.");

    struct lab_conn last;
    int rc = lab_watch_conn(&s->n, (struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss, 0,
                            s->cli.timeout_ms, NULL, &last);
    if (rc < 0)
        lab_fail_errno(&s->n, errno, "waiting for the client's bytes (last state %s)",
                       lab_tcp_state_name(last.state));
    if (counted && lab_netstat_read("Tcp", "OutRsts", &rsts) == 0 && rsts > rsts0) {
        lab_say(&s->n, "sock_diag: connection gone, Tcp OutRsts +%llu  state=CLOSE", rsts - rsts0);
    } else {
        lab_say(&s->n, "sock_diag: connection gone, but our kernel sent no RST  state=CLOSE");
        lab_explain(&s->n, "Did net.ipv4.tcp_fin_timeout end our orphaned FIN_WAIT2 before the");
        lab_explain(&s->n, "client wrote (is it stepping)?");
        return 1;
    }
    lab_explain(&s->n, "The client's bytes reached a socket whose application is gone: our");
    lab_explain(&s->n, "kernel cannot deliver them, so it answered with an RST (counted in");
    lab_explain(&s->n, "TcpExt TCPAbortOnData too) and forgot the connection: no TIME_WAIT.");
    return 0;
}
