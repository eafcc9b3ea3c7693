/* unit.lib.sock: the socket helpers return -1 with the kernel's errno,
 * respect their time bounds, never raise SIGPIPE and never leak an fd. */
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_diag.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

#define SA(ep) ((const struct sockaddr *)&(ep).ss)

static int reuseaddr_of(int fd)
{
    int v = -1;
    socklen_t len = sizeof v;
    CHECK_SYS(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &len));
    return v != 0;
}

static void test_listen(void)
{
    int fd0 = test_lowest_free_fd();
    struct lab_endpoint any = test_address("127.0.0.1", 0, SOCK_STREAM);
    int a = lab_tcp_listen(&any, 4, 1);
    CHECK_SYS(a);
    CHECK(reuseaddr_of(a) == 1, "SO_REUSEADDR not set");
    CHECK(lab_tcp_state_of_fd(a) == LAB_TCP_LISTEN, "not listening");
    unsigned q, lim;
    CHECK_SYS(lab_tcp_listen_queue(a, &q, &lim));
    CHECK(lim == 4, "backlog %u, want 4", lim);
    CHECK((fcntl(a, F_GETFD) & FD_CLOEXEC) != 0, "listener not close-on-exec");

    struct lab_endpoint bound;
    CHECK_SYS(lab_endpoint_local(a, &bound));
    CHECK(lab_endpoint_port(&bound) != 0, "port 0 not replaced by the kernel's choice");

    int b = lab_tcp_listen(&any, 4, 0);
    CHECK_SYS(b);
    CHECK(reuseaddr_of(b) == 0, "SO_REUSEADDR set without being asked for");
    close(b);

    /* The port is taken by a listener: SO_REUSEADDR does not help. */
    CHECK_ERRNO(lab_tcp_listen(&bound, 4, 0), EADDRINUSE);
    CHECK_ERRNO(lab_tcp_listen(&bound, 4, 1), EADDRINUSE);
    close(a);

    /* No such local address in this namespace, and no such family. */
    struct lab_endpoint far = test_address("192.0.2.1", 0, SOCK_STREAM);
    CHECK_ERRNO(lab_tcp_listen(&far, 4, 0), EADDRNOTAVAIL);
    struct lab_endpoint none;
    memset(&none, 0, sizeof none);
    none.ss.ss_family = AF_UNSPEC;
    none.len = sizeof(struct sockaddr_in);
    CHECK_ERRNO(lab_tcp_listen(&none, 4, 0), EAFNOSUPPORT);
    CHECK(test_lowest_free_fd() == fd0, "failed listens leaked an fd");
}

/* The server closes first and owns the TIME_WAIT on its port: restarting
 * needs SO_REUSEADDR. Linux wants it on the old socket too (the TIME_WAIT
 * keeps the flag of the listener it came from), as a real server sets it. */
static void test_reuseaddr_time_wait(int old_reuse)
{
    struct lab_endpoint any = test_address("127.0.0.1", 0, SOCK_STREAM), lst, cl, sv;
    int lfd = lab_tcp_listen(&any, 4, old_reuse);
    CHECK_SYS(lfd);
    CHECK_SYS(lab_endpoint_local(lfd, &lst));
    int c = lab_tcp_connect(&lst, 1000);
    CHECK_SYS(c);
    int s = lab_accept_bounded(lfd, 1000, NULL);
    CHECK_SYS(s);
    CHECK_SYS(lab_endpoint_local(c, &cl));
    CHECK_SYS(lab_endpoint_local(s, &sv));

    CHECK_SYS(close(s));
    char b;
    CHECK(lab_read_bounded(c, &b, 1, 1000) == 0, "client did not see EOF");
    CHECK_SYS(close(c));
    struct lab_conn conn;
    CHECK(lab_diag_wait(SA(sv), SA(cl), LAB_STATE_BIT(LAB_TCP_TIME_WAIT), 1000, &conn) == 1,
          "server side not in TIME_WAIT (%s)", lab_tcp_state_name(conn.state));
    CHECK_SYS(close(lfd));

    CHECK_ERRNO(lab_tcp_listen(&lst, 4, 0), EADDRINUSE);
    if (!old_reuse) {
        CHECK_ERRNO(lab_tcp_listen(&lst, 4, 1), EADDRINUSE);
        return;
    }
    int fd = lab_tcp_listen(&lst, 4, 1);
    CHECK(fd >= 0, "restart with SO_REUSEADDR over TIME_WAIT: errno=%s", lab_errno_name(errno));
    close(fd);
}

