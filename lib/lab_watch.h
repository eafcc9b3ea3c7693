/* lab_watch: narrate TCP states as the kernel reports them, for an open fd
 * (TCP_INFO) or for a connection no fd reaches any more (sock_diag). */
#ifndef LAB_WATCH_H
#define LAB_WATCH_H

#include <sys/socket.h>

#include "lab_diag.h"
#include "lab_narrate.h"

/* Print an event line "<text>  state=NAME" with fd's current TCP state; the
 * format (an English msgid) is translated first (lab_tr). */
void lab_say_fd(const struct lab_narrator *n, int fd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* lab_say_fd, but the format is not looked up in the catalog (its text was
 * translated already, or it holds only tokens), as lab_say_raw. */
void lab_say_fd_raw(const struct lab_narrator *n, int fd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Print an event line "<text>  state=NAME ..." for a sock_diag entry, adding
 * its timer ("timer=59.996s (time-wait)", tokens all) when one is armed; the
 * format is translated first (lab_tr). */
void lab_say_conn(const struct lab_narrator *n, const struct lab_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Called after each state lab_watch_conn narrates, to explain it (may be NULL). */
typedef void (*lab_watch_note_fn)(const struct lab_narrator *n, const struct lab_conn *c);

/* Poll local<->remote (sock_diag, pacing that backs off while the state does
 * not change) until its state is in mask (1), it is gone (0), or timeout_ms
 * passes (-1, ETIMEDOUT); out holds the last state seen (state -1 if none). */
int lab_watch_wait(const struct sockaddr *local, const struct sockaddr *remote, unsigned mask,
                   int timeout_ms, struct lab_conn *out);

/* Narrate (and note) every state local<->remote passes through (sock_diag) until
 * it is in stop_mask (1, *last filled), is gone (0), or timeout_ms passes (-1, ETIMEDOUT). */
int lab_watch_conn(const struct lab_narrator *n, const struct sockaddr *local,
                   const struct sockaddr *remote, unsigned stop_mask, int timeout_ms,
                   lab_watch_note_fn note, struct lab_conn *last);

/* Poll fd's TCP state (backing off while it does not change) until it is in
 * mask; 0 (state in *state), -1 with errno (ETIMEDOUT after timeout_ms). */
int lab_wait_fd_state(int fd, unsigned mask, int timeout_ms, int *state);

#endif
