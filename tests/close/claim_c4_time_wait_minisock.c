/* claim.C4: the active side ACKs the peer's FIN and enters TIME_WAIT; the
 * passive side is CLOSED. Linux: the fd itself reports CLOSE; TIME_WAIT is a
 * separate minisock (no inode, time-wait timer) that sock_diag and /proc/net/tcp list. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_diag.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "testlib.h"

int main(void)
{
    test_require_private_netns();
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    struct sockaddr *srv = (struct sockaddr *)&p.server_addr.ss;
    struct sockaddr *cli = (struct sockaddr *)&p.client_addr.ss;

    /* 1. The client half-closes (keeping its fd), the server closes. */
    test_pair_half_close(&p);
    CHECK_SYS(close(p.server));
    p.server = -1;

    /* 2. The client's fd sees the FIN (EOF) and reports CLOSE, not TIME_WAIT. */
    char b;
    CHECK(lab_read_bounded(p.client, &b, 1, 1000) == 0, "client must read EOF");
    int state = lab_tcp_state_of_fd(p.client);
    CHECK(state == LAB_TCP_CLOSE, "client fd: %s", lab_tcp_state_name(state));

    /* 3. sock_diag lists the TIME_WAIT minisock for the same 4-tuple. */
    struct lab_conn c;
    CHECK(lab_diag_find(cli, srv, &c) == 1, "no TIME_WAIT listed");
    CHECK(c.state == LAB_TCP_TIME_WAIT, "sock_diag: %s", lab_tcp_state_name(c.state));
    CHECK(c.timer == LAB_TIMER_TIME_WAIT, "timer %d, want time-wait (3)", c.timer);
    CHECK(c.inode == 0, "TIME_WAIT has no inode, got %lu", c.inode);
    CHECK(!c.has_info, "a minisock carries no tcp_info");

    /* 3b. /proc/net/tcp, the older table, lists it too: state 06, inode 0. */
    char want[32];
    snprintf(want, sizeof want, ":%04X", (unsigned)lab_endpoint_port(&p.client_addr));
    FILE *f = fopen("/proc/net/tcp", "re");
    CHECK(f != NULL, "cannot open /proc/net/tcp");
    char line[512], local[64], st[8];
    unsigned long inode = 1;
    int seen = 0;
    while (!seen && fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "%*s %63s %*s %7s %*s %*s %*s %*s %*s %lu", local, st, &inode) == 3 &&
            strstr(local, want) != NULL && strlen(strstr(local, want)) == strlen(want))
            seen = 1;
    }
    fclose(f);
    CHECK(seen, "/proc/net/tcp has no row for local port %s", want + 1);
    CHECK(strcmp(st, "06") == 0 && inode == 0, "/proc/net/tcp: st %s inode %lu, want 06 and 0", st,
          inode);

    /* 4. The passive side is gone entirely (CLOSED) once it got the last ACK. */
    CHECK(lab_diag_wait(srv, cli, 0, 1000, &c) == 0, "passive side still listed: %s",
          lab_tcp_state_name(c.state));
    test_pair_close(&p);
    printf(
        "ok: fd CLOSE, TIME_WAIT minisock listed (sock_diag, /proc/net/tcp), passive side gone\n");
    return 0;
}
