/* The error queue: Linux only; elsewhere both calls fail with ENOSYS. */
#include "lab_errqueue.h"

#include <errno.h>
#include <string.h>

#if defined(__linux__)
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
/* After <time.h>: struct scm_timestamping in it needs struct timespec. */
#include <linux/errqueue.h>

int lab_recverr_on(int fd, int family)
{
    int one = 1;
    if (family == AF_INET6)
        return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one);
    return setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one);
}

/* Fill e from an IP_RECVERR / IPV6_RECVERR control message. */
static void unpack(const struct cmsghdr *cm, struct lab_errqueue_entry *e)
{
    struct sock_extended_err ee;
    memcpy(&ee, CMSG_DATA(cm), sizeof ee);
    e->err = (int)ee.ee_errno;
    e->origin = ee.ee_origin;
    e->type = ee.ee_type;
    e->code = ee.ee_code;
    /* SO_EE_OFFENDER: the sender's address follows the struct. */
    size_t room = cm->cmsg_len - CMSG_LEN(sizeof ee);
    if (room > sizeof e->offender.ss)
        room = sizeof e->offender.ss;
    memcpy(&e->offender.ss, CMSG_DATA(cm) + sizeof ee, room);
    e->offender.len = (socklen_t)room;
    lab_endpoint_set_port(&e->offender, 0);
}

int lab_errqueue_read(int fd, struct lab_errqueue_entry *e)
{
    union {
        char buf[512];
        struct cmsghdr align;
    } control;
    memset(e, 0, sizeof *e);
    struct iovec iov = {.iov_base = e->data, .iov_len = sizeof e->data};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &e->dest.ss;
    msg.msg_namelen = sizeof e->dest.ss;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    ssize_t n;
    do {
        n = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    e->len = (size_t)n;
    e->dest.len = msg.msg_namelen;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
        if ((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR) ||
            (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_RECVERR)) {
            unpack(cm, e);
            return 0;
        }
    }
    errno = ENOMSG;
    return -1;
}

#else

int lab_recverr_on(int fd, int family)
{
    (void)fd, (void)family;
    errno = ENOSYS;
    return -1;
}

int lab_errqueue_read(int fd, struct lab_errqueue_entry *e)
{
    (void)fd;
    memset(e, 0, sizeof *e);
    errno = ENOSYS;
    return -1;
}

#endif
