/* udp-client: an error-queue entry (IP_RECVERR) narrated, with the names of
 * the ICMP errors this lab shows (recverr and ttl read the queue). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
/* After <time.h>: struct scm_timestamping in it needs struct timespec. */
#include <linux/errqueue.h>

#include "client.h"
#include "lab_errqueue.h"
#include "lab_fail.h"
#include "lab_i18n.h"

/* The ICMP errors this lab names, first match wins (code -1: any code). */
static const struct icmp_error {
    int origin, type, code;
    enum icmp_kind kind;
    const char *text;
} icmp_errors[] = {
    {SO_EE_ORIGIN_ICMP, 3, 3, ICMP_PORT_UNREACHABLE,
     N_("destination unreachable, port unreachable")},
    {SO_EE_ORIGIN_ICMP, 3, 1, ICMP_OTHER, N_("destination unreachable, host unreachable")},
    {SO_EE_ORIGIN_ICMP, 3, -1, ICMP_OTHER, N_("destination unreachable")},
    {SO_EE_ORIGIN_ICMP, 11, 0, ICMP_TIME_EXCEEDED, N_("time exceeded in transit (TTL reached 0)")},
    {SO_EE_ORIGIN_ICMP, 11, -1, ICMP_TIME_EXCEEDED, N_("time exceeded")},
    {SO_EE_ORIGIN_ICMP6, 1, 4, ICMP_PORT_UNREACHABLE,
     N_("destination unreachable, port unreachable")},
    {SO_EE_ORIGIN_ICMP6, 1, 3, ICMP_OTHER, N_("destination unreachable, address unreachable")},
    {SO_EE_ORIGIN_ICMP6, 1, -1, ICMP_OTHER, N_("destination unreachable")},
    {SO_EE_ORIGIN_ICMP6, 3, 0, ICMP_TIME_EXCEEDED,
     N_("time exceeded, hop limit exceeded in transit")},
    {SO_EE_ORIGIN_ICMP6, 3, -1, ICMP_TIME_EXCEEDED, N_("time exceeded")},
};

/* What an entry's error is, in the learner's words and as a kind. */
static const char *icmp_describe(const struct lab_errqueue_entry *e, enum icmp_kind *kind)
{
    *kind = ICMP_OTHER;
    for (size_t i = 0; i < sizeof icmp_errors / sizeof icmp_errors[0]; i++) {
        const struct icmp_error *known = &icmp_errors[i];
        if (e->origin == known->origin && e->type == known->type &&
            (known->code < 0 || e->code == known->code)) {
            *kind = known->kind;
            return lab_tr(known->text);
        }
    }
    return e->origin == SO_EE_ORIGIN_LOCAL ? lab_tr("raised by this host's own stack")
                                           : lab_tr("other");
}

const char *format_addr(const struct lab_endpoint *ep, char *buf)
{
    char a[LAB_ENDPOINT_STRLEN];
    lab_endpoint_str(ep, a, sizeof a);
    char *colon = strrchr(a, ':');
    if (colon)
        *colon = '\0';
    const char *start = a;
    size_t len = strlen(a);
    if (a[0] == '[' && len >= 2 && a[len - 1] == ']') {
        start++;
        len -= 2;
    }
    snprintf(buf, LAB_ENDPOINT_STRLEN, "%.*s", (int)len, start);
    return buf;
}

enum icmp_kind read_error_queue(const struct client *c, int fd, struct lab_endpoint *offender)
{
    char text[160], a[LAB_ENDPOINT_STRLEN], o[LAB_ENDPOINT_STRLEN];
    struct lab_errqueue_entry e;
    if (lab_errqueue_read(fd, &e) < 0) {
        if (errno != ENOMSG)
            lab_fail_errno(&c->n, errno, "recvmsg(MSG_ERRQUEUE)");
        lab_fail(&c->n, "recvmsg(MSG_ERRQUEUE) -> %zu bytes but no extended error", e.len);
    }
    lab_say(&c->n, "recvmsg(MSG_ERRQUEUE) -> original %zu bytes \"%s\" to %s", e.len,
            lab_escape(e.data, e.len, text, sizeof text), lab_endpoint_str(&e.dest, a, sizeof a));
    enum icmp_kind kind;
    const char *what = icmp_describe(&e, &kind);
    lab_say(&c->n, "  extended error: errno=%s origin=%s type=%d code=%d (%s) from %s",
            lab_errno_name(e.err),
            e.origin == SO_EE_ORIGIN_ICMP    ? "ICMP"
            : e.origin == SO_EE_ORIGIN_ICMP6 ? "ICMPv6"
                                             : "other",
            e.type, e.code, what, format_addr(&e.offender, o));
    if (offender)
        *offender = e.offender;
    return kind;
}
