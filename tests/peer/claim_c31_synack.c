/* claim.C31: a listener sends its SYN,ACK again after one second. The peer
 * sends a SYN and ignores the SYN,ACK: the request waits in SYN_RECV (a
 * request socket that sock_diag lists) and the SYN,ACK comes again no sooner
 * than TCP_TIMEOUT_INIT (1 s: no RTT was measured yet). The peer ACKs it:
 * the connection is set up and accept() returns it. */
#include "peer_claim.h"

int main(int argc, char **argv)
{
    struct peer_claim c;
    struct lab_seg s;
    struct lab_conn conn;
    pc_open(&c, pc_family(argc, argv), 40005, 1000000);
    CHECK_SYS(lab_peer_send(&c.p, LAB_TH_SYN, NULL, 0));
    CHECK_SYS(lab_peer_expect(&c.p, LAB_TH_SYN | LAB_TH_ACK, &s, PC_WAIT));
    long long t0 = lab_now_ms();
    CHECK(pc_find(&c, &conn) == 1 &&
              (conn.state == LAB_TCP_SYN_RECV || conn.state == LAB_TCP_NEW_SYN_RECV),
          "no request in SYN_RECV");
    CHECK_SYS(lab_set_nonblocking(c.listener, 1));
    CHECK_ERRNO(accept(c.listener, NULL, NULL), EAGAIN);
    CHECK_SYS(lab_peer_expect(&c.p, LAB_TH_SYN | LAB_TH_ACK, &s, PC_WAIT));
    long long gap = lab_now_ms() - t0;
    CHECK(gap >= 980, "SYN,ACK again after %lld ms, want >= 1000 (TCP_TIMEOUT_INIT)", gap);
    CHECK_SYS(lab_peer_send(&c.p, LAB_TH_ACK, NULL, 0));
    int fd = lab_accept_bounded(c.listener, PC_WAIT, NULL);
    CHECK(fd >= 0, "accept after the ACK: errno=%s", lab_errno_name(errno));
    printf("ok: the SYN,ACK came again after %lld ms; the ACK of it set the connection up\n", gap);
    close(fd);
    return 0;
}
