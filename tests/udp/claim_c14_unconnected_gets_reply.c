/* claim.C14: the server learns the client's address from recvfrom() and its
 * sendto() reply reaches a client that never connected. */
#include "testlib.h"
#include "udptest.h"

int main(void)
{
    test_require_private_netns();
    for (int i = 0; i < 2; i++) {
        struct lab_endpoint srv, client_local, seen, from;
        int s = udptest_bound(udptest_hosts[i], 0, &srv);
        int c = udptest_socket(&srv);
        udptest_sendto(c, "ping", &srv);
        CHECK_SYS(lab_endpoint_local(c, &client_local));
        CHECK(lab_endpoint_port(&client_local) != 0, "sendto() did not bind a port");
        char buf[64];
        ssize_t n = lab_recvfrom_bounded(s, buf, sizeof buf, &seen, 1000);
        CHECK(n == 4, "server got %zd errno=%s", n, lab_errno_name(errno));
        CHECK(lab_endpoint_port(&seen) == lab_endpoint_port(&client_local),
              "recvfrom port %u, client bound %u", lab_endpoint_port(&seen),
              lab_endpoint_port(&client_local));
        CHECK(udptest_addr_is(&seen, udptest_hosts[i]), "recvfrom address is not loopback");
        udptest_sendto(s, "pong", &seen);
        n = lab_recvfrom_bounded(c, buf, sizeof buf, &from, 1000);
        CHECK(n == 4 && memcmp(buf, "pong", 4) == 0, "client got %zd errno=%s", n,
              lab_errno_name(errno));
        CHECK(lab_endpoint_equal((struct sockaddr *)&from.ss, (struct sockaddr *)&srv.ss),
              "reply not from the server address");
        close(s), close(c);
    }
    printf("ok: the unconnected client received the server's sendto() reply\n");
    return 0;
}
