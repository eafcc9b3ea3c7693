/* Watching states. States that last microseconds on loopback (FIN_WAIT1,
 * LAST_ACK) are narrated only when really seen: the lab never invents one. */
#include "lab_watch.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "lab_i18n.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"

/* "<text>  state=NAME" for fd, fmt already in the learner's language. */
static void vsay_fd(const struct lab_narrator *n, int fd, const char *fmt, va_list ap)
{
    int saved = errno;
    char text[768];
    vsnprintf(text, sizeof text, fmt, ap);
    int state = lab_tcp_state_of_fd(fd);
    if (state < 0)
        lab_say_raw(n, "%s  state=? (TCP_INFO: %s)", text, lab_errno_name(errno));
    else
        lab_say_raw(n, "%s  state=%s", text, lab_tcp_state_name(state));
    errno = saved;
}

void lab_say_fd(const struct lab_narrator *n, int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay_fd(n, fd, lab_tr(fmt), ap);
    va_end(ap);
}

void lab_say_fd_raw(const struct lab_narrator *n, int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay_fd(n, fd, fmt, ap);
    va_end(ap);
}

static const char *timer_name(int timer)
{
    switch (timer) {
    case LAB_TIMER_RETRANSMIT:
        return "retransmit";
    case LAB_TIMER_KEEPALIVE:
        return "keepalive";
    case LAB_TIMER_TIME_WAIT:
        return "time-wait";
    case LAB_TIMER_ZERO_WINDOW_PROBE:
        return "zero-window-probe";
    default:
        return "none";
    }
}

/* "<text>  state=NAME [timer=...]" for c, text already in the learner's language. */
static void say_conn_text(const struct lab_narrator *n, const struct lab_conn *c, const char *text)
{
    if (c->timer == LAB_TIMER_NONE)
        lab_say_raw(n, "%s  state=%s", text, lab_tcp_state_name(c->state));
    else
        lab_say_raw(n, "%s  state=%s timer=%u.%03us (%s)", text, lab_tcp_state_name(c->state),
                    c->expires_ms / 1000, c->expires_ms % 1000, timer_name(c->timer));
}

void lab_say_conn(const struct lab_narrator *n, const struct lab_conn *c, const char *fmt, ...)
{
    char text[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, lab_tr(fmt), ap);
    va_end(ap);
    say_conn_text(n, c, text);
}

int lab_watch_wait(const struct sockaddr *local, const struct sockaddr *remote, unsigned mask,
                   int timeout_ms, struct lab_conn *out)
{
    long long deadline = lab_now_ms() + timeout_ms;
    struct lab_backoff pace = {0};
    int last = -1;
    out->state = -1;
    for (;;) {
        struct lab_conn c;
        int found = lab_diag_find(local, remote, &c);
        if (found <= 0)
            return found;
        *out = c;
        if (c.state >= 0 && c.state < 32 && (mask & LAB_STATE_BIT(c.state)))
            return 1;
        if (lab_ms_left(deadline) == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        /* 1 ms after a change keeps the kernel's 4 ms timer steps and short
         * states visible; a state that lasts (FIN_WAIT2 for a minute, a peer
         * that never closes) is then polled ever more slowly, not 1000 times
         * a second. */
        if (c.state != last)
            lab_backoff_reset(&pace);
        last = c.state;
        lab_backoff_pause(&pace, -1);
    }
}

int lab_watch_conn(const struct lab_narrator *n, const struct sockaddr *local,
                   const struct sockaddr *remote, unsigned stop_mask, int timeout_ms,
                   lab_watch_note_fn note, struct lab_conn *last)
{
    long long deadline = lab_now_ms() + timeout_ms;
    struct lab_conn c;
    int found = lab_diag_find(local, remote, &c);
    if (found <= 0)
        return found;
    for (;;) {
        say_conn_text(n, &c, "sock_diag:"); /* a token: the kernel interface's name */
        if (note != NULL)
            note(n, &c);
        *last = c;
        if (c.state >= 0 && c.state < 32 && (stop_mask & LAB_STATE_BIT(c.state)))
            return 1;
        if (lab_ms_left(deadline) == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        /* Any state but this one ends the wait. */
        unsigned others = ~0u;
        if (c.state >= 0 && c.state < 32)
            others &= ~LAB_STATE_BIT(c.state);
        int rc = lab_watch_wait(local, remote, others, lab_ms_left(deadline), &c);
        if (rc <= 0) {
            if (rc < 0 && c.state >= 0)
                *last = c;
            return rc;
        }
    }
}

int lab_wait_fd_state(int fd, unsigned mask, int timeout_ms, int *state)
{
    long long deadline = lab_now_ms() + timeout_ms;
    struct lab_backoff pace = {0};
    int last = -1;
    for (;;) {
        int s = lab_tcp_state_of_fd(fd);
        if (s < 0)
            return -1;
        *state = s;
        if (s < 32 && (mask & LAB_STATE_BIT(s)))
            return 0;
        if (lab_now_ms() >= deadline) {
            errno = ETIMEDOUT;
            return -1;
        }
        if (s != last) /* pacing of a bounded poll, slower while nothing changes */
            lab_backoff_reset(&pace);
        last = s;
        lab_backoff_pause(&pace, -1);
    }
}
