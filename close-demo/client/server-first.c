/* server-first, the client's half: the server closes first; we read its
 * EOF in CLOSE_WAIT and close as the passive side, so the server keeps the
 * TIME_WAIT (claim C4, the other way round) and our LAST_ACK lasts one round
 * trip (claim C3). When the server says "again" (close-server --reuseaddr:
 * it will listen again), we connect once more from the same port, and our
 * SYN gets through its TIME_WAIT (claim C25).
 * Partner: close-server --scenario server-first [--reuseaddr] */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

struct listener_search {
    const struct lab_endpoint *server;
    unsigned long not_inode; /* a listener to pass over (the old one), 0 = none */
    unsigned long inode;     /* the listener found, 0 = none */
};

/* lab_diag_list callback: the listener on the server's port (not the old one)? */
static int is_server_listener(const struct lab_conn *conn, void *arg)
{
    struct listener_search *search = arg;
    /* By port: a server bound to the wildcard address listens there too. */
    if (conn->inode == search->not_inode ||
        lab_endpoint_port(&conn->local) != lab_endpoint_port(search->server))
        return 0;
    search->inode = conn->inode;
    return 1;
}

/* The inode of the server's listener other than not_inode, or 0 if none. */
static unsigned long server_listener(const struct client *c, const struct lab_endpoint *server,
                                     unsigned long not_inode)
{
    struct listener_search search = {server, not_inode, 0};
    if (lab_diag_list(server->ss.ss_family, LAB_STATE_BIT(LAB_TCP_LISTEN), is_server_listener,
                      &search) < 0)
        lab_fail_errno(&c->n, errno, "sock_diag lookup of the server's listener");
    return search.inode;
}

/* Claim C25: connect again from our old port to the server's, once it
 * listens again; the 4-tuple is the one its TIME_WAIT holds. */
static void connect_again(struct client *c, const struct lab_endpoint *local,
                          const struct lab_endpoint *peer, unsigned long old_listener)
{
    /* Its new listener, not the old one, which it closes once its TIME_WAIT
     * is there (a SYN queued on the old one would be reset with it). */
    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    struct lab_backoff pace = {0};
    while (server_listener(c, peer, old_listener) == 0) {
        if (lab_ms_left(deadline) == 0)
            lab_fail_errno(&c->n, ETIMEDOUT, "waiting for the server to listen again");
        lab_backoff_pause(&pace, -1);
    }
    lab_step(&c->n, c->cli.step, "bind() our old port and connect() again");
    c->fd = socket(local->ss.ss_family, SOCK_STREAM, 0);
    if (c->fd < 0)
        lab_fail_errno(&c->n, errno, "socket()");
    if (bind(c->fd, (const struct sockaddr *)&local->ss, local->len) < 0)
        lab_fail_errno(&c->n, errno, "bind() to our old port");
    if (lab_connect_bounded(c->fd, peer, lab_ms_left(deadline)) < 0)
        lab_fail_errno(&c->n, errno, "connect() again");
    lab_say_fd(&c->n, c->fd, "connect() again from our old port: connected");
    lab_explain(&c->n, "The same 4-tuple as the server's TIME_WAIT. Our new SYN's sequence");
    lab_explain(&c->n, "number and timestamp are newer than anything of the old connection,");
    lab_explain(&c->n, "so the TIME_WAIT let it through to the new listener (claim C25).");
    if (close(c->fd) < 0)
        lab_fail_errno(&c->n, errno, "close()");
    c->fd = -1;
    lab_say(&c->n, "close(): this time we close first (the TIME_WAIT is ours)");
}

int server_first(struct client *c)
{
    static const char again[] = "again\n";
    send_first(c);
    long long deadline = lab_now_ms() + c->cli.timeout_ms;
    char buf[16];
    ssize_t got = closing_read_by(c->fd, buf, sizeof buf, deadline);
    int come_back = got == (ssize_t)strlen(again) && memcmp(buf, again, strlen(again)) == 0;
    if (got < 0)
        lab_fail_errno(&c->n, errno, "read()");
    if (got > 0 && !come_back)
        lab_fail_fd(&c->n, c->fd, "data where the server's EOF should come");
    unsigned long old_listener = 0;
    if (come_back) {
        old_listener = server_listener(c, &c->server, 0);
        lab_say_fd(&c->n, c->fd, "read() -> 6 bytes \"again\\n\": the server will listen again");
        got = read_some(c, deadline);
        if (got > 0)
            lab_fail_fd(&c->n, c->fd, "data where the server's EOF should come");
    } else {
        lab_say_fd(&c->n, c->fd, "read() -> 0: EOF");
    }
    lab_explain(&c->n, "The server closed first: its FIN put us in CLOSE_WAIT until we close()");
    lab_explain(&c->n, "too. Our kernel delays the ACK of that FIN; if we close quickly, our");
    lab_explain(&c->n, "FIN carries it and the close takes three segments. The server owns");
    lab_explain(&c->n, "the TIME_WAIT.");
    struct lab_endpoint local, peer;
    closing_close_noting(&c->n, c->cli.step, "close()", &c->fd, &local, &peer);
    lab_say(&c->n, "close(): the kernel sends our FIN");
    closing_report_passive(&c->n, &local, &peer);
    if (come_back)
        connect_again(c, &local, &peer, old_listener);
    return 0;
}
