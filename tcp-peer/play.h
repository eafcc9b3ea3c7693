/* tcp-peer's shared state and steps: the kernel's socket on one side (its
 * application narrated as "server"), the scripted peer on the other
 * ("peer"), one private network namespace between them. */
#ifndef TCP_PEER_PLAY_H
#define TCP_PEER_PLAY_H

#include <stdint.h>

#include "lab_diag.h"
#include "lab_narrate.h"
#include "lab_peer.h"

#define TCP_PEER_PORT 19005      /* the kernel socket's port */
#define TCP_PEER_PEER_PORT 40005 /* the scripted peer's port */

/* old-duplicate's --guard: what stands between an old segment and a new
 * connection on the same 4-tuple. */
enum guard { GUARD_NONE, GUARD_TIME_WAIT, GUARD_TIMESTAMPS };

struct play {
    struct lab_narrator app;  /* the kernel socket's application */
    struct lab_narrator wire; /* the scripted peer */
    struct lab_rawlink link;
    struct lab_peer peer;
    struct lab_endpoint kernel_ep; /* 192.0.2.1 or 2001:db8::1, --port */
    struct lab_endpoint peer_ep;   /* 192.0.2.2 or 2001:db8::2, TCP_PEER_PEER_PORT */
    int timeout_ms;                /* bound on every wait */
    int pcap_fd;                   /* --pcap, or -1 */
    int guard;                     /* old-duplicate: enum guard */
    long rfc1337;                  /* rst-into-time-wait: net.ipv4.tcp_rfc1337 */
    long resends;                  /* hold-last-ack, drop-synack: retransmissions to wait for */
    int listener;                  /* the kernel's listening socket, or -1 */
};

/* The scenarios, one function each in scenarios/<name>.c. */
int old_duplicate(struct play *pl);
int rst_into_time_wait(struct play *pl);
int fin_into_time_wait(struct play *pl);
int hold_last_ack(struct play *pl);
int drop_synack(struct play *pl);

/* A new scripted connection from port (peer_ep's address) with initial
 * sequence number iss, narrated and captured. */
void play_peer_new(struct play *pl, uint16_t port, uint32_t iss);

/* The kernel side listens on kernel_ep (SO_REUSEADDR off); ends the program on failure. */
void play_listen(struct play *pl);

/* The peer's handshake with the listener, then the application's accept();
 * the accepted fd. */
int play_connect_accept(struct play *pl);

/* The peer sends flags (and data), or the program ends. */
void play_send(struct play *pl, uint8_t flags, const char *data);

/* The next segment carrying every bit of flags, or the program ends. */
void play_expect(struct play *pl, uint8_t flags, struct lab_seg *s);

/* The application reads until EOF is seen (the peer's FIN), or the program ends. */
void play_read_eof(struct play *pl, int fd);

/* The application close()s fd, narrated with the state it leaves. */
void play_close(struct play *pl, int *fd);

/* The kernel's side of the 4-tuple as sock_diag lists it: 1 found (narrated
 * with its state and timer), 0 gone (narrated), the program ends on error. */
int play_kernel_conn(struct play *pl, struct lab_conn *c);

/* The kernel closes first and the peer finishes the close: the kernel's
 * socket in TIME_WAIT (into *c), the peer with nothing left to send. */
void play_kernel_time_wait(struct play *pl, struct lab_conn *c);

/* The peer sends its FIN again, with its old sequence number. */
void play_resend_fin(struct play *pl);

#endif
