/* claim.C29: a FIN sent again into TIME_WAIT is ACKed again and restarts its
 * timer. The kernel closes first and reaches TIME_WAIT; once its timer has
 * run below 59.85 s, the peer sends its FIN again with its old sequence
 * number: the kernel ACKs it and TIME_WAIT's timer is back at 60 s. */
#include "peer_claim.h"

int main(int argc, char **argv)
{
    struct peer_claim c;
    struct lab_conn conn;
    struct lab_seg ack;
    pc_open(&c, pc_family(argc, argv), 40005, 1000000);
    pc_kernel_time_wait(&c, &conn);
    struct lab_backoff pace = {0};
    long long deadline = lab_now_ms() + PC_WAIT;
    while (conn.expires_ms > 59850) { /* let the timer run, watched */
        CHECK(lab_ms_left(deadline) > 0, "TIME_WAIT's timer stays at %u ms", conn.expires_ms);
        lab_pause_ms(lab_backoff_next(&pace));
        CHECK(pc_find(&c, &conn) == 1, "TIME_WAIT gone early");
    }
    unsigned before = conn.expires_ms;
    CHECK_SYS(lab_peer_resend_fin(&c.p));
    CHECK_SYS(lab_peer_expect(&c.p, LAB_TH_ACK, &ack, PC_WAIT));
    CHECK(ack.ack == c.p.snd_nxt, "the ACK (%u) does not cover our FIN (%u)", (unsigned)ack.ack,
          (unsigned)c.p.snd_nxt);
    CHECK(pc_find(&c, &conn) == 1 && conn.state == LAB_TCP_TIME_WAIT, "TIME_WAIT gone");
    CHECK(conn.expires_ms > before + 50 && conn.expires_ms >= 59900,
          "timer %u ms after the FIN, %u before: not restarted", conn.expires_ms, before);
    printf("ok: the FIN again was ACKed; TIME_WAIT's timer %u ms -> %u ms\n", before,
           conn.expires_ms);
    return 0;
}
