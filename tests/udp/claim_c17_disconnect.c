/* claim.C17: connect(AF_UNSPEC) disconnects a UDP socket: getpeername ENOTCONN,
 * send EDESTADDRREQ, sendto works and any source gets in again. Linux also
 * gives back a port the kernel chose (connect, bind to 0); a named one stays. */
#include "testlib.h"
#include "udptest.h"

static void disconnect(int fd)
{
    struct sockaddr_storage unspec;
    memset(&unspec, 0, sizeof unspec);
    unspec.ss_family = AF_UNSPEC;
    CHECK_SYS(connect(fd, (struct sockaddr *)&unspec, sizeof unspec));
}

int main(void)
{
    test_require_private_netns();
    for (int i = 0; i < 2; i++) {
        struct lab_endpoint s1ep, s2ep, local, peer, from;
        int s1 = udptest_bound(udptest_hosts[i], 0, &s1ep);
        int s2 = udptest_bound(udptest_hosts[i], 0, &s2ep);
        char buf[64];

        /* Port chosen by connect(): released by the disconnect. */
        int c = udptest_socket(&s1ep);
        CHECK_SYS(connect(c, (struct sockaddr *)&s1ep.ss, s1ep.len));
        disconnect(c);
        CHECK_ERRNO(lab_endpoint_peer(c, &peer), ENOTCONN);
        CHECK_SYS(lab_endpoint_local(c, &local));
        CHECK(lab_endpoint_port(&local) == 0, "port %u kept", lab_endpoint_port(&local));
        CHECK_ERRNO(send(c, "x", 1, 0), EDESTADDRREQ);
        udptest_sendto(c, "again", &s1ep);
        CHECK(lab_recvfrom_bounded(s1, buf, sizeof buf, &from, 1000) == 5, "sendto lost");
        udptest_sendto(s2, "stranger", &from);
        CHECK(lab_recvfrom_bounded(c, buf, sizeof buf, NULL, 1000) == 8, "filter not lifted");
        close(c);

        /* bind() to port 0 lets the kernel choose: released just the same. */
        c = udptest_bound(udptest_hosts[i], 0, &local);
        CHECK_SYS(connect(c, (struct sockaddr *)&s1ep.ss, s1ep.len));
        disconnect(c);
        struct lab_endpoint after;
        CHECK_SYS(lab_endpoint_local(c, &after));
        CHECK(lab_endpoint_port(&after) == 0, "kernel-chosen port %u kept",
              lab_endpoint_port(&after));
        close(c);

        /* A port the program named in bind() is kept, and the filter goes. */
        udptest_closed_port(udptest_hosts[i], &local);
        c = udptest_bound(udptest_hosts[i], lab_endpoint_port(&local), &local);
        CHECK_SYS(connect(c, (struct sockaddr *)&s1ep.ss, s1ep.len));
        disconnect(c);
        CHECK_SYS(lab_endpoint_local(c, &after));
        CHECK(lab_endpoint_equal((struct sockaddr *)&after.ss, (struct sockaddr *)&local.ss),
              "bound address changed");
        udptest_sendto(s2, "stranger", &local);
        CHECK(lab_recvfrom_bounded(c, buf, sizeof buf, NULL, 1000) == 8, "filter not lifted");
        close(c), close(s1), close(s2);
    }
    printf("ok: connect(AF_UNSPEC) disconnected the UDP socket\n");
    return 0;
}
