/* unit.lib.tcpseg: segments built and parsed back (IPv4 and IPv6, every
 * option), checksums that verify, malformed packets refused, and tcpdump's
 * way of writing a segment. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "lab_tcpseg.h"
#include "testlib.h"

/* The Internet checksum over a pseudo header and the segment: a packet whose
 * checksums are right sums to 0xffff. */
static unsigned fold(unsigned long sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (unsigned)sum;
}

static unsigned long sum16(unsigned long sum, const unsigned char *p, size_t len)
{
    for (; len > 1; p += 2, len -= 2)
        sum += (unsigned long)(p[0] << 8 | p[1]);
    if (len)
        sum += (unsigned long)p[0] << 8;
    return sum;
}

static void check_sums(const unsigned char *pkt, size_t len, int family)
{
    if (family == AF_INET) {
        CHECK(fold(sum16(0, pkt, 20)) == 0xffff, "IPv4 header checksum");
        unsigned long s = sum16(0, pkt + 12, 8) + 6 + (len - 20);
        CHECK(fold(sum16(s, pkt + 20, len - 20)) == 0xffff, "TCP checksum (IPv4)");
    } else {
        unsigned long s = sum16(0, pkt + 8, 32) + 6 + (len - 40);
        CHECK(fold(sum16(s, pkt + 40, len - 40)) == 0xffff, "TCP checksum (IPv6)");
    }
}

static void round_trip(const char *a, const char *b)
{
    struct lab_endpoint src = test_address(a, 40005, SOCK_STREAM);
    struct lab_endpoint dst = test_address(b, 19005, SOCK_STREAM);
    struct lab_seg s, got;
    lab_seg_init(&s, &src, &dst);
    s.seq = 4000000000u;
    s.ack = 17;
    s.flags = LAB_TH_SYN | LAB_TH_ACK;
    s.win = 65535;
    s.mss = 1460;
    s.wscale = 7;
    s.sack_ok = 1;
    s.has_ts = 1;
    s.tsval = 123456789;
    s.tsecr = 42;
    s.data = (const unsigned char *)"odd";
    s.len = 3; /* an odd length: the checksum's last byte is padded */
    unsigned char pkt[LAB_SEG_MAX];
    ssize_t n = lab_seg_build(&s, pkt, sizeof pkt);
    CHECK_SYS(n);
    int family = src.ss.ss_family;
    CHECK((size_t)n == (family == AF_INET ? 20u : 40u) + 20 + 20 + 3, "length %zd", n);
    check_sums(pkt, (size_t)n, family);
    CHECK(lab_seg_parse(pkt, (size_t)n, &got) == 1, "not parsed as TCP");
    CHECK(lab_endpoint_equal((struct sockaddr *)&got.src.ss, (struct sockaddr *)&src.ss) &&
              lab_endpoint_equal((struct sockaddr *)&got.dst.ss, (struct sockaddr *)&dst.ss),
          "addresses");
    CHECK(got.seq == s.seq && got.ack == s.ack && got.flags == s.flags && got.win == s.win,
          "header fields");
    CHECK(got.mss == 1460 && got.wscale == 7 && got.sack_ok && got.has_ts &&
              got.tsval == 123456789 && got.tsecr == 42,
          "options");
    CHECK(got.len == 3 && memcmp(got.data, "odd", 3) == 0 && got.ttl == 64, "payload, ttl");
    CHECK(lab_seg_span(&got) == 4, "span %u, want 3 bytes + SYN", lab_seg_span(&got));

    /* Without options, a FIN: the shortest header. */
    lab_seg_init(&s, &src, &dst);
    s.flags = LAB_TH_FIN | LAB_TH_ACK;
    n = lab_seg_build(&s, pkt, sizeof pkt);
    CHECK(n == (family == AF_INET ? 40 : 60), "bare FIN length %zd", n);
    check_sums(pkt, (size_t)n, family);
    CHECK(lab_seg_parse(pkt, (size_t)n, &got) == 1 && got.wscale == -1 && !got.has_ts && !got.mss &&
              lab_seg_span(&got) == 1,
          "bare FIN parsed");

    /* Too small a buffer, mixed families. */
    CHECK_ERRNO(lab_seg_build(&s, pkt, 39), EMSGSIZE);
    struct lab_endpoint other =
        test_address(family == AF_INET ? "::1" : "127.0.0.1", 1, SOCK_STREAM);
    lab_seg_init(&s, &src, &other);
    CHECK_ERRNO(lab_seg_build(&s, pkt, sizeof pkt), EAFNOSUPPORT);
}

