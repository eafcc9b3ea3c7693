/* Ending a program on an unexpected outcome, narrated. exit(), not _exit():
 * the sysctl restore (lab_sysctl_restore_on_exit) and stdio flush must run. */
#include "lab_fail.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static const char *fail_peer = NULL;
static int fail_timeout_ms = -1;

void lab_fail_context(const char *peer, int timeout_ms)
{
    fail_peer = peer;
    fail_timeout_ms = timeout_ms;
}

void lab_fail_errno(const struct lab_narrator *n, int err, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (fail_peer != NULL && err == ETIMEDOUT)
        lab_say_errno(n, err, "%s: the %s did not finish within --timeout %d ms", what, fail_peer,
                      fail_timeout_ms);
    else if (fail_peer != NULL && (err == ECONNRESET || err == EPIPE || err == ENOTCONN))
        lab_say_errno(n, err,
                      "%s failed: the %s reset the connection (does it run another "
                      "scenario?)",
                      what, fail_peer);
    else
        lab_say_errno(n, err, "%s failed", what);
    exit(1);
}

void lab_fail(const struct lab_narrator *n, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (fail_peer != NULL)
        lab_say(n,
                "unexpected: %s (does the %s run another scenario? give both ends the same "
                "--scenario)",
                what, fail_peer);
    else
        lab_say(n, "unexpected: %s", what);
    exit(1);
}
