/* backlog-client --scenario fill (claims C8, C9) and clamp (C8).
 *
 * fill: M connections at once against a listener of backlog N that never
 * accepts: N+1 handshakes complete, the kernel drops the other SYNs, and
 * those clients wait in SYN_SENT, retransmitting; none sees ECONNREFUSED.
 *   server: backlog-server --scenario fill
 *
 * clamp: the same fill, 20 connections, against listen(fd, 1000) that
 * somaxconn=16 clamped: 17 complete.
 *   server: backlog-server --scenario clamp
 */
#include "client.h"

int client_fill(struct client *c)
{
    struct round r;
    connect_all(c, &r);
    first_round(c, &r);
    end_round(c);
    if (report_outcome(c))
        explain_accept_queue(c);
    return client_finish(c);
}

/* What clamp shows happens on the server (listen() and somaxconn); the
 * client's half is a fill. */
int client_clamp(struct client *c)
{
    return client_fill(c);
}
