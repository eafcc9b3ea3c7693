/* unit.lib.tcpstate: state names, and the state TCP_INFO reports for real
 * sockets: LISTEN, ESTABLISHED, half-closed, and a listener's accept queue. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

static void test_names(void)
{
    static const struct {
        int state;
        const char *name;
    } names[] = {
        {LAB_TCP_ESTABLISHED, "ESTABLISHED"},
        {LAB_TCP_SYN_SENT, "SYN_SENT"},
        {LAB_TCP_SYN_RECV, "SYN_RECV"},
        {LAB_TCP_FIN_WAIT1, "FIN_WAIT1"},
        {LAB_TCP_FIN_WAIT2, "FIN_WAIT2"},
        {LAB_TCP_TIME_WAIT, "TIME_WAIT"},
        {LAB_TCP_CLOSE, "CLOSE"},
        {LAB_TCP_CLOSE_WAIT, "CLOSE_WAIT"},
        {LAB_TCP_LAST_ACK, "LAST_ACK"},
        {LAB_TCP_LISTEN, "LISTEN"},
        {LAB_TCP_CLOSING, "CLOSING"},
        {LAB_TCP_NEW_SYN_RECV, "SYN_RECV"},
    };
    /* The numbers are the kernel's (include/net/tcp_states.h). */
    CHECK(LAB_TCP_ESTABLISHED == 1 && LAB_TCP_TIME_WAIT == 6 && LAB_TCP_LISTEN == 10 &&
              LAB_TCP_NEW_SYN_RECV == 12,
          "state numbers differ from Linux's");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *got = lab_tcp_state_name(names[i].state);
        CHECK(strcmp(got, names[i].name) == 0, "state %d: '%s', want '%s'", names[i].state, got,
              names[i].name);
    }
    int unknown[] = {0, -1, 13, 14, 255, 1000, -1000};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CHECK(strcmp(lab_tcp_state_name(unknown[i]), "UNKNOWN") == 0, "state %d: '%s'", unknown[i],
              lab_tcp_state_name(unknown[i]));
    CHECK(LAB_STATE_BIT(LAB_TCP_LISTEN) == 1u << 10, "LAB_STATE_BIT");
}

/* Poll (bounded) until fd reaches want; the last state seen otherwise. */
static int wait_fd_state(int fd, int want)
{
    long long deadline = lab_now_ms() + 1000;
    int st;
    while ((st = lab_tcp_state_of_fd(fd)) != want && st >= 0 && lab_now_ms() < deadline)
        lab_pause_ms(1);
    return st;
}

static void test_states(const char *host)
{
    struct test_pair p;
    test_pair_open(&p, host);
    int st = lab_tcp_state_of_fd(p.listener);
    CHECK(st == LAB_TCP_LISTEN, "%s listener: %s", host, lab_tcp_state_name(st));
    st = lab_tcp_state_of_fd(p.client);
    CHECK(st == LAB_TCP_ESTABLISHED, "%s client: %s", host, lab_tcp_state_name(st));
    st = lab_tcp_state_of_fd(p.server);
    CHECK(st == LAB_TCP_ESTABLISHED, "%s server: %s", host, lab_tcp_state_name(st));

    unsigned retrans = 99;
    CHECK_SYS(lab_tcp_total_retrans(p.client, &retrans));
    CHECK(retrans == 0, "retransmissions on loopback: %u", retrans);

    /* Half-close: our FIN is ACKed at once on loopback, the peer waits for us. */
    CHECK_SYS(shutdown(p.client, SHUT_WR));
    st = wait_fd_state(p.client, LAB_TCP_FIN_WAIT2);
    CHECK(st == LAB_TCP_FIN_WAIT2, "%s after SHUT_WR: %s", host, lab_tcp_state_name(st));
    st = wait_fd_state(p.server, LAB_TCP_CLOSE_WAIT);
    CHECK(st == LAB_TCP_CLOSE_WAIT, "%s peer: %s", host, lab_tcp_state_name(st));

    /* The passive side closes: its fd ends in LAST_ACK or CLOSE, and the
     * active side's fd reports CLOSE (the TIME_WAIT is not the fd's). */
    CHECK_SYS(shutdown(p.server, SHUT_WR));
    st = wait_fd_state(p.client, LAB_TCP_CLOSE);
    CHECK(st == LAB_TCP_CLOSE, "%s active closer's fd: %s", host, lab_tcp_state_name(st));

    /* A listening fd stays LISTEN; after close() nothing to ask. */
    int lfd = p.listener;
    CHECK_SYS(close(lfd));
    p.listener = -1;
    CHECK_ERRNO(lab_tcp_state_of_fd(lfd), EBADF);
    test_pair_close(&p);
}

