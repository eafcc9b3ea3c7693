/* claim.C1: "close() sends FIN and the closer enters FIN_WAIT".
 * Linux: FIN_WAIT1 while the FIN is unacknowledged, FIN_WAIT2 once it is;
 * after close() the orphan is still listed by sock_diag in FIN_WAIT2. */
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_diag.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "testlib.h"

int main(void)
{
    test_require_private_netns();
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    int state;

    /* 1. The server loses everything, so our FIN stays unacknowledged. */
    test_drop_input(p.server);
    CHECK_SYS(shutdown(p.client, SHUT_WR));
    state = lab_tcp_state_of_fd(p.client);
    CHECK(state == LAB_TCP_FIN_WAIT1, "after shutdown with the FIN lost: %s",
          lab_tcp_state_name(state));

    /* 2. Let segments through: the retransmitted FIN is ACKed -> FIN_WAIT2. */
    test_accept_input(p.server);
    CHECK_SYS(lab_wait_fd_state(p.client, LAB_STATE_BIT(LAB_TCP_FIN_WAIT2), 1500, &state));
    state = lab_tcp_state_of_fd(p.server);
    CHECK(state == LAB_TCP_CLOSE_WAIT, "peer: %s", lab_tcp_state_name(state));

    /* 3. close() the fd: sock_diag still shows FIN_WAIT2 (orphaned, on a timer). */
    CHECK_SYS(close(p.client));
    p.client = -1;
    struct lab_conn c;
    int found = lab_diag_find((struct sockaddr *)&p.client_addr.ss,
                              (struct sockaddr *)&p.server_addr.ss, &c);
    CHECK(found == 1, "orphaned FIN_WAIT2 not listed (found=%d)", found);
    CHECK(c.state == LAB_TCP_FIN_WAIT2, "sock_diag: %s", lab_tcp_state_name(c.state));
    CHECK(c.inode == 0, "an orphan has no inode, got %lu", c.inode);
    CHECK(c.timer != LAB_TIMER_NONE, "an orphaned FIN_WAIT2 must be on a timer");
    test_pair_close(&p);
    printf("ok: FIN_WAIT1 while the FIN is unacked, FIN_WAIT2 after, orphan listed\n");
    return 0;
}
