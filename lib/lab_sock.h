/* lab_sock: small socket helpers; each returns -1 with errno set and leaves
 * the decision (retry, narrate, exit) to the caller. */
#ifndef LAB_SOCK_H
#define LAB_SOCK_H

#include <stddef.h>
#include <sys/types.h>

#include "lab_endpoint.h"

/* Socket, optional SO_REUSEADDR, bind to ep, listen(backlog); fd or -1. */
int lab_tcp_listen(const struct lab_endpoint *ep, int backlog, int reuseaddr);

/* Connect the existing fd to ep, waiting at most timeout_ms; 0 or -1 (ETIMEDOUT on the bound). */
int lab_connect_bounded(int fd, const struct lab_endpoint *ep, int timeout_ms);

/* New TCP socket connected to ep within timeout_ms; fd or -1. */
int lab_tcp_connect(const struct lab_endpoint *ep, int timeout_ms);

/* Wait until fd has any of events (POLLIN...); 1 ready, 0 on timeout, -1 on error. */
int lab_wait_fd(int fd, short events, int timeout_ms);

/* lab_wait_fd that also ends at once, -1 with errno EPIPE, when watch_fd (the
 * narration's stdout) loses its reader; watch_fd -1 watches nothing. */
int lab_wait_fd_watching(int fd, short events, int watch_fd, int timeout_ms);

/* accept() within timeout_ms, peer address into *peer if non-NULL; fd or -1 (ETIMEDOUT). */
int lab_accept_bounded(int lfd, int timeout_ms, struct lab_endpoint *peer);

/* read() within timeout_ms; bytes (0 = EOF) or -1 (ETIMEDOUT on the bound). */
ssize_t lab_read_bounded(int fd, void *buf, size_t len, int timeout_ms);

/* recvfrom() one datagram within timeout_ms, its sender into *from if non-NULL;
 * bytes, or -1 with errno (ETIMEDOUT on the bound; a pending socket error such
 * as ECONNREFUSED is returned as soon as it arrives). */
ssize_t lab_recvfrom_bounded(int fd, void *buf, size_t len, struct lab_endpoint *from,
                             int timeout_ms);

/* Send all len bytes without raising SIGPIPE; 0 or -1 with errno. */
int lab_send_all(int fd, const void *buf, size_t len);

/* Set or clear O_NONBLOCK; 0 or -1. */
int lab_set_nonblocking(int fd, int on);

/* drop_all 1: attach a socket filter that discards every segment for fd
 * before TCP sees it (a network that loses all the peer sends; it also acts
 * on the orphan after close()); 0: remove it. 0, or -1 with errno (ENOSYS off
 * Linux). */
int lab_drop_input(int fd, int drop_all);

/* Bytes waiting in the receive queue (FIONREAD), or -1. */
int lab_unread_bytes(int fd);

/* Milliseconds on a monotonic clock, for bounding loops. */
long long lab_now_ms(void);

/* Sleep for ms milliseconds, resuming after signals; for pacing polls, never to synchronise. */
void lab_pause_ms(int ms);

/* Milliseconds from now until deadline (a lab_now_ms() value): 0 once it has
 * passed, at most INT_MAX; so that one --timeout bounds a whole wait made of
 * many calls. */
int lab_ms_left(long long deadline);

/* Pacing of a poll loop that may run for minutes: 1 ms between the first
 * LAB_BACKOFF_FAST polls after a change (short states stay visible), then
 * twice as long each time up to LAB_BACKOFF_MAX_MS. Zero-initialise. */
struct lab_backoff {
    int polls; /* since the last change */
};
#define LAB_BACKOFF_FAST 64
#define LAB_BACKOFF_MAX_MS 50

/* Something changed: the next pauses are short again. */
void lab_backoff_reset(struct lab_backoff *b);

/* The next pause in ms (and count it), for a caller that waits in a poll() of its own. */
int lab_backoff_next(struct lab_backoff *b);

/* Sleep for the next pause; with watch_fd >= 0 (the narration's stdout) return
 * at once when its reader has gone: 0, or -1 with errno EPIPE. */
int lab_backoff_pause(struct lab_backoff *b, int watch_fd);

/* 1 if the reader of fd (written to only) has gone away, as poll() tells
 * without writing: POLLERR on a pipe with no reader left (a write would fail
 * with EPIPE), POLLHUP on a terminal that hung up. 0 otherwise, also for
 * files and /dev/null. */
int lab_reader_gone(int fd);

#endif
