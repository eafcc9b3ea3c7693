/* claim.C27: with TCP timestamps, PAWS keeps the old copy out. The same story
 * as C26, but both connections carry timestamps (RFC 7323) from one clock:
 * the old copy's TSval is older than the last one the new connection took
 * in, so the kernel drops it (TcpExtPAWSEstab +1), answers with a duplicate
 * ACK and the application reads "new data " only. */
#include "peer_claim.h"

int main(int argc, char **argv)
{
    struct peer_claim c;
    struct lab_seg dup, ack;
    char buf[64];
    pc_open(&c, pc_family(argc, argv), 40005, 1000000);
    c.p.wscale = 7;
    c.p.ts = 1;
    pc_first_connection(&c, &dup);
    CHECK(dup.has_ts, "the first connection did not agree on timestamps");
    int fd = pc_second_connection(&c, &dup);
    CHECK(c.p.ts, "the second connection did not agree on timestamps");
    unsigned long long paws = test_counter("TcpExt", "PAWSEstab");
    uint32_t acked = c.p.snd_nxt;
    CHECK_SYS(lab_peer_send_seg(&c.p, &dup));
    CHECK_SYS(lab_peer_expect(&c.p, LAB_TH_ACK, &ack, PC_WAIT));
    CHECK(ack.ack == acked, "the old copy was ACKed (ack %u, want %u)", (unsigned)ack.ack,
          (unsigned)acked);
    unsigned long long moved = test_counter("TcpExt", "PAWSEstab") - paws;
    CHECK(moved == 1, "TcpExtPAWSEstab moved by %llu, want 1", moved);
    size_t n = pc_read_all(fd, buf, sizeof buf);
    CHECK(strcmp(buf, "new data ") == 0, "read \"%s\" (%zu bytes)", buf, n);
    printf("ok: PAWS dropped the old copy (its TSval %u, the peer's clock now %u): read \"%s\"\n",
           (unsigned)dup.tsval, (unsigned)lab_peer_tsval(&c.p), buf);
    close(fd);
    return 0;
}
