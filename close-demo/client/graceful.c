/* graceful, the client's half: write, close() first, keep the TIME_WAIT.
 * Claims C1 (FIN_WAIT1, then FIN_WAIT2 once our FIN is ACKed) and C6 (the
 * TIME_WAIT timer starts at a fixed 60 s), as sock_diag reports them.
 * Partner: close-server --scenario graceful */
#include "client.h"

int graceful(struct client *c)
{
    send_first(c); /* "hello 1\n" */
    send_text(c, "hello 2\n");
    send_text(c, "bye\n");
    active_close(c);
    return 0;
}
