/* unit.lib.diag: sock_diag lookups of real connections in this test's own
 * namespace: by 4-tuple, by state mask, TIME_WAIT with its timer, and the
 * bounded waits. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_diag.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

#define SA(ep) ((const struct sockaddr *)&(ep).ss)

static void test_find(const char *host)
{
    struct test_pair p;
    test_pair_open(&p, host);
    struct lab_conn c;
    int rc = lab_diag_find(SA(p.client_addr), SA(p.server_addr), &c);
    CHECK(rc == 1, "%s: client side not found (rc %d errno=%s)", host, rc, lab_errno_name(errno));
    CHECK(c.state == LAB_TCP_ESTABLISHED, "%s: client %s", host, lab_tcp_state_name(c.state));
    CHECK(lab_endpoint_equal(SA(c.local), SA(p.client_addr)), "local differs");
    CHECK(lab_endpoint_equal(SA(c.remote), SA(p.server_addr)), "remote differs");
    CHECK(c.local.ss.ss_family == p.client_addr.ss.ss_family && c.local.len == p.client_addr.len,
          "family/len differ");
    CHECK(c.inode != 0, "an fd refers to it, yet inode 0");
    CHECK(c.has_info == 1 && c.total_retrans == 0, "has_info %d total_retrans %u", c.has_info,
          c.total_retrans);
    CHECK(c.timer == LAB_TIMER_NONE, "idle connection with timer %d", c.timer);

    rc = lab_diag_find(SA(p.server_addr), SA(p.client_addr), &c);
    CHECK(rc == 1 && c.state == LAB_TCP_ESTABLISHED, "%s: server side rc %d state %s", host, rc,
          lab_tcp_state_name(c.state));

    /* Half a tuple right is not a match. */
    struct lab_endpoint wrong = p.server_addr;
    lab_endpoint_set_port(&wrong, (uint16_t)(lab_endpoint_port(&wrong) + 1));
    CHECK(lab_diag_find(SA(p.client_addr), SA(wrong), &c) == 0, "wrong remote port found");
    test_pair_close(&p);
}

struct tally {
    int calls, listen, other;
    unsigned backlog_seen;
    int stop_after;
};

static int count_conn(const struct lab_conn *c, void *arg)
{
    struct tally *t = arg;
    t->calls++;
    if (c->state == LAB_TCP_LISTEN) {
        t->listen++;
        t->backlog_seen = c->wqueue;
    } else {
        t->other++;
    }
    return t->stop_after && t->calls >= t->stop_after;
}

static void test_list(void)
{
    enum { NLISTEN = 150 }; /* several netlink datagrams' worth */
    int fds[NLISTEN];
    struct lab_endpoint any = test_address("127.0.0.1", 0, SOCK_STREAM);
    for (int i = 0; i < NLISTEN; i++) {
        fds[i] = lab_tcp_listen(&any, 7, 0);
        CHECK_SYS(fds[i]);
    }
    struct test_pair p; /* one more listener and two established sockets */
    test_pair_open(&p, "127.0.0.1");

    struct tally t = {0};
    int n = lab_diag_list(AF_INET, LAB_STATE_BIT(LAB_TCP_LISTEN), count_conn, &t);
    CHECK(n == NLISTEN + 1, "LISTEN mask: returned %d, want %d", n, NLISTEN + 1);
    CHECK(t.calls == n && t.listen == n && t.other == 0, "calls %d listen %d other %d", t.calls,
          t.listen, t.other);

    memset(&t, 0, sizeof t);
    n = lab_diag_list(AF_INET, LAB_STATE_BIT(LAB_TCP_ESTABLISHED), count_conn, &t);
    CHECK(n == 2 && t.other == 2 && t.listen == 0, "ESTABLISHED mask: %d", n);

    n = lab_diag_list(AF_INET, LAB_STATE_BIT(LAB_TCP_ESTABLISHED) | LAB_STATE_BIT(LAB_TCP_LISTEN),
                      NULL, NULL);
    CHECK(n == NLISTEN + 3, "two-state mask, no callback: %d", n);
    n = lab_diag_list(AF_INET, 0, NULL, NULL);
    CHECK(n == NLISTEN + 3, "mask 0 (all): %d", n);
    n = lab_diag_list(AF_INET, LAB_STATE_BIT(LAB_TCP_TIME_WAIT), NULL, NULL);
    CHECK(n == 0, "TIME_WAIT mask: %d", n);
    n = lab_diag_list(AF_INET6, 0, NULL, NULL);
    CHECK(n == 0, "IPv4 sockets listed as IPv6: %d", n);

    /* Stopping early: the count is what was visited, and the next walk is clean. */
    memset(&t, 0, sizeof t);
    t.stop_after = 1;
    n = lab_diag_list(AF_INET, LAB_STATE_BIT(LAB_TCP_LISTEN), count_conn, &t);
    CHECK(n == 1 && t.calls == 1, "stopped walk: returned %d after %d calls", n, t.calls);
    CHECK(t.backlog_seen == 7 || t.backlog_seen == 16, "listener backlog %u", t.backlog_seen);
    n = lab_diag_list(AF_INET, LAB_STATE_BIT(LAB_TCP_LISTEN), NULL, NULL);
    CHECK(n == NLISTEN + 1, "walk after a stopped one: %d", n);

    for (int i = 0; i < NLISTEN; i++)
        close(fds[i]);
    n = lab_diag_list(AF_INET, LAB_STATE_BIT(LAB_TCP_LISTEN), NULL, NULL);
    CHECK(n == 1, "after closing listeners: %d", n);

    /* A listener's queue as sock_diag sees it: length and backlog. */
    struct lab_conn c;
    struct lab_endpoint lst, unspec;
    CHECK_SYS(lab_endpoint_local(p.listener, &lst));
    int c2 = lab_tcp_connect(&lst, 1000);
    CHECK_SYS(c2);
    unspec = test_address("0.0.0.0", 0, SOCK_STREAM); /* a listener's remote end */
    long long deadline = lab_now_ms() + 1000;
    for (;;) {
        CHECK(lab_diag_find(SA(lst), SA(unspec), &c) == 1, "listener not found");
        if (c.rqueue == 1 || lab_now_ms() >= deadline)
            break;
        lab_pause_ms(1);
    }
    CHECK(c.state == LAB_TCP_LISTEN && c.rqueue == 1 && c.wqueue == 16,
          "listener: %s rqueue %u wqueue %u", lab_tcp_state_name(c.state), c.rqueue, c.wqueue);
    close(c2);

    /* The IPv6 walk sees IPv6 listeners only. */
    struct lab_endpoint any6 = test_address("::1", 0, SOCK_STREAM);
    int l6 = lab_tcp_listen(&any6, 3, 0);
    CHECK_SYS(l6);
    memset(&t, 0, sizeof t);
    n = lab_diag_list(AF_INET6, LAB_STATE_BIT(LAB_TCP_LISTEN), count_conn, &t);
    CHECK(n == 1 && t.listen == 1 && t.backlog_seen == 3, "IPv6 listeners: %d (backlog %u)", n,
          t.backlog_seen);
    close(l6);
    test_pair_close(&p);

    /* A family the kernel has no handler for is an error, not an empty list. */
    CHECK_ERRNO(lab_diag_list(255, 0, NULL, NULL), EINVAL);
}

