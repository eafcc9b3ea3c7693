/* udp-client's narrated calls: each says what the kernel answered, in the
 * words the scenarios' event lines use, and ends the program (lab_fail_errno)
 * when a call the story needs fails. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "lab_errqueue.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_mib.h"
#include "lab_sock.h"
#include "lab_step.h"

int new_socket(const struct client *c)
{
    int fd = socket(c->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        lab_fail_errno(&c->n, errno, "socket(SOCK_DGRAM)");
    return fd;
}

void close_socket(const struct client *c, int fd)
{
    if (close(fd) < 0)
        lab_fail_errno(&c->n, errno, "close()");
}

void say_local(const struct client *c, int fd, const char *note)
{
    struct lab_endpoint ep;
    char a[LAB_ENDPOINT_STRLEN];
    if (lab_endpoint_local(fd, &ep) < 0)
        lab_fail_errno(&c->n, errno, "getsockname()");
    lab_say_raw(&c->n, "getsockname() -> %s%s", lab_endpoint_str(&ep, a, sizeof a),
                *note ? lab_tr(note) : "");
}

void say_peer(const struct client *c, int fd)
{
    struct lab_endpoint ep;
    char a[LAB_ENDPOINT_STRLEN];
    if (lab_endpoint_peer(fd, &ep) < 0)
        lab_fail_errno(&c->n, errno, "getpeername()");
    lab_say_raw(&c->n, "getpeername() -> %s", lab_endpoint_str(&ep, a, sizeof a));
}

void connect_to(const struct client *c, int fd, const struct lab_endpoint *to)
{
    char a[LAB_ENDPOINT_STRLEN];
    lab_endpoint_str(to, a, sizeof a);
    lab_step(&c->n, c->cli.step, "connect()");
    long long t0 = lab_now_ms();
    if (connect(fd, (const struct sockaddr *)&to->ss, to->len) < 0)
        lab_fail_errno(&c->n, errno, "connect(%s)", a);
    lab_say(&c->n, "connect(%s) -> 0 in %lld ms", a, lab_now_ms() - t0);
}

int connected_socket(const struct client *c, const struct lab_endpoint *to)
{
    int fd = new_socket(c);
    connect_to(c, fd, to);
    say_peer(c, fd);
    return fd;
}

/* send() or sendto() msg; the call as the event line names it into call. */
static ssize_t send_to(const struct client *c, int fd, const char *msg,
                       const struct lab_endpoint *to, char *call, size_t calllen)
{
    char a[LAB_ENDPOINT_STRLEN], text[160];
    size_t len = strlen(msg);
    lab_escape(msg, len, text, sizeof text);
    if (to)
        snprintf(call, calllen, "sendto(%s, \"%s\")", lab_endpoint_str(to, a, sizeof a), text);
    else
        snprintf(call, calllen, "send(\"%s\")", text);
    lab_step(&c->n, c->cli.step, to ? N_("sendto()") : N_("send()"));
    if (to)
        return sendto(fd, msg, len, 0, (const struct sockaddr *)&to->ss, to->len);
    return send(fd, msg, len, 0);
}

void send_text(const struct client *c, int fd, const char *msg, const struct lab_endpoint *to)
{
    char call[256];
    ssize_t n = send_to(c, fd, msg, to, call, sizeof call);
    if (n < 0)
        lab_fail_errno(&c->n, errno, "%s", call);
    lab_say_raw(&c->n, "%s -> %zd", call, n);
}

int try_send_text(const struct client *c, int fd, const char *msg, const struct lab_endpoint *to)
{
    char call[256];
    ssize_t n = send_to(c, fd, msg, to, call, sizeof call);
    if (n < 0) {
        int err = errno;
        lab_say_errno(&c->n, err, "%s -> -1", call);
        errno = err;
        return -1;
    }
    lab_say_raw(&c->n, "%s -> %zd", call, n);
    return 0;
}

ssize_t recv_datagram(const struct client *c, int fd, struct lab_endpoint *from, int timeout_ms)
{
    char buf[2048], text[160], a[LAB_ENDPOINT_STRLEN];
    struct lab_endpoint sender;
    ssize_t n = lab_recvfrom_bounded(fd, buf, sizeof buf, &sender, timeout_ms);
    int err = errno;
    if (n < 0 && err == ETIMEDOUT) {
        lab_say(&c->n, "recvfrom(): nothing within %d ms", timeout_ms);
    } else if (n < 0 && err == ECONNREFUSED) {
        lab_say_errno(&c->n, err, "recvfrom() -> -1");
    } else if (n < 0) {
        lab_fail_errno(&c->n, err, "recvfrom()");
    } else {
        lab_say(&c->n, "recvfrom() -> %zd bytes \"%s\" from %s", n,
                lab_escape(buf, (size_t)n, text, sizeof text),
                lab_endpoint_str(&sender, a, sizeof a));
        if (from)
            *from = sender;
    }
    errno = err;
    return n;
}

