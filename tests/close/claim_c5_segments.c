/* claim.C5: "each direction needs a FIN and an ACK: four segments".
 * Linux: four when the passive side closes later than its delayed ACK, three
 * (FIN, FIN+ACK, ACK) when it closes at once and its FIN carries the ACK.
 * Counted with the kernel's own per-socket segment counters (tcpi_segs_out). */
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "testlib.h"

#if defined(__linux__)
#include <linux/tcp.h>
#include <netinet/in.h>

static unsigned segs_out(int fd)
{
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    CHECK_SYS(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len));
    return ti.tcpi_segs_out;
}

/* Close both directions with shutdown() (fds stay open for the counters);
 * the server closes only after its ACK went out if wait_for_ack. *gap_ms
 * receives the time between the two FINs. */
static unsigned count_close_segments(int wait_for_ack, long long *gap_ms)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    int state;
    char b;
    /* A request and its answer first, as on any real connection: a socket
     * that has not carried data yet sends the ACK of a FIN at the next ACK
     * timer tick (a few ms); after an exchange it waits about 40 ms, which is
     * what lets a FIN that follows soon carry it. */
    CHECK_SYS(lab_send_all(p.client, "?", 1));
    CHECK(lab_read_bounded(p.server, &b, 1, 1000) == 1, "request lost");
    CHECK_SYS(lab_send_all(p.server, "!", 1));
    CHECK(lab_read_bounded(p.client, &b, 1, 1000) == 1, "answer lost");
    unsigned c0 = segs_out(p.client), s0 = segs_out(p.server);

    long long t0 = lab_now_ms();
    CHECK_SYS(shutdown(p.client, SHUT_WR)); /* FIN -> */
    CHECK(lab_read_bounded(p.server, &b, 1, 1000) == 0, "server must see EOF");
    if (wait_for_ack) /* the delayed ACK of the FIN leaves on its own: FIN_WAIT2 */
        CHECK_SYS(lab_wait_fd_state(p.client, LAB_STATE_BIT(LAB_TCP_FIN_WAIT2), 1000, &state));
    CHECK_SYS(shutdown(p.server, SHUT_WR)); /* <- FIN(+ACK) */
    *gap_ms = lab_now_ms() - t0;
    CHECK_SYS(lab_wait_fd_state(p.client, LAB_STATE_BIT(LAB_TCP_CLOSE), 1000, &state));
    CHECK_SYS(lab_wait_fd_state(p.server, LAB_STATE_BIT(LAB_TCP_CLOSE), 1000, &state));
    unsigned n = (segs_out(p.client) - c0) + (segs_out(p.server) - s0);
    test_pair_close(&p);
    return n;
}

int main(void)
{
    test_require_private_netns();
    long long gap;
    unsigned later = count_close_segments(1, &gap);
    /* "At once" must beat the peer's 40 ms delayed ACK; on a loaded machine
     * (sanitizers, parallel tests) a run can miss that window: retry those. */
    unsigned at_once = 0;
    for (int attempt = 0; attempt < 5; attempt++) {
        at_once = count_close_segments(0, &gap);
        if (gap < 30)
            break;
        printf("attempt %d: %lld ms between the FINs, too slow to count; again\n", attempt + 1,
               gap);
    }
    CHECK(gap < 30, "never closed within 30 ms of the peer's FIN (machine too loaded)");
    printf("passive side closes later: %u segments; at once: %u segments\n", later, at_once);
    CHECK(later == 4, "closing later should take FIN, ACK, FIN, ACK: got %u", later);
    CHECK(at_once == 3, "closing at once should take FIN, FIN+ACK, ACK: got %u", at_once);
    return 0;
}
#else
int main(void)
{
    SKIP("TCP_INFO segment counters need Linux");
}
#endif
