/* closing: what both close-demo ends need, whichever of them closes first
 * (the scenario decides). The calls that take a narrator return only when
 * the step went as the scenario expects; otherwise they narrate why and end
 * the program (exit 1), as lab_fail does. */
#ifndef CLOSE_DEMO_CLOSING_H
#define CLOSE_DEMO_CLOSING_H

#include <stddef.h>
#include <sys/types.h>

#include "lab_endpoint.h"
#include "lab_narrate.h"

/* close(*fd) and mark it -1. */
void closing_close(const struct lab_narrator *n, int *fd);

/* Fill local and peer from the connected fd: once the fd is closed (or
 * reports CLOSE) only this address pair lets sock_diag find the connection. */
void closing_note_tuple(const struct lab_narrator *n, int fd, struct lab_endpoint *local,
                        struct lab_endpoint *peer);

/* closing_note_tuple, then --step's pause before "what", then closing_close. */
void closing_close_noting(const struct lab_narrator *n, int step, const char *what, int *fd,
                          struct lab_endpoint *local, struct lab_endpoint *peer);

/* After the active closer's close(): narrate, with explanations, each state
 * of local<->peer until TIME_WAIT: 0. 1 if it never came because an RST
 * ended the connection (narrated: closing_rst_ended_time_wait); any other
 * outcome is narrated and ends the program. */
int closing_watch_active(const struct lab_narrator *n, const struct lab_endpoint *local,
                         const struct lab_endpoint *peer, int timeout_ms);

/* After closing_watch_active: if this namespace sent an RST since (the only
 * thing that ends a TIME_WAIT early, here), narrate it and return 1; else 0. */
int closing_rst_ended_time_wait(const struct lab_narrator *n);

/* After the passive closer's close(): report LAST_ACK if caught, or that it is gone. */
void closing_report_passive(const struct lab_narrator *n, const struct lab_endpoint *local,
                            const struct lab_endpoint *peer);

/* read() by a deadline (lab_now_ms): one --timeout bounds a whole wait, however
 * the peer trickles. Bytes, 0 at EOF, -1 with errno (ETIMEDOUT once it passed). */
ssize_t closing_read_by(int fd, void *buf, size_t len, long long deadline);

/* The narration ends with "done, exit N". A failure deep inside a scenario
 * ends the program in one call (lab_fail): from closing_end_at_exit on, such
 * an exit still says "done, exit 1". closing_end says it now and returns rc;
 * closing_end_unsaid returns rc with nothing said (no one reads us any more). */
void closing_end_at_exit(const struct lab_narrator *n);
int closing_end(int rc);
int closing_end_unsaid(int rc);

#endif
