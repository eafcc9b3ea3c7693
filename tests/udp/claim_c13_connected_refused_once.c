/* claim.C13: a connected UDP socket is told of the port unreachable: the next
 * call fails with ECONNREFUSED, once, whether it is a recv() or a send(). */
#include "testlib.h"
#include "udptest.h"

static void bounce(int fd)
{
    CHECK(send(fd, "x", 1, 0) == 1, "send errno=%s", lab_errno_name(errno));
    CHECK(lab_wait_fd(fd, POLLIN, 1000) == 1, "the error never arrived");
}

int main(void)
{
    test_require_private_netns();
    for (int i = 0; i < 2; i++) {
        struct lab_endpoint closed;
        udptest_closed_port(udptest_hosts[i], &closed);
        int fd = udptest_socket(&closed);
        CHECK_SYS(connect(fd, (struct sockaddr *)&closed.ss, closed.len));
        char buf[64];
        bounce(fd);
        CHECK_ERRNO(recv(fd, buf, sizeof buf, MSG_DONTWAIT), ECONNREFUSED);
        CHECK_ERRNO(recv(fd, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
        bounce(fd);
        CHECK_ERRNO(send(fd, "y", 1, 0), ECONNREFUSED);
        /* Once: the error is gone, this datagram leaves (and will bounce again). */
        CHECK(send(fd, "z", 1, 0) == 1, "second send errno=%s", lab_errno_name(errno));
        close(fd);
    }
    printf("ok: ECONNREFUSED once on the connected socket (recv and send)\n");
    return 0;
}