static void test_connect(void)
{
    int fd0 = test_lowest_free_fd();
    /* A bound, non-listening socket holds the port closed. */
    int hold = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_SYS(hold);
    struct lab_endpoint any = test_address("127.0.0.1", 0, SOCK_STREAM), closed;
    CHECK_SYS(bind(hold, SA(any), any.len));
    CHECK_SYS(lab_endpoint_local(hold, &closed));
    long long t0 = lab_now_ms();
    CHECK_ERRNO(lab_tcp_connect(&closed, 1000), ECONNREFUSED);
    CHECK(lab_now_ms() - t0 < 500, "refusal took %lld ms", lab_now_ms() - t0);
    struct lab_endpoint closed6 = test_address("::1", lab_endpoint_port(&closed), SOCK_STREAM);
    int hold6 = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK_SYS(hold6);
    CHECK_SYS(bind(hold6, SA(closed6), closed6.len));
    CHECK_ERRNO(lab_tcp_connect(&closed6, 1000), ECONNREFUSED);
    close(hold6);
    close(hold);

    /* A full accept queue drops the SYN: the connect hits its bound. */
    int lfd = lab_tcp_listen(&any, 0, 0);
    CHECK_SYS(lfd);
    struct lab_endpoint lst;
    CHECK_SYS(lab_endpoint_local(lfd, &lst));
    int first = lab_tcp_connect(&lst, 1000); /* fills the queue (capacity backlog+1) */
    CHECK_SYS(first);
    CHECK((fcntl(first, F_GETFL) & O_NONBLOCK) == 0, "connected fd left non-blocking");
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_SYS(fd);
    t0 = lab_now_ms();
    CHECK_ERRNO(lab_connect_bounded(fd, &lst, 50), ETIMEDOUT);
    long long dt = lab_now_ms() - t0;
    CHECK(dt >= 50 && dt < 400, "connect bound 50 ms took %lld ms", dt);
    CHECK((fcntl(fd, F_GETFL) & O_NONBLOCK) == 0, "timed-out fd left non-blocking");
    CHECK(lab_tcp_state_of_fd(fd) == LAB_TCP_SYN_SENT, "doomed connect in %s",
          lab_tcp_state_name(lab_tcp_state_of_fd(fd)));
    close(fd);
    t0 = lab_now_ms();
    CHECK_ERRNO(lab_tcp_connect(&lst, 50), ETIMEDOUT);
    dt = lab_now_ms() - t0;
    CHECK(dt >= 50 && dt < 400, "tcp_connect bound 50 ms took %lld ms", dt);
    close(first);
    close(lfd);

    /* A non-socket fd: the error of the first call that fails. */
    int fds[2];
    CHECK_SYS(pipe(fds));
    CHECK_ERRNO(lab_connect_bounded(fds[0], &lst, 50), ENOTSOCK);
    close(fds[0]);
    close(fds[1]);
    CHECK(test_lowest_free_fd() == fd0, "failed connects leaked an fd");
}

