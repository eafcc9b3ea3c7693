/* unit.lib.errqueue: with lab_recverr_on an unconnected socket's error queue
 * holds the port unreachable, with the datagram's destination and bytes; an
 * empty queue is EAGAIN. */
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
/* After <time.h>: struct scm_timestamping in it needs struct timespec. */
#include <linux/errqueue.h>

#include "check.h"
#include "lab_errqueue.h"
#include "lab_sock.h"
#include "testlib.h"

static void test_family(const char *host)
{
    struct lab_endpoint closed = test_address(host, 0, SOCK_DGRAM), any;
    int family = closed.ss.ss_family;
    int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK_SYS(fd);
    CHECK_SYS(bind(fd, (struct sockaddr *)&closed.ss, closed.len));
    CHECK_SYS(lab_endpoint_local(fd, &closed));
    close(fd); /* a port where nothing listens */

    fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK_SYS(fd);
    struct lab_errqueue_entry e;
    CHECK_ERRNO(lab_errqueue_read(fd, &e), EAGAIN);
    CHECK_SYS(lab_recverr_on(fd, family));
    CHECK(sendto(fd, "knock", 5, 0, (struct sockaddr *)&closed.ss, closed.len) == 5, "sendto");
    CHECK(lab_wait_fd(fd, POLLIN, 1000) == 1, "no error came (%s)", host);
    CHECK_SYS(lab_errqueue_read(fd, &e));
    CHECK(e.err == ECONNREFUSED, "err %s", lab_errno_name(e.err));
    CHECK(e.origin == (family == AF_INET6 ? SO_EE_ORIGIN_ICMP6 : SO_EE_ORIGIN_ICMP), "origin %d",
          e.origin);
    CHECK(e.len == 5 && memcmp(e.data, "knock", 5) == 0, "data %zu bytes", e.len);
    CHECK(lab_endpoint_equal((struct sockaddr *)&e.dest.ss, (struct sockaddr *)&closed.ss),
          "dest is not the closed port");
    any = closed;
    lab_endpoint_set_port(&any, 0);
    CHECK(lab_endpoint_equal((struct sockaddr *)&e.offender.ss, (struct sockaddr *)&any.ss),
          "offender is not %s with port 0", host);
    CHECK_ERRNO(lab_errqueue_read(fd, &e), EAGAIN);
    close(fd);
}

int main(void)
{
    test_require_private_netns();
    test_family("127.0.0.1");
    test_family("::1");
    printf("ok: lab_errqueue reads one entry with its datagram; EAGAIN when empty\n");
    return 0;
}
