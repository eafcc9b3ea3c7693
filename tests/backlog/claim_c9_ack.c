/* claim.C9.ack-overflow-reset: the one place Linux answers a full accept
 * queue with RST. With TCP_DEFER_ACCEPT a client's handshake completes on its
 * side while the server keeps only a request; when the client's first data
 * meets a full queue, tcp_abort_on_overflow=0 drops it silently (the client
 * stays ESTABLISHED, its byte unacknowledged) and =1 resets the connection:
 * ECONNRESET for a client that believed it was connected, never ECONNREFUSED. */
#include <linux/sockios.h>
#include <sys/ioctl.h>

#include "backlog_probe.h"
#include "lab_diag.h"
#include "testlib.h"

static int connected(const struct lab_endpoint *ep)
{
    int fd = bp_connect(ep);
    int err = -1;
    CHECK(lab_wait_fd(fd, POLLOUT, 1000) == 1, "handshake did not complete");
    CHECK(bp_done(fd, &err) && err == 0, "connect: errno=%s", lab_errno_name(err));
    return fd;
}

static int outq(int fd)
{
    int n = -1;
    CHECK_SYS(ioctl(fd, SIOCOUTQ, &n));
    return n;
}

static void run(long abort_on_overflow)
{
    CHECK_SYS(lab_sysctl_write("net.ipv4.tcp_abort_on_overflow", abort_on_overflow));
    struct lab_endpoint ep;
    int lfd = bp_listen("127.0.0.1", 1, 30, &ep);
    int fds[3];
    /* The victim completes its handshake first and stays quiet. */
    fds[2] = connected(&ep);
    /* Two fillers send at once and fill the queue (backlog 1 holds 2). */
    for (int i = 0; i < 2; i++) {
        fds[i] = connected(&ep);
        CHECK(send(fds[i], "f", 1, MSG_NOSIGNAL) == 1, "filler send");
        long long deadline = lab_now_ms() + 1000;
        while (outq(fds[i]) != 0 && lab_now_ms() < deadline)
            (void)lab_wait_fd(fds[i], POLLIN, 1);
        CHECK(outq(fds[i]) == 0, "filler %d's byte was never acknowledged", i);
    }
    unsigned queued, limit;
    CHECK_SYS(lab_tcp_listen_queue(lfd, &queued, &limit));
    CHECK(queued == 2, "accept queue %u, want 2 (full)", queued);

    /* The server side of the victim is a request (SYN_RECV), not a socket. */
    struct lab_endpoint vlocal;
    struct lab_conn sc;
    CHECK_SYS(lab_endpoint_local(fds[2], &vlocal));
    CHECK(lab_diag_find((struct sockaddr *)&ep.ss, (struct sockaddr *)&vlocal.ss, &sc) == 1,
          "victim not found on the server side");
    CHECK(lab_tcp_is_request(sc.state), "victim's server side is %s, want SYN_RECV",
          lab_tcp_state_name(sc.state));
    CHECK(lab_tcp_state_of_fd(fds[2]) == LAB_TCP_ESTABLISHED, "victim is not ESTABLISHED");

    unsigned long long over0 = bp_counter("ListenOverflows");
    unsigned long long rst0 = bp_counter("EmbryonicRsts");
    CHECK(send(fds[2], "v", 1, MSG_NOSIGNAL) == 1, "victim send");
    long long deadline = lab_now_ms() + 1000;
    while (bp_counter("ListenOverflows") == over0 && lab_now_ms() < deadline)
        (void)lab_wait_fd(fds[2], POLLIN, 1);
    CHECK(bp_counter("ListenOverflows") - over0 == 1, "ListenOverflows did not grow by 1");

    int err = 0;
    socklen_t len = sizeof err;
    if (abort_on_overflow == 0) {
        CHECK(lab_tcp_state_of_fd(fds[2]) == LAB_TCP_ESTABLISHED, "victim left ESTABLISHED");
        CHECK(outq(fds[2]) == 1, "the victim's byte was acknowledged");
        CHECK_SYS(getsockopt(fds[2], SOL_SOCKET, SO_ERROR, &err, &len));
        CHECK(err == 0, "victim got errno=%s", lab_errno_name(err));
        CHECK(bp_counter("EmbryonicRsts") == rst0, "an RST was sent");
        puts("tcp_abort_on_overflow=0: the byte was dropped, the victim is still ESTABLISHED");
    } else {
        CHECK(lab_wait_fd(fds[2], POLLIN, 1000) == 1, "no reset reached the victim");
        CHECK_SYS(getsockopt(fds[2], SOL_SOCKET, SO_ERROR, &err, &len));
        CHECK(err == ECONNRESET, "victim got errno=%s, want ECONNRESET", lab_errno_name(err));
        CHECK(lab_tcp_state_of_fd(fds[2]) == LAB_TCP_CLOSE, "victim not CLOSE after the RST");
        CHECK(bp_counter("EmbryonicRsts") - rst0 == 1, "EmbryonicRsts did not grow by 1");
        puts("tcp_abort_on_overflow=1: the victim got ECONNRESET (not ECONNREFUSED)");
    }
    bp_close_all(fds, 3);
    close(lfd);
}

int main(void)
{
    test_require_private_netns();
    long v;
    CHECK_SYS(lab_sysctl_read("net.ipv4.tcp_abort_on_overflow", &v));
    CHECK(v == 0, "tcp_abort_on_overflow defaults to %ld, want 0", v);
    run(0);
    run(1);
    puts("PASS: overflow at the final ACK/data: silent drop, or RST with abort_on_overflow");
    return 0;
}
