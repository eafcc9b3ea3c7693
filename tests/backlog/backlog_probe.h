/* backlog_probe.h: fixtures for the backlog claim tests (header-only, static):
 * a listener, many non-blocking connects at once, and a bounded wait until
 * no more handshakes complete. */
#ifndef BACKLOG_PROBE_TEST_H
#define BACKLOG_PROBE_TEST_H

#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_backlog.h"
#include "lab_endpoint.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

#define BP_MAX 64
#define BP_SETTLE_MS 25 /* a loopback handshake takes microseconds */

/* Listener on host, kernel-chosen port, with an optional TCP_DEFER_ACCEPT. */
static inline int bp_listen(const char *host, int backlog, int defer_secs,
                            struct lab_endpoint *bound)
{
    struct lab_endpoint ep = test_address(host, 0, SOCK_STREAM);
    int fd = socket(ep.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_SYS(fd);
    CHECK_SYS(bind(fd, (struct sockaddr *)&ep.ss, ep.len));
    if (defer_secs > 0)
        CHECK_SYS(setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_secs, sizeof defer_secs));
    CHECK_SYS(listen(fd, backlog));
    CHECK_SYS(lab_endpoint_local(fd, bound));
    return fd;
}

/* Non-blocking connect; the fd (connect in progress or done). */
static inline int bp_connect(const struct lab_endpoint *ep)
{
    int fd = socket(ep->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    CHECK_SYS(fd);
    int rc = connect(fd, (const struct sockaddr *)&ep->ss, ep->len);
    CHECK(rc == 0 || errno == EINPROGRESS, "connect: errno=%s", lab_errno_name(errno));
    return fd;
}

/* Handshake finished on fd? 1 done (SO_ERROR in *err), 0 still SYN_SENT. */
static inline int bp_done(int fd, int *err)
{
    if (lab_wait_fd(fd, POLLOUT, 0) <= 0)
        return 0;
    socklen_t len = sizeof *err;
    CHECK_SYS(getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &len));
    return 1;
}

/* Wait until no handshake completed for BP_SETTLE_MS (bounded to 1 s); count
 * completed and SYN_SENT fds; any connect error fails the test. */
static inline void bp_settle(const int *fds, int m, int *completed, int *synsent)
{
    long long deadline = lab_now_ms() + 1000, quiet_since = lab_now_ms();
    int last = -1;
    for (;;) {
        int done = 0;
        for (int i = 0; i < m; i++) {
            int err = 0;
            if (bp_done(fds[i], &err)) {
                CHECK(err == 0, "conn %d: errno=%s", i, lab_errno_name(err));
                done++;
            }
        }
        if (done != last) {
            last = done;
            quiet_since = lab_now_ms();
        }
        if (done == m || lab_now_ms() - quiet_since >= BP_SETTLE_MS || lab_now_ms() >= deadline)
            break;
        struct pollfd p[BP_MAX];
        for (int i = 0; i < m; i++)
            p[i] = (struct pollfd){.fd = fds[i], .events = POLLOUT, .revents = 0};
        (void)poll(p, (nfds_t)m, 2); /* any completion wakes us */
    }
    *completed = last;
    *synsent = 0;
    for (int i = 0; i < m; i++) {
        int err = 0;
        if (!bp_done(fds[i], &err)) {
            CHECK(lab_tcp_state_of_fd(fds[i]) == LAB_TCP_SYN_SENT, "conn %d in state %s", i,
                  lab_tcp_state_name(lab_tcp_state_of_fd(fds[i])));
            (*synsent)++;
        }
    }
}

/* Close with RST (SO_LINGER 0), so nothing lingers in TIME_WAIT. */
static inline void bp_close_all(int *fds, int m)
{
    for (int i = 0; i < m; i++) {
        if (fds[i] >= 0)
            CHECK_SYS(lab_close_reset(fds[i]));
        fds[i] = -1;
    }
}

static inline unsigned long long bp_counter(const char *name)
{
    unsigned long long v = 0;
    CHECK_SYS(lab_netstat_read("TcpExt", name, &v));
    return v;
}

#endif