static void test_absent(void)
{
    struct lab_endpoint a = test_address("127.0.0.1", 1, SOCK_STREAM),
                        b = test_address("127.0.0.1", 2, SOCK_STREAM);
    struct lab_conn c;
    CHECK(lab_diag_find(SA(a), SA(b), &c) == 0, "absent v4 tuple found");
    struct lab_endpoint a6 = test_address("::1", 1, SOCK_STREAM),
                        b6 = test_address("::1", 2, SOCK_STREAM);
    CHECK(lab_diag_find(SA(a6), SA(b6), &c) == 0, "absent v6 tuple found");
    long long t0 = lab_now_ms();
    CHECK(lab_diag_wait(SA(a), SA(b), LAB_STATE_BIT(LAB_TCP_ESTABLISHED), 5000, &c) == 0,
          "wait on an absent tuple");
    CHECK(lab_diag_wait_change(SA(a), SA(b), LAB_TCP_ESTABLISHED, 5000, &c) == 0,
          "wait_change on an absent tuple");
    CHECK(lab_now_ms() - t0 < 500, "absent tuple waited %lld ms", lab_now_ms() - t0);
}

struct tw_search {
    const struct lab_endpoint *local;
    int found;
};

static int find_local(const struct lab_conn *c, void *arg)
{
    struct tw_search *t = arg;
    CHECK(c->state == LAB_TCP_TIME_WAIT, "mask ignored: %s", lab_tcp_state_name(c->state));
    t->found += lab_endpoint_equal(SA(c->local), SA(*t->local));
    return 0;
}

