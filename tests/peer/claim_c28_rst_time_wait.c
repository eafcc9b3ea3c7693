/* claim.C28: an RST ends TIME_WAIT unless net.ipv4.tcp_rfc1337 is 1. The
 * kernel closes first and reaches TIME_WAIT; the peer sends an RST whose
 * sequence number is exactly the one TIME_WAIT expects, then its FIN again.
 * With tcp_rfc1337 0 (the default) the TIME_WAIT is gone and the FIN draws
 * an RST; with 1 the TIME_WAIT stays and ACKs the FIN. */
#include "peer_claim.h"

/* The RST, then the FIN again: 1 if TIME_WAIT still answers (an ACK). */
static int survives_rst(struct peer_claim *c)
{
    struct lab_conn conn;
    struct lab_seg reply;
    pc_kernel_time_wait(c, &conn);
    CHECK_SYS(lab_peer_send(&c->p, LAB_TH_RST, NULL, 0));
    CHECK_SYS(lab_peer_resend_fin(&c->p));
    CHECK_SYS(lab_peer_recv(&c->p, &reply, PC_WAIT));
    int found = pc_find(c, &conn);
    if (reply.flags & LAB_TH_RST) {
        CHECK(!found, "an RST came back, yet sock_diag lists %s", lab_tcp_state_name(conn.state));
        return 0;
    }
    CHECK(reply.flags & LAB_TH_ACK, "the FIN drew neither an ACK nor an RST");
    CHECK(found && conn.state == LAB_TCP_TIME_WAIT, "an ACK came back, yet no TIME_WAIT");
    return 1;
}

int main(int argc, char **argv)
{
    struct peer_claim c;
    long old;
    pc_open(&c, pc_family(argc, argv), 40005, 1000000);
    CHECK_SYS(lab_sysctl_restore_on_exit());
    CHECK_SYS(lab_sysctl_change("net.ipv4.tcp_rfc1337", 0, &old));
    CHECK(!survives_rst(&c), "tcp_rfc1337 0: TIME_WAIT survived an in-window RST");
    CHECK_SYS(lab_sysctl_write("net.ipv4.tcp_rfc1337", 1));
    pc_reconnect_from(&c, 40006, 2000000, NULL);
    CHECK(survives_rst(&c), "tcp_rfc1337 1: an in-window RST ended TIME_WAIT");
    printf("ok: the RST ended TIME_WAIT with tcp_rfc1337 0 and not with 1\n");
    return 0;
}