static void test_accept(void)
{
    struct lab_endpoint any = test_address("127.0.0.1", 0, SOCK_STREAM), lst, peer;
    int lfd = lab_tcp_listen(&any, 4, 0);
    CHECK_SYS(lfd);
    CHECK_SYS(lab_endpoint_local(lfd, &lst));

    long long t0 = lab_now_ms();
    CHECK_ERRNO(lab_accept_bounded(lfd, 50, &peer), ETIMEDOUT);
    long long dt = lab_now_ms() - t0;
    CHECK(dt >= 50 && dt < 400, "accept bound 50 ms took %lld ms", dt);

    int c = lab_tcp_connect(&lst, 1000);
    CHECK_SYS(c);
    struct lab_endpoint cl;
    CHECK_SYS(lab_endpoint_local(c, &cl));
    int s = lab_accept_bounded(lfd, 1000, &peer);
    CHECK_SYS(s);
    /* Connected as a blocking connect would leave it: a second connect is EISCONN. */
    CHECK_ERRNO(connect(c, SA(lst), lst.len), EISCONN);
    CHECK_ERRNO(lab_connect_bounded(c, &lst, 50), EISCONN);
    CHECK(lab_endpoint_equal(SA(peer), SA(cl)), "peer is not the client's address");
    CHECK(peer.len == sizeof(struct sockaddr_in), "peer len %u", (unsigned)peer.len);
    CHECK((fcntl(s, F_GETFD) & FD_CLOEXEC) != 0, "accepted fd not close-on-exec");
    close(s);
    close(c);

    /* Not a listener. */
    int u = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_SYS(u);
    CHECK_ERRNO(lab_accept_bounded(u, 50, NULL), EINVAL);
    close(u);
    close(lfd);
}

static void test_read_and_unread(void)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    char buf[64];

    CHECK(lab_unread_bytes(p.server) == 0, "unread %d", lab_unread_bytes(p.server));
    long long t0 = lab_now_ms();
    CHECK_ERRNO(lab_read_bounded(p.server, buf, sizeof buf, 50), ETIMEDOUT);
    long long dt = lab_now_ms() - t0;
    CHECK(dt >= 50 && dt < 400, "read bound 50 ms took %lld ms", dt);

    CHECK_SYS(lab_send_all(p.client, "hello", 5));
    CHECK(lab_wait_fd(p.server, POLLIN, 1000) == 1, "no data");
    CHECK(lab_unread_bytes(p.server) == 5, "unread %d, want 5", lab_unread_bytes(p.server));
    CHECK(lab_read_bounded(p.server, buf, 3, 1000) == 3, "short read");
    CHECK(memcmp(buf, "hel", 3) == 0, "wrong bytes");
    CHECK(lab_unread_bytes(p.server) == 2, "unread %d, want 2", lab_unread_bytes(p.server));

    /* Data first, then EOF: every byte before the 0. */
    CHECK_SYS(shutdown(p.client, SHUT_WR));
    CHECK(lab_read_bounded(p.server, buf, sizeof buf, 1000) == 2, "rest not read");
    CHECK(memcmp(buf, "lo", 2) == 0, "wrong bytes");
    CHECK(lab_read_bounded(p.server, buf, sizeof buf, 1000) == 0, "no EOF");
    CHECK(lab_read_bounded(p.server, buf, sizeof buf, 1000) == 0, "EOF not repeated");
    CHECK(lab_unread_bytes(p.server) == 0, "unread after EOF %d", lab_unread_bytes(p.server));

    CHECK_ERRNO(lab_unread_bytes(p.listener), EINVAL);
    CHECK_ERRNO(lab_unread_bytes(-1), EBADF);
    test_pair_close(&p);
    int dead = dup(0);
    CHECK_SYS(dead);
    close(dead);
    CHECK_ERRNO(lab_read_bounded(dead, buf, sizeof buf, 50), EBADF);
}