/* Active close: the closer's side becomes a TIME_WAIT minisock with a 60 s timer. */
static void test_time_wait(const char *host)
{
    struct test_pair p;
    test_pair_open(&p, host);
    test_pair_active_close(&p);

    struct lab_conn c;
    int rc = lab_diag_wait(SA(p.client_addr), SA(p.server_addr), LAB_STATE_BIT(LAB_TCP_TIME_WAIT),
                           1000, &c);
    CHECK(rc == 1, "%s: no TIME_WAIT (rc %d, last state %s, errno=%s)", host, rc,
          lab_tcp_state_name(c.state), lab_errno_name(errno));
    CHECK(c.state == LAB_TCP_TIME_WAIT, "state %s", lab_tcp_state_name(c.state));
    CHECK(c.timer == LAB_TIMER_TIME_WAIT, "timer %d, want %d", c.timer, LAB_TIMER_TIME_WAIT);
    CHECK(c.expires_ms > 50000 && c.expires_ms <= 60000, "expires in %u ms", c.expires_ms);
    CHECK(c.inode == 0, "TIME_WAIT has inode %lu", c.inode);
    CHECK(c.has_info == 0, "TIME_WAIT minisock with tcp_info");
    CHECK(lab_endpoint_equal(SA(c.local), SA(p.client_addr)) &&
              lab_endpoint_equal(SA(c.remote), SA(p.server_addr)),
          "wrong tuple");

    /* The passive closer leaves nothing behind. */
    rc = lab_diag_wait(SA(p.server_addr), SA(p.client_addr), LAB_STATE_BIT(LAB_TCP_LAST_ACK), 1000,
                       &c);
    CHECK(rc == 0, "%s: passive closer still listed (rc %d, %s)", host, rc,
          lab_tcp_state_name(c.state));

    /* TIME_WAIT is listed by its state bit too. */
    struct tw_search tw = {.local = &p.client_addr, .found = 0};
    int n = lab_diag_list(p.client_addr.ss.ss_family, LAB_STATE_BIT(LAB_TCP_TIME_WAIT), find_local,
                          &tw);
    CHECK(n >= 1 && tw.found == 1, "TIME_WAIT mask: %d listed, ours found %d times", n, tw.found);
    test_pair_close(&p);
}

static void test_waits(void)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    struct lab_conn c;

    /* Timing out: bounded, ETIMEDOUT, last state seen in out. */
    long long t0 = lab_now_ms();
    errno = 0;
    int rc = lab_diag_wait(SA(p.client_addr), SA(p.server_addr), LAB_STATE_BIT(LAB_TCP_TIME_WAIT),
                           50, &c);
    long long dt = lab_now_ms() - t0;
    CHECK(rc == -1 && errno == ETIMEDOUT, "rc %d errno=%s", rc, lab_errno_name(errno));
    CHECK(dt >= 50 && dt < 400, "timed out after %lld ms, bound 50", dt);
    CHECK(c.state == LAB_TCP_ESTABLISHED, "last state %s", lab_tcp_state_name(c.state));

    t0 = lab_now_ms();
    errno = 0;
    rc = lab_diag_wait_change(SA(p.server_addr), SA(p.client_addr), LAB_TCP_ESTABLISHED, 50, &c);
    dt = lab_now_ms() - t0;
    CHECK(rc == -1 && errno == ETIMEDOUT, "wait_change rc %d errno=%s", rc, lab_errno_name(errno));
    CHECK(dt >= 50 && dt < 400, "wait_change timed out after %lld ms, bound 50", dt);

    /* Already there: at once. */
    rc = lab_diag_wait(SA(p.client_addr), SA(p.server_addr),
                       LAB_STATE_BIT(LAB_TCP_ESTABLISHED) | LAB_STATE_BIT(LAB_TCP_CLOSE_WAIT), 0,
                       &c);
    CHECK(rc == 1 && c.state == LAB_TCP_ESTABLISHED, "rc %d state %s", rc,
          lab_tcp_state_name(c.state));

    /* A change: the peer's FIN moves the server side to CLOSE_WAIT. */
    CHECK_SYS(shutdown(p.client, SHUT_WR));
    rc = lab_diag_wait_change(SA(p.server_addr), SA(p.client_addr), LAB_TCP_ESTABLISHED, 1000, &c);
    CHECK(rc == 1 && c.state == LAB_TCP_CLOSE_WAIT, "wait_change rc %d state %s", rc,
          lab_tcp_state_name(c.state));
    rc = lab_diag_wait(SA(p.client_addr), SA(p.server_addr), LAB_STATE_BIT(LAB_TCP_FIN_WAIT2), 1000,
                       &c);
    CHECK(rc == 1 && c.state == LAB_TCP_FIN_WAIT2, "client rc %d state %s", rc,
          lab_tcp_state_name(c.state));

    /* Gone: an abortive close (RST) leaves neither side listed. */
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    CHECK_SYS(setsockopt(p.client, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    CHECK_SYS(close(p.client));
    p.client = -1;
    rc = lab_diag_wait(SA(p.client_addr), SA(p.server_addr), LAB_STATE_BIT(LAB_TCP_TIME_WAIT), 1000,
                       &c);
    CHECK(rc == 0, "reset connection: rc %d state %s", rc, lab_tcp_state_name(c.state));
    rc = lab_diag_wait_change(SA(p.server_addr), SA(p.client_addr), LAB_TCP_CLOSE_WAIT, 1000, &c);
    CHECK(rc == 0, "reset peer: rc %d state %s", rc, lab_tcp_state_name(c.state));
    test_pair_close(&p);
}

int main(void)
{
    int fd0 = test_lowest_free_fd();
    test_list(); /* first: it counts every socket of the namespace */
    test_find("127.0.0.1");
    test_find("::1");
    test_absent();
    test_time_wait("127.0.0.1");
    test_time_wait("::1");
    test_waits();
    CHECK(test_lowest_free_fd() == fd0, "an fd leaked (lowest free %d, was %d)",
          test_lowest_free_fd(), fd0);
    puts("ok");
    return 0;
}
