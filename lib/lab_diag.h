/* lab_diag: TCP sockets as the kernel lists them (sock_diag), including the
 * TIME_WAIT minisockets that no fd can reach, with their timers. */
#ifndef LAB_DIAG_H
#define LAB_DIAG_H

#include <sys/socket.h>

#include "lab_endpoint.h"

/* Which timer the kernel has armed on a socket (idiag_timer; ss shows it). */
enum lab_diag_timer {
    LAB_TIMER_NONE = 0,
    LAB_TIMER_RETRANSMIT = 1,
    LAB_TIMER_KEEPALIVE = 2, /* also the orphaned-FIN_WAIT2 timer */
    LAB_TIMER_TIME_WAIT = 3,
    LAB_TIMER_ZERO_WINDOW_PROBE = 4,
};

/* One TCP socket as sock_diag reports it. */
struct lab_conn {
    int state; /* LAB_TCP_* */
    struct lab_endpoint local;
    struct lab_endpoint remote;
    int timer;               /* enum lab_diag_timer */
    unsigned expires_ms;     /* time left on that timer */
    unsigned timer_retrans;  /* idiag_retrans: retransmits/probes of that timer */
    unsigned rqueue, wqueue; /* LISTEN: accept queue length and backlog limit */
    unsigned long inode;     /* 0 when no fd refers to the socket (orphan, TIME_WAIT) */
    int has_info;            /* 1 if total_retrans is valid (full sockets only) */
    unsigned total_retrans;  /* tcpi_total_retrans */
};

/* Called for each socket; return non-zero to stop the walk. */
typedef int (*lab_diag_fn)(const struct lab_conn *conn, void *arg);

/* Walk the TCP sockets of family (AF_INET/AF_INET6) in states state_mask
 * (LAB_STATE_BIT; 0 = all) in this network namespace; count visited or -1. */
int lab_diag_list(int family, unsigned state_mask, lab_diag_fn fn, void *arg);

/* Find the connection local<->remote; 1 found (into *out), 0 absent (confirmed
 * by three dumps), -1 error. */
int lab_diag_find(const struct sockaddr *local, const struct sockaddr *remote,
                  struct lab_conn *out);

/* Poll until local<->remote is in a state of state_mask: 1 (out filled), 0 if
 * the connection is gone, -1 with errno ETIMEDOUT after timeout_ms (out holds
 * the last state seen, state -1 if never seen). */
int lab_diag_wait(const struct sockaddr *local, const struct sockaddr *remote, unsigned state_mask,
                  int timeout_ms, struct lab_conn *out);

/* Poll until local<->remote leaves from_state: 1 new state in out, 0 gone, -1 timeout. */
int lab_diag_wait_change(const struct sockaddr *local, const struct sockaddr *remote,
                         int from_state, int timeout_ms, struct lab_conn *out);

#endif
