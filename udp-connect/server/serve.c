/* udp-server's loop: recvfrom() on either socket, narrate the sender the
 * kernel reported, answer (answers.c), until the exchange is over. Beyond
 * SHOWN_PER_SECOND datagrams a second the rest are answered and summed up,
 * so that a flood cannot flood the terminal too. */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"
#include "server.h"

#define SHOWN_PER_SECOND 10

/* "datagram" or "datagrams" after a count, in the learner's language. */
static const char *datagrams(long n)
{
    /* TRANSLATORS: the word after a count ("1 datagram", "2 datagrams"). */
    return n == 1 ? lab_tr("datagram") : lab_tr("datagrams");
}

/* One line for the datagrams only counted in this window, then a new window. */
static void say_hidden(struct server *s)
{
    long long now = lab_now_ms();
    if (s->hidden > 0)
        lab_say(&s->n,
                "... and %ld more datagrams (%lld bytes) answered in %.1f s, not shown one "
                "by one",
                s->hidden, s->hidden_bytes, (double)(now - s->window_start) / 1000);
    s->window_start = now;
    s->shown = s->hidden = 0;
    s->hidden_bytes = 0;
}

/* Narrate this datagram, or only count it once SHOWN_PER_SECOND were narrated
 * in this second: 1 to narrate. */
static int narrate_this(struct server *s, size_t len)
{
    if (lab_now_ms() - s->window_start >= 1000)
        say_hidden(s);
    if (s->shown < SHOWN_PER_SECOND) {
        s->shown++;
        return 1;
    }
    s->hidden++;
    s->hidden_bytes += (long long)len;
    return 0;
}

/* recvfrom() the datagram waiting on fd, narrate it, answer it. */
static void handle(struct server *s, int fd)
{
    char text[160], from[LAB_ENDPOINT_STRLEN], on[LAB_ENDPOINT_STRLEN];
    struct datagram d = {.data = s->buf};
    struct lab_endpoint local;
    d.peer.len = sizeof d.peer.ss;
    ssize_t n;
    /* MSG_TRUNC: the datagram's real length, even if it did not fit. */
    do {
        n = recvfrom(fd, s->buf, sizeof s->buf, MSG_TRUNC, (struct sockaddr *)&d.peer.ss,
                     &d.peer.len);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        lab_fail_errno(&s->n, errno, "recvfrom()");
    if (lab_endpoint_local(fd, &local) < 0)
        lab_fail_errno(&s->n, errno, "getsockname()");
    d.len = (size_t)n < sizeof s->buf ? (size_t)n : sizeof s->buf;
    d.say = narrate_this(s, d.len);
    if (d.say)
        lab_say(&s->n, "recvfrom() on %s -> %zd bytes \"%s\" from %s",
                lab_endpoint_str(&local, on, sizeof on), n,
                lab_escape(d.data, d.len, text, sizeof text),
                lab_endpoint_str(&d.peer, from, sizeof from));
    if ((size_t)n > d.len) /* cannot happen for UDP over IP; said, not hidden, if it does */
        lab_say(&s->n, "the datagram had %zd bytes, more than UDP carries: only %zu kept", n,
                d.len);
    if (!s->explained) {
        s->explained = 1;
        lab_explain(&s->n, "recvfrom() filled in the sender's address from the datagram's IP and");
        lab_explain(&s->n, "UDP headers. UDP keeps no per-client state: that address, given back");
        lab_explain(&s->n, "to sendto(), is all the server needs to answer.");
    }
    answer(s, fd, &d);
}

/* --timeout passed without a datagram: the exit status. */
static int idle_end(struct server *s, long served)
{
    if (served == 0) {
        lab_say_errno(&s->n, ETIMEDOUT, "no datagram within %d ms (--timeout); start udp-client",
                      s->cli.timeout_ms);
        return 1;
    }
    say_hidden(s);
    lab_say(&s->n, "no datagram for %d ms: exiting after %ld %s", s->cli.timeout_ms, served,
            datagrams(served));
    return 0;
}

/* --count, or the scenario's count, reached. */
static void say_done(struct server *s, long served)
{
    say_hidden(s);
    if (s->count_given) {
        lab_say(&s->n, "served %ld %s (--count): exiting", served, datagrams(served));
        return;
    }
    lab_say(&s->n, "answered %ld %s, as many as a client of scenario %s sends: exiting", served,
            datagrams(served), udp_scenario_names[s->scenario]);
    lab_explain(&s->n, "The exchange is over; --keep-serving would wait for the next client.");
}

int serve(struct server *s)
{
    long served = 0;
    long long idle_since = lab_now_ms();
    for (;;) {
        /* stdout too, for nothing but errors: POLLERR (or POLLHUP) there means
         * that whoever read our narration (a pipe into head -1, a terminal) is
         * gone, and so is our reason to run: a clean end, not a SIGPIPE death. */
        struct pollfd p[3] = {{.fd = s->fd, .events = POLLIN, .revents = 0},
                              {.fd = s->other_fd, .events = POLLIN, .revents = 0},
                              {.fd = STDOUT_FILENO, .events = 0, .revents = 0}};
        int left = lab_ms_left(idle_since + s->cli.timeout_ms);
        if (s->hidden > 0 && left > 1000) /* wake up to summarise the last second */
            left = 1000;
        int rc = left == 0 ? 0 : poll(p, 3, left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            lab_fail_errno(&s->n, errno, "poll()");
        if (p[2].revents & (POLLERR | POLLHUP))
            return 0;
        if (s->hidden > 0 && lab_now_ms() - s->window_start >= 1000)
            say_hidden(s);
        if (rc == 0 && lab_ms_left(idle_since + s->cli.timeout_ms) > 0)
            continue;
        if (rc == 0)
            return idle_end(s, served);
        if ((p[0].revents | p[1].revents) != 0)
            idle_since = lab_now_ms();
        for (int i = 0; i < 2; i++) {
            if (!(p[i].revents & (POLLIN | POLLERR)))
                continue;
            handle(s, p[i].fd);
            served++;
            if (s->count > 0 && served >= s->count) {
                say_done(s, served);
                return 0;
            }
        }
    }
}
