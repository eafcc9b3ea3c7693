/* claim.C20: what goes wrong without TIME_WAIT. With net.ipv4.tcp_max_tw_buckets
 * = 0 the kernel keeps no TIME_WAIT (TcpExtTCPTimeWaitOverflow counts it):
 * the active closer's socket is gone at once. If its final ACK is lost, the
 * passive closer's retransmitted FIN finds no socket and draws an RST
 * (TcpOutRsts), and the passive closer's close ends in ECONNRESET instead
 * of a clean LAST_ACK -> CLOSED. */
#include <unistd.h>

#include "timewait.h"

int main(void)
{
    test_require_private_netns();
    long old;
    CHECK_SYS(lab_sysctl_restore_on_exit());
    if (lab_sysctl_change("net.ipv4.tcp_max_tw_buckets", 0, &old) < 0)
        SKIP("cannot set net.ipv4.tcp_max_tw_buckets here: errno=%s", lab_errno_name(errno));
    unsigned long long overflow0 = test_counter("TcpExt", "TCPTimeWaitOverflow");
    unsigned long long rsts0 = test_counter("Tcp", "OutRsts");

    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    tw_lose_final_ack(&p);

    /* The client's FIN_WAIT2 got the FIN and ACKed it: and then nothing. */
    struct lab_conn c;
    long long deadline = lab_now_ms() + 1000;
    int found;
    while ((found = lab_diag_find(TW_CLI(&p), TW_SRV(&p), &c)) == 1 && lab_ms_left(deadline) > 0)
        lab_pause_ms(1);
    CHECK(found == 0, "active side still there: %s", lab_tcp_state_name(c.state));
    unsigned long long overflow = test_counter("TcpExt", "TCPTimeWaitOverflow") - overflow0;
    CHECK(overflow == 1, "TCPTimeWaitOverflow +%llu, want +1", overflow);

    /* The passive closer hears again; its next FIN finds no socket: RST. */
    test_accept_input(p.server);
    CHECK(lab_diag_wait_change(TW_SRV(&p), TW_CLI(&p), LAB_TCP_LAST_ACK, 1500, &c) >= 0,
          "LAST_ACK still there after 1.5 s");
    int err = 0;
    socklen_t len = sizeof err;
    CHECK_SYS(getsockopt(p.server, SOL_SOCKET, SO_ERROR, &err, &len));
    CHECK(err == ECONNRESET, "passive closer's error %s, want ECONNRESET", lab_errno_name(err));
    unsigned long long rsts = test_counter("Tcp", "OutRsts") - rsts0;
    CHECK(rsts >= 1, "no RST sent (TcpOutRsts +%llu)", rsts);
    printf("ok: no TIME_WAIT (TCPTimeWaitOverflow +%llu); the resent FIN drew an RST (OutRsts "
           "+%llu); passive closer: ECONNRESET\n",
           overflow, rsts);
    test_pair_close(&p);
    return 0;
}
