/* drain, the server's half (claim C9): a fill, then one accept() 200 ms
 * after the first connection came (--accept one-after:200). Nobody is told
 * of the free slot: a waiting client takes it only when its SYN is
 * retransmitted, and the others find the queue full again.
 * Partner: backlog-client --scenario drain */
#include "server.h"

int drain(struct server *s)
{
    int lfd = server_listen(s);
    server_say_defer_accept(s);
    lab_explain(&s->n, "like fill, then one accept() frees one slot; nobody is told:");
    lab_explain(&s->n, "the slot stays empty until a waiting client retransmits its");
    lab_explain(&s->n, "SYN (1 s after the first one); the first SYN to arrive gets it.");
    return server_watch(s, lfd);
}
