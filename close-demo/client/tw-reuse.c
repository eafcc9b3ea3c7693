/* tw-reuse, the client's half: in a private network namespace we narrow
 * net.ipv4.ip_local_port_range to one port (put back at exit, with the other
 * sysctls), so that a second connect() to the same server can only use our
 * first connection's 4-tuple. We close first and that 4-tuple is our TIME_WAIT's. With
 * --tw-reuse 0 (net.ipv4.tcp_tw_reuse) connect() fails: EADDRNOTAVAIL; with
 * the default 2 it takes the TIME_WAIT over on loopback, once a short delay
 * has passed since its last timestamped segment (claim C21).
 * Partner: close-server --scenario tw-reuse */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "closing.h"
#include "lab_cli.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_kstat.h"
#include "lab_netns.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

#define RANGE "net.ipv4.ip_local_port_range"

static unsigned range_old[2], port; /* the namespace's range, and our one port */

/* Write "lo hi" into the port range; 0 or -1 with errno. */
static int write_range(unsigned lo, unsigned hi)
{
    char text[32];
    snprintf(text, sizeof text, "%u %u", lo, hi);
    return lab_sysctl_write_text(RANGE, text);
}

int tw_reuse_before_connect(struct client *c)
{
    if (lab_netns_is_host() != 0)
        return lab_usage_error(
            c->cli.prog,
            "refusing to change net.ipv4.ip_local_port_range outside a private network namespace: "
            "run both programs in one (scripts/close-demo.sh)");
    if (lab_sysctl_restore_on_exit() < 0)
        lab_fail_errno(&c->n, errno, "installing the sysctl restore");
    long old;
    if (lab_sysctl_change("net.ipv4.tcp_tw_reuse", c->tw_reuse, &old) < 0)
        return lab_usage_error(c->cli.prog, "cannot set net.ipv4.tcp_tw_reuse here: errno=%s",
                               lab_errno_name(errno));
    char text[64];
    if (lab_sysctl_read_text(RANGE, text, sizeof text) < 0)
        lab_fail_errno(&c->n, errno, "reading net.ipv4.ip_local_port_range");
    if (sscanf(text, "%u %u", &range_old[0], &range_old[1]) != 2)
        lab_fail_errno(&c->n, EPROTO, "reading net.ipv4.ip_local_port_range");
    /* The range's first port, unless the server listens on it. */
    port = range_old[0] == lab_endpoint_port(&c->server) ? range_old[0] + 1 : range_old[0];
    snprintf(text, sizeof text, "%u %u", port, port);
    if (lab_sysctl_change_text(RANGE, text) < 0) /* put back at exit and on signals */
        return lab_usage_error(c->cli.prog,
                               "cannot set net.ipv4.ip_local_port_range here: errno=%s",
                               lab_errno_name(errno));
    return 0;
}

