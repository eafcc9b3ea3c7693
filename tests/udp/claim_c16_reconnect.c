/* claim.C16: a second connect() on a UDP socket replaces the peer: the old
 * peer's datagrams are dropped, the new one's arrive, the local port stays. */
#include "testlib.h"
#include "udptest.h"

int main(void)
{
    test_require_private_netns();
    for (int i = 0; i < 2; i++) {
        struct lab_endpoint s1ep, s2ep, l1, l2, peer, from;
        int s1 = udptest_bound(udptest_hosts[i], 0, &s1ep);
        int s2 = udptest_bound(udptest_hosts[i], 0, &s2ep);
        int family = s1ep.ss.ss_family;
        int c = udptest_socket(&s1ep);
        char buf[64];
        CHECK_SYS(connect(c, (struct sockaddr *)&s1ep.ss, s1ep.len));
        CHECK_SYS(lab_endpoint_local(c, &l1));
        CHECK_SYS(connect(c, (struct sockaddr *)&s2ep.ss, s2ep.len));
        CHECK_SYS(lab_endpoint_local(c, &l2));
        CHECK_SYS(lab_endpoint_peer(c, &peer));
        CHECK(lab_endpoint_equal((struct sockaddr *)&peer.ss, (struct sockaddr *)&s2ep.ss),
              "getpeername is not the second server");
        CHECK(lab_endpoint_equal((struct sockaddr *)&l1.ss, (struct sockaddr *)&l2.ss),
              "the local address changed");

        unsigned long long noports = udptest_counter(family, "Udp", "NoPorts");
        udptest_sendto(s1, "late", &l2);
        CHECK(udptest_counter_rises(family, "Udp", "NoPorts", noports, 1000),
              "the old peer's datagram was not dropped as NoPorts");
        udptest_expect_quiet(c);
        CHECK(send(c, "hi", 2, 0) == 2, "send errno=%s", lab_errno_name(errno));
        CHECK(lab_recvfrom_bounded(s2, buf, sizeof buf, NULL, 1000) == 2,
              "send() did not reach s2");
        udptest_sendto(s2, "new", &l2);
        CHECK(lab_recvfrom_bounded(c, buf, sizeof buf, &from, 1000) == 3,
              "new peer's datagram lost");
        CHECK(lab_endpoint_equal((struct sockaddr *)&from.ss, (struct sockaddr *)&s2ep.ss),
              "not from the new peer");
        close(s1), close(s2), close(c);
    }
    printf("ok: the second connect() replaced the peer\n");
    return 0;
}
