/* The steps the client's scenarios share. */
#include <errno.h>
#include <string.h>

#include "client.h"
#include "closing.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

static void send_bytes(const struct client *c, const char *bytes, size_t len)
{
    char shown[160];
    if (lab_send_all(c->fd, bytes, len) < 0)
        lab_fail_errno(&c->n, errno, "write()");
    lab_say_fd(&c->n, c->fd, "write() -> %zu bytes \"%s\"", len,
               lab_escape(bytes, len, shown, sizeof shown));
}

void send_text(const struct client *c, const char *text)
{
    send_bytes(c, text, strlen(text));
}

void send_first(const struct client *c)
{
    send_bytes(c, c->sc->first, c->sc->first_len);
}

ssize_t read_once(const struct client *c, long long deadline)
{
    char buf[512], shown[160];
    ssize_t r = closing_read_by(c->fd, buf, sizeof buf, deadline);
    if (r > 0)
        lab_say_fd(&c->n, c->fd, "read() -> %zd bytes \"%s\"", r,
                   lab_escape(buf, (size_t)r, shown, sizeof shown));
    else if (r == 0)
        lab_say_fd(&c->n, c->fd, "read() -> 0: EOF");
    return r;
}

size_t read_some(const struct client *c, long long deadline)
{
    ssize_t r = read_once(c, deadline);
    if (r < 0)
        lab_fail_errno(&c->n, errno, "read()");
    return (size_t)r;
}

void active_close(struct client *c)
{
    struct lab_endpoint local, peer;
    closing_close_noting(&c->n, c->cli.step, "close()", &c->fd, &local, &peer);
    lab_say(&c->n, "close(): the kernel sends our FIN; the fd is gone");
    lab_explain(&c->n, "From now on we ask the kernel about the connection through sock_diag,");
    lab_explain(&c->n, "the way 'ss -tan' does, by its address pair.");
    closing_watch_active(&c->n, &local, &peer, c->cli.timeout_ms);
}

void close_to_time_wait(struct client *c, struct lab_endpoint *local, struct lab_endpoint *peer,
                        struct lab_conn *tw)
{
    closing_close_noting(&c->n, c->cli.step, "close()", &c->fd, local, peer);
    lab_say(&c->n, "close(): the kernel sends our FIN; the fd is gone");
    int rc = lab_watch_conn(&c->n, (struct sockaddr *)&local->ss, (struct sockaddr *)&peer->ss,
                            LAB_STATE_BIT(LAB_TCP_TIME_WAIT), c->cli.timeout_ms, NULL, tw);
    if (rc < 0)
        lab_fail_errno(&c->n, errno, "waiting for TIME_WAIT (last state %s)",
                       lab_tcp_state_name(tw->state));
    if (rc == 0)
        lab_fail(&c->n, "the connection vanished without TIME_WAIT  state=CLOSE");
}
