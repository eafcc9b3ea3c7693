/* recverr (C12, Linux): with IP_RECVERR / IPV6_RECVERR even an unconnected
 * socket hears of the ICMP port unreachable: poll() reports POLLERR,
 * recvfrom() fails with ECONNREFUSED, and the error queue says which ICMP
 * error came, from whom, about which datagram.
 *
 *   udp-client --scenario recverr                  (no server needed)
 */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include "client.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"

void recverr(const struct client *c)
{
    struct lab_endpoint to;
    int fd = socket_for_closed_port(c, &to);
    recverr_on(c, fd);
    send_text(c, fd, "anyone there?", &to);
    int ready = lab_wait_fd(fd, POLLIN, c->cli.timeout_ms);
    if (ready < 0)
        lab_fail_errno(&c->n, errno, "poll()");
    if (ready == 0)
        lab_fail(&c->n, "no error within the timeout");
    struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, 0) < 0)
        lab_fail_errno(&c->n, errno, "poll()");
    lab_say_raw(&c->n, "poll(POLLIN) -> revents%s%s", p.revents & POLLIN ? " POLLIN" : "",
                p.revents & POLLERR
                    ? lab_tr(" POLLERR: an error is queued on the unconnected socket")
                    : "");
    char buf[64];
    if (recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL) >= 0 || errno != ECONNREFUSED)
        lab_fail(&c->n, "recvfrom() did not fail with ECONNREFUSED");
    lab_say_errno(&c->n, errno, "recvfrom() -> -1");
    lab_explain(&c->n, "With IP_RECVERR even an unconnected socket gets the error: the UDP");
    lab_explain(&c->n, "error handler queues it on the error queue and sets the socket error.");
    if (read_error_queue(c, fd, NULL) != ICMP_PORT_UNREACHABLE)
        lab_fail(&c->n, "the error queue did not hold a port unreachable");
    close_socket(c, fd);
    lab_explain(&c->n, "The error queue keeps what the bare errno loses: the ICMP type and");
    lab_explain(&c->n, "code, who sent it, and the datagram it refers to (address included).");
    lab_explain(&c->n, "udp(7) says unconnected sockets get errors by default; Linux's code");
    lab_explain(&c->n, "reports them only on connected sockets unless IP_RECVERR is set.");
}