static void test_send_to_reset_peer(void)
{
    /* Blocked, SIGPIPE would stay pending where we can see it. */
    sigset_t pipe_set, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    CHECK_SYS(sigprocmask(SIG_BLOCK, &pipe_set, NULL));

    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    CHECK_SYS(lab_send_all(p.client, "ping", 4));
    CHECK(lab_read_bounded(p.server, (char[8]){0}, 8, 1000) == 4, "ping not received");

    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    CHECK_SYS(setsockopt(p.server, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    CHECK_SYS(close(p.server));
    p.server = -1;
    long long deadline = lab_now_ms() + 1000;
    while (lab_tcp_state_of_fd(p.client) != LAB_TCP_CLOSE && lab_now_ms() < deadline)
        lab_pause_ms(1);
    CHECK(lab_tcp_state_of_fd(p.client) == LAB_TCP_CLOSE, "RST not received: %s",
          lab_tcp_state_name(lab_tcp_state_of_fd(p.client)));

    static char big[256 * 1024];
    errno = 0;
    int rc = lab_send_all(p.client, big, sizeof big);
    CHECK(rc == -1 && (errno == EPIPE || errno == ECONNRESET),
          "send to a reset peer: rc %d errno=%s", rc, lab_errno_name(errno));
    CHECK_ERRNO(lab_send_all(p.client, "x", 1), EPIPE);
    CHECK_SYS(sigpending(&pending));
    CHECK(!sigismember(&pending, SIGPIPE), "SIGPIPE raised");
    CHECK(lab_send_all(p.client, "", 0) == 0, "sending nothing failed");
    test_pair_close(&p);
    CHECK_SYS(sigprocmask(SIG_UNBLOCK, &pipe_set, NULL));
}

static void test_send_all(void)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    char out[20000], in[sizeof out];
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (char)(i * 7);
    CHECK_SYS(lab_send_all(p.client, out, sizeof out));
    size_t got = 0;
    while (got < sizeof in) {
        ssize_t n = lab_read_bounded(p.server, in + got, sizeof in - got, 1000);
        CHECK(n > 0, "read %zd after %zu bytes", n, got);
        got += (size_t)n;
    }
    CHECK(memcmp(in, out, sizeof in) == 0, "bytes differ");
    CHECK_ERRNO(lab_send_all(-1, "x", 1), EBADF);
    test_pair_close(&p);
}

static void test_nonblocking(void)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    char b;
    CHECK_SYS(lab_set_nonblocking(p.server, 1));
    CHECK((fcntl(p.server, F_GETFL) & O_NONBLOCK) != 0, "O_NONBLOCK not set");
    CHECK(read(p.server, &b, 1) == -1 && (errno == EAGAIN || errno == EWOULDBLOCK),
          "non-blocking read: errno=%s", lab_errno_name(errno));
    CHECK_SYS(lab_set_nonblocking(p.server, 1)); /* idempotent */
    CHECK((fcntl(p.server, F_GETFL) & O_NONBLOCK) != 0, "O_NONBLOCK lost");
    CHECK_SYS(lab_set_nonblocking(p.server, 0));
    CHECK((fcntl(p.server, F_GETFL) & O_NONBLOCK) == 0, "O_NONBLOCK not cleared");
    CHECK_ERRNO(lab_set_nonblocking(-1, 1), EBADF);

    /* Other status flags survive. */
    int fds[2];
    CHECK_SYS(pipe(fds));
    CHECK_SYS(fcntl(fds[1], F_SETFL, O_APPEND));
    CHECK_SYS(lab_set_nonblocking(fds[1], 1));
    CHECK_SYS(lab_set_nonblocking(fds[1], 0));
    CHECK((fcntl(fds[1], F_GETFL) & O_APPEND) != 0, "O_APPEND lost");
    close(fds[0]);
    close(fds[1]);
    test_pair_close(&p);
}

static void test_wait_and_clock(void)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    CHECK(lab_wait_fd(p.client, POLLOUT, 1000) == 1, "writable socket not ready");
    long long t0 = lab_now_ms();
    CHECK(lab_wait_fd(p.server, POLLIN, 30) == 0, "idle socket readable");
    long long dt = lab_now_ms() - t0;
    CHECK(dt >= 30 && dt < 300, "wait bound 30 ms took %lld ms", dt);
    CHECK(lab_wait_fd(p.server, POLLIN, 0) == 0, "zero bound");
    test_pair_close(&p);

    t0 = lab_now_ms();
    lab_pause_ms(20);
    dt = lab_now_ms() - t0;
    CHECK(dt >= 20 && dt < 300, "pause 20 ms took %lld ms", dt);
    CHECK(lab_now_ms() >= t0 + dt, "clock went back");
}

