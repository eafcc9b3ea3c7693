/* reconnect (C16): a second connect() on a UDP socket replaces the peer and
 * keeps the local port; from then on the old peer's datagrams are dropped
 * (counted as NoPorts), the new one's arrive.
 *
 *   udp-server --scenario reconnect     (answers on --port and --port + 1)
 *   udp-client --scenario reconnect
 */
#include "client.h"
#include "lab_fail.h"
#include "lab_i18n.h"

void reconnect(const struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN];
    int fd = connected_socket(c, &c->server);
    say_local(c, fd, "");
    send_text(c, fd, "hello, first server", NULL);
    struct lab_endpoint from;
    recv_reply(c, fd, &from, N_("no reply (is udp-server --scenario reconnect running?)"));

    connect_to(c, fd, &c->second);
    say_peer(c, fd);
    say_local(c, fd, N_(" (same port: connect again keeps the binding)"));
    lab_explain(&c->n, "A second connect() is allowed on UDP: it replaces the peer.");
    send_text(c, fd, "hello, second server", NULL);
    recv_reply(c, fd, &from, N_("no reply from the second port"));
    if (!lab_endpoint_equal((struct sockaddr *)&from.ss, (struct sockaddr *)&c->second.ss)) {
        lab_say(&c->n, "got a datagram from %s", lab_endpoint_str(&from, a, sizeof a));
        lab_fail(&c->n, "a datagram from the old peer got through");
    }
    /* The old peer speaks late: the server answers this one from its first
     * socket (one answer per datagram, see UDP_ASK_OTHER). */
    unsigned long long noports = counter(c, "Udp", "NoPorts");
    send_text(c, fd, UDP_ASK_OTHER, NULL);
    lab_say(&c->n, "(udp-server --scenario reconnect answers that from %s, our old peer)",
            lab_endpoint_str(&c->server, a, sizeof a));
    expect_filtered(c, fd, noports, N_("the first server's late answer"));
    close_socket(c, fd);
}
