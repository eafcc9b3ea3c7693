/* refused-unconnected (C12): sendto() a port where nothing listens succeeds,
 * the ICMP port unreachable comes back (the Icmp counter says so), and still
 * the unconnected socket is told nothing: recvfrom() just times out.
 *
 *   udp-client --scenario refused-unconnected      (no server needed)
 */
#include <errno.h>

#include "client.h"
#include "lab_fail.h"

void refused_unconnected(const struct client *c)
{
    struct lab_endpoint to;
    int fd = socket_for_closed_port(c, &to);
    unsigned long long icmp0 = counter(c, "Icmp", "InDestUnreachs");
    send_text(c, fd, "anyone there?", &to);
    lab_explain(&c->n, "sendto() succeeds: it only hands the datagram to the network.");
    if (counter_rises(c, "Icmp", "InDestUnreachs", icmp0, c->cli.timeout_ms, -1))
        lab_say(&c->n, "Icmp%sInDestUnreachs went up: the port unreachable came back",
                c->family == AF_INET6 ? "6" : " ");
    ssize_t n = recv_datagram(c, fd, NULL, c->cli.timeout_ms);
    if (n >= 0)
        lab_fail(&c->n, "a datagram arrived from a closed port");
    if (errno != ETIMEDOUT)
        lab_fail(&c->n, "the unconnected socket was told of the error");
    close_socket(c, fd);
    lab_explain(&c->n, "The ICMP error quotes our datagram's header, so the kernel did find");
    lab_explain(&c->n, "this socket. It still reports nothing: the socket is not connected");
    lab_explain(&c->n, "and IP_RECVERR is off, and for that case the UDP error handler");
    lab_explain(&c->n, "(__udp4_lib_err, __udp6_lib_err) drops the error. A bare errno from");
    lab_explain(&c->n, "recvfrom() could not say which of many destinations refused.");
    lab_explain(&c->n, "See the recverr scenario for the socket option that changes this.");
}
