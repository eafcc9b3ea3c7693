/* unit.lib.mib: a counter is named once for both families, unknown ones are
 * ENOENT, and the wait ends on the rise, on its bound, or on a readable fd. */
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_mib.h"
#include "lab_sock.h"
#include "testlib.h"

/* A UDP socket on host's loopback, kernel-chosen port; its address in *ep. */
static int bound(const char *host, struct lab_endpoint *ep)
{
    struct lab_endpoint want = test_address(host, 0, SOCK_DGRAM);
    int fd = socket(want.ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK_SYS(fd);
    CHECK_SYS(bind(fd, (struct sockaddr *)&want.ss, want.len));
    CHECK_SYS(lab_endpoint_local(fd, ep));
    return fd;
}

static void test_family(const char *host)
{
    struct lab_endpoint closed, sink;
    int fd = bound(host, &closed);
    int family = closed.ss.ss_family;
    close(fd); /* nothing listens on closed now */
    unsigned long long before, after;
    CHECK_SYS(lab_mib_read(family, "Udp", "NoPorts", &before));
    CHECK_ERRNO(lab_mib_read(family, "Udp", "NoSuchCounter", &after), ENOENT);
    CHECK(lab_mib_wait_above(family, "Udp", "NoPorts", before, 20, -1) == 0, "rose by itself");

    int s = bound(host, &sink);
    CHECK(sendto(s, "x", 1, 0, (struct sockaddr *)&closed.ss, closed.len) == 1, "sendto");
    CHECK(lab_mib_wait_above(family, "Udp", "NoPorts", before, 1000, -1) == 1, "no rise");
    CHECK_SYS(lab_mib_read(family, "Udp", "NoPorts", &after));
    CHECK(after == before + 1, "NoPorts %llu -> %llu, want one more", before, after);

    /* A readable fd ends the wait at once, the counter unchanged. */
    CHECK(sendto(s, "y", 1, 0, (struct sockaddr *)&sink.ss, sink.len) == 1, "sendto self");
    long long t0 = lab_now_ms();
    CHECK(lab_mib_wait_above(family, "Udp", "NoPorts", after, 1000, s) == 0, "fd not seen");
    CHECK(lab_now_ms() - t0 < 500, "waited %lld ms on a readable fd", lab_now_ms() - t0);
    close(s);
}

int main(void)
{
    test_require_private_netns();
    unsigned long long v;
    CHECK_ERRNO(lab_mib_read(AF_UNIX, "Udp", "NoPorts", &v), EAFNOSUPPORT);
    test_family("127.0.0.1");
    test_family("::1");
    printf("ok: lab_mib reads and waits for both families\n");
    return 0;
}
