/* claim.C26: without TCP timestamps, a sequence number lets an old segment
 * into a new connection; only TIME_WAIT keeps such copies out for sure. A
 * copy of the first connection's data segment ("old data"), delivered once,
 * arrives again in a second connection on the same 4-tuple, opened at once
 * (the peer kept no TIME_WAIT; the kernel, passive closer, keeps none) with an
 * ISN that puts the copy right after "new data ".
 * 1. With an ack number inside the new connection (as a copy from an old
 *    connection that carried more data would bear), the kernel ACKs it and
 *    the application reads "new data old data", on every kernel.
 * 2. With its own, old ack number, which lies before the new connection's
 *    ISN (the ISN clock moved on), the kernels differ: 6.18's fast path
 *    queues the in-order bytes before it checks the ack (read: "new data old
 *    data"); Debian 12's 6.1 checks first and drops it (RFC 5961 5.2,
 *    TcpExtTCPChallengeACK). Either way coherently: the test says which. */
#include "peer_claim.h"

/* Connections on port: the second one's "new data " sent, the copy (its ack
 * number rewritten if in_window) sent; 1 if the kernel took it in. */
static int replay(struct peer_claim *c, uint16_t port, int in_window, char *buf, size_t len)
{
    struct lab_seg dup, ack;
    pc_reconnect_from(c, port, 1000000, NULL);
    pc_first_connection(c, &dup);
    int fd = pc_second_connection(c, &dup);
    if (in_window)
        dup.ack = c->p.rcv_nxt;
    unsigned long long challenges = test_counter("TcpExt", "TCPChallengeACK");
    CHECK_SYS(lab_peer_send_seg(&c->p, &dup));
    CHECK_SYS(lab_peer_expect(&c->p, LAB_TH_ACK, &ack, PC_WAIT));
    int taken = ack.ack == dup.seq + 8;
    CHECK(taken || ack.ack == dup.seq, "the kernel's ACK %u is neither before nor after the copy",
          (unsigned)ack.ack);
    pc_read_all(fd, buf, len);
    if (taken) {
        CHECK(strcmp(buf, "new data old data") == 0, "copy ACKed, yet read \"%s\"", buf);
    } else {
        CHECK(strcmp(buf, "new data ") == 0, "copy not ACKed, yet read \"%s\"", buf);
        CHECK(test_counter("TcpExt", "TCPChallengeACK") > challenges,
              "copy dropped without a challenge ACK: not for its ack number");
    }
    close(fd);
    return taken;
}

int main(int argc, char **argv)
{
    struct peer_claim c;
    char buf[64];
    pc_open(&c, pc_family(argc, argv), 40005, 1000000);
    c.p.wscale = 7;
    CHECK(replay(&c, 40005, 1, buf, sizeof buf), "an in-window copy was dropped");
    int own = replay(&c, 40006, 0, buf, sizeof buf);
    printf("ok: an in-window old copy was read as new data (\"new data old data\"); with its own "
           "old ack number it was %s\n",
           own ? "read too (the fast path queued it before checking the ack)"
               : "dropped for that ack number alone (TcpExtTCPChallengeACK)");
    return 0;
}
