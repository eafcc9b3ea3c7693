/* lab_errqueue: ICMP errors on a UDP socket as Linux reports them with
 * IP_RECVERR / IPV6_RECVERR: even an unconnected socket then gets them, and
 * each error-queue entry says which error, from whom, about which datagram. */
#ifndef LAB_ERRQUEUE_H
#define LAB_ERRQUEUE_H

#include <stddef.h>

#include "lab_endpoint.h"

/* One entry: the kernel's struct sock_extended_err unpacked, with the
 * addresses and the start of the datagram it refers to. */
struct lab_errqueue_entry {
    int err;                      /* ECONNREFUSED (port unreachable), EHOSTUNREACH ... */
    int origin;                   /* SO_EE_ORIGIN_ICMP, _ICMP6, _LOCAL (linux/errqueue.h) */
    int type, code;               /* the ICMP type and code */
    struct lab_endpoint offender; /* the host that sent the error (port 0) */
    struct lab_endpoint dest;     /* where the datagram went */
    char data[512];               /* the datagram's first bytes ... */
    size_t len;                   /* ... and how many of them data holds */
};

/* Turn IP_RECVERR (AF_INET) or IPV6_RECVERR (AF_INET6) on for fd; 0, or -1 with errno. */
int lab_recverr_on(int fd, int family);

/* Read one entry of fd's error queue without waiting (recvmsg MSG_ERRQUEUE);
 * 0, or -1 with errno (EAGAIN: the queue is empty; ENOMSG: the entry had no
 * extended error, only e->dest, e->data and e->len are filled). */
int lab_errqueue_read(int fd, struct lab_errqueue_entry *e);

#endif
