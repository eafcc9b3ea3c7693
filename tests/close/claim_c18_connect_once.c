/* claim.C18: "a TCP socket may connect only once".
 * Linux: a second connect() fails with EISCONN; connect(AF_UNSPEC) is a Linux
 * extension that aborts the connection with RST (the peer reads ECONNRESET),
 * after which the same socket may connect again. */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

int main(void)
{
    test_require_private_netns();
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    struct lab_endpoint server;
    CHECK_SYS(lab_endpoint_local(p.listener, &server));

    /* 1. Connect again while connected. */
    CHECK_ERRNO(connect(p.client, (struct sockaddr *)&server.ss, server.len), EISCONN);
    CHECK(lab_tcp_state_of_fd(p.client) == LAB_TCP_ESTABLISHED, "connection disturbed");

    /* 2. AF_UNSPEC disconnects: RST to the peer, CLOSE here. */
    struct sockaddr unspec;
    memset(&unspec, 0, sizeof unspec);
    unspec.sa_family = AF_UNSPEC;
    CHECK_SYS(connect(p.client, &unspec, sizeof unspec));
    int state = lab_tcp_state_of_fd(p.client);
    CHECK(state == LAB_TCP_CLOSE, "after AF_UNSPEC: %s", lab_tcp_state_name(state));
    char b;
    CHECK_ERRNO(lab_read_bounded(p.server, &b, 1, 1000), ECONNRESET);
    close(p.server);
    p.server = -1;

    /* 3. The same fd connects again, and the connection works. */
    CHECK_SYS(connect(p.client, (struct sockaddr *)&server.ss, server.len));
    CHECK(lab_tcp_state_of_fd(p.client) == LAB_TCP_ESTABLISHED, "reconnect failed");
    p.server = lab_accept_bounded(p.listener, 1000, NULL);
    CHECK_SYS(p.server);
    CHECK_SYS(lab_send_all(p.client, "x", 1));
    CHECK(lab_read_bounded(p.server, &b, 1, 1000) == 1 && b == 'x', "no data after reconnect");
    test_pair_close(&p);
    printf("ok: EISCONN, AF_UNSPEC reset, reconnect on the same socket\n");
    return 0;
}
