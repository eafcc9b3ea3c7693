/* udptest: small fixtures shared by the UDP claim tests (tests/udp only). */
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
#include "lab_kstat.h"
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

/* A per-namespace counter: group "Udp"/"Icmp" + field, IPv6 flavour for AF_INET6. */
static inline unsigned long long udptest_counter(int family, const char *group, const char *field)
{
    unsigned long long v = 0;
    char name[64];
    if (family == AF_INET6) {
        snprintf(name, sizeof name, "%s6%s", group, field);
        CHECK(lab_snmp6_read(name, &v) == 0, "no counter %s", name);
    } else {
        CHECK(lab_netstat_read(group, field, &v) == 0, "no counter %s %s", group, field);
    }
    return v;
}

/* Bounded poll until the counter passes before; 1 if it did within ms, else 0. */
static inline int udptest_counter_rises(int family, const char *group, const char *field,
                                        unsigned long long before, int ms)
{
    long long deadline = lab_now_ms() + ms;
    while (udptest_counter(family, group, field) <= before) {
        if (lab_now_ms() >= deadline)
            return 0;
        lab_pause_ms(1);
    }
    return 1;
}

static inline void udptest_sendto(int fd, const char *msg, const struct lab_endpoint *to)
{
    ssize_t n = sendto(fd, msg, strlen(msg), 0, (const struct sockaddr *)&to->ss, to->len);
    CHECK(n == (ssize_t)strlen(msg), "sendto: %zd errno=%s", n, lab_errno_name(errno));
}

/* recvfrom within ms: bytes, or -1 with errno (ETIMEDOUT when nothing came). */
static inline ssize_t udptest_recv(int fd, char *buf, size_t len, struct lab_endpoint *from, int ms)
{
    int ready = lab_wait_fd(fd, POLLIN, ms);
    CHECK_SYS(ready);
    if (ready == 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    struct lab_endpoint tmp;
    struct lab_endpoint *f = from ? from : &tmp;
    memset(f, 0, sizeof *f);
    f->len = sizeof f->ss;
    return recvfrom(fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&f->ss, &f->len);
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

static inline void udptest_set_recverr(int fd, int family)
{
    int one = 1;
    if (family == AF_INET6)
        CHECK_SYS(setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one));
    else
        CHECK_SYS(setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one));
}

/* Room for the control messages of one datagram, aligned for cmsghdr. */
union udptest_control {
    char buf[512];
    struct cmsghdr align;
};

/* recvmsg(fd, flags) one datagram (or error-queue entry) with its control
 * messages into *control; the first of level IPPROTO_IP type v4type or
 * IPPROTO_IPV6 type v6type (what names them if there is none: exits). */
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

/* Read one error-queue entry: the extended error and its offender address. */
static inline void udptest_errqueue(int fd, struct sock_extended_err *ee,
                                    struct lab_endpoint *offender)
{
    union udptest_control control;
    struct cmsghdr *cm = udptest_recv_cmsg(fd, MSG_ERRQUEUE | MSG_DONTWAIT, &control, IP_RECVERR,
                                           IPV6_RECVERR, "IP_RECVERR/IPV6_RECVERR");
    memcpy(ee, CMSG_DATA(cm), sizeof *ee);
    memset(offender, 0, sizeof *offender);
    size_t room = cm->cmsg_len - CMSG_LEN(sizeof *ee);
    if (room > sizeof offender->ss)
        room = sizeof offender->ss;
    memcpy(&offender->ss, CMSG_DATA(cm) + sizeof *ee, room);
    offender->len = (socklen_t)room;
}

/* ee is ICMP type v4type code v4code (AF_INET) or ICMPv6 v6type/v6code (AF_INET6). */
static inline void udptest_expect_icmp(const struct sock_extended_err *ee, int family, int v4type,
                                       int v4code, int v6type, int v6code)
{
    int v6 = family == AF_INET6;
    CHECK(ee->ee_origin == (v6 ? SO_EE_ORIGIN_ICMP6 : SO_EE_ORIGIN_ICMP) &&
              ee->ee_type == (v6 ? v6type : v4type) && ee->ee_code == (v6 ? v6code : v4code),
          "origin %u type %u code %u", ee->ee_origin, ee->ee_type, ee->ee_code);
}

/* 1 if ep's address (port ignored) is the literal host. */
static inline int udptest_addr_is(const struct lab_endpoint *ep, const char *host)
{
    struct lab_endpoint want = test_address(host, 0, SOCK_DGRAM), got = *ep;
    lab_endpoint_set_port(&got, 0);
    return lab_endpoint_equal((struct sockaddr *)&got.ss, (struct sockaddr *)&want.ss);
}

#endif
