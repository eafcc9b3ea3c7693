/* unit.lib.backlog: the backlog listen() is granted (clamped to somaxconn, a
 * negative one as somaxconn), request states, and a close with RST that
 * leaves no TIME_WAIT and no fd behind. */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_backlog.h"
#include "lab_diag.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

static void test_granted(void)
{
    int fd0 = test_lowest_free_fd();
    struct lab_endpoint ep = test_address("127.0.0.1", 0, SOCK_STREAM);
    unsigned got = 0;
    CHECK_SYS(lab_backlog_granted(&ep, 3, &got));
    CHECK(got == 3, "listen(fd, 3) granted %u", got);
    unsigned somaxconn = 0;
    CHECK_SYS(lab_backlog_granted(&ep, -1, &somaxconn));
    CHECK_SYS(lab_backlog_granted(&ep, 1 << 30, &got));
    CHECK(got == somaxconn, "listen(fd, 2^30) granted %u, listen(fd, -1) %u", got, somaxconn);
    long v;
    if (lab_sysctl_read("net.core.somaxconn", &v) == 0) /* hidden before 6.3 in a user netns */
        CHECK(somaxconn == (unsigned)v, "listen(fd, -1) granted %u, somaxconn is %ld", somaxconn,
              v);
    CHECK(test_lowest_free_fd() == fd0, "the throwaway listener leaked an fd");

    /* The caller's port is never used: a listener there does not matter. */
    int lfd = lab_tcp_listen(&ep, 1, 0);
    CHECK_SYS(lfd);
    struct lab_endpoint bound;
    CHECK_SYS(lab_endpoint_local(lfd, &bound));
    CHECK_SYS(lab_backlog_granted(&bound, 2, &got));
    CHECK(got == 2, "granted %u next to a listener", got);
    close(lfd);

    struct lab_endpoint far = test_address("192.0.2.1", 0, SOCK_STREAM);
    CHECK_ERRNO(lab_backlog_granted(&far, 3, &got), EADDRNOTAVAIL);
    CHECK(test_lowest_free_fd() == fd0, "a failed listener leaked an fd");
}

static void test_requests(void)
{
    CHECK(lab_tcp_is_request(LAB_TCP_SYN_RECV) && lab_tcp_is_request(LAB_TCP_NEW_SYN_RECV),
          "a request state is not taken as one");
    CHECK(!lab_tcp_is_request(LAB_TCP_ESTABLISHED) && !lab_tcp_is_request(LAB_TCP_LISTEN) &&
              !lab_tcp_is_request(-1),
          "a socket state is taken as a request");
}

static void test_close_reset(void)
{
    int fd0 = test_lowest_free_fd();
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    CHECK_SYS(lab_close_reset(p.client));
    p.client = -1;
    struct lab_conn c;
    int found = lab_diag_find((struct sockaddr *)&p.client_addr.ss,
                              (struct sockaddr *)&p.server_addr.ss, &c);
    CHECK(found == 0, "the client side is still there in state %s",
          found > 0 ? lab_tcp_state_name(c.state) : "?");
    char b;
    CHECK_ERRNO(lab_read_bounded(p.server, &b, 1, 1000), ECONNRESET);
    test_pair_close(&p);
    CHECK(test_lowest_free_fd() == fd0, "an fd leaked");
    CHECK_ERRNO(lab_close_reset(fd0), EBADF);
}

int main(void)
{
    test_require_private_netns();
    test_granted();
    test_requests();
    test_close_reset();
    puts("PASS: granted backlogs, request states, close with RST");
    return 0;
}
