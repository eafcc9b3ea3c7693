/* ack-overflow, the server's half (claim C9, the one RST): backlog 2 and
 * TCP_DEFER_ACCEPT, so a client joins the accept queue only with its first
 * data. Data that meets a full queue is dropped, or, with
 * --abort-on-overflow 1 (tcp_abort_on_overflow), answered with RST.
 * Partner: backlog-client --scenario ack-overflow */
#include "server.h"

int ack_overflow(struct server *s)
{
    int lfd = server_listen(s);
    server_say_defer_accept(s);
    server_say_syn_sysctls(s);
    lab_explain(&s->n, "TCP_DEFER_ACCEPT: a client's handshake completes on its side but");
    lab_explain(&s->n, "it joins the accept queue only when its first data arrives. If");
    lab_explain(&s->n, "the queue is full then, tcp_abort_on_overflow decides: 0 drops");
    lab_explain(&s->n, "the segment silently (the client retransmits), 1 answers RST.");
    return server_watch(s, lfd);
}
