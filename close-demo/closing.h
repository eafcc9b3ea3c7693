/* closing: the close-demo narrations both ends need (each end can be the
 * active or the passive closer, depending on the scenario). */
#ifndef CLOSE_DEMO_CLOSING_H
#define CLOSE_DEMO_CLOSING_H

#include "lab_endpoint.h"
#include "lab_narrate.h"

/* After the active closer's close(): narrate, with explanations, each state of
 * local<->peer until TIME_WAIT (0) or anything else: gone, timeout (1). */
int closing_watch_active(const struct lab_narrator *n, const struct lab_endpoint *local,
                         const struct lab_endpoint *peer, int timeout_ms);

/* After the passive closer's close(): report LAST_ACK if caught, or that it is gone. */
void closing_report_passive(const struct lab_narrator *n, const struct lab_endpoint *local,
                            const struct lab_endpoint *peer);

/* Narrate the call what that failed with errno, naming the likely cause when
 * the peer ("client", "server") reset the connection or did not answer within
 * timeout_ms; returns 1, the exit status. */
int closing_fail(const struct lab_narrator *n, const char *what, const char *peer, int timeout_ms);

/* Fill local and peer from a connected fd; 0 or -1 with errno. */
int closing_tuple(int fd, struct lab_endpoint *local, struct lab_endpoint *peer);

#endif
