/* disconnect (C17): connect(AF_UNSPEC) undoes connect() on a UDP socket:
 * getpeername() fails with ENOTCONN, send() with EDESTADDRREQ, the port
 * connect() picked is given back, and datagrams from any address get in
 * again (the server's second port, filtered before, now arrives).
 *
 *   udp-server --scenario disconnect    (answers on --port and --port + 1)
 *   udp-client --scenario disconnect
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "client.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_step.h"

void disconnect(const struct client *c)
{
    char a[LAB_ENDPOINT_STRLEN];
    int fd = connected_socket(c, &c->server);
    say_local(c, fd, "");
    send_text(c, fd, "while connected", NULL);
    recv_reply(c, fd, NULL, N_("no reply (is udp-server --scenario disconnect running?)"));
    unsigned long long noports = counter(c, "Udp", "NoPorts");
    send_text(c, fd, UDP_ASK_OTHER, NULL);
    expect_filtered(c, fd, noports, N_("the answer from the second port"));

    struct sockaddr_storage unspec;
    memset(&unspec, 0, sizeof unspec);
    unspec.ss_family = AF_UNSPEC;
    lab_step(&c->n, c->cli.step, "connect(AF_UNSPEC)");
    if (connect(fd, (struct sockaddr *)&unspec, sizeof unspec) < 0)
        lab_fail_errno(&c->n, errno, "connect(AF_UNSPEC)");
    lab_say(&c->n, "connect(AF_UNSPEC) -> 0: disconnected");
    struct lab_endpoint peer;
    if (lab_endpoint_peer(fd, &peer) == 0 || errno != ENOTCONN)
        lab_fail(&c->n, "getpeername() did not fail with ENOTCONN");
    lab_say_errno(&c->n, errno, "getpeername() -> -1");
    say_local(c, fd, "");
    lab_explain(&c->n, "Disconnecting also gave back the port that connect() had picked:");
    lab_explain(&c->n, "only a port named in bind() survives it (bind() to port 0 does not).");
    if (try_send_text(c, fd, "no address", NULL) == 0 || errno != EDESTADDRREQ)
        lab_fail(&c->n, "send() did not fail with EDESTADDRREQ");
    lab_explain(&c->n, "send() has no peer to send to; sendto() must name one again.");

    send_text(c, fd, "after disconnect", &c->server);
    say_local(c, fd, N_(" (a new port, bound by sendto)"));
    recv_reply(c, fd, NULL, N_("no echo after disconnecting"));
    send_text(c, fd, UDP_ASK_OTHER, &c->server);
    struct lab_endpoint from;
    recv_reply(c, fd, &from, N_("the filter was not lifted"));
    close_socket(c, fd);
    if (!lab_endpoint_equal((struct sockaddr *)&from.ss, (struct sockaddr *)&c->second.ss))
        lab_fail(&c->n, "no datagram from the second port");
    lab_say(&c->n, "the answer from %s arrived this time: the filter is lifted",
            lab_endpoint_str(&c->second, a, sizeof a));
}
