/* claim.C19: why TIME_WAIT exists (1): the final ACK may be lost. The
 * passive closer then stays in LAST_ACK and sends its FIN again; the active
 * closer's TIME_WAIT is still there to ACK it, and its 60 s timer starts
 * again (tcp_timewait_state_process: a segment with ACK in TIME_WAIT
 * reschedules TCP_TIMEWAIT_LEN). Without TIME_WAIT the FIN would meet no
 * socket and draw an RST (claim C20). */
#include <unistd.h>

#include "timewait.h"

int main(void)
{
    test_require_private_netns();
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    tw_lose_final_ack(&p);

    /* The client got the FIN, sent the (lost) ACK: TIME_WAIT, timer near 60 s. */
    struct lab_conn tw;
    CHECK(lab_diag_wait(TW_CLI(&p), TW_SRV(&p), LAB_STATE_BIT(LAB_TCP_TIME_WAIT), 1000, &tw) == 1,
          "active side: %s", lab_tcp_state_name(tw.state));
    long long t_first = lab_now_ms();
    unsigned first = tw.expires_ms;
    CHECK(first > 58000 && first <= 60000, "TIME_WAIT timer %u ms, want about 60000", first);

    /* Wait for the passive closer's FIN retransmission (RTO >= 200 ms). */
    struct lab_conn last;
    long long deadline = lab_now_ms() + 1500;
    do {
        CHECK(lab_diag_find(TW_SRV(&p), TW_CLI(&p), &last) == 1, "LAST_ACK vanished");
        CHECK(last.state == LAB_TCP_LAST_ACK, "left LAST_ACK: %s", lab_tcp_state_name(last.state));
        if (last.has_info && last.total_retrans >= 1)
            break;
        lab_pause_ms(2);
    } while (lab_ms_left(deadline) > 0);
    CHECK(last.has_info && last.total_retrans >= 1, "no FIN retransmission within 1.5 s");

    /* The retransmitted FIN restarted the timer: it reads higher than the
     * first reading minus the time that passed (by far more than the
     * millisecond granularity of the two readings). */
    CHECK(lab_diag_find(TW_CLI(&p), TW_SRV(&p), &tw) == 1, "TIME_WAIT vanished");
    CHECK(tw.state == LAB_TCP_TIME_WAIT, "active side left TIME_WAIT: %s",
          lab_tcp_state_name(tw.state));
    long long passed = lab_now_ms() - t_first;
    long long without_restart = (long long)first - passed;
    CHECK(passed >= 150, "the FIN came back after only %lld ms", passed);
    CHECK((long long)tw.expires_ms > without_restart + 100,
          "timer %u ms after %lld ms: not restarted (would read %lld)", tw.expires_ms, passed,
          without_restart);
    printf("ok: TIME_WAIT timer %u ms; FIN resent after %lld ms; timer then %u ms (not %lld)\n",
           first, passed, tw.expires_ms, without_restart);
    test_pair_close(&p);
    return 0;
}
