/* fill, the server's half (claims C8, C9): listen(fd, 4) and never accept():
 * the accept queue holds backlog+1 = 5 handshakes, and the kernel drops every
 * later SYN (ListenOverflows), never refusing one.
 * Partner: backlog-client --scenario fill */
#include "server.h"

int fill(struct server *s)
{
    int lfd = server_listen(s);
    server_say_defer_accept(s);
    server_explain_accept_queue(s);
    return server_watch(s, lfd);
}
