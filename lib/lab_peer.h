/* lab_peer: one end of a TCP connection played by hand over a lab_rawlink, so
 * a script can do what an honest kernel never does (hold back an ACK, send an
 * old segment again, reuse a 4-tuple at once); sequence numbers, window and
 * timestamps are kept the way a real endpoint keeps them, every segment is
 * shown to a hook and written to a capture. */
#ifndef LAB_PEER_H
#define LAB_PEER_H

#include <stddef.h>
#include <stdint.h>

#include "lab_endpoint.h"
#include "lab_rawlink.h"
#include "lab_tcpseg.h"

struct lab_peer;

/* Told of each segment: sent 1 for ours, 0 for one the kernel sent us. */
typedef void (*lab_peer_hook)(const struct lab_peer *p, int sent, const struct lab_seg *s);

struct lab_peer {
    struct lab_rawlink *link;
    struct lab_endpoint self, kernel; /* our address:port and the kernel socket's */
    uint32_t iss, snd_nxt;            /* our initial and next sequence numbers */
    uint32_t irs, rcv_nxt;            /* the kernel's initial one, and all we took in */
    uint16_t win;                     /* the window field we send */
    int wscale;                       /* window-scale option of our SYN, -1 none */
    int ts;                           /* send timestamps (offered in the SYN; kept if agreed) */
    uint32_t ts_offset;               /* our TS clock: milliseconds since init plus this */
    uint32_t ts_recent;               /* the kernel's last TSval, which we echo */
    long long start_ms;
    int pcap_fd; /* -1: no capture */
    lab_peer_hook hook;
    void *ctx;
    unsigned char rx[LAB_SEG_MAX]; /* the last packet taken in; a received lab_seg points here */
};

/* A closed connection from self to kernel starting at iss: window 65535, no
 * window scale, no timestamps, no capture, no hook. */
void lab_peer_init(struct lab_peer *p, struct lab_rawlink *link, const struct lab_endpoint *self,
                   const struct lab_endpoint *kernel, uint32_t iss);

/* Our timestamp clock now (milliseconds, as Linux's is). */
uint32_t lab_peer_tsval(const struct lab_peer *p);

/* Fill s with the segment our state gives: seq snd_nxt, ack rcv_nxt (if flags
 * has ACK), our window and timestamps; nothing is sent. */
void lab_peer_make(const struct lab_peer *p, uint8_t flags, const void *data, size_t len,
                   struct lab_seg *s);

/* Send s exactly as it is (a replay keeps its old numbers); 0 or -1 with errno. */
int lab_peer_send_seg(struct lab_peer *p, const struct lab_seg *s);

/* lab_peer_make, send, and move snd_nxt past it; 0 or -1 with errno. */
int lab_peer_send(struct lab_peer *p, uint8_t flags, const void *data, size_t len);

/* The next segment the kernel socket sends us within timeout_ms (anything
 * else on the link is skipped), taken in: a SYN sets irs, an in-order segment
 * moves rcv_nxt, a timestamp becomes ts_recent. 0, or -1 with errno
 * (ETIMEDOUT). s->data stays valid until the next receive. */
int lab_peer_recv(struct lab_peer *p, struct lab_seg *s, int timeout_ms);

/* lab_peer_recv until a segment carrying every bit of flags (others are taken
 * in too); 0, or -1 with errno (ETIMEDOUT; ECONNRESET on an RST unless flags
 * asks for one). */
int lab_peer_expect(struct lab_peer *p, uint8_t flags, struct lab_seg *s, int timeout_ms);

/* The three-way handshake: SYN (MSS 1460 and our options), the kernel's
 * SYN,ACK, our ACK; 0, or -1 with errno (ECONNREFUSED on an RST, ETIMEDOUT). */
int lab_peer_connect(struct lab_peer *p, int timeout_ms);

/* The kernel closed first: take its FIN, ACK it, send ours and take the
 * kernel's last ACK (the kernel's socket is then in TIME_WAIT); 0, or -1 with
 * errno. */
int lab_peer_finish_close(struct lab_peer *p, int timeout_ms);

/* Send our FIN once more, with the sequence number it had (as when its ACK
 * was lost); 0, or -1 with errno (EINVAL if we sent no FIN yet). */
int lab_peer_resend_fin(struct lab_peer *p);

#endif
