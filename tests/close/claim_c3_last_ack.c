/* claim.C3: the passive close sends FIN and enters LAST_ACK.
 * Linux: LAST_ACK lasts one round trip, so the test holds it by losing the
 * final ACK (a drop-all socket filter on the passive socket); the kernel then
 * retransmits its FIN on the retransmission timer. */
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_diag.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

int main(void)
{
    test_require_private_netns();
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    struct sockaddr *srv = (struct sockaddr *)&p.server_addr.ss;
    struct sockaddr *cli = (struct sockaddr *)&p.client_addr.ss;

    /* 1. Active close by the client; the server reaches CLOSE_WAIT. */
    test_pair_half_close(&p);

    /* 2. The server closes, but will never see the ACK of its FIN. */
    test_drop_input(p.server);
    CHECK_SYS(close(p.server));
    p.server = -1;
    struct lab_conn c;
    CHECK(lab_diag_find(srv, cli, &c) == 1, "passive side vanished");
    CHECK(c.state == LAB_TCP_LAST_ACK, "passive side: %s", lab_tcp_state_name(c.state));
    CHECK(c.timer == LAB_TIMER_RETRANSMIT, "LAST_ACK must run the retransmit timer (%d)", c.timer);

    /* 3. The active side got the FIN and ACKed it: TIME_WAIT. */
    struct lab_conn a;
    CHECK(lab_diag_wait(cli, srv, LAB_STATE_BIT(LAB_TCP_TIME_WAIT), 1000, &a) == 1,
          "active side: %s", lab_tcp_state_name(a.state));

    /* 4. The lost ACK makes the kernel retransmit the FIN (RTO >= 200 ms). */
    long long t0 = lab_now_ms();
    do {
        CHECK(lab_diag_find(srv, cli, &c) == 1, "LAST_ACK vanished");
        CHECK(c.state == LAB_TCP_LAST_ACK, "left LAST_ACK: %s", lab_tcp_state_name(c.state));
        if (c.has_info && c.total_retrans >= 1)
            break;
        lab_pause_ms(5);
    } while (lab_now_ms() - t0 < 1500);
    CHECK(c.has_info && c.total_retrans >= 1, "no FIN retransmission within 1.5 s");
    test_pair_close(&p);
    printf("ok: LAST_ACK held, FIN retransmitted after %lld ms\n", lab_now_ms() - t0);
    return 0;
}
