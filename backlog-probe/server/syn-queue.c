/* syn-queue, the server's half (claim C10): TCP_DEFER_ACCEPT (30 s) keeps
 * each handshake a request (SYN_RECV) until data comes, so quiet clients fill
 * the SYN queue. The listen backlog bounds it too: past backlog+1 requests a
 * SYN gets a cookie, or with --syncookies 0 is dropped; tcp_max_syn_backlog
 * acts only with cookies off.
 * Partner: backlog-client --scenario syn-queue */
#include "server.h"

int syn_queue(struct server *s)
{
    int lfd = server_listen(s);
    server_say_defer_accept(s);
    server_say_syn_sysctls(s);
    lab_explain(&s->n, "tcp_max_syn_backlog is computed when a network namespace is");
    lab_explain(&s->n, "created (max(128, TCP hash buckets/128)); it only matters with");
    lab_explain(&s->n, "syncookies off:");
    lab_explain(&s->n, "then SYNs from unproven peers are dropped once the SYN");
    lab_explain(&s->n, "queue is 3/4 full. The listen backlog bounds it anyway.");
    lab_explain(&s->n, "TCP_DEFER_ACCEPT keeps each handshake a request (SYN_RECV) until");
    lab_explain(&s->n, "data arrives, so the clients below fill the SYN queue the way a");
    lab_explain(&s->n, "SYN flood would. That queue is bounded by the listen backlog");
    lab_explain(&s->n, "too: past backlog+1 requests the kernel answers with a SYN");
    lab_explain(&s->n, "cookie (tcp_syncookies=1 or 2) or drops the SYN (0).");
    return server_watch(s, lfd);
}
