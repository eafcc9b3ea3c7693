/* claim.C12 (Linux): with IP_RECVERR / IPV6_RECVERR even an unconnected socket
 * gets the error, and its error queue names the ICMP type, code and sender. */
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
        CHECK_SYS(lab_recverr_on(fd, family));
        udptest_sendto(fd, "anyone?", &closed);
        CHECK(lab_wait_fd(fd, POLLIN, 1000) == 1, "no POLLERR (%s)", udptest_hosts[i]);
        struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
        CHECK_SYS(poll(&p, 1, 0));
        CHECK(p.revents & POLLERR, "revents 0x%x lacks POLLERR", (unsigned)p.revents);
        char buf[64];
        CHECK_ERRNO(recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL), ECONNREFUSED);
        struct lab_errqueue_entry e;
        CHECK_SYS(lab_errqueue_read(fd, &e));
        CHECK(e.err == ECONNREFUSED, "ee_errno %s", lab_errno_name(e.err));
        udptest_expect_icmp(&e, family, 3, 3, 1, 4); /* port unreachable */
        CHECK(udptest_addr_is(&e.offender, udptest_hosts[i]), "offender is not %s",
              udptest_hosts[i]);
        udptest_expect_quiet(fd); /* reported once, queue drained */
        close(fd);
    }
    printf("ok: IP_RECVERR reported port unreachable to an unconnected socket\n");
    return 0;
}
