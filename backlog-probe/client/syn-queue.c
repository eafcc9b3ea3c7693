/* syn-queue, the client's half (claim C10): the server's TCP_DEFER_ACCEPT
 * keeps each handshake a request (SYN_RECV) until data comes, and these
 * clients send none: they fill its SYN queue the way a SYN flood would. The
 * listen backlog bounds that queue too: past backlog+1 requests a SYN gets a
 * cookie and its connection goes straight to the accept queue, or, with
 * tcp_syncookies=0, is dropped and waits in SYN_SENT.
 * Partner: backlog-server --scenario syn-queue [--syncookies 0] */
#include "client.h"
#include "lab_kstat.h"

int syn_queue(struct client *c)
{
    struct round r;
    connect_all(c, &r);
    first_round(c, &r);
    end_round(c);
    if (!report_outcome(c))
        return client_finish(c);
    long cookies = 1;
    if (lab_sysctl_read("net.ipv4.tcp_syncookies", &cookies) < 0)
        cookies = 1; /* unreadable: take its default */
    lab_explain(&c->n, "SYN_RECV there: requests in the SYN queue, which TCP_DEFER_ACCEPT");
    if (cookies != 0) {
        lab_explain(&c->n, "keeps until data comes; the others got a SYN cookie, skipped the");
        lab_explain(&c->n, "SYN queue and went straight to the accept queue");
    } else {
        lab_explain(&c->n, "keeps until data comes; with tcp_syncookies=0 the SYNs that found");
        lab_explain(&c->n, "it full were dropped (TCPReqQFullDrop): they wait in SYN_SENT");
    }
    return client_finish(c);
}
