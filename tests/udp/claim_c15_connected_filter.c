/* claim.C15: a connected UDP socket drops datagrams from anyone but its peer
 * (the kernel counts them as NoPorts); an unconnected one takes them; Linux
 * still lets the connected socket sendto() another address (BSD: EISCONN). */
#include "testlib.h"
#include "udptest.h"

int main(void)
{
    test_require_private_netns();
    for (int i = 0; i < 2; i++) {
        struct lab_endpoint s1ep, s2ep, cep, uep, peer, from;
        int s1 = udptest_bound(udptest_hosts[i], 0, &s1ep);
        int s2 = udptest_bound(udptest_hosts[i], 0, &s2ep);
        int family = s1ep.ss.ss_family;
        int c = udptest_bound(udptest_hosts[i], 0, &cep);
        CHECK_SYS(connect(c, (struct sockaddr *)&s1ep.ss, s1ep.len));
        int u = udptest_bound(udptest_hosts[i], 0, &uep);
        char buf[64];

        unsigned long long noports = udptest_counter(family, "Udp", "NoPorts");
        udptest_sendto(s2, "stranger", &cep);
        CHECK(udptest_counter_rises(family, "Udp", "NoPorts", noports, 1000),
              "the stranger's datagram was not counted as NoPorts");
        udptest_expect_quiet(c);

        udptest_sendto(s1, "peer", &cep);
        CHECK(lab_recvfrom_bounded(c, buf, sizeof buf, &from, 1000) == 4, "peer's datagram lost");
        CHECK(lab_endpoint_equal((struct sockaddr *)&from.ss, (struct sockaddr *)&s1ep.ss),
              "not from the peer");

        udptest_sendto(s2, "stranger", &uep);
        CHECK(lab_recvfrom_bounded(u, buf, sizeof buf, NULL, 1000) == 8,
              "the unconnected socket did not get the stranger's datagram");

        /* Linux: sendto() another address on a connected socket is allowed. */
        udptest_sendto(c, "aside", &s2ep);
        CHECK(lab_recvfrom_bounded(s2, buf, sizeof buf, &from, 1000) == 5, "sendto(other) lost");
        CHECK(lab_endpoint_equal((struct sockaddr *)&from.ss, (struct sockaddr *)&cep.ss),
              "sendto(other) came from elsewhere");
        CHECK_SYS(lab_endpoint_peer(c, &peer));
        CHECK(lab_endpoint_equal((struct sockaddr *)&peer.ss, (struct sockaddr *)&s1ep.ss),
              "sendto(other) changed the peer");
        close(s1), close(s2), close(c), close(u);
    }
    printf("ok: connected socket filters by peer; sendto(other) allowed on Linux\n");
    return 0;
}
