/* server-first, the client's half: the server closes first; we read its
 * EOF in CLOSE_WAIT and close as the passive side, so the server keeps the
 * TIME_WAIT (claim C4, the other way round) and our LAST_ACK lasts one round
 * trip (claim C3).
 * Partner: close-server --scenario server-first */
#include "client.h"
#include "closing.h"
#include "lab_fail.h"
#include "lab_sock.h"

int server_first(struct client *c)
{
    send_first(c);
    if (read_some(c, lab_now_ms() + c->cli.timeout_ms) > 0)
        lab_fail_fd(&c->n, c->fd, "data where the server's EOF should come");
    lab_explain(&c->n, "The server closed first: its FIN put us in CLOSE_WAIT until we close()");
    lab_explain(&c->n, "too. Our kernel delays the ACK of that FIN; if we close quickly, our");
    lab_explain(&c->n, "FIN carries it and the close takes three segments. The server owns");
    lab_explain(&c->n, "the TIME_WAIT.");
    struct lab_endpoint local, peer;
    closing_close_noting(&c->n, c->cli.step, "close()", &c->fd, &local, &peer);
    lab_say(&c->n, "close(): the kernel sends our FIN");
    closing_report_passive(&c->n, &local, &peer);
    return 0;
}
