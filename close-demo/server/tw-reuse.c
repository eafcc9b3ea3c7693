/* tw-reuse, the server's half: two connections from a client that has one
 * ephemeral port. The client closes the first one (the TIME_WAIT is its own),
 * then connects again without bind(): with net.ipv4.tcp_tw_reuse 2 (the
 * default, loopback) from the same port, its TIME_WAIT taken over; with 0
 * refused, then from another port (claim C21).
 * Partner: close-client --scenario tw-reuse */
#include <errno.h>

#include "closing.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_watch.h"
#include "server.h"

int tw_reuse(struct server *s)
{
    struct lab_endpoint first, again;
    if (lab_endpoint_peer(s->conn, &first) < 0)
        lab_fail_errno(&s->n, errno, "getpeername()");
    read_to_eof(s);
    passive_close(s);
    lab_say(&s->n, "waiting for the client to connect again");
    lab_explain(&s->n, "The client closed first: the TIME_WAIT is on its side, holding the");
    lab_explain(&s->n, "4-tuple of its only ephemeral port.");
    s->conn = accept_one(s);
    if (s->conn < 0) /* nobody reads us any more */
        return 0;
    if (lab_endpoint_peer(s->conn, &again) < 0)
        lab_fail_errno(&s->n, errno, "getpeername()");
    if (lab_endpoint_port(&again) == lab_endpoint_port(&first)) {
        lab_say_fd(&s->n, s->conn, "the same client port as before: the same 4-tuple again");
        lab_explain(&s->n, "Its kernel took the 4-tuple over from its TIME_WAIT. For us it is a");
        lab_explain(&s->n, "new connection: its SYN was the start of a new sequence space.");
    } else {
        lab_say_fd(&s->n, s->conn, "another client port: the first 4-tuple stays in TIME_WAIT");
    }
    read_to_eof(s);
    passive_close(s);
    return 0;
}
