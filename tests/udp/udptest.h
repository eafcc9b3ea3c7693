/* udptest: small fixtures shared by the UDP claim tests (tests/udp only);
 * what udp-client needs too (counters, the error queue) is in lib/. */
#ifndef SOCKLAB_UDPTEST_H
#define SOCKLAB_UDPTEST_H

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
/* After <time.h>: struct scm_timestamping in it needs struct timespec. */
#include <linux/errqueue.h>

#include "check.h"
#include "lab_endpoint.h"
#include "lab_errqueue.h"
#include "lab_mib.h"
#include "lab_sock.h"
#include "testlib.h"

/* Both families, as the tests loop over them. */
static const char *const udptest_hosts[] = {"127.0.0.1", "::1"};

/* A UDP socket bound to host:port (port 0: the kernel picks); its address in *ep. */
static inline int udptest_bound(const char *host, uint16_t port, struct lab_endpoint *ep)
{
    struct lab_endpoint want = test_address(host, port, SOCK_DGRAM);
    int fd = socket(want.ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK_SYS(fd);
    CHECK_SYS(bind(fd, (struct sockaddr *)&want.ss, want.len));
    CHECK_SYS(lab_endpoint_local(fd, ep));
    return fd;
}

/* An unbound UDP socket of ep's family. */
static inline int udptest_socket(const struct lab_endpoint *ep)
{
    int fd = socket(ep->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK_SYS(fd);
    return fd;
}

/* host:port where nothing listens: a port the kernel handed out, closed again. */
static inline void udptest_closed_port(const char *host, struct lab_endpoint *ep)
{
    int fd = udptest_bound(host, 0, ep);
    close(fd);
}

/* A per-namespace counter of family (lab_mib): "Udp"/"Icmp"/"Ip" + field. */
static inline unsigned long long udptest_counter(int family, const char *group, const char *field)
{
    unsigned long long v = 0;
    CHECK(lab_mib_read(family, group, field, &v) == 0, "no counter %s %s (family %d): errno=%s",
          group, field, family, lab_errno_name(errno));
    return v;
}

/* Bounded poll until the counter passes before; 1 if it did within ms, else 0. */
static inline int udptest_counter_rises(int family, const char *group, const char *field,
                                        unsigned long long before, int ms)
{
    int rc = lab_mib_wait_above(family, group, field, before, ms, -1);
    CHECK_SYS(rc);
    return rc;
}

static inline void udptest_sendto(int fd, const char *msg, const struct lab_endpoint *to)
{
    ssize_t n = sendto(fd, msg, strlen(msg), 0, (const struct sockaddr *)&to->ss, to->len);
    CHECK(n == (ssize_t)strlen(msg), "sendto: %zd errno=%s", n, lab_errno_name(errno));
}

/* Nothing is queued and no error is pending on fd, right now. */
static inline void udptest_expect_quiet(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
    CHECK_SYS(poll(&p, 1, 0));
    CHECK(p.revents == 0, "revents 0x%x, want none", (unsigned)p.revents);
    char buf[64];
    CHECK_ERRNO(recv(fd, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    int err = -1;
    socklen_t len = sizeof err;
    CHECK_SYS(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len));
    CHECK(err == 0, "SO_ERROR=%s, want 0", lab_errno_name(err));
}

/* Room for the control messages of one datagram, aligned for cmsghdr. */
union udptest_control {
    char buf[512];
    struct cmsghdr align;
};

/* recvmsg(fd, flags) one datagram with its control messages into *control;
 * the first of level IPPROTO_IP type v4type or IPPROTO_IPV6 type v6type (what
 * names them if there is none: exits). */
static inline struct cmsghdr *udptest_recv_cmsg(int fd, int flags, union udptest_control *control,
                                                int v4type, int v6type, const char *what)
{
    char data[256];
    struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control->buf;
    msg.msg_controllen = sizeof control->buf;
    CHECK_SYS(recvmsg(fd, &msg, flags));
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
        if ((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == v4type) ||
            (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == v6type))
            return cm;
    CHECK(0, "no %s control message", what);
    return NULL;
}

/* e is ICMP type v4type code v4code (AF_INET) or ICMPv6 v6type/v6code (AF_INET6). */
static inline void udptest_expect_icmp(const struct lab_errqueue_entry *e, int family, int v4type,
                                       int v4code, int v6type, int v6code)
{
    int v6 = family == AF_INET6;
    CHECK(e->origin == (v6 ? SO_EE_ORIGIN_ICMP6 : SO_EE_ORIGIN_ICMP) &&
              e->type == (v6 ? v6type : v4type) && e->code == (v6 ? v6code : v4code),
          "origin %d type %d code %d", e->origin, e->type, e->code);
}

/* 1 if ep's address (port ignored) is the literal host. */
static inline int udptest_addr_is(const struct lab_endpoint *ep, const char *host)
{
    struct lab_endpoint want = test_address(host, 0, SOCK_DGRAM), got = *ep;
    lab_endpoint_set_port(&got, 0);
    return lab_endpoint_equal((struct sockaddr *)&got.ss, (struct sockaddr *)&want.ss);
}

#endif
