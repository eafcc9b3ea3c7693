/* unread-data, the client's half: the server closes without reading our
 * request, so its kernel sends RST, not FIN; what it sent before the RST is
 * still ours to read, and only then does read() fail with ECONNRESET.
 * No claim number: a behaviour the README's close-demo table lists.
 * Partner: close-server --scenario unread-data */
#include <errno.h>

#include "client.h"
#include "closing.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

int unread_data(struct client *c)
{
    send_first(c);
    int state;
    /* CLOSE_WAIT too: a server that read our request closes with a FIN. */
    if (lab_wait_fd_state(c->fd, LAB_STATE_BIT(LAB_TCP_CLOSE) | LAB_STATE_BIT(LAB_TCP_CLOSE_WAIT),
                          c->cli.timeout_ms, &state) < 0)
        lab_fail_errno(&c->n, errno, "waiting for the server's RST");
    if (state == LAB_TCP_CLOSE_WAIT)
        lab_fail_fd(&c->n, c->fd, "the server closed with a FIN, not an RST: it read our request");
    int unread = lab_unread_bytes(c->fd);
    if (unread < 0)
        lab_fail_errno(&c->n, errno, "ioctl(FIONREAD)");
    lab_say_fd(&c->n, c->fd, "the server's RST arrived; %d bytes wait unread", unread);
    lab_explain(&c->n, "The RST killed the connection, but what arrived before it is still");
    lab_explain(&c->n, "in our receive queue, and read() hands it out first.");

    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    ssize_t r = read_once(c, deadline);
    if (r < 0 && errno == ECONNRESET)
        lab_fail_fd(&c->n, c->fd, "nothing was queued before the RST: the server sent no reply");
    if (r < 0)
        lab_fail_errno(&c->n, errno, "read()");
    if (r == 0)
        lab_fail_fd(&c->n, c->fd, "EOF where the queued reply should come");
    if (read_once(c, deadline) >= 0 || errno != ECONNRESET) {
        lab_say(&c->n, "expected ECONNRESET after the queued data");
        return 1;
    }
    lab_say_errno(&c->n, ECONNRESET, "read() -> -1  state=CLOSE");
    lab_explain(&c->n, "Only then does the reset surface, once. Had the server read our");
    lab_explain(&c->n, "request first, its close() would have sent a plain FIN.");
    closing_close(&c->n, &c->fd);
    return 0;
}
