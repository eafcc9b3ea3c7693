/* reconnect, the client's half: connect() on a connected socket fails with
 * EISCONN; connect(AF_UNSPEC) aborts the connection with RST; then the same
 * socket connects again.
 * Claim C18 (test claim.C18.tcp-connect-once).
 * Partner: close-server --scenario reconnect */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "client.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

int reconnect(struct client *c)
{
    send_first(c);
    lab_step(&c->n, c->cli.step, "connect() again on the connected socket");
    if (connect(c->fd, (struct sockaddr *)&c->server.ss, c->server.len) == 0) {
        lab_say(&c->n, "second connect() succeeded (unexpected)");
        return 1;
    }
    if (errno != EISCONN)
        lab_fail_errno(&c->n, errno, "second connect()");
    lab_say_errno(&c->n, EISCONN, "connect() again -> -1  state=%s",
                  lab_tcp_state_name(lab_tcp_state_of_fd(c->fd)));
    lab_explain(&c->n, "A TCP socket connects once; the connection is not touched.");

    lab_step(&c->n, c->cli.step, "connect(AF_UNSPEC)");
    struct sockaddr unspec;
    memset(&unspec, 0, sizeof unspec);
    unspec.sa_family = AF_UNSPEC;
    if (connect(c->fd, &unspec, sizeof unspec) < 0)
        lab_fail_errno(&c->n, errno, "connect(AF_UNSPEC)");
    lab_say_fd(&c->n, c->fd, "connect(AF_UNSPEC) -> 0");
    lab_explain(&c->n, "Linux's extension: AF_UNSPEC 'disconnects' a TCP socket. The kernel");
    lab_explain(&c->n, "aborts with RST (the server will read ECONNRESET) and the socket is");
    lab_explain(&c->n, "back to CLOSE. Not bound explicitly, it also gave back its local");
    lab_explain(&c->n, "port, so the next connect() picks a new one.");

    lab_step(&c->n, c->cli.step, "connect() the same socket again");
    if (lab_connect_bounded(c->fd, &c->server, c->cli.timeout_ms) < 0)
        lab_fail_errno(&c->n, errno, "connect() after AF_UNSPEC");
    struct lab_endpoint local;
    char addr[LAB_ENDPOINT_STRLEN];
    if (lab_endpoint_local(c->fd, &local) < 0)
        lab_fail_errno(&c->n, errno, "getsockname()");
    lab_say_fd(&c->n, c->fd, "connect() on the same fd -> connected again from %s",
               lab_endpoint_format((struct sockaddr *)&local.ss, addr, sizeof addr));
    send_text(c, "second connection, same socket\n");
    active_close(c);
    return 0;
}
