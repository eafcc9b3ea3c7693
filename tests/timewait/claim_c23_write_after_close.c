/* claim.C23: EOF's other half. The peer has closed (its fd is gone); our
 * first write() still succeeds, since the kernel only queues the bytes, and
 * the peer's kernel answers them with an RST; our next write() fails with
 * EPIPE (in CLOSE_WAIT the RST sets EPIPE, tcp_reset), and with MSG_NOSIGNAL
 * (or SIGPIPE ignored) that is an error to handle, not a death. */
#include <unistd.h>

#include "timewait.h"

int main(void)
{
    test_require_private_netns();
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    unsigned long long rsts0 = test_counter("Tcp", "OutRsts");
    CHECK_SYS(close(p.server));
    p.server = -1;
    struct lab_conn c;
    CHECK(lab_diag_wait(TW_CLI(&p), TW_SRV(&p), LAB_STATE_BIT(LAB_TCP_CLOSE_WAIT), 1000, &c) == 1,
          "client: %s, want CLOSE_WAIT", lab_tcp_state_name(c.state));

    ssize_t n = send(p.client, "x", 1, MSG_NOSIGNAL);
    CHECK(n == 1, "first write after the peer's close: %zd errno=%s, want 1", n,
          lab_errno_name(errno));
    /* The RST comes back: the connection is gone on both ends. */
    CHECK(lab_diag_wait_change(TW_CLI(&p), TW_SRV(&p), LAB_TCP_CLOSE_WAIT, 1000, &c) >= 0,
          "still CLOSE_WAIT after the write");
    CHECK_ERRNO(send(p.client, "y", 1, MSG_NOSIGNAL), EPIPE);
    char b;
    CHECK(read(p.client, &b, 1) == 0, "read after the RST: want 0 (EOF), errno=%s",
          lab_errno_name(errno));
    unsigned long long rsts = test_counter("Tcp", "OutRsts") - rsts0;
    CHECK(rsts == 1, "TcpOutRsts +%llu, want +1 (the peer's answer to our byte)", rsts);
    printf("ok: write -> 1, RST back (OutRsts +1), write -> EPIPE, read -> 0\n");
    test_pair_close(&p);
    return 0;
}
