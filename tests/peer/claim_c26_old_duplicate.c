/* claim.C26: without TCP timestamps, only TIME_WAIT keeps an old segment out
 * of a new connection. A copy of the first connection's data segment ("old
 * data"), delivered once, arrives again in a second connection on the same
 * 4-tuple, opened at once (the peer kept no TIME_WAIT; the kernel, passive
 * closer, keeps none) with an ISN that puts the copy right after "new data ":
 * the kernel ACKs it and the application reads "new data old data". Its ack
 * number is the old connection's, yet the bytes go in (header prediction
 * queues in-order data before it looks at the ack). */
#include "peer_claim.h"

int main(int argc, char **argv)
{
    struct peer_claim c;
    struct lab_seg dup, ack;
    char buf[64];
    pc_open(&c, pc_family(argc, argv), 40005, 1000000);
    c.p.wscale = 7;
    pc_first_connection(&c, &dup);
    int fd = pc_second_connection(&c, &dup);
    CHECK_SYS(lab_peer_send_seg(&c.p, &dup));
    CHECK_SYS(lab_peer_expect(&c.p, LAB_TH_ACK, &ack, PC_WAIT));
    CHECK(ack.ack == dup.seq + 8, "the old copy was not ACKed (ack %u, want %u)", (unsigned)ack.ack,
          (unsigned)(dup.seq + 8));
    size_t n = pc_read_all(fd, buf, sizeof buf);
    CHECK(strcmp(buf, "new data old data") == 0, "read \"%s\" (%zu bytes)", buf, n);
    printf("ok: the new connection read \"%s\": the old copy's bytes as its own\n", buf);
    close(fd);
    return 0;
}
