/* The steps tcp-peer's scenarios share: the kernel application's calls on
 * one side, the scripted peer's segments on the other, each narrated where it
 * happens and every unexpected outcome ending the program (lab_fail). */
#include "play.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

/* Every segment, either way, as tcpdump would print it with relative numbers:
 * ours from our ISN, the kernel's from its own. */
static void say_segment(const struct lab_peer *p, int sent, const struct lab_seg *s)
{
    const struct play *pl = p->ctx;
    char desc[192];
    uint32_t seq_base = sent ? p->iss : p->irs, ack_base = sent ? p->irs : p->iss;
    lab_seg_format(s, seq_base, ack_base, desc, sizeof desc);
    if (s->flags & LAB_TH_SYN) {
        size_t n = strlen(desc);
        snprintf(desc + n, sizeof desc - n, "  isn=%u", (unsigned)s->seq);
    }
    if (sent)
        lab_say(&pl->wire, "sends    %s", desc);
    else
        lab_say(&pl->wire, "receives %s", desc);
}

void play_peer_new(struct play *pl, uint16_t port, uint32_t iss)
{
    struct lab_endpoint self = pl->peer_ep;
    lab_endpoint_set_port(&self, port);
    lab_peer_init(&pl->peer, &pl->link, &self, &pl->kernel_ep, iss);
    pl->peer.start_ms = pl->app.start_us / 1000; /* one timestamp clock for every connection */
    pl->peer.wscale = 7; /* as Linux offers: the window it may grow to is 65535 << 7 */
    pl->peer.pcap_fd = pl->pcap_fd;
    pl->peer.hook = say_segment;
    pl->peer.ctx = pl;
}

void play_listen(struct play *pl)
{
    char addr[LAB_ENDPOINT_STRLEN];
    pl->listener = lab_tcp_listen(&pl->kernel_ep, 8, 0);
    if (pl->listener < 0)
        lab_fail_errno(&pl->app, errno, "listen on %s",
                       lab_endpoint_str(&pl->kernel_ep, addr, sizeof addr));
    lab_say_fd(&pl->app, pl->listener, "listening on %s",
               lab_endpoint_str(&pl->kernel_ep, addr, sizeof addr));
}

int play_connect_accept(struct play *pl)
{
    if (lab_peer_connect(&pl->peer, pl->timeout_ms) < 0)
        lab_fail_errno(&pl->wire, errno, "handshake with the kernel's listener");
    struct lab_endpoint from;
    int fd = lab_accept_bounded(pl->listener, pl->timeout_ms, &from);
    if (fd < 0)
        lab_fail_errno(&pl->app, errno, "accept()");
    char addr[LAB_ENDPOINT_STRLEN];
    lab_say_fd(&pl->app, fd, "accept() -> connection from %s",
               lab_endpoint_str(&from, addr, sizeof addr));
    return fd;
}

void play_send(struct play *pl, uint8_t flags, const char *data)
{
    if (lab_peer_send(&pl->peer, flags, data, data ? strlen(data) : 0) < 0)
        lab_fail_errno(&pl->wire, errno, "sending a segment into the link");
}

void play_expect(struct play *pl, uint8_t flags, struct lab_seg *s)
{
    char want[8];
    if (lab_peer_expect(&pl->peer, flags, s, pl->timeout_ms) < 0)
        lab_fail_errno(&pl->wire, errno, "waiting for %s from the kernel",
                       lab_seg_flags(flags, want, sizeof want));
}

void play_read_eof(struct play *pl, int fd)
{
    char buf[256], text[512];
    for (;;) {
        ssize_t r = lab_read_bounded(fd, buf, sizeof buf, pl->timeout_ms);
        if (r < 0)
            lab_fail_errno(&pl->app, errno, "read()");
        if (r == 0)
            break;
        lab_say_fd(&pl->app, fd, "read() -> %zd bytes \"%s\"", r,
                   lab_escape(buf, (size_t)r, text, sizeof text));
    }
    lab_say_fd(&pl->app, fd, "read() -> 0: EOF");
}

void play_close(struct play *pl, int *fd)
{
    struct lab_endpoint local, remote;
    if (lab_endpoint_local(*fd, &local) < 0 || lab_endpoint_peer(*fd, &remote) < 0)
        lab_fail_errno(&pl->app, errno, "getsockname()/getpeername()");
    if (close(*fd) < 0)
        lab_fail_errno(&pl->app, errno, "close()");
    *fd = -1;
    struct lab_conn c;
    int found = lab_diag_find((struct sockaddr *)&local.ss, (struct sockaddr *)&remote.ss, &c);
    if (found < 0)
        lab_fail_errno(&pl->app, errno, "sock_diag");
    if (found)
        lab_say_conn(&pl->app, &c, "close(): the kernel sends our FIN");
    else
        lab_say(&pl->app, "close(): the connection is gone at once");
}

int play_kernel_conn(struct play *pl, struct lab_conn *c)
{
    char tuple[2 * LAB_ENDPOINT_STRLEN + 8], a[LAB_ENDPOINT_STRLEN], b[LAB_ENDPOINT_STRLEN];
    snprintf(tuple, sizeof tuple, "%s <-> %s", lab_endpoint_str(&pl->kernel_ep, a, sizeof a),
             lab_endpoint_str(&pl->peer.self, b, sizeof b));
    int found = lab_diag_find((struct sockaddr *)&pl->kernel_ep.ss,
                              (struct sockaddr *)&pl->peer.self.ss, c);
    if (found < 0)
        lab_fail_errno(&pl->app, errno, "sock_diag");
    if (found)
        lab_say_conn(&pl->app, c, "kernel: %s", tuple);
    else
        lab_say(&pl->app, "kernel: no socket for %s any more", tuple);
    return found;
}

void play_kernel_time_wait(struct play *pl, struct lab_conn *c)
{
    play_listen(pl);
    int fd = play_connect_accept(pl);
    play_close(pl, &fd); /* the kernel closes first: its FIN */
    if (lab_peer_finish_close(&pl->peer, pl->timeout_ms) < 0)
        lab_fail_errno(&pl->wire, errno, "finishing the close");
    if (lab_watch_wait((struct sockaddr *)&pl->kernel_ep.ss, (struct sockaddr *)&pl->peer.self.ss,
                       LAB_STATE_BIT(LAB_TCP_TIME_WAIT), pl->timeout_ms, c) != 1)
        lab_fail(&pl->app, "no TIME_WAIT after the last ACK");
    play_kernel_conn(pl, c);
}

void play_resend_fin(struct play *pl)
{
    if (lab_peer_resend_fin(&pl->peer) < 0)
        lab_fail_errno(&pl->wire, errno, "sending our FIN again");
}
