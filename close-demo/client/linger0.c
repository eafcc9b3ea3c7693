/* linger0, the client's half: close() with SO_LINGER {on, 0 s} aborts the
 * connection: RST instead of FIN, and no TIME_WAIT on either side.
 * No claim number: a behaviour the README's close-demo table lists.
 * Partner: close-server --scenario linger0 */
#include <errno.h>
#include <sys/socket.h>

#include "client.h"
#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_watch.h"

int linger0(struct client *c)
{
    send_first(c);
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    if (setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0)
        lab_fail_errno(&c->n, errno, "setsockopt(SO_LINGER)");
    lab_say_fd(&c->n, c->fd, "setsockopt(SO_LINGER, {on, 0 s})");
    struct lab_endpoint local, peer;
    closing_close_noting(&c->n, c->cli.step, "close() with linger 0", &c->fd, &local, &peer);
    lab_say(&c->n, "close(): with a zero linger time the kernel sends RST, not FIN");
    struct lab_conn conn;
    int found = lab_diag_find((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss, &conn);
    if (found < 0)
        lab_fail_errno(&c->n, errno, "sock_diag lookup");
    if (found) {
        lab_say_conn(&c->n, &conn, "sock_diag: still there (unexpected):");
        return 1;
    }
    lab_say(&c->n, "sock_diag: connection gone at once, no TIME_WAIT  state=CLOSE");
    lab_explain(&c->n, "An abortive close skips the whole four-way close: unsent data is");
    lab_explain(&c->n, "dropped, the peer gets ECONNRESET, nobody keeps TIME_WAIT. Tempting");
    lab_explain(&c->n, "for busy servers, but it also throws away what TIME_WAIT protects.");
    return 0;
}