static void test_listen_queue(void)
{
    struct lab_endpoint ep;
    char err[128];
    CHECK(lab_endpoint_resolve("127.0.0.1", 0, SOCK_STREAM, &ep, err, sizeof err) == 0, "%s", err);
    int lfd = lab_tcp_listen(&ep, 5, 0);
    CHECK_SYS(lfd);
    struct lab_endpoint bound;
    CHECK_SYS(lab_endpoint_local(lfd, &bound));

    unsigned queued = 99, limit = 99;
    CHECK_SYS(lab_tcp_listen_queue(lfd, &queued, &limit));
    CHECK(queued == 0 && limit == 5, "empty listener: queued %u limit %u", queued, limit);

    int c1 = lab_tcp_connect(&bound, 1000);
    CHECK_SYS(c1);
    int c2 = lab_tcp_connect(&bound, 1000);
    CHECK_SYS(c2);
    /* Connected means the handshake is done; the queue may lag by a softirq. */
    long long deadline = lab_now_ms() + 1000;
    for (;;) {
        CHECK_SYS(lab_tcp_listen_queue(lfd, &queued, &limit));
        if (queued == 2 || lab_now_ms() >= deadline)
            break;
        lab_pause_ms(1);
    }
    CHECK(queued == 2 && limit == 5, "two unaccepted: queued %u limit %u", queued, limit);

    int s1 = lab_accept_bounded(lfd, 1000, NULL);
    CHECK_SYS(s1);
    CHECK_SYS(lab_tcp_listen_queue(lfd, &queued, &limit));
    CHECK(queued == 1 && limit == 5, "after one accept: queued %u limit %u", queued, limit);

    /* Not a listener: an established fd, and an unconnected TCP socket. */
    CHECK_ERRNO(lab_tcp_listen_queue(c1, &queued, &limit), EINVAL);
    CHECK_ERRNO(lab_tcp_listen_queue(s1, &queued, &limit), EINVAL);
    int fresh = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_SYS(fresh);
    CHECK(lab_tcp_state_of_fd(fresh) == LAB_TCP_CLOSE, "unconnected socket: %s",
          lab_tcp_state_name(lab_tcp_state_of_fd(fresh)));
    CHECK_ERRNO(lab_tcp_listen_queue(fresh, &queued, &limit), EINVAL);
    close(fresh);
    close(s1);
    close(c1);
    close(c2);
    close(lfd);
}

static void test_not_tcp(void)
{
    unsigned a, b;
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_SYS(u);
    errno = 0;
    int st = lab_tcp_state_of_fd(u);
    CHECK(st == -1 && errno != 0, "UDP socket has TCP state %d (errno=%s)", st,
          lab_errno_name(errno));
    errno = 0;
    CHECK(lab_tcp_listen_queue(u, &a, &b) == -1 && errno != 0, "UDP socket has a queue");
    errno = 0;
    CHECK(lab_tcp_total_retrans(u, &a) == -1 && errno != 0, "UDP socket has retransmits");
    close(u);

    int fds[2];
    CHECK_SYS(pipe(fds));
    CHECK_ERRNO(lab_tcp_state_of_fd(fds[0]), ENOTSOCK);
    close(fds[0]);
    close(fds[1]);
    CHECK_ERRNO(lab_tcp_state_of_fd(-1), EBADF);
}

int main(void)
{
    test_names();
    test_states("127.0.0.1");
    test_states("::1");
    test_listen_queue();
    test_not_tcp();
    puts("ok");
    return 0;
}
