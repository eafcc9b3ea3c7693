/* Ending a program on an unexpected outcome, narrated. exit(), not _exit():
 * the sysctl restore (lab_sysctl_restore_on_exit) and stdio flush must run. */
#include "lab_fail.h"

#include "lab_i18n.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lab_watch.h"

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
    vsnprintf(what, sizeof what, lab_tr(fmt), ap);
    va_end(ap);
    if (fail_peer != NULL && err == ETIMEDOUT)
        lab_say_errno(n, err, "%s: the %s did not finish within --timeout %d ms", what,
                      lab_tr(fail_peer), fail_timeout_ms);
    else if (fail_peer != NULL && (err == ECONNRESET || err == EPIPE || err == ENOTCONN))
        lab_say_errno(n, err,
                      "%s failed: the %s reset the connection (does it run another "
                      "scenario?)",
                      what, lab_tr(fail_peer));
    else
        lab_say_errno(n, err, "%s failed", what);
    exit(1);
}

/* "unexpected: <what>" with the likely cause once a peer is named; with fd >= 0
 * the line ends with fd's TCP state, as lab_say_fd's lines do. */
static _Noreturn void fail_unexpected(const struct lab_narrator *n, int fd, const char *what)
{
    char text[768];
    if (fail_peer != NULL)
        snprintf(text, sizeof text,
                 lab_tr("unexpected: %s (does the %s run another scenario? give both ends the "
                        "same --scenario)"),
                 what, lab_tr(fail_peer));
    else
        snprintf(text, sizeof text, lab_tr("unexpected: %s"), what);
    if (fd >= 0)
        lab_say_fd_raw(n, fd, "%s", text);
    else
        lab_say_raw(n, "%s", text);
    exit(1);
}

void lab_fail(const struct lab_narrator *n, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, lab_tr(fmt), ap);
    va_end(ap);
    fail_unexpected(n, -1, what);
}

void lab_fail_fd(const struct lab_narrator *n, int fd, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, lab_tr(fmt), ap);
    va_end(ap);
    fail_unexpected(n, fd, what);
}
