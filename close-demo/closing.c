/* Shared close-demo steps: closing a connection, and what the kernel still
 * shows of it once no fd reaches it, read through sock_diag. */
#define _DEFAULT_SOURCE /* SO_ATTACH_FILTER, SO_DETACH_FILTER: Linux options */
#include "closing.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/filter.h>
#endif

#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

void closing_close(const struct lab_narrator *n, int *fd)
{
    int rc = close(*fd);
    *fd = -1;
    if (rc < 0)
        lab_fail_errno(n, errno, "close()");
}

void closing_note_tuple(const struct lab_narrator *n, int fd, struct lab_endpoint *local,
                        struct lab_endpoint *peer)
{
    if (lab_endpoint_local(fd, local) < 0 || lab_endpoint_peer(fd, peer) < 0)
        lab_fail_errno(n, errno, "getsockname/getpeername");
}

void closing_close_noting(const struct lab_narrator *n, int step, const char *what, int *fd,
                          struct lab_endpoint *local, struct lab_endpoint *peer)
{
    closing_note_tuple(n, *fd, local, peer);
    lab_step(n, step, what);
    closing_close(n, fd);
}

static void explain_active_state(const struct lab_narrator *n, const struct lab_conn *c)
{
    long fin_timeout = 60;
    switch (c->state) {
    case LAB_TCP_FIN_WAIT1:
        lab_explain(n, "Our FIN is sent but not yet ACKed (FIN_WAIT1). The peer's kernel");
        lab_explain(n, "delays that ACK (about 40 ms here, 200 ms at most) hoping to send it");
        lab_explain(n, "with data or its own FIN; if its FIN carries the ACK, we skip");
        lab_explain(n, "FIN_WAIT2 and go straight to TIME_WAIT.");
        break;
    case LAB_TCP_FIN_WAIT2:
        (void)lab_sysctl_read("net.ipv4.tcp_fin_timeout", &fin_timeout);
        lab_explain(n, "Our FIN is ACKed; we wait for the peer's FIN (FIN_WAIT2).");
        lab_explain(n, "No fd owns this socket any more (it is orphaned), so the kernel will");
        lab_explain(n, "not wait for ever: the timer is net.ipv4.tcp_fin_timeout = %ld s.",
                    fin_timeout);
        lab_explain(n, "ss calls it 'timewait': with tcp_fin_timeout <= 60 s the kernel");
        lab_explain(n, "already swapped the socket for the small TIME_WAIT-style minisock,");
        lab_explain(n, "still in FIN_WAIT2, with that timer.");
        break;
    case LAB_TCP_CLOSING:
        lab_explain(n, "Both FINs crossed: each side waits for the ACK of its own (CLOSING).");
        break;
    case LAB_TCP_TIME_WAIT:
        lab_explain(n, "The peer's FIN arrived and we ACKed it: TIME_WAIT. The timer is the");
        lab_explain(n, "kernel's fixed TCP_TIMEWAIT_LEN, 60 s, not a tunable '2 x MSL': Linux");
        lab_explain(n, "has no MSL setting. Its two jobs: ACK the peer's FIN again if our ACK");
        lab_explain(n, "is lost (claim C19), and keep old segments out of a new connection on");
        lab_explain(n, "this 4-tuple; with timestamps Linux lets a new one take it sooner (C21).");
        lab_explain(n, "The fd is long gone: a small 'minisock' with no inode, which ss and "
                       "/proc/net/tcp list.");
        break;
    default:
        break;
    }
}

/* The namespace's counts of RSTs sent and of TIME_WAITs made (TcpExt TW
 * counts each when it is scheduled), when the active close began. */
static unsigned long long rsts_at_close, tws_at_close;
static int counts_known;

