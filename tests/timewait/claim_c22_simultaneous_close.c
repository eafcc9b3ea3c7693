/* claim.C22: a simultaneous close: both ends send FIN before either has the
 * other's. Both are in FIN_WAIT1; an end that receives the other's FIN
 * before the ACK of its own enters CLOSING; both end in TIME_WAIT, so here
 * both ends keep the 4-tuple for 60 s. On loopback FINs never cross by
 * themselves, so the test makes them: both ends stop hearing (drop-all
 * filters) and shut down; the server hears first and gets the client's
 * resent FIN, which does not ACK its own: CLOSING, held until the client
 * hears too. */
#include <unistd.h>

#include "timewait.h"

int main(void)
{
    test_require_private_netns();
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    test_drop_input(p.client);
    test_drop_input(p.server);
    CHECK_SYS(shutdown(p.client, SHUT_WR));
    CHECK_SYS(shutdown(p.server, SHUT_WR));
    struct lab_conn c, s;
    CHECK(lab_diag_find(TW_CLI(&p), TW_SRV(&p), &c) == 1 && c.state == LAB_TCP_FIN_WAIT1,
          "client: %s, want FIN_WAIT1", lab_tcp_state_name(c.state));
    CHECK(lab_diag_find(TW_SRV(&p), TW_CLI(&p), &s) == 1 && s.state == LAB_TCP_FIN_WAIT1,
          "server: %s, want FIN_WAIT1", lab_tcp_state_name(s.state));

    test_accept_input(p.server);
    CHECK(lab_diag_wait(TW_SRV(&p), TW_CLI(&p), LAB_STATE_BIT(LAB_TCP_CLOSING), 1500, &s) == 1,
          "server: %s, want CLOSING", lab_tcp_state_name(s.state));
    long long t_closing = lab_now_ms();

    test_accept_input(p.client);
    unsigned tw = LAB_STATE_BIT(LAB_TCP_TIME_WAIT);
    CHECK(lab_diag_wait(TW_CLI(&p), TW_SRV(&p), tw, 1500, &c) == 1, "client: %s, want TIME_WAIT",
          lab_tcp_state_name(c.state));
    CHECK(lab_diag_wait(TW_SRV(&p), TW_CLI(&p), tw, 1500, &s) == 1, "server: %s, want TIME_WAIT",
          lab_tcp_state_name(s.state));
    printf("ok: both FIN_WAIT1; server CLOSING; both TIME_WAIT %lld ms later (timers %u and %u "
           "ms)\n",
           lab_now_ms() - t_closing, c.expires_ms, s.expires_ms);
    test_pair_close(&p);
    return 0;
}