void recv_reply(const struct client *c, int fd, struct lab_endpoint *from, const char *silence)
{
    /* ECONNREFUSED: an ICMP port unreachable came back, nobody listens. */
    if (recv_datagram(c, fd, from, c->cli.timeout_ms) < 0)
        lab_fail(&c->n, "%s", lab_tr(silence));
}

unsigned long long counter(const struct client *c, const char *group, const char *field)
{
    unsigned long long v;
    if (lab_mib_read(c->family, group, field, &v) < 0)
        lab_fail_errno(&c->n, errno, "reading the counter %s%s%s", group,
                       c->family == AF_INET6 ? "6" : " ", field);
    return v;
}

int counter_rises(const struct client *c, const char *group, const char *field,
                  unsigned long long before, int timeout_ms, int fd)
{
    int rc = lab_mib_wait_above(c->family, group, field, before, timeout_ms, fd);
    if (rc < 0)
        lab_fail_errno(&c->n, errno, "waiting for the counter %s%s%s", group,
                       c->family == AF_INET6 ? "6" : " ", field);
    return rc;
}

void expect_filtered(const struct client *c, int fd, unsigned long long noports, const char *what)
{
    int seen = counter_rises(c, "Udp", "NoPorts", noports, c->cli.timeout_ms, fd);
    what = lab_tr(what);
    char buf[2048];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n >= 0)
        lab_fail(&c->n,
                 "recv() -> %zd bytes: %s arrived after all (does udp-server run another "
                 "scenario?)",
                 n, what);
    if (errno == ECONNREFUSED) {
        /* Our own datagram bounced: nothing listens on the server's port. */
        lab_say_errno(&c->n, errno, "recv() failed");
        lab_fail(&c->n, "the server's port refused (is udp-server --scenario filter running?)");
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK)
        lab_fail_errno(&c->n, errno, "recv()");
    if (!seen) {
        lab_say(&c->n, "%s did not arrive within %d ms (recv() -> EAGAIN)", what,
                c->cli.timeout_ms);
        return;
    }
    lab_say(&c->n, "%s never arrived: Udp%sNoPorts went up by %llu, recv() -> EAGAIN", what,
            c->family == AF_INET6 ? "6" : " ", counter(c, "Udp", "NoPorts") - noports);
    lab_explain(&c->n, "The kernel found no socket for it: a connected socket matches only");
    lab_explain(&c->n, "datagrams from its peer's address and port. It counted the datagram");
    lab_explain(&c->n, "as 'no port' and answered the sender with ICMP port unreachable.");
}

int socket_for_closed_port(const struct client *c, struct lab_endpoint *to)
{
    char a[LAB_ENDPOINT_STRLEN];
    *to = c->server;
    if (c->cli.port_given) {
        lab_say(&c->n, "aiming at %s (--port): nothing should listen there",
                lab_endpoint_str(to, a, sizeof a));
        return new_socket(c);
    }
    int fd = new_socket(c);
    struct lab_endpoint any = c->server, got;
    lab_endpoint_set_port(&any, 0);
    if (bind(fd, (struct sockaddr *)&any.ss, any.len) < 0 || lab_endpoint_local(fd, &got) < 0)
        lab_fail_errno(&c->n, errno, "bind(port 0)");
    close_socket(c, fd);
    lab_endpoint_set_port(to, lab_endpoint_port(&got));
    lab_say(&c->n, "aiming at %s: a port the kernel just gave out and we closed again",
            lab_endpoint_str(to, a, sizeof a));
    return new_socket(c);
}

void recverr_on(const struct client *c, int fd)
{
    const char *name = c->family == AF_INET6 ? "IPV6_RECVERR" : "IP_RECVERR";
    lab_step(&c->n, c->cli.step, "setsockopt(IP_RECVERR)");
    if (lab_recverr_on(fd, c->family) < 0)
        lab_fail_errno(&c->n, errno, "setsockopt(%s)", name);
    lab_say_raw(&c->n, "setsockopt(%s, 1) -> 0", name);
}
