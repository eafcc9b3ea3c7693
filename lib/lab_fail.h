/* lab_fail: for programs only, the one module of lib/ that ends the process:
 * an unexpected outcome is narrated and the program ends in one call (like
 * TLPI's errExit), so a scenario is not half error bookkeeping. Every other
 * lib/ function returns -1 with errno and leaves that decision to its caller. */
#ifndef LAB_FAIL_H
#define LAB_FAIL_H

#include "lab_narrate.h"

/* Name the peer (N_("server"), N_("client"): translated when said) and the
 * --timeout that later failures explain; until called, failures are
 * narrated without a likely cause. */
void lab_fail_context(const char *peer, int timeout_ms);

/* Narrate "<text>  errno=NAME (strerror)" for a failed call, with the likely
 * cause (the peer reset the connection: another scenario?; or it did not
 * answer within --timeout), then exit 1 (atexit handlers run). */
_Noreturn void lab_fail_errno(const struct lab_narrator *n, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Narrate "unexpected: <text>" (the peer did what this scenario never makes
 * it do: does it run another --scenario?), then exit 1. */
_Noreturn void lab_fail(const struct lab_narrator *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* lab_fail on a connection an fd still reaches: the line ends with the fd's
 * TCP state ("  state=NAME"), as every line about a TCP socket does. */
_Noreturn void lab_fail_fd(const struct lab_narrator *n, int fd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
