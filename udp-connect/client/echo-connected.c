/* echo-connected (C11): connect() on a UDP socket sends nothing (the UDP
 * counters do not move); it picks the local address and port and records
 * the peer, so send() needs no address and getpeername() names the server.
 *
 *   udp-server --scenario echo-connected
 *   udp-client --scenario echo-connected
 */
#include "client.h"
#include "lab_i18n.h"

void echo_connected(const struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN];
    int fd = new_socket(c);
    say_local(c, fd, N_(" (no port yet)"));
    unsigned long long out0 = counter(c, "Udp", "OutDatagrams");
    unsigned long long in0 = counter(c, "Udp", "InDatagrams");
    connect_to(c, fd, &c->server);
    unsigned long long out1 = counter(c, "Udp", "OutDatagrams");
    unsigned long long in1 = counter(c, "Udp", "InDatagrams");
    const char *u = c->family == AF_INET6 ? "Udp6" : "Udp ";
    lab_say(&c->n, "%sOutDatagrams %llu -> %llu, %sInDatagrams %llu -> %llu across connect()", u,
            out0, out1, u, in0, in1);
    if (out1 != out0)
        lab_explain(&c->n, "(Other programs in this namespace sent UDP meanwhile.)");
    lab_explain(&c->n, "connect() on UDP sends nothing: no handshake, no datagram. It looks");
    lab_explain(&c->n, "up the route, picks our address and port, and records the peer.");
    say_local(c, fd, N_(" (chosen by connect)"));
    lab_explain(&c->n, "Address from the route to the server, port from the free ones: both");
    lab_explain(&c->n, "fixed at connect() time, before any datagram left.");
    say_peer(c, fd);
    send_text(c, fd, "hello, connected", NULL);
    recv_reply(c, fd, NULL, N_("no reply (is udp-server running?)"));
    close_socket(c, fd);
    lab_explain(&c->n, "send() needs no address: the peer %s is stored in the socket.",
                lab_endpoint_str(&c->server, a, sizeof a));
}
