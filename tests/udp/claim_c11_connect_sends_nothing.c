/* claim.C11: connect() on a UDP socket sends no packet; it records the peer
 * and picks the local address and port. Counters are the namespace's own. */
#include "testlib.h"
#include "udptest.h"

int main(void)
{
    test_require_private_netns();
    for (int i = 0; i < 2; i++) {
        struct lab_endpoint closed, local, peer;
        udptest_closed_port(udptest_hosts[i], &closed);
        int family = closed.ss.ss_family;
        int fd = udptest_socket(&closed);
        unsigned long long out0 = udptest_counter(family, "Udp", "OutDatagrams");
        unsigned long long ip0 = udptest_counter(family, "Ip", "OutRequests");
        long long t0 = lab_now_ms();
        /* Nothing listens there, and still connect() succeeds at once. */
        CHECK_SYS(connect(fd, (struct sockaddr *)&closed.ss, closed.len));
        CHECK(lab_now_ms() - t0 < 50, "connect() took %lld ms", lab_now_ms() - t0);
        CHECK(udptest_counter(family, "Udp", "OutDatagrams") == out0, "a datagram left");
        CHECK(udptest_counter(family, "Ip", "OutRequests") == ip0, "a packet left");
        CHECK_SYS(lab_endpoint_peer(fd, &peer));
        CHECK(lab_endpoint_equal((struct sockaddr *)&peer.ss, (struct sockaddr *)&closed.ss),
              "getpeername is not the connected address");
        CHECK_SYS(lab_endpoint_local(fd, &local));
        CHECK(lab_endpoint_port(&local) != 0, "connect() picked no local port");
        CHECK(udptest_addr_is(&local, udptest_hosts[i]), "local address is not loopback");
        close(fd);
    }
    printf("ok: connect() sent nothing, set the peer and picked the local address\n");
    return 0;
}
