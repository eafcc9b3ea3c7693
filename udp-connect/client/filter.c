/* filter (C15): a connected UDP socket takes datagrams only from its peer;
 * the server's answer from its second port is dropped (counted as NoPorts)
 * while an unconnected socket gets it. Linux still lets the connected socket
 * sendto() another address, for that datagram only (the BSDs say EISCONN).
 *
 *   udp-server --scenario filter        (answers every datagram from --port + 1)
 *   udp-client --scenario filter
 */
#include <errno.h>

#include "client.h"
#include "lab_fail.h"
#include "lab_i18n.h"

void filter(const struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN], b[LAB_ENDPOINT_STRLEN];
    lab_say(&c->n, "socket 1: connected");
    int cfd = connected_socket(c, &c->server);
    unsigned long long noports = counter(c, "Udp", "NoPorts");
    send_text(c, cfd, "from the connected socket", NULL);
    expect_filtered(c, cfd, noports, N_("the reply from the second port"));

    lab_say(&c->n, "socket 2: unconnected");
    int ufd = new_socket(c);
    struct lab_endpoint from;
    send_text(c, ufd, "from the unconnected socket", &c->server);
    recv_reply(c, ufd, &from, N_("no reply (is udp-server --scenario filter running?)"));
    close_socket(c, ufd);
    lab_say(&c->n, "the reply came from %s although we sent to %s",
            lab_endpoint_str(&from, a, sizeof a), lab_endpoint_str(&c->server, b, sizeof b));
    lab_explain(&c->n, "An unconnected socket accepts datagrams from any address and port.");

    lab_say(&c->n, "socket 1 again: sendto() another address while connected");
    noports = counter(c, "Udp", "NoPorts");
    if (try_send_text(c, cfd, "sendto while connected", &c->second) < 0) {
        if (errno == EISCONN)
            lab_fail(&c->n, "EISCONN: this kernel behaves like BSD");
        lab_fail(&c->n, "sendto() another address failed");
    }
    lab_explain(&c->n, "Linux lets a connected UDP socket sendto() any address, for that one");
    lab_explain(&c->n, "datagram; the BSDs refuse with EISCONN. The peer stays the same.");
    expect_filtered(c, cfd, noports, N_("the answer to it"));
    say_peer(c, cfd);
    close_socket(c, cfd);
}
