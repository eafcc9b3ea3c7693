/* lab_backlog: a listener's backlog and the connections that fill its
 * queues: what listen() is granted, which server-side sockets are still
 * requests, and closing the connections that filled a queue without leaving
 * TIME_WAIT behind. Each returns -1 with errno and leaves the decision to
 * its caller. */
#ifndef LAB_BACKLOG_H
#define LAB_BACKLOG_H

#include "lab_endpoint.h"

/* The backlog the kernel grants listen(fd, backlog), as it records it (ss's
 * Send-Q: after the net.core.somaxconn clamp, a negative one as somaxconn),
 * read from a throwaway listener on ep's address with port 0; 0, or -1 with
 * errno. */
int lab_backlog_granted(const struct lab_endpoint *ep, int backlog, unsigned *granted);

/* 1 if a TCP state (LAB_TCP_*, as sock_diag reports it) is a listener's
 * request, a handshake that is not yet a socket (SYN_RECV, NEW_SYN_RECV). */
int lab_tcp_is_request(int state);

/* close() with SO_LINGER {1, 0}: the kernel sends RST and keeps no
 * TIME_WAIT, so a run can be repeated at once. The fd is closed either way;
 * 0, or -1 with errno. */
int lab_close_reset(int fd);

#endif
