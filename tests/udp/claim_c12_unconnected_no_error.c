/* claim.C12: sendto() a closed port from an unconnected socket succeeds, the
 * ICMP port unreachable comes back, and the socket is told nothing. */
#include "testlib.h"
#include "udptest.h"

int main(void)
{
    test_require_private_netns();
    for (int i = 0; i < 2; i++) {
        struct lab_endpoint closed;
        udptest_closed_port(udptest_hosts[i], &closed);
        int family = closed.ss.ss_family;
        int fd = udptest_socket(&closed);
        unsigned long long icmp0 = udptest_counter(family, "Icmp", "InDestUnreachs");
        udptest_sendto(fd, "anyone?", &closed);
        CHECK(udptest_counter_rises(family, "Icmp", "InDestUnreachs", icmp0, 1000),
              "no ICMP destination unreachable came back (%s)", udptest_hosts[i]);
        /* The ICMP has been handled: the unconnected socket still shows nothing. */
        udptest_expect_quiet(fd);
        close(fd);
    }
    printf("ok: the port unreachable arrived and the unconnected socket saw nothing\n");
    return 0;
}
