/* A scripted TCP endpoint: state as RFC 9293 names it (ISS, SND.NXT, IRS,
 * RCV.NXT) and RFC 7323's timestamps, but every decision left to the caller. */
#include "lab_peer.h"

#include <errno.h>
#include <string.h>

#include "lab_pcap.h"
#include "lab_sock.h"

void lab_peer_init(struct lab_peer *p, struct lab_rawlink *link, const struct lab_endpoint *self,
                   const struct lab_endpoint *kernel, uint32_t iss)
{
    memset(p, 0, sizeof *p);
    p->link = link;
    p->self = *self;
    p->kernel = *kernel;
    p->iss = p->snd_nxt = iss;
    p->win = 65535;
    p->wscale = -1;
    p->start_ms = lab_now_ms();
    p->pcap_fd = -1;
}

uint32_t lab_peer_tsval(const struct lab_peer *p)
{
    return (uint32_t)(lab_now_ms() - p->start_ms) + p->ts_offset;
}

void lab_peer_make(const struct lab_peer *p, uint8_t flags, const void *data, size_t len,
                   struct lab_seg *s)
{
    lab_seg_init(s, &p->self, &p->kernel);
    s->seq = p->snd_nxt;
    s->flags = flags;
    if (flags & LAB_TH_ACK)
        s->ack = p->rcv_nxt;
    s->win = p->win;
    if (flags & LAB_TH_SYN) {
        s->mss = 1460;
        s->wscale = p->wscale;
    }
    if (p->ts && !(flags & LAB_TH_RST)) {
        s->has_ts = 1;
        s->tsval = lab_peer_tsval(p);
        s->tsecr = (flags & LAB_TH_ACK) ? p->ts_recent : 0;
    }
    s->data = data;
    s->len = len;
}

static void keep(struct lab_peer *p, const void *pkt, size_t len)
{
    if (p->pcap_fd >= 0 && lab_pcap_write(p->pcap_fd, pkt, len) < 0)
        p->pcap_fd = -1; /* a full disk ends the capture, not the lesson */
}

int lab_peer_send_seg(struct lab_peer *p, const struct lab_seg *s)
{
    unsigned char pkt[LAB_SEG_MAX];
    ssize_t n = lab_seg_build(s, pkt, sizeof pkt);
    if (n < 0)
        return -1;
    keep(p, pkt, (size_t)n);
    if (p->hook)
        p->hook(p, 1, s);
    return lab_rawlink_send(p->link, pkt, (size_t)n);
}

int lab_peer_send(struct lab_peer *p, uint8_t flags, const void *data, size_t len)
{
    struct lab_seg s;
    lab_peer_make(p, flags, data, len, &s);
    if (lab_peer_send_seg(p, &s) < 0)
        return -1;
    p->snd_nxt += lab_seg_span(&s);
    return 0;
}

static void take_in(struct lab_peer *p, const struct lab_seg *s)
{
    if (s->flags & LAB_TH_RST)
        return;
    if (s->flags & LAB_TH_SYN) {
        p->irs = s->seq;
        p->rcv_nxt = s->seq;
    }
    if (s->seq == p->rcv_nxt)
        p->rcv_nxt += lab_seg_span(s);
    if (s->has_ts)
        p->ts_recent = s->tsval;
}

int lab_peer_recv(struct lab_peer *p, struct lab_seg *s, int timeout_ms)
{
    long long deadline = lab_now_ms() + timeout_ms;
    for (;;) {
        ssize_t n = lab_rawlink_recv(p->link, p->rx, sizeof p->rx, lab_ms_left(deadline));
        if (n < 0)
            return -1;
        if (lab_seg_parse(p->rx, (size_t)n, s) != 1 ||
            !lab_endpoint_equal((const struct sockaddr *)&s->src.ss,
                                (const struct sockaddr *)&p->kernel.ss) ||
            !lab_endpoint_equal((const struct sockaddr *)&s->dst.ss,
                                (const struct sockaddr *)&p->self.ss))
            continue; /* not ours: neighbour discovery, another connection */
        keep(p, p->rx, (size_t)n);
        take_in(p, s);
        if (p->hook)
            p->hook(p, 0, s);
        return 0;
    }
}

int lab_peer_expect(struct lab_peer *p, uint8_t flags, struct lab_seg *s, int timeout_ms)
{
    long long deadline = lab_now_ms() + timeout_ms;
    for (;;) {
        if (lab_peer_recv(p, s, lab_ms_left(deadline)) < 0)
            return -1;
        if ((s->flags & flags) == flags)
            return 0;
        if ((s->flags & LAB_TH_RST) && !(flags & LAB_TH_RST)) {
            errno = ECONNRESET;
            return -1;
        }
    }
}

int lab_peer_connect(struct lab_peer *p, int timeout_ms)
{
    struct lab_seg s;
    p->snd_nxt = p->iss;
    if (lab_peer_send(p, LAB_TH_SYN, NULL, 0) < 0)
        return -1;
    if (lab_peer_recv(p, &s, timeout_ms) < 0)
        return -1;
    if (s.flags & LAB_TH_RST) {
        errno = ECONNREFUSED;
        return -1;
    }
    if ((s.flags & (LAB_TH_SYN | LAB_TH_ACK)) != (LAB_TH_SYN | LAB_TH_ACK) || s.ack != p->snd_nxt) {
        errno = EPROTO;
        return -1;
    }
    p->ts = p->ts && s.has_ts; /* RFC 7323: only if both sides offered them */
    return lab_peer_send(p, LAB_TH_ACK, NULL, 0);
}

int lab_peer_finish_close(struct lab_peer *p, int timeout_ms)
{
    struct lab_seg s;
    long long deadline = lab_now_ms() + timeout_ms;
    if (lab_peer_expect(p, LAB_TH_FIN, &s, timeout_ms) < 0 ||
        lab_peer_send(p, LAB_TH_ACK, NULL, 0) < 0 ||
        lab_peer_send(p, LAB_TH_FIN | LAB_TH_ACK, NULL, 0) < 0)
        return -1;
    for (;;) { /* the ACK of our FIN, not a copy of the kernel's FIN */
        if (lab_peer_expect(p, LAB_TH_ACK, &s, lab_ms_left(deadline)) < 0)
            return -1;
        if (s.ack == p->snd_nxt)
            return 0;
    }
}

int lab_peer_resend_fin(struct lab_peer *p)
{
    if (p->snd_nxt == p->iss) {
        errno = EINVAL;
        return -1;
    }
    struct lab_seg fin;
    lab_peer_make(p, LAB_TH_FIN | LAB_TH_ACK, NULL, 0, &fin);
    fin.seq = p->snd_nxt - 1;
    return lab_peer_send_seg(p, &fin);
}
