/* old-duplicate: why 2 MSL: an old segment in a new connection (claims C26, C27).
 *
 * First connection: the peer sends "old data"; a copy of that segment is
 * held back, as if the network had delayed a duplicate. The peer closes
 * first and, unlike an honest kernel, keeps no TIME_WAIT: it at once opens
 * the same 4-tuple again, with an ISN that puts the held-back segment right
 * after its own "new data ", and the old copy arrives. With --guard none the
 * application's read() returns "new data old data": bytes of the last
 * connection inside this one. With --guard time-wait the peer honours
 * TIME_WAIT and takes another port, so the old copy finds no connection (an
 * RST). With --guard timestamps both connections carry TCP timestamps and
 * PAWS drops the old copy (TcpExt PAWSEstab).
 *   tcp-peer --scenario old-duplicate [--guard none|time-wait|timestamps]
 */
#include "play.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lab_fail.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_watch.h"

static const char OLD[] = "old data", NEW[] = "new data ";

/* Counters every segment moves, left out of the narration. */
static const char *const COMMON[] = {"TcpInSegs", "TcpOutSegs", NULL};

/* The first connection: "old data" delivered, a copy of its segment into
 * *dup; the peer closes first and the kernel's socket is gone. */
static void first_connection(struct play *pl, struct lab_seg *dup)
{
    struct lab_seg s;
    char buf[64], text[128];
    int fd = play_connect_accept(pl);
    lab_peer_make(&pl->peer, LAB_TH_PSH | LAB_TH_ACK, OLD, strlen(OLD), dup);
    play_send(pl, LAB_TH_PSH | LAB_TH_ACK, OLD);
    lab_say(&pl->wire, "keeps a copy of that segment: a duplicate the network delays");
    ssize_t r = lab_read_bounded(fd, buf, sizeof buf, pl->timeout_ms);
    if (r <= 0)
        lab_fail_errno(&pl->app, r < 0 ? errno : EPROTO, "read()");
    lab_say_fd(&pl->app, fd, "read() -> %zd bytes \"%s\"", r,
               lab_escape(buf, (size_t)r, text, sizeof text));
    play_send(pl, LAB_TH_FIN | LAB_TH_ACK, NULL);
    play_read_eof(pl, fd);
    play_close(pl, &fd);
    play_expect(pl, LAB_TH_FIN, &s);
    play_send(pl, LAB_TH_ACK, NULL);
    struct lab_conn c;
    if (lab_watch_wait((struct sockaddr *)&pl->kernel_ep.ss, (struct sockaddr *)&pl->peer.self.ss,
                       0, pl->timeout_ms, &c) != 0)
        lab_fail(&pl->app, "the first connection is still there after the last ACK");
    play_kernel_conn(pl, &c);
}

/* What the application reads within a short bound after the old copy was
 * answered: all the bytes the kernel queued. */
