/* claim.C30: LAST_ACK sends its FIN again until the ACK comes. The peer
 * closes first; the application closes after EOF; the peer withholds the ACK
 * of the kernel's FIN. The FIN comes again after the retransmission timeout
 * (no sooner than 200 ms, TCP_RTO_MIN, on a link with a microsecond RTT) and
 * again after twice that; the socket stays in LAST_ACK, and is gone once the
 * ACK comes. (Lower bounds only: a busy machine fires timers late, never early.) */
#include "peer_claim.h"

int main(int argc, char **argv)
{
    struct peer_claim c;
    struct lab_seg fin;
    struct lab_conn conn;
    char b;
    pc_open(&c, pc_family(argc, argv), 40005, 1000000);
    int fd = pc_accept(&c);
    CHECK_SYS(lab_peer_send(&c.p, LAB_TH_FIN | LAB_TH_ACK, NULL, 0));
    CHECK(lab_read_bounded(fd, &b, 1, PC_WAIT) == 0, "no EOF");
    CHECK_SYS(close(fd));
    long long t[3];
    for (int i = 0; i < 3; i++) {
        CHECK_SYS(lab_peer_expect(&c.p, LAB_TH_FIN, &fin, PC_WAIT));
        t[i] = lab_now_ms();
        CHECK(pc_find(&c, &conn) == 1 && conn.state == LAB_TCP_LAST_ACK, "not in LAST_ACK");
    }
    long long gap1 = t[1] - t[0], gap2 = t[2] - t[1];
    CHECK(gap1 >= 195, "first resend after %lld ms, want >= 200 (TCP_RTO_MIN)", gap1);
    CHECK(gap2 >= 390, "second resend %lld ms later, want >= 400 (the timeout doubled)", gap2);
    CHECK_SYS(lab_peer_send(&c.p, LAB_TH_ACK, NULL, 0));
    int rc = lab_diag_wait((struct sockaddr *)&c.kernel.ss, (struct sockaddr *)&c.p.self.ss, 0,
                           PC_WAIT, &conn);
    CHECK(rc == 0, "still %s after the ACK", lab_tcp_state_name(conn.state));
    printf("ok: LAST_ACK sent its FIN again after %lld ms and %lld ms more; the ACK ended it\n",
           gap1, gap2);
    return 0;
}
