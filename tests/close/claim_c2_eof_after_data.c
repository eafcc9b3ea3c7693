/* claim.C2: EOF is queued behind the data; the passive side is in CLOSE_WAIT.
 * Linux: every byte is read first, then read() returns 0; CLOSE_WAIT lasts
 * until the application closes, even when it has read everything. */
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_diag.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "testlib.h"

enum { N = 20000 }; /* fits the receive buffer, so the FIN gets in */

int main(void)
{
    test_require_private_netns();
    struct test_pair p;
    test_pair_open(&p, "::1");
    static char out[N], in[65536];
    for (size_t i = 0; i < N; i++)
        out[i] = (char)(i * 7);

    /* 1. The client writes N bytes and closes at once. */
    CHECK_SYS(lab_send_all(p.client, out, N));
    CHECK_SYS(close(p.client));
    p.client = -1;

    /* 2. The FIN arrives while data is still unread: CLOSE_WAIT already. */
    int state;
    CHECK_SYS(lab_wait_fd_state(p.server, LAB_STATE_BIT(LAB_TCP_CLOSE_WAIT), 1000, &state));
    CHECK(lab_unread_bytes(p.server) > 0, "data should still be queued");

    /* 3. Exactly N bytes, in order, then 0. */
    long total = 0;
    for (;;) {
        ssize_t r = lab_read_bounded(p.server, in, sizeof in, 1000);
        CHECK_SYS(r);
        if (r == 0)
            break;
        for (ssize_t i = 0; i < r; i++)
            CHECK(in[i] == (char)((total + i) * 7), "byte %ld differs", total + i);
        total += r;
    }
    CHECK(total == N, "read %ld bytes before EOF, want %d", total, N);
    CHECK(lab_read_bounded(p.server, in, sizeof in, 100) == 0, "EOF must repeat");

    /* 4. Reading EOF does not end CLOSE_WAIT; only close() does. */
    state = lab_tcp_state_of_fd(p.server);
    CHECK(state == LAB_TCP_CLOSE_WAIT, "after EOF: %s", lab_tcp_state_name(state));
    struct lab_conn c;
    CHECK(lab_diag_find((struct sockaddr *)&p.server_addr.ss, (struct sockaddr *)&p.client_addr.ss,
                        &c) == 1 &&
              c.state == LAB_TCP_CLOSE_WAIT,
          "sock_diag must list the CLOSE_WAIT");
    CHECK_SYS(close(p.server));
    p.server = -1;
    CHECK(lab_diag_wait((struct sockaddr *)&p.server_addr.ss, (struct sockaddr *)&p.client_addr.ss,
                        0, 1000, &c) == 0,
          "after close() the passive side must be gone (state %s)", lab_tcp_state_name(c.state));
    test_pair_close(&p);
    printf("ok: %d bytes then EOF; CLOSE_WAIT until close()\n", N);
    return 0;
}
