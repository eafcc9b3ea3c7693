/* claim.C25: when the server closes first it holds the TIME_WAIT, and that
 * blocks bind() of its port by a socket without SO_REUSEADDR (EADDRINUSE),
 * but not a new connection from the same client port: a SYN whose sequence
 * number (or timestamp) is newer than the old incarnation's is accepted over
 * the TIME_WAIT (tcp_timewait_state_process, RFC 6191), by a listener bound
 * with SO_REUSEADDR over a TIME_WAIT whose own socket had it too. */
#include <unistd.h>

#include "timewait.h"

int main(void)
{
    test_require_private_netns();
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    struct lab_endpoint server = p.server_addr, client = p.client_addr;
    /* SO_REUSEADDR on the connection's own socket (the TIME_WAIT keeps its
     * flag): the listener below may then bind over the TIME_WAIT. */
    int on = 1;
    CHECK_SYS(setsockopt(p.server, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
    CHECK_SYS(close(p.server)); /* the server closes first */
    p.server = -1;
    char b;
    CHECK(lab_read_bounded(p.client, &b, 1, 1000) == 0, "client did not read EOF");
    test_pair_close(&p);
    struct lab_conn c;
    CHECK(lab_diag_wait((struct sockaddr *)&server.ss, (struct sockaddr *)&client.ss,
                        LAB_STATE_BIT(LAB_TCP_TIME_WAIT), 1000, &c) == 1,
          "server side: %s, want TIME_WAIT", lab_tcp_state_name(c.state));

    int fd = socket(server.ss.ss_family, SOCK_STREAM, 0);
    CHECK_SYS(fd);
    CHECK_ERRNO(bind(fd, (struct sockaddr *)&server.ss, server.len), EADDRINUSE);
    close(fd);

    int listener = lab_tcp_listen(&server, 16, 1);
    CHECK(listener >= 0, "listen with SO_REUSEADDR over the TIME_WAIT: errno=%s",
          lab_errno_name(errno));
    fd = socket(client.ss.ss_family, SOCK_STREAM, 0);
    CHECK_SYS(fd);
    CHECK_SYS(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
    CHECK_SYS(bind(fd, (struct sockaddr *)&client.ss, client.len));
    CHECK(lab_connect_bounded(fd, &server, 1000) == 0, "same 4-tuple over the TIME_WAIT: errno=%s",
          lab_errno_name(errno));
    int s = lab_accept_bounded(listener, 1000, NULL);
    CHECK_SYS(s);
    CHECK(lab_diag_find((struct sockaddr *)&server.ss, (struct sockaddr *)&client.ss, &c) == 1 &&
              c.state == LAB_TCP_ESTABLISHED,
          "the new incarnation: %s", lab_tcp_state_name(c.state));
    printf("ok: bind(server port) -> EADDRINUSE; the same client port connected again\n");
    close(s);
    close(fd);
    close(listener);
    return 0;
}
