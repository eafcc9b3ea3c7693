/* refused-connected (C13): connected to a port where nothing listens,
 * connect() and send() succeed, and the ICMP port unreachable that comes back
 * fails the next call with ECONNREFUSED, once.
 *
 *   udp-client --scenario refused-connected        (no server needed)
 */
#include <errno.h>
#include <sys/socket.h>

#include "client.h"
#include "lab_fail.h"

void refused_connected(const struct client *c)
{
    struct lab_endpoint to;
    int fd = socket_for_closed_port(c, &to);
    connect_to(c, fd, &to);
    lab_explain(&c->n, "connect() succeeds at once although nothing listens: it sent nothing.");
    send_text(c, fd, "anyone there?", NULL);
    lab_explain(&c->n, "send() succeeds too: the refusal is still on its way back.");
    ssize_t n = recv_datagram(c, fd, NULL, c->cli.timeout_ms);
    if (n >= 0)
        lab_fail(&c->n, "a datagram arrived from a closed port");
    if (errno != ECONNREFUSED)
        lab_fail(&c->n, "the connected socket was not told ECONNREFUSED");
    lab_explain(&c->n, "The ICMP port unreachable matched the connected socket's peer, so the");
    lab_explain(&c->n, "kernel stored ECONNREFUSED as the socket's pending error; the next");
    lab_explain(&c->n, "call on the socket returned it.");
    char buf[64];
    if (recv(fd, buf, sizeof buf, MSG_DONTWAIT) >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
        lab_fail(&c->n, "the error was reported twice");
    lab_say_errno(&c->n, errno, "recv() again -> -1");
    close_socket(c, fd);
    lab_explain(&c->n, "Reported once: reading the error cleared it. The next send() would");
    lab_explain(&c->n, "go out, bounce, and arm it again.");
}
