/* echo-unconnected (C14): an unconnected socket gets the server's reply.
 * sendto() binds it to a free port, and the server answers the address its
 * recvfrom() reported; delivery is by destination port, no connect needed.
 *
 *   udp-server --scenario echo-unconnected
 *   udp-client --scenario echo-unconnected
 */
#include "client.h"
#include "lab_i18n.h"

void echo_unconnected(const struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN], b[LAB_ENDPOINT_STRLEN];
    int fd = new_socket(c);
    say_local(c, fd, N_(" (no port yet)"));
    send_text(c, fd, "hello, unconnected", &c->server);
    say_local(c, fd, N_(" (bound by sendto)"));
    lab_explain(&c->n, "sendto() bound the socket to a free port first; the address stays the");
    lab_explain(&c->n, "wildcard, so each datagram's source address comes from its route.");
    struct lab_endpoint from;
    recv_reply(c, fd, &from, N_("no reply (is udp-server running?)"));
    close_socket(c, fd);
    lab_explain(&c->n, "The reply arrived although nothing was connected: the kernel delivers");
    lab_explain(&c->n, "by destination port, and this socket owns that port since sendto().");
    lab_explain(&c->n, "The server learned our address and port from the datagram itself.");
    if (!lab_endpoint_equal((struct sockaddr *)&from.ss, (struct sockaddr *)&c->server.ss)) {
        lab_say(&c->n, "the reply came from %s, not from %s", lab_endpoint_str(&from, a, sizeof a),
                lab_endpoint_str(&c->server, b, sizeof b));
        lab_explain(&c->n, "An unconnected socket takes datagrams from anyone.");
    }
}