/* A new socket's connect() to the server: 0 with it in *fd, or errno. */
static int connect_again(const struct client *c, int *fd, long long deadline)
{
    *fd = socket(c->server.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (*fd < 0)
        lab_fail_errno(&c->n, errno, "socket()");
    if (lab_connect_bounded(*fd, &c->server, lab_ms_left(deadline)) == 0)
        return 0;
    int err = errno;
    close(*fd);
    *fd = -1;
    return err;
}

/* Second connection's end: our bytes, our close(). */
static void second_connection(struct client *c, int fd)
{
    c->fd = fd;
    send_text(c, "second connection\n");
    closing_close(&c->n, &c->fd);
    lab_say(&c->n, "close(): the kernel sends our FIN; the fd is gone");
}

/* --tw-reuse 0, or 2 off loopback: refused; then a port of the old range. */
static int refused(struct client *c)
{
    lab_step(&c->n, c->cli.step, "connect() again, without bind()");
    int fd, err = connect_again(c, &fd, lab_now_ms() + c->cli.timeout_ms);
    if (err == 0)
        lab_fail_fd(&c->n, fd, "connect() again took over our TIME_WAIT: tcp_tw_reuse %ld",
                    c->tw_reuse);
    if (err != EADDRNOTAVAIL)
        lab_fail_errno(&c->n, err, "connect() again");
    lab_say_errno(&c->n, err, "connect() again -> -1, as expected  state=CLOSE");
    lab_explain(&c->n, "connect() without bind() needs a local port whose 4-tuple to this");
    lab_explain(&c->n, "server is free. Our only port's is held by our TIME_WAIT, which");
    lab_explain(&c->n, "net.ipv4.tcp_tw_reuse = %ld forbids taking over%s: no port left,",
                c->tw_reuse, c->tw_reuse == 0 ? "" : lab_tr(" off loopback"));
    lab_explain(&c->n, "EADDRNOTAVAIL. A busy client that closes first runs out of ports so.");

    if (write_range(range_old[0], range_old[1]) < 0)
        lab_fail_errno(&c->n, errno, "writing net.ipv4.ip_local_port_range");
    lab_say(&c->n, "sysctl net.ipv4.ip_local_port_range back to %u %u", range_old[0], range_old[1]);
    err = connect_again(c, &fd, lab_now_ms() + c->cli.timeout_ms);
    if (err != 0)
        lab_fail_errno(&c->n, err, "connect() from the whole range");
    struct lab_endpoint local;
    char from[LAB_ENDPOINT_STRLEN];
    if (lab_endpoint_local(fd, &local) < 0)
        lab_fail_errno(&c->n, errno, "getsockname()");
    lab_say_fd(&c->n, fd, "connect() -> connected from %s: another port, another 4-tuple",
               lab_endpoint_format((struct sockaddr *)&local.ss, from, sizeof from));
    second_connection(c, fd);
    return 0;
}

/* Say after how long connect() took the TIME_WAIT over, and why that is safe. */
static void explain_reuse(const struct client *c)
{
    long delay;
    lab_explain(&c->n, "net.ipv4.tcp_tw_reuse = %ld lets connect() take over a TIME_WAIT,",
                c->tw_reuse);
    if (lab_sysctl_read("net.ipv4.tcp_tw_reuse_delay", &delay) == 0) {
        lab_explain(&c->n, "but only net.ipv4.tcp_tw_reuse_delay = %ld ms after its last", delay);
        lab_explain(&c->n, "timestamped segment: until then, EADDRNOTAVAIL.");
    } else {
        lab_explain(&c->n, "but only once the kernel's seconds clock has passed the second of");
        lab_explain(&c->n, "its last timestamped segment (before Linux 6.13): 0 to 1 s.");
    }
    lab_explain(&c->n, "Timestamps make it safe: the new connection's are higher, so PAWS");
    lab_explain(&c->n, "drops any old segment of the first one still in the network. Off");
    lab_explain(&c->n, "loopback the default (2) refuses, as 0 does; 1 allows it everywhere.");
}

/* --tw-reuse 1, or 2 on loopback: try until the kernel lets us (bounded). */
static int reused(struct client *c)
{
    lab_step(&c->n, c->cli.step, "connect() again, without bind()");
    long long t0 = lab_now_ms(), deadline = t0 + c->cli.timeout_ms;
    struct lab_backoff pace = {0};
    int fd, err, refusals = 0;
    while ((err = connect_again(c, &fd, deadline)) != 0) {
        if (err != EADDRNOTAVAIL)
            lab_fail_errno(&c->n, err, "connect() again");
        if (refusals++ == 0) {
            lab_say_errno(&c->n, err, "connect() again -> -1: too soon  state=CLOSE");
            lab_explain(&c->n, "Our only port's 4-tuple is our TIME_WAIT's. We try again, a new");
            lab_explain(&c->n, "socket each time.");
        }
        if (lab_ms_left(deadline) == 0)
            lab_fail_errno(&c->n, ETIMEDOUT, "connect() again: EADDRNOTAVAIL %d times", refusals);
        lab_backoff_pause(&pace, -1);
    }
    struct lab_endpoint local;
    char from[LAB_ENDPOINT_STRLEN];
    if (lab_endpoint_local(fd, &local) < 0)
        lab_fail_errno(&c->n, errno, "getsockname()");
    if (lab_endpoint_port(&local) != port)
        lab_fail_fd(&c->n, fd,
                    "connected from port %u, not %u: is net.ipv4.ip_local_port_range changed?",
                    lab_endpoint_port(&local), port);
    lab_say_fd(&c->n, fd,
               "connect() again -> connected from %s, our TIME_WAIT's 4-tuple, after %lld ms "
               "and %d refusals",
               lab_endpoint_format((struct sockaddr *)&local.ss, from, sizeof from),
               lab_now_ms() - t0, refusals);
    explain_reuse(c);
    second_connection(c, fd);
    return 0;
}

int tw_reuse(struct client *c)
{
    lab_say(
        &c->n,
        "before connect: sysctl net.ipv4.ip_local_port_range %u %u -> %u %u (private namespace)",
        range_old[0], range_old[1], port, port);
    lab_say(&c->n, "before connect: sysctl net.ipv4.tcp_tw_reuse = %ld (private namespace)",
            c->tw_reuse);
    lab_explain(&c->n, "One ephemeral port: every connect() to this server has the same");
    lab_explain(&c->n, "4-tuple. The old values come back at exit.");
    send_first(c);
    struct lab_endpoint local, peer;
    struct lab_conn tw;
    close_to_time_wait(c, &local, &peer, &tw);
    lab_explain(&c->n, "We closed first: the TIME_WAIT is ours, on our only port.");
    if (c->tw_reuse == 1 || (c->tw_reuse == 2 && lab_endpoint_is_loopback(&c->server)))
        return reused(c);
    return refused(c);
}
