/* claim.C9.full-queue-drops-syn: the notes say a client that finds the queue
 * full gets ECONNREFUSED (or its SYN is ignored). Linux always ignores it:
 * the SYN is dropped (ListenOverflows, ListenDrops), the client stays in
 * SYN_SENT and retransmits after the 1 s initial RTO, and gets in once a slot
 * is free. Never ECONNREFUSED. */
#include "backlog_probe.h"
#include "testlib.h"

int main(void)
{
    test_require_private_netns();
    struct lab_endpoint ep;
    int lfd = bp_listen("127.0.0.1", 1, 0, &ep);
    int fds[3], completed, synsent;
    unsigned long long over0 = bp_counter("ListenOverflows");
    unsigned long long drop0 = bp_counter("ListenDrops");
    fds[0] = bp_connect(&ep);
    fds[1] = bp_connect(&ep);
    long long t0 = lab_now_ms();
    fds[2] = bp_connect(&ep);
    bp_settle(fds, 3, &completed, &synsent);
    CHECK(completed == 2 && synsent == 1, "%d completed, %d in SYN_SENT", completed, synsent);
    CHECK(bp_counter("ListenOverflows") - over0 == 1, "ListenOverflows did not grow by 1");
    CHECK(bp_counter("ListenDrops") - drop0 == 1, "ListenDrops did not grow by 1");
    int err = -1;
    socklen_t len = sizeof err;
    CHECK_SYS(getsockopt(fds[2], SOL_SOCKET, SO_ERROR, &err, &len));
    CHECK(err == 0, "the waiting connect has errno=%s", lab_errno_name(err));

    /* Free one slot: nobody is told; the retransmitted SYN finds it. */
    int a = lab_accept_bounded(lfd, 100, NULL);
    CHECK_SYS(a);
    CHECK(lab_wait_fd(fds[2], POLLOUT, 2000) == 1, "the waiting connect never completed");
    long long waited = lab_now_ms() - t0;
    CHECK_SYS(getsockopt(fds[2], SOL_SOCKET, SO_ERROR, &err, &len));
    CHECK(err == 0, "the waiting connect ended with errno=%s", lab_errno_name(err));
    unsigned retrans = 0;
    CHECK_SYS(lab_tcp_total_retrans(fds[2], &retrans));
    CHECK(retrans >= 1, "no SYN retransmission recorded");
    CHECK(waited >= 900 && waited < 1500, "completed after %lld ms, want about 1000", waited);
    printf("third connect: SYN dropped, retransmitted %u time(s), completed after %lld ms\n",
           retrans, waited);
    close(a);
    bp_close_all(fds, 3);
    close(lfd);
    puts("PASS: a full queue drops the SYN; the client retransmits, never ECONNREFUSED");
    return 0;
}
