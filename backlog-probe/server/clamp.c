/* clamp, the server's half (claim C8): net.core.somaxconn lowered to 16
 * before listen(fd, 1000) (--somaxconn, in a private namespace): the kernel
 * grants 16, and so it does to listen(fd, -1) and listen(fd, 100000) on
 * other sockets. The queue then fills at 16+1.
 * Partner: backlog-client --scenario clamp */
#include <errno.h>
#include <stddef.h>

#include "lab_backlog.h"
#include "lab_fail.h"
#include "server.h"

int clamp(struct server *s)
{
    int lfd = server_listen(s);
    static const int asked[] = {-1, 100000};
    for (size_t i = 0; i < sizeof asked / sizeof asked[0]; i++) {
        unsigned got;
        if (lab_backlog_granted(&s->bound, asked[i], &got) < 0)
            lab_fail_errno(&s->n, errno, "listen(fd, %d) on another socket", asked[i]);
        lab_say(&s->n, "another listener with listen(fd, %d) gets backlog %u = somaxconn", asked[i],
                got);
    }
    server_say_defer_accept(s);
    server_explain_accept_queue(s);
    return server_watch(s, lfd);
}
