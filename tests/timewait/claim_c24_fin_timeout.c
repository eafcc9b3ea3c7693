/* claim.C24: an orphaned FIN_WAIT2 (we closed, the peer never does) is not
 * kept forever: after net.ipv4.tcp_fin_timeout seconds it is gone (no
 * TIME_WAIT follows: tcp_fin_timeout's timer ends it outright, its remaining
 * time shown as a "timewait" timer by ss). The leaking peer's late FIN then
 * finds no socket and draws an RST. The namespace's tcp_fin_timeout is 1 s. */
#include <unistd.h>

#include "timewait.h"

int main(void)
{
    test_require_private_netns();
    CHECK_SYS(lab_sysctl_restore_on_exit());
    long old;
    if (lab_sysctl_change("net.ipv4.tcp_fin_timeout", 1, &old) < 0)
        SKIP("cannot set net.ipv4.tcp_fin_timeout here: errno=%s", lab_errno_name(errno));
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    CHECK_SYS(close(p.client));
    p.client = -1;
    struct lab_conn c;
    CHECK(lab_diag_wait(TW_CLI(&p), TW_SRV(&p), LAB_STATE_BIT(LAB_TCP_FIN_WAIT2), 1000, &c) == 1,
          "client: %s, want FIN_WAIT2", lab_tcp_state_name(c.state));
    CHECK(c.expires_ms <= 1000, "orphaned FIN_WAIT2 timer %u ms, want <= 1000", c.expires_ms);
    long long t0 = lab_now_ms();
    int rc = lab_diag_wait_change(TW_CLI(&p), TW_SRV(&p), LAB_TCP_FIN_WAIT2, 1800, &c);
    CHECK(rc == 0, "FIN_WAIT2 not gone within 1.8 s (now %s)",
          rc == 1 ? lab_tcp_state_name(c.state) : "timeout");
    long long gone = lab_now_ms() - t0;

    unsigned long long rsts0 = test_counter("Tcp", "OutRsts");
    CHECK_SYS(close(p.server)); /* the late FIN */
    p.server = -1;
    long long deadline = lab_now_ms() + 1000;
    while (test_counter("Tcp", "OutRsts") == rsts0 && lab_ms_left(deadline) > 0)
        lab_pause_ms(1);
    unsigned long long rsts = test_counter("Tcp", "OutRsts") - rsts0;
    CHECK(rsts == 1, "the late FIN drew %llu RST(s), want 1", rsts);
    printf("ok: orphaned FIN_WAIT2 gone %lld ms after the check; the late FIN drew an RST\n", gone);
    test_pair_close(&p);
    return 0;
}