static void refused(void)
{
    struct lab_endpoint src = test_address("192.0.2.2", 1, SOCK_STREAM);
    struct lab_endpoint dst = test_address("192.0.2.1", 2, SOCK_STREAM);
    struct lab_seg s, got;
    lab_seg_init(&s, &src, &dst);
    s.flags = LAB_TH_ACK;
    unsigned char pkt[LAB_SEG_MAX];
    ssize_t n = lab_seg_build(&s, pkt, sizeof pkt);
    CHECK_SYS(n);
    CHECK_ERRNO(lab_seg_parse(pkt, 30, &got), EINVAL); /* total length beyond the bytes */
    unsigned char bad[LAB_SEG_MAX];
    memcpy(bad, pkt, (size_t)n);
    bad[32] = 0x30; /* data offset 12 bytes: shorter than a TCP header */
    CHECK_ERRNO(lab_seg_parse(bad, (size_t)n, &got), EINVAL);
    memcpy(bad, pkt, (size_t)n);
    bad[9] = 17; /* UDP: not ours, not an error */
    CHECK(lab_seg_parse(bad, (size_t)n, &got) == 0, "UDP taken for TCP");
    memcpy(bad, pkt, (size_t)n);
    bad[6] = 0x20; /* more fragments */
    CHECK(lab_seg_parse(bad, (size_t)n, &got) == 0, "a fragment taken for TCP");
    CHECK(lab_seg_parse("\x10\x00", 2, &got) == 0, "two bytes taken for TCP");
    /* An option running past the header. */
    lab_seg_init(&s, &src, &dst);
    s.mss = 1000;
    n = lab_seg_build(&s, pkt, sizeof pkt);
    pkt[41] = 9; /* MSS option claims 9 bytes, 4 are left */
    CHECK_ERRNO(lab_seg_parse(pkt, (size_t)n, &got), EINVAL);
}

static void format(void)
{
    struct lab_endpoint src = test_address("192.0.2.2", 40005, SOCK_STREAM);
    struct lab_endpoint dst = test_address("192.0.2.1", 19005, SOCK_STREAM);
    struct lab_seg s;
    char buf[160];
    lab_seg_init(&s, &src, &dst);
    s.flags = LAB_TH_PSH | LAB_TH_ACK;
    s.seq = 1010;
    s.ack = 2001;
    s.win = 512;
    s.has_ts = 1;
    s.tsval = 9;
    s.tsecr = 7;
    s.data = (const unsigned char *)"data";
    s.len = 4;
    lab_seg_format(&s, 1000, 2000, buf, sizeof buf);
    CHECK(strcmp(buf, "[P.] seq 10:14 ack 1 win 512 <TS val 9 ecr 7> len 4") == 0, "got \"%s\"",
          buf);
    s.flags = LAB_TH_SYN;
    s.has_ts = 0;
    s.len = 0;
    s.mss = 1460;
    s.wscale = 7;
    lab_seg_format(&s, 0, 0, buf, sizeof buf);
    CHECK(strcmp(buf, "[S] seq 1010 win 512 <mss 1460,wscale 7> len 0") == 0, "got \"%s\"", buf);
    s.flags = LAB_TH_RST;
    s.mss = 0;
    s.wscale = -1;
    lab_seg_format(&s, 10, 0, buf, 12);
    CHECK(strlen(buf) == 11 && strncmp(buf, "[R] seq 100", 11) == 0, "truncated: \"%s\"", buf);
    CHECK(strcmp(lab_seg_flags(LAB_TH_SYN | LAB_TH_FIN | LAB_TH_RST | LAB_TH_PSH | LAB_TH_ACK, buf,
                               sizeof buf),
                 "[SFRP.]") == 0,
          "flags \"%s\"", buf);
    CHECK(lab_seq_after(1, 0xffffffffu) && !lab_seq_after(0xffffffffu, 1) && !lab_seq_after(5, 5),
          "sequence comparison across the wrap");
}

int main(void)
{
    round_trip("192.0.2.2", "192.0.2.1");
    round_trip("2001:db8::2", "2001:db8::1");
    refused();
    format();
    puts("ok");
    return 0;
}
