/* lab_rawlink: a link on which this process writes and reads whole IP
 * packets, with this network namespace's kernel on the other side; a peer
 * address routed through it belongs to no socket, so the process can play
 * that peer. Either a TUN device, or a veth pair whose far end an AF_PACKET
 * socket drives (for those who may not open /dev/net/tun). */
#ifndef LAB_RAWLINK_H
#define LAB_RAWLINK_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

enum lab_rawlink_kind {
    LAB_RAWLINK_ANY = 0, /* TUN if permitted, else veth + AF_PACKET */
    LAB_RAWLINK_TUN,
    LAB_RAWLINK_PACKET,
};

struct lab_rawlink {
    int fd;
    int kind;             /* LAB_RAWLINK_TUN or LAB_RAWLINK_PACKET once open */
    int ifindex;          /* PACKET: the far end the socket is bound to */
    unsigned char mac[6]; /* PACKET: the kernel end's MAC, every frame's destination */
    char ifname[16];      /* the kernel's interface */
};

/* The kernel's interface name (the far end of a veth is NAME "-peer"). */
#define LAB_RAWLINK_IFNAME "socklab0"

/* Create the link in this network namespace, which must be a private one (the
 * link lives as long as the namespace), give the kernel's end kernel_addr
 * with prefixlen and bring it up, so the kernel routes that prefix through
 * it; return once the kernel answers a segment from peer_addr (an address of
 * that prefix) through it. 0, or -1 with errno and a one-line reason in why. */
int lab_rawlink_open(struct lab_rawlink *l, int kind, const struct sockaddr *kernel_addr,
                     const struct sockaddr *peer_addr, int prefixlen, char *why, size_t whylen);

/* Hand one IP packet to the kernel; 0, or -1 with errno. */
int lab_rawlink_send(const struct lab_rawlink *l, const void *pkt, size_t len);

/* The next IP packet the kernel sent into the link, within timeout_ms; its
 * length, or -1 with errno (ETIMEDOUT on the bound). */
ssize_t lab_rawlink_recv(const struct lab_rawlink *l, void *buf, size_t cap, int timeout_ms);

/* Close the fd (the interface goes with the namespace). */
void lab_rawlink_close(struct lab_rawlink *l);

/* "TUN" or "veth+AF_PACKET". */
const char *lab_rawlink_kind_name(int kind);

#endif
