/* fill, the client's half (claims C8, C9): M connections at once against a
 * listener of backlog N that never accepts: N+1 handshakes complete, the
 * kernel drops the other SYNs, and those clients wait in SYN_SENT,
 * retransmitting; none sees ECONNREFUSED.
 * Partner: backlog-server --scenario fill */
#include "client.h"

int fill(struct client *c)
{
    struct round r;
    connect_all(c, &r);
    first_round(c, &r);
    end_round(c);
    if (report_outcome(c))
        explain_accept_queue(c);
    return client_finish(c);
}
