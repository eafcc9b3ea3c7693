/* unread-data, the server's half: write a reply, then close() without
 * reading the client's request: the kernel sends RST instead of FIN, and
 * nobody keeps a TIME_WAIT.
 * No claim number: a behaviour the README's close-demo table lists.
 * Partner: close-client --scenario unread-data */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_watch.h"
#include "server.h"

int unread_data(struct server *s)
{
    int ready = lab_wait_fd(s->conn, POLLIN, s->cli.timeout_ms);
    if (ready == 0)
        errno = ETIMEDOUT;
    if (ready <= 0)
        lab_fail_errno(&s->n, errno, "waiting for the client's request");
    /* Look without reading (MSG_PEEK): the lesson needs the bytes left unread. */
    char peek[64];
    ssize_t seen = recv(s->conn, peek, sizeof peek, MSG_PEEK | MSG_DONTWAIT);
    if (seen < 0)
        lab_fail_errno(&s->n, errno, "recv(MSG_PEEK)");
    check_client(s, peek, (size_t)seen);
    if (seen == 0)
        lab_fail_fd(&s->n, s->conn, "EOF where this scenario expects a request: the client closed");
    int unread = lab_unread_bytes(s->conn);
    if (unread < 0)
        lab_fail_errno(&s->n, errno, "ioctl(FIONREAD)");
    lab_say_fd(&s->n, s->conn, "the client's request arrived: %d bytes we will not read", unread);
    static const char reply[] = "reply before the reset\n";
    if (lab_send_all(s->conn, reply, sizeof reply - 1) < 0)
        lab_fail_errno(&s->n, errno, "write()");
    lab_say_fd(&s->n, s->conn, "write() -> %zu bytes", sizeof reply - 1);

    struct lab_endpoint local, peer;
    closing_close_noting(&s->n, s->cli.step, "close() with unread data", &s->conn, &local, &peer);
    lab_say(&s->n, "close() with %d unread bytes: the kernel sends RST, not FIN", unread);
    lab_explain(&s->n, "Data we never read would be lost silently if we sent a normal FIN,");
    lab_explain(&s->n, "so the kernel tells the peer the truth: RST (RFC 2525, 2.17).");
    struct lab_conn c;
    int found = lab_diag_find((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss, &c);
    if (found < 0)
        lab_fail_errno(&s->n, errno, "sock_diag lookup");
    if (found) {
        lab_say_conn(&s->n, &c, "sock_diag: unexpected leftover:");
        return 1;
    }
    lab_say(&s->n, "sock_diag: connection gone, no TIME_WAIT  state=CLOSE");
    return 0;
}