static void test_deadline_and_backoff(void)
{
    long long now = lab_now_ms();
    CHECK(lab_ms_left(now - 5) == 0, "a passed deadline has time left");
    int left = lab_ms_left(now + 1000);
    CHECK(left > 900 && left <= 1000, "%d ms left of 1000", left);
    CHECK(lab_ms_left(now + 100000000000LL) > 0, "a far deadline overflowed");

    /* Short pauses right after a change, then longer ones up to the cap: the
     * first LAB_BACKOFF_FAST polls take about 1 ms each, the next few double. */
    struct lab_backoff b = {0};
    long long t0 = lab_now_ms();
    for (int i = 0; i < LAB_BACKOFF_FAST; i++)
        CHECK_SYS(lab_backoff_pause(&b, -1));
    long long fast = lab_now_ms() - t0;
    CHECK(fast >= LAB_BACKOFF_FAST && fast < 10 * LAB_BACKOFF_FAST, "%d fast pauses took %lld ms",
          LAB_BACKOFF_FAST, fast);
    t0 = lab_now_ms();
    for (int i = 0; i < 6; i++) /* 2 4 8 16 32 50 */
        CHECK_SYS(lab_backoff_pause(&b, -1));
    long long slow = lab_now_ms() - t0;
    CHECK(slow >= 112 && slow < 400, "6 backed-off pauses took %lld ms, want about 112", slow);
    CHECK(lab_backoff_next(&b) == LAB_BACKOFF_MAX_MS, "the pause grows past its cap");
    lab_backoff_reset(&b);
    t0 = lab_now_ms();
    CHECK_SYS(lab_backoff_pause(&b, -1));
    CHECK(lab_now_ms() - t0 < 40, "no short pause after a reset");

    /* A pipe whose reader has gone: noticed without writing, and a pause
     * watching it ends at once with EPIPE. */
    int fds[2];
    CHECK_SYS(pipe(fds));
    CHECK(lab_reader_gone(fds[1]) == 0, "a pipe with a reader counts as gone");
    int idle[2];
    CHECK_SYS(pipe(idle));
    CHECK(lab_wait_fd_watching(idle[0], POLLIN, fds[1], 20) == 0, "watched wait did not time out");
    close(fds[0]);
    t0 = lab_now_ms();
    CHECK_ERRNO(lab_wait_fd_watching(idle[0], POLLIN, fds[1], 1000), EPIPE);
    CHECK(lab_now_ms() - t0 < 100, "a reader that left did not end the wait at once");
    CHECK_SYS(write(idle[1], "x", 1));
    CHECK(lab_wait_fd_watching(idle[0], POLLIN, -1, 1000) == 1, "readable pipe not ready");
    close(idle[0]);
    close(idle[1]);
    CHECK(lab_reader_gone(fds[1]) == 1, "a pipe without reader not noticed");
    b.polls = LAB_BACKOFF_FAST + 10; /* the next pause would be the longest */
    t0 = lab_now_ms();
    CHECK_ERRNO(lab_backoff_pause(&b, fds[1]), EPIPE);
    CHECK(lab_now_ms() - t0 < 20, "the pause did not end at once");
    close(fds[1]);
    int null = open("/dev/null", O_WRONLY);
    CHECK_SYS(null);
    CHECK(lab_reader_gone(null) == 0, "/dev/null counts as gone");
    CHECK_SYS(lab_backoff_pause(&b, null));
    close(null);
}

int main(void)
{
    int fd0 = test_lowest_free_fd();
    test_deadline_and_backoff();
    test_listen();
    test_reuseaddr_time_wait(0);
    test_reuseaddr_time_wait(1);
    test_connect();
    test_accept();
    test_read_and_unread();
    test_send_all();
    test_send_to_reset_peer();
    test_nonblocking();
    test_wait_and_clock();
    CHECK(test_lowest_free_fd() == fd0, "an fd leaked");
    puts("ok");
    return 0;
}
