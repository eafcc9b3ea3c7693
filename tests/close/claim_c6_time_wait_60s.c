/* claim.C6: "MSL is 2 minutes (RFC 793); Linux uses 30 s".
 * Linux has no MSL setting: TIME_WAIT is TCP_TIMEWAIT_LEN, a fixed 60 s, read
 * here from the kernel's own timer. tcp_fin_timeout does not change it; it
 * times only the orphaned FIN_WAIT2. Nothing here waits the 60 s out. */
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_diag.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

/* Active close of a fresh pair; returns the client's entry once in want_state. */
static struct lab_conn orphan_after_close(int server_closes, int want_state)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    CHECK_SYS(close(p.client));
    p.client = -1;
    char b;
    CHECK(lab_read_bounded(p.server, &b, 1, 1000) == 0, "server must see EOF");
    if (server_closes) {
        CHECK_SYS(close(p.server));
        p.server = -1;
    }
    struct lab_conn c;
    CHECK(lab_diag_wait((struct sockaddr *)&p.client_addr.ss, (struct sockaddr *)&p.server_addr.ss,
                        LAB_STATE_BIT(want_state), 1000, &c) == 1,
          "never reached %s", lab_tcp_state_name(want_state));
    test_pair_close(&p);
    return c;
}

int main(void)
{
    test_require_private_netns();
    /* 1. A much shorter tcp_fin_timeout, in this test's own namespace. */
    CHECK_SYS(lab_sysctl_write("net.ipv4.tcp_fin_timeout", 7));

    /* 2. TIME_WAIT still gets the full 60 s (4 ms timer granularity, some slack). */
    struct lab_conn tw = orphan_after_close(1, LAB_TCP_TIME_WAIT);
    CHECK(tw.timer == LAB_TIMER_TIME_WAIT, "timer %d", tw.timer);
    CHECK(tw.expires_ms > 59000 && tw.expires_ms <= 60000,
          "TIME_WAIT expires in %u ms, want about 60000", tw.expires_ms);

    /* 3. The orphaned FIN_WAIT2 follows tcp_fin_timeout: about 7 s. */
    struct lab_conn fw2 = orphan_after_close(0, LAB_TCP_FIN_WAIT2);
    CHECK(fw2.expires_ms > 6000 && fw2.expires_ms <= 7000,
          "FIN_WAIT2 expires in %u ms, want about 7000", fw2.expires_ms);
    printf("ok: TIME_WAIT %u ms left, orphaned FIN_WAIT2 %u ms left (tcp_fin_timeout=7)\n",
           tw.expires_ms, fw2.expires_ms);
    return 0;
}
