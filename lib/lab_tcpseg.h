/* lab_tcpseg: TCP segments in IPv4 and IPv6 packets, built and parsed by hand
 * (checksums included), for a scripted peer and its capture file. */
#ifndef LAB_TCPSEG_H
#define LAB_TCPSEG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lab_endpoint.h"

/* The TCP header's flag bits. */
enum {
    LAB_TH_FIN = 0x01,
    LAB_TH_SYN = 0x02,
    LAB_TH_RST = 0x04,
    LAB_TH_PSH = 0x08,
    LAB_TH_ACK = 0x10,
};

/* Room for the largest packet a scripted peer sends or takes in. */
#define LAB_SEG_MAX 2048

/* One segment with the IP header fields a peer cares about. */
struct lab_seg {
    struct lab_endpoint src, dst; /* addresses and ports, one family */
    uint32_t seq, ack;
    uint8_t flags;             /* LAB_TH_* */
    uint16_t win;              /* the window field as carried (unscaled) */
    uint16_t mss;              /* MSS option, 0 = none */
    int wscale;                /* window-scale option, -1 = none */
    int sack_ok;               /* SACK-permitted option */
    int has_ts;                /* timestamps option: */
    uint32_t tsval, tsecr;     /*   its two values */
    uint8_t ttl;               /* IPv4 TTL / IPv6 hop limit; 0 = 64 when built */
    const unsigned char *data; /* payload (parsed: points into the packet) */
    size_t len;
};

/* An empty segment from src to dst (no options, wscale -1, ttl 64). */
void lab_seg_init(struct lab_seg *s, const struct lab_endpoint *src,
                  const struct lab_endpoint *dst);

/* Write s as an IP packet into buf; its length, or -1 with errno (EMSGSIZE:
 * cap too small; EAFNOSUPPORT: not AF_INET/AF_INET6, or two families). */
ssize_t lab_seg_build(const struct lab_seg *s, void *buf, size_t cap);

/* Read an IP packet: 1 if it holds TCP (out filled, out->data pointing into
 * pkt), 0 if it holds anything else (ICMP, neighbour discovery, a fragment),
 * -1 with errno EINVAL if malformed. Checksums are not checked: a veth hands
 * over segments whose checksum the kernel left for hardware to fill in. */
int lab_seg_parse(const void *pkt, size_t len, struct lab_seg *out);

/* Sequence space the segment takes: payload bytes, plus one each for SYN and FIN. */
uint32_t lab_seg_span(const struct lab_seg *s);

/* "[S.]": tcpdump's flag letters (S F R P, '.' for ACK); returns buf (8 bytes do). */
const char *lab_seg_flags(uint8_t flags, char *buf, size_t len);

/* "[P.] seq 1:5 ack 1 win 512 <TS 9:7> len 4": tcpdump's line for the segment,
 * seq and ack relative to seq_base and ack_base (pass 0 for raw numbers);
 * returns buf, truncated to fit. */
const char *lab_seg_format(const struct lab_seg *s, uint32_t seq_base, uint32_t ack_base, char *buf,
                           size_t len);

/* 1 if sequence number a comes after b (modulo 2^32), else 0. */
int lab_seq_after(uint32_t a, uint32_t b);

#endif
