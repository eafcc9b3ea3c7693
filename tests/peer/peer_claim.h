/* peer_claim.h: what the scripted-peer claim tests share: a raw link in the
 * test's own network namespace, a kernel listener at 192.0.2.1 (or
 * 2001:db8::1) and a lab_peer at .2 (::2) that plays the other end. */
#ifndef SOCKLAB_PEER_CLAIM_H
#define SOCKLAB_PEER_CLAIM_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_diag.h"
#include "lab_kstat.h"
#include "lab_peer.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

#define PC_PORT 19005
#define PC_WAIT 2000 /* bound on every wait, in ms */

struct peer_claim {
    struct lab_rawlink link;
    struct lab_peer p;
    struct lab_endpoint kernel, peer_addr;
    int listener;
};

/* The link (TUN, else veth + AF_PACKET; SKIP when neither may be had) and a
 * kernel listener; the peer is set up from port with iss, no options. */
static inline void pc_open(struct peer_claim *c, int family, uint16_t port, uint32_t iss)
{
    test_require_private_netns();
    const char *k = family == AF_INET ? "192.0.2.1" : "2001:db8::1";
    const char *me = family == AF_INET ? "192.0.2.2" : "2001:db8::2";
    c->kernel = test_address(k, PC_PORT, SOCK_STREAM);
    c->peer_addr = test_address(me, port, SOCK_STREAM);
    char why[256];
    if (lab_rawlink_open(&c->link, LAB_RAWLINK_ANY, (struct sockaddr *)&c->kernel.ss,
                         (struct sockaddr *)&c->peer_addr.ss, family == AF_INET ? 24 : 64, why,
                         sizeof why) < 0)
        SKIP("neither TUN nor veth with AF_PACKET may be used here: %s", why);
    CHECK_SYS(c->listener = lab_tcp_listen(&c->kernel, 8, 0));
    lab_peer_init(&c->p, &c->link, &c->peer_addr, &c->kernel, iss);
}

/* A new connection of the peer from port (same address) with iss, keeping
 * the old one's options; the old struct is left as it was in *old if non-NULL. */
static inline void pc_reconnect_from(struct peer_claim *c, uint16_t port, uint32_t iss,
                                     struct lab_peer *old)
{
    if (old)
        *old = c->p;
    int ts = c->p.ts, wscale = c->p.wscale;
    long long start = c->p.start_ms;
    uint32_t off = c->p.ts_offset;
    struct lab_endpoint self = c->peer_addr;
    lab_endpoint_set_port(&self, port);
    lab_peer_init(&c->p, &c->link, &self, &c->kernel, iss);
    c->p.ts = ts, c->p.wscale = wscale, c->p.start_ms = start, c->p.ts_offset = off;
}

/* Handshake and accept(): the accepted fd. */
static inline int pc_accept(struct peer_claim *c)
{
    CHECK(lab_peer_connect(&c->p, PC_WAIT) == 0, "handshake: errno=%s", lab_errno_name(errno));
    int fd = lab_accept_bounded(c->listener, PC_WAIT, NULL);
    CHECK(fd >= 0, "accept: errno=%s", lab_errno_name(errno));
    return fd;
}

/* The kernel's side of the peer's current 4-tuple: 1 (into *conn) or 0 gone. */
static inline int pc_find(struct peer_claim *c, struct lab_conn *conn)
{
    int found =
        lab_diag_find((struct sockaddr *)&c->kernel.ss, (struct sockaddr *)&c->p.self.ss, conn);
    CHECK(found >= 0, "sock_diag: errno=%s", lab_errno_name(errno));
    return found;
}

/* The kernel closes first, the peer finishes: the kernel's socket in TIME_WAIT. */
static inline void pc_kernel_time_wait(struct peer_claim *c, struct lab_conn *conn)
{
    int fd = pc_accept(c);
    CHECK_SYS(close(fd));
    CHECK(lab_peer_finish_close(&c->p, PC_WAIT) == 0, "close: errno=%s", lab_errno_name(errno));
    int rc = lab_diag_wait((struct sockaddr *)&c->kernel.ss, (struct sockaddr *)&c->p.self.ss,
                           LAB_STATE_BIT(LAB_TCP_TIME_WAIT), PC_WAIT, conn);
    CHECK(rc == 1, "no TIME_WAIT (rc %d, state %s)", rc, lab_tcp_state_name(conn->state));
}

/* The first connection of the old-duplicate claims: "old data" sent (a copy
 * kept in *dup) and read, the peer closes first, the kernel answers and its
 * socket is gone: no TIME_WAIT on either side. */
static inline void pc_first_connection(struct peer_claim *c, struct lab_seg *dup)
{
    char buf[32];
    struct lab_seg s;
    struct lab_conn conn;
    int fd = pc_accept(c);
    lab_peer_make(&c->p, LAB_TH_PSH | LAB_TH_ACK, "old data", 8, dup);
    CHECK_SYS(lab_peer_send(&c->p, LAB_TH_PSH | LAB_TH_ACK, "old data", 8));
    CHECK(lab_read_bounded(fd, buf, sizeof buf, PC_WAIT) == 8, "first read");
    CHECK_SYS(lab_peer_send(&c->p, LAB_TH_FIN | LAB_TH_ACK, NULL, 0));
    CHECK(lab_read_bounded(fd, buf, sizeof buf, PC_WAIT) == 0, "EOF");
    CHECK_SYS(close(fd));
    CHECK_SYS(lab_peer_expect(&c->p, LAB_TH_FIN, &s, PC_WAIT));
    CHECK_SYS(lab_peer_send(&c->p, LAB_TH_ACK, NULL, 0));
    int rc = lab_diag_wait((struct sockaddr *)&c->kernel.ss, (struct sockaddr *)&c->p.self.ss, 0,
                           PC_WAIT, &conn);
    CHECK(rc == 0, "first connection not gone: %s", lab_tcp_state_name(conn.state));
}

/* The second connection on the same 4-tuple, its ISN putting dup's bytes
 * right after "new data "; "new data " sent and ACKed. The accepted fd. */
static inline int pc_second_connection(struct peer_claim *c, const struct lab_seg *dup)
{
    struct lab_seg ack;
    pc_reconnect_from(c, lab_endpoint_port(&c->p.self), dup->seq - 1 - 9, NULL);
    if (c->p.ts && lab_peer_tsval(&c->p) < dup->tsval + 2) /* PAWS forgives one tick */
        c->p.ts_offset += dup->tsval + 2 - lab_peer_tsval(&c->p);
    int fd = pc_accept(c);
    CHECK_SYS(lab_peer_send(&c->p, LAB_TH_PSH | LAB_TH_ACK, "new data ", 9));
    CHECK_SYS(lab_peer_expect(&c->p, LAB_TH_ACK, &ack, PC_WAIT));
    CHECK(ack.ack == c->p.snd_nxt, "new data not ACKed");
    return fd;
}

/* All the application can read now (the kernel answered what it got). */
static inline size_t pc_read_all(int fd, char *buf, size_t len)
{
    size_t got = 0;
    ssize_t r;
    while (got < len - 1 && (r = lab_read_bounded(fd, buf + got, len - 1 - got, 0)) > 0)
        got += (size_t)r;
    buf[got] = '\0';
    return got;
}

/* The address family a test's first argument names (v4, the default, or v6). */
static inline int pc_family(int argc, char **argv)
{
    return argc > 1 && strcmp(argv[1], "v6") == 0 ? AF_INET6 : AF_INET;
}

#endif
