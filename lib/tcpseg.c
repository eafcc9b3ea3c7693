/* TCP segments built and parsed by hand: RFC 791 and RFC 8200 headers, RFC
 * 9293's header and options (MSS, window scale, SACK permitted, timestamps). */
#include "lab_tcpseg.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

enum { IP4_HDR = 20, IP6_HDR = 40, TCP_HDR = 20, TCP_OPT_MAX = 40 };

void lab_seg_init(struct lab_seg *s, const struct lab_endpoint *src, const struct lab_endpoint *dst)
{
    memset(s, 0, sizeof *s);
    s->src = *src;
    s->dst = *dst;
    s->wscale = -1;
}

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* The Internet checksum's running sum over len bytes (RFC 1071). */
static uint32_t sum16(uint32_t sum, const unsigned char *p, size_t len)
{
    for (; len > 1; p += 2, len -= 2)
        sum += get16(p);
    if (len == 1)
        sum += (uint32_t)p[0] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* The options in the order Linux sends them; their length (a multiple of 4). */
static size_t put_options(const struct lab_seg *s, unsigned char *o)
{
    size_t n = 0;
    if (s->mss) {
        o[n] = 2, o[n + 1] = 4;
        put16(o + n + 2, s->mss);
        n += 4;
    }
    if (s->sack_ok && !s->has_ts)
        o[n] = 1, o[n + 1] = 1, o[n + 2] = 4, o[n + 3] = 2, n += 4;
    if (s->has_ts) {
        o[n] = s->sack_ok ? 4 : 1, o[n + 1] = s->sack_ok ? 2 : 1;
        o[n + 2] = 8, o[n + 3] = 10;
        put32(o + n + 4, s->tsval);
        put32(o + n + 8, s->tsecr);
        n += 12;
    }
    if (s->wscale >= 0)
        o[n] = 1, o[n + 1] = 3, o[n + 2] = 3, o[n + 3] = (unsigned char)s->wscale, n += 4;
    return n;
}

ssize_t lab_seg_build(const struct lab_seg *s, void *buf, size_t cap)
{
    int family = s->src.ss.ss_family;
    if ((family != AF_INET && family != AF_INET6) || s->dst.ss.ss_family != family) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    size_t iph = family == AF_INET ? IP4_HDR : IP6_HDR;
    unsigned char opts[TCP_OPT_MAX];
    size_t optlen = put_options(s, opts);
    size_t tcplen = TCP_HDR + optlen + s->len;
    if (iph + tcplen > cap || tcplen > 0xffff - IP4_HDR) {
        errno = EMSGSIZE;
        return -1;
    }
    unsigned char *ip = buf, *th = ip + iph;
    memset(ip, 0, iph + TCP_HDR);
    uint32_t sum = 0;
    uint8_t ttl = s->ttl ? s->ttl : 64;
    if (family == AF_INET) {
        const struct sockaddr_in *a = (const void *)&s->src.ss, *b = (const void *)&s->dst.ss;
        ip[0] = 0x45;
        put16(ip + 2, (uint16_t)(iph + tcplen));
        put16(ip + 6, 0x4000); /* don't fragment, as Linux sends TCP */
        ip[8] = ttl;
        ip[9] = IPPROTO_TCP;
        memcpy(ip + 12, &a->sin_addr, 4);
        memcpy(ip + 16, &b->sin_addr, 4);
        put16(ip + 10, fold(sum16(0, ip, IP4_HDR)));
        sum = sum16(sum16(0, ip + 12, 8), (const unsigned char[]){0, IPPROTO_TCP}, 2) +
              (uint32_t)tcplen;
        th[16] = 0;
    } else {
        const struct sockaddr_in6 *a = (const void *)&s->src.ss, *b = (const void *)&s->dst.ss;
        ip[0] = 0x60;
        put16(ip + 4, (uint16_t)tcplen);
        ip[6] = IPPROTO_TCP;
        ip[7] = ttl;
        memcpy(ip + 8, &a->sin6_addr, 16);
        memcpy(ip + 24, &b->sin6_addr, 16);
        sum = sum16(0, ip + 8, 32) + (uint32_t)tcplen + IPPROTO_TCP;
    }
    put16(th, lab_endpoint_port(&s->src));
    put16(th + 2, lab_endpoint_port(&s->dst));
    put32(th + 4, s->seq);
    put32(th + 8, s->ack);
    th[12] = (unsigned char)(((TCP_HDR + optlen) / 4) << 4);
    th[13] = s->flags;
    put16(th + 14, s->win);
    memcpy(th + TCP_HDR, opts, optlen);
    if (s->len)
        memcpy(th + TCP_HDR + optlen, s->data, s->len);
    put16(th + 16, fold(sum16(sum, th, tcplen)));
    return (ssize_t)(iph + tcplen);
}

static void set_addr(struct lab_endpoint *ep, int family, const unsigned char *addr, uint16_t port)
{
    memset(ep, 0, sizeof *ep);
    if (family == AF_INET) {
        struct sockaddr_in *a = (void *)&ep->ss;
        a->sin_family = AF_INET;
        memcpy(&a->sin_addr, addr, 4);
        ep->len = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (void *)&ep->ss;
        a->sin6_family = AF_INET6;
        memcpy(&a->sin6_addr, addr, 16);
        ep->len = sizeof *a;
    }
    lab_endpoint_set_port(ep, port);
}

/* The options of a parsed header; -1 if one runs past the header. */
static int get_options(struct lab_seg *s, const unsigned char *o, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (o[i] == 0)
            break;
        if (o[i] == 1) {
            i++;
            continue;
        }
        if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
            return -1;
        if (o[i] == 2 && o[i + 1] == 4)
            s->mss = get16(o + i + 2);
        else if (o[i] == 3 && o[i + 1] == 3)
            s->wscale = o[i + 2];
        else if (o[i] == 4 && o[i + 1] == 2)
            s->sack_ok = 1;
        else if (o[i] == 8 && o[i + 1] == 10)
            s->has_ts = 1, s->tsval = get32(o + i + 2), s->tsecr = get32(o + i + 6);
        i += o[i + 1];
    }
    return 0;
}

