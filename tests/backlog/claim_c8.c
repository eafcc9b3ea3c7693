/* claim.C8.backlog-plus-one: the notes say the backlog is the maximum length
 * of the completed-connection queue. On Linux the queue holds backlog + 1
 * (sk_acceptq_is_full compares with '>'), listen() clamps the backlog to
 * net.core.somaxconn, and a negative backlog means somaxconn. */
#include <errno.h>

#include "backlog_probe.h"
#include "testlib.h"

/* Fill a listener of the given backlog; returns how many handshakes completed. */
static int capacity(const char *host, int backlog, unsigned want_limit)
{
    struct lab_endpoint ep;
    int lfd = bp_listen(host, backlog, 0, &ep);
    unsigned queued, limit;
    CHECK_SYS(lab_tcp_listen_queue(lfd, &queued, &limit));
    CHECK(limit == want_limit, "listen(%d): limit %u, want %u", backlog, limit, want_limit);

    int m = (int)want_limit + 4, fds[BP_MAX], completed, synsent;
    CHECK(m <= BP_MAX, "too many connections for the fixture");
    unsigned long long over0 = bp_counter("ListenOverflows");
    for (int i = 0; i < m; i++)
        fds[i] = bp_connect(&ep);
    bp_settle(fds, m, &completed, &synsent);
    CHECK_SYS(lab_tcp_listen_queue(lfd, &queued, &limit));
    CHECK(queued == (unsigned)completed, "accept queue %u, but %d completed", queued, completed);
    CHECK(synsent == m - completed, "%d in SYN_SENT, want %d", synsent, m - completed);
    CHECK(bp_counter("ListenOverflows") - over0 >= (unsigned long long)synsent,
          "ListenOverflows grew by less than the %d dropped SYNs", synsent);
    printf("%s listen(%d): limit %u, %d completed, %d in SYN_SENT\n", host, backlog, limit,
           completed, synsent);
    bp_close_all(fds, m);
    close(lfd);
    return completed;
}

/* The backlog the kernel records for listen(fd, backlog) (ss's Send-Q). */
static unsigned granted(int backlog)
{
    struct lab_endpoint ep = test_address("127.0.0.1", 0, SOCK_STREAM);
    unsigned limit;
    CHECK_SYS(lab_backlog_granted(&ep, backlog, &limit));
    return limit;
}

int main(void)
{
    test_require_private_netns();
    static const int backlogs[] = {0, 1, 2, 5, 16};
    for (size_t i = 0; i < sizeof backlogs / sizeof backlogs[0]; i++) {
        int b = backlogs[i];
        CHECK(capacity("127.0.0.1", b, (unsigned)b) == b + 1, "backlog %d", b);
    }
    CHECK(capacity("::1", 3, 3) == 4, "IPv6 backlog 3");

    /* The clamp, in this test's own namespace. */
    long old;
    if (lab_sysctl_read("net.core.somaxconn", &old) < 0 && errno == ENOENT) {
        /* Linux < 6.3 hides net.core sysctls in a user namespace's network
         * namespace: somaxconn keeps its default, too large to fill here
         * (4097 sockets pass an ordinary user's open-file limit), so the
         * clamp is read from the kernel's own record of each backlog. */
        unsigned def = granted(-1);
        CHECK(def >= 128, "listen(-1) got %u", def);
        CHECK(granted(100000) == def, "listen(100000) not clamped to somaxconn=%u", def);
        CHECK(granted(-100) == def, "listen(-100) is not somaxconn=%u", def);
        CHECK(granted((int)def - 1) == def - 1, "listen(%u) changed", def - 1);
        printf("somaxconn hidden here (Linux < 6.3, user namespace): listen(-1), listen(-100) "
               "and listen(100000) all get %u\n",
               def);
        puts("PASS: capacity is backlog+1, clamped to somaxconn; negative means somaxconn");
        return 0;
    }
    CHECK_SYS(lab_sysctl_write("net.core.somaxconn", 8));
    CHECK(capacity("127.0.0.1", 1000, 8) == 9, "listen(1000) under somaxconn=8");
    CHECK(capacity("127.0.0.1", -1, 8) == 9, "listen(-1) under somaxconn=8");
    CHECK(capacity("127.0.0.1", -100, 8) == 9, "listen(-100) under somaxconn=8");
    CHECK(granted(100000) == 8, "listen(100000) under somaxconn=8");
    CHECK_SYS(lab_sysctl_write("net.core.somaxconn", old));
    puts("PASS: capacity is backlog+1, clamped to somaxconn; negative means somaxconn");
    return 0;
}
