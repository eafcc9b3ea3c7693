/* udp-server: the one answer to each datagram, by the scenario's rule. Never
 * more than one: a server bound to a public address that sent more than it
 * got could be used to multiply an attack towards a forged source. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_step.h"
#include "server.h"

/* sendto(d's sender) from fd, narrated with what ("" or why this socket,
 * translated already). */
static void send_answer(struct server *s, int fd, const struct datagram *d, const char *what)
{
    char from[LAB_ENDPOINT_STRLEN], to[LAB_ENDPOINT_STRLEN], text[160];
    struct lab_endpoint local;
    if (lab_endpoint_local(fd, &local) < 0)
        lab_fail_errno(&s->n, errno, "getsockname()");
    lab_endpoint_str(&local, from, sizeof from);
    lab_endpoint_str(&d->peer, to, sizeof to);
    lab_step(&s->n, s->cli.step, "sendto() the answer");
    ssize_t n = sendto(fd, d->data, d->len, 0, (const struct sockaddr *)&d->peer.ss, d->peer.len);
    if (n < 0)
        lab_fail_errno(&s->n, errno, "sendto(%s) from %s", to, from);
    if (d->say)
        lab_say(&s->n, "sendto(%s) from %s -> %zd bytes \"%s\"%s", to, from, n,
                lab_escape(d->data, d->len, text, sizeof text), what);
}

/* echo-*, ttl (C14), and whatever comes in refused-*, recverr and bench: the
 * answer goes back to the address recvfrom() reported, from the same socket. */
static void echo(struct server *s, int fd, const struct datagram *d)
{
    send_answer(s, fd, d, "");
}

/* filter (C15), --reply-from-other: every answer leaves from the second
 * socket, a source the client's connected socket drops. */
static void from_second(struct server *s, int fd, const struct datagram *d)
{
    (void)fd;
    send_answer(s, s->other_fd, d, lab_tr(" (from the second socket)"));
}

/* reconnect (C16), disconnect (C17): an echo, but a datagram that asks for it
 * is answered from the other socket: in reconnect the client's old peer
 * speaking late, in disconnect a source the connected socket filters and the
 * disconnected one lets in. */
static void other_if_asked(struct server *s, int fd, const struct datagram *d)
{
    if (d->len != sizeof UDP_ASK_OTHER - 1 || memcmp(d->data, UDP_ASK_OTHER, d->len) != 0) {
        echo(s, fd, d);
        return;
    }
    int other = fd == s->fd ? s->other_fd : s->fd;
    send_answer(s, other, d,
                other == s->fd ? lab_tr(" (asked for: from the first socket)")
                               : lab_tr(" (asked for: from the second socket)"));
    if (d->say && !s->explained_asked) {
        s->explained_asked = 1;
        lab_explain(&s->n, "A client connected to the port it sent to will never see this one:");
        lab_explain(&s->n, "its kernel drops it and answers with ICMP port unreachable, which an");
        lab_explain(&s->n, "unconnected socket like ours ignores.");
    }
}

void answer(struct server *s, int fd, const struct datagram *d)
{
    static void (*const rules[])(struct server *, int, const struct datagram *) = {
        [ANSWER_ECHO] = echo,
        [ANSWER_FROM_SECOND] = from_second,
        [ANSWER_OTHER_IF_ASKED] = other_if_asked,
    };
    rules[s->rule](s, fd, d);
}

void explain_rule(const struct server *s)
{
    if (s->rule == ANSWER_FROM_SECOND) {
        lab_explain(&s->n, "Every answer leaves from the second socket, so its source port is");
        lab_explain(&s->n, "not the one the client sent to.");
    } else if (s->rule == ANSWER_OTHER_IF_ASKED) {
        lab_explain(&s->n, "Each socket echoes; a datagram that says \"%s\"", UDP_ASK_OTHER);
        lab_explain(&s->n, "is answered from the other socket instead. One answer per datagram:");
        lab_explain(&s->n, "a server that sent more than it got could multiply an attack.");
    }
}