int lab_seg_parse(const void *pkt, size_t len, struct lab_seg *out)
{
    const unsigned char *ip = pkt;
    size_t iph, total;
    int family;
    if (len >= IP4_HDR && ip[0] >> 4 == 4) {
        family = AF_INET;
        iph = (size_t)(ip[0] & 0x0f) * 4;
        total = get16(ip + 2);
        if (iph < IP4_HDR || total < iph || total > len)
            goto malformed;
        if (ip[9] != IPPROTO_TCP || (get16(ip + 6) & 0x3fff) != 0)
            return 0; /* not TCP, or a fragment */
    } else if (len >= IP6_HDR && ip[0] >> 4 == 6) {
        family = AF_INET6;
        iph = IP6_HDR;
        total = IP6_HDR + get16(ip + 4);
        if (total > len)
            goto malformed;
        if (ip[6] != IPPROTO_TCP)
            return 0; /* ICMPv6, or extension headers a peer never sees from TCP */
    } else {
        return 0;
    }
    const unsigned char *th = ip + iph;
    size_t tcplen = total - iph, doff = (size_t)(th[12] >> 4) * 4;
    if (tcplen < TCP_HDR || doff < TCP_HDR || doff > tcplen)
        goto malformed;
    memset(out, 0, sizeof *out);
    out->wscale = -1;
    const unsigned char *src = family == AF_INET ? ip + 12 : ip + 8;
    const unsigned char *dst = family == AF_INET ? ip + 16 : ip + 24;
    set_addr(&out->src, family, src, get16(th));
    set_addr(&out->dst, family, dst, get16(th + 2));
    out->ttl = family == AF_INET ? ip[8] : ip[7];
    out->seq = get32(th + 4);
    out->ack = get32(th + 8);
    out->flags = th[13] & 0x1f;
    out->win = get16(th + 14);
    if (get_options(out, th + TCP_HDR, doff - TCP_HDR) < 0)
        goto malformed;
    out->data = th + doff;
    out->len = tcplen - doff;
    return 1;
malformed:
    errno = EINVAL;
    return -1;
}

uint32_t lab_seg_span(const struct lab_seg *s)
{
    return (uint32_t)s->len + !!(s->flags & LAB_TH_SYN) + !!(s->flags & LAB_TH_FIN);
}

const char *lab_seg_flags(uint8_t flags, char *buf, size_t len)
{
    char f[8];
    size_t n = 0;
    if (flags & LAB_TH_SYN)
        f[n++] = 'S';
    if (flags & LAB_TH_FIN)
        f[n++] = 'F';
    if (flags & LAB_TH_RST)
        f[n++] = 'R';
    if (flags & LAB_TH_PSH)
        f[n++] = 'P';
    if (flags & LAB_TH_ACK)
        f[n++] = '.';
    f[n] = '\0';
    snprintf(buf, len, "[%s]", f);
    return buf;
}

const char *lab_seg_format(const struct lab_seg *s, uint32_t seq_base, uint32_t ack_base, char *buf,
                           size_t len)
{
    char flags[8], opts[96] = "";
    size_t o = 0;
    uint32_t seq = s->seq - seq_base;
    if (s->mss)
        o += (size_t)snprintf(opts + o, sizeof opts - o, ",mss %u", (unsigned)s->mss);
    if (s->sack_ok && o < sizeof opts)
        o += (size_t)snprintf(opts + o, sizeof opts - o, ",sackOK");
    if (s->has_ts && o < sizeof opts)
        o += (size_t)snprintf(opts + o, sizeof opts - o, ",TS val %u ecr %u", (unsigned)s->tsval,
                              (unsigned)s->tsecr);
    if (s->wscale >= 0 && o < sizeof opts)
        snprintf(opts + o, sizeof opts - o, ",wscale %d", s->wscale);
    int n = snprintf(buf, len, "%s seq %u", lab_seg_flags(s->flags, flags, sizeof flags),
                     (unsigned)seq);
    if (s->len && n >= 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, ":%u", (unsigned)(seq + s->len));
    if ((s->flags & LAB_TH_ACK) && n >= 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, " ack %u", (unsigned)(s->ack - ack_base));
    if (n >= 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, " win %u", (unsigned)s->win);
    if (opts[0] && n >= 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, " <%s>", opts + 1);
    if (n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " len %zu", s->len);
    return buf;
}

int lab_seq_after(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}