int closing_rst_ended_time_wait(const struct lab_narrator *n)
{
    /* An RST alone could be the peer resetting the connection (another
     * scenario); a TIME_WAIT made since, and then gone, was ended by one. */
    unsigned long long now, tws;
    if (!counts_known || lab_netstat_read("Tcp", "OutRsts", &now) < 0 || now == rsts_at_close ||
        lab_netstat_read("TcpExt", "TW", &tws) < 0 || tws == tws_at_close)
        return 0;
    lab_say(n, "sock_diag: our TIME_WAIT is gone: an RST ended it (Tcp OutRsts +%llu here)",
            now - rsts_at_close);
    lab_explain(n, "TIME-WAIT assassination (RFC 1337). On a busy machine the peer's delayed");
    lab_explain(n, "ACK of our FIN can leave after its own FIN; our TIME_WAIT answers that");
    lab_explain(n, "stale ACK, the peer has no socket left and replies with RST, and Linux");
    lab_explain(n, "(net.ipv4.tcp_rfc1337=0, the default) lets an in-window RST end a");
    lab_explain(n, "TIME_WAIT. Rare; run the scenario again to see the usual story.");
    return 1;
}

int closing_watch_active(const struct lab_narrator *n, const struct lab_endpoint *local,
                         const struct lab_endpoint *peer, int timeout_ms)
{
    counts_known = lab_netstat_read("Tcp", "OutRsts", &rsts_at_close) == 0 &&
                   lab_netstat_read("TcpExt", "TW", &tws_at_close) == 0;
    struct lab_conn c;
    int rc =
        lab_watch_conn(n, (const struct sockaddr *)&local->ss, (const struct sockaddr *)&peer->ss,
                       LAB_STATE_BIT(LAB_TCP_TIME_WAIT), timeout_ms, explain_active_state, &c);
    if (rc == 1)
        return 0;
    if (rc == 0 && closing_rst_ended_time_wait(n))
        return 1;
    if (rc == 0)
        lab_say(n, "sock_diag: the connection vanished without TIME_WAIT (unexpected: the peer "
                   "reset it; does it run another scenario?)");
    else if (c.state == LAB_TCP_FIN_WAIT2)
        lab_say_errno(n, errno,
                      "waiting for TIME_WAIT: the peer never sent its FIN (it holds CLOSE_WAIT: "
                      "is it stepping, or running another scenario?)");
    else
        lab_say_errno(n, errno, "waiting for TIME_WAIT: last state %s",
                      lab_tcp_state_name(c.state));
    exit(1);
}

void closing_report_passive(const struct lab_narrator *n, const struct lab_endpoint *local,
                            const struct lab_endpoint *peer)
{
    struct lab_conn c;
    int found =
        lab_diag_find((const struct sockaddr *)&local->ss, (const struct sockaddr *)&peer->ss, &c);
    if (found < 0) {
        lab_say_errno(n, errno, "sock_diag lookup failed");
    } else if (found) {
        lab_say_conn(n, &c, "sock_diag: our FIN is out, waiting for its ACK:");
        lab_explain(n, "LAST_ACK lasts one round trip; on loopback, microseconds.");
    } else {
        lab_say(n, "sock_diag: connection gone  state=CLOSE");
        lab_explain(n, "Our FIN went out and its ACK came back before we could look:");
        lab_explain(n, "LAST_ACK lasted one loopback round trip. The passive closer keeps");
        lab_explain(n, "no TIME_WAIT; that is the active closer's job.");
    }
}

ssize_t closing_read_by(int fd, void *buf, size_t len, long long deadline)
{
    int left = lab_ms_left(deadline);
    if (left == 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    return lab_read_bounded(fd, buf, len, left);
}

/* The narrator as main set it up: atexit handlers run after main's own
 * variables are gone. */
static struct lab_narrator end_narrator;
static int end_armed;

static void say_failed_end(void)
{
    if (end_armed)
        lab_say(&end_narrator, "done, exit 1");
}

void closing_end_at_exit(const struct lab_narrator *n)
{
    end_narrator = *n;
    /* Should atexit fail, a failed run just ends on its failure line. */
    end_armed = atexit(say_failed_end) == 0;
}

int closing_end(int rc)
{
    end_armed = 0;
    lab_say(&end_narrator, "done, exit %d", rc);
    return rc;
}

int closing_end_unsaid(int rc)
{
    end_armed = 0;
    return rc;
}