static void read_all(struct play *pl, int fd, size_t want)
{
    char buf[64], text[128];
    size_t got = 0;
    while (got < want) {
        ssize_t r = lab_read_bounded(fd, buf + got, sizeof buf - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    lab_say_fd(&pl->app, fd, "read() -> %zu bytes \"%s\"", got,
               lab_escape(buf, got, text, sizeof text));
}

/* The peer opens the 4-tuple again at once (or, keeping TIME_WAIT, from the
 * next port): the new connection's peer, with the old one's clock. */
static void reconnect(struct play *pl, const struct lab_peer *old, const struct lab_seg *dup)
{
    uint16_t port = lab_endpoint_port(&old->self);
    if (pl->guard == GUARD_TIME_WAIT) {
        lab_say(&pl->wire, "keeps TIME_WAIT on port %u: connects again from port %u",
                (unsigned)port, (unsigned)port + 1);
        play_peer_new(pl, (uint16_t)(port + 1), old->iss + 100000);
    } else {
        lab_say(&pl->wire, "keeps no TIME_WAIT: connects again at once from the same port");
        play_peer_new(pl, port, dup->seq - 1 - (uint32_t)strlen(NEW));
        lab_explain(&pl->wire,
                    "Its new ISN puts the old copy's sequence number right after "
                    "\"%s\": inside the new window.",
                    NEW);
    }
    /* The peer's clock runs on; PAWS forgives a timestamp one tick old
     * (TCP_PAWS_WINDOW), so it must be two ticks past the old copy's. */
    pl->peer.ts = old->ts;
    pl->peer.ts_offset = old->ts_offset;
    if (old->ts && lab_peer_tsval(&pl->peer) < dup->tsval + 2)
        pl->peer.ts_offset += dup->tsval + 2 - lab_peer_tsval(&pl->peer);
}

/* seg sent by p and the kernel's answer into *ack, with the counters it moved. */
static void send_copy(struct play *pl, struct lab_peer *p, const struct lab_seg *seg,
                      struct lab_seg *ack)
{
    static struct lab_counters before, after;
    char moved[512];
    if (lab_tcp_counters(&before) < 0)
        lab_fail_errno(&pl->app, errno, "reading the TCP counters");
    if (lab_peer_send_seg(p, seg) < 0)
        lab_fail_errno(&pl->wire, errno, "sending a segment into the link");
    if (lab_peer_recv(p, ack, pl->timeout_ms) < 0)
        lab_fail_errno(&pl->wire, errno, "waiting for the kernel's answer to the old copy");
    if (lab_tcp_counters(&after) < 0)
        lab_fail_errno(&pl->app, errno, "reading the TCP counters");
    lab_say(&pl->app, "counters the old copy moved: %s",
            lab_counters_moved(&before, &after, COMMON, moved, sizeof moved));
}

/* No guard at all: the kernel's word on the copy, and if its ACK number
 * kept it out, the copy as a busier old connection would have sent it. */
static void unguarded(struct play *pl, int fd, const struct lab_peer *old,
                      const struct lab_seg *dup, const struct lab_seg *ack)
{
    if (ack->ack != dup->seq + (uint32_t)dup->len) {
        lab_say(&pl->app, "the kernel dropped the old copy: its ACK stays after \"%s\"", NEW);
        lab_explain(&pl->app,
                    "Its sequence number fitted; its ack number did not: this connection's "
                    "ISN is %u past the first one's (the kernel's ISN clock runs at about 15.6 "
                    "million a second), so the copy acknowledges bytes from before this "
                    "connection began, and RFC 5961 drops it (TcpExtTCPChallengeACK).",
                    (unsigned)(pl->peer.irs - old->irs));
        struct lab_seg again = *dup, answer;
        again.ack = pl->peer.rcv_nxt;
        lab_say(&pl->wire, "sends the copy again with an ack number inside this connection, as a "
                           "copy from an old connection that carried more data would bear");
        send_copy(pl, &pl->peer, &again, &answer);
    }
    read_all(pl, fd, strlen(NEW) + strlen(OLD));
    lab_explain(&pl->app, "The old connection's bytes were read as this one's: nothing told "
                          "them apart. TIME_WAIT's 2 MSL is there to let such copies die "
                          "before the 4-tuple is used again.");
    if (ack->ack == dup->seq + (uint32_t)dup->len)
        lab_explain(&pl->app, "The copy's ack number is the old connection's (the huge relative "
                              "number above). It came in order, with the window the peer uses "
                              "now, behind bytes not read yet: Linux's fast path queued its data "
                              "before checking the ack, whose challenge ACK came too late.");
}

int old_duplicate(struct play *pl)
{
    struct lab_seg dup, ack;
    play_listen(pl);
    pl->peer.ts = pl->guard == GUARD_TIMESTAMPS;
    first_connection(pl, &dup);
    struct lab_peer old = pl->peer; /* the first connection, for the old copy's answer */
    reconnect(pl, &old, &dup);
    int fd = play_connect_accept(pl);
    play_send(pl, LAB_TH_PSH | LAB_TH_ACK, NEW);
    play_expect(pl, LAB_TH_ACK, &ack);
    if (pl->guard == GUARD_TIME_WAIT)
        lab_say(&pl->wire,
                "the delayed old copy arrives now, for the old 4-tuple (port %u; its numbers "
                "counted from the first connection's)",
                (unsigned)lab_endpoint_port(&old.self));
    else
        lab_say(&pl->wire, "the delayed old copy arrives now");
    /* Sent and answered on its own 4-tuple: the new connection's, unless
     * TIME_WAIT made the peer move to another port. */
    send_copy(pl, pl->guard == GUARD_TIME_WAIT ? &old : &pl->peer, &dup, &ack);
    if (pl->guard == GUARD_NONE) {
        unguarded(pl, fd, &old, &dup, &ack);
    } else if (pl->guard == GUARD_TIME_WAIT) {
        read_all(pl, fd, strlen(NEW) + strlen(OLD));
        lab_explain(&pl->app, "The old copy belongs to a 4-tuple with no connection now: the "
                              "kernel answered it with an RST, and the new connection never "
                              "saw it.");
    } else {
        read_all(pl, fd, strlen(NEW) + strlen(OLD));
        lab_explain(&pl->app, "PAWS dropped the old copy: its timestamp is older than the last "
                              "one this connection took in (TcpExtPAWSEstab).");
    }
    close(fd);
    return 0;
}
