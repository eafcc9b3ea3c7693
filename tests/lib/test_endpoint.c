/* unit.lib.endpoint: resolving, printing, comparing and reading back socket
 * addresses, so what one program prints another accepts. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "lab_endpoint.h"
#include "testlib.h"

static void resolve_ok(const char *host, uint16_t port, int socktype, struct lab_endpoint *ep)
{
    char err[128] = "";
    int rc = lab_endpoint_resolve(host, port, socktype, ep, err, sizeof err);
    CHECK(rc == 0, "resolve '%s': %s", host ? host : "(null)", err);
}

static void resolve_bad(const char *host, const char *want_in_err)
{
    struct lab_endpoint ep;
    char err[128] = "";
    int rc = lab_endpoint_resolve(host, 80, SOCK_STREAM, &ep, err, sizeof err);
    CHECK(rc == -1, "resolve '%s' succeeded", host);
    CHECK(err[0] != '\0' && strchr(err, '\n') == NULL, "resolve '%s': reason '%s'", host, err);
    CHECK(strstr(err, want_in_err) != NULL, "resolve '%s': reason '%s' lacks '%s'", host, err,
          want_in_err);
}

static void expect_format(const struct lab_endpoint *ep, const char *want)
{
    char buf[LAB_ENDPOINT_STRLEN];
    const char *s = lab_endpoint_format((const struct sockaddr *)&ep->ss, buf, sizeof buf);
    CHECK(s == buf, "format does not return its buffer");
    CHECK(strcmp(buf, want) == 0, "format: '%s', want '%s'", buf, want);
}

static void test_resolve(void)
{
    struct lab_endpoint ep;

    resolve_ok("127.0.0.1", 19001, SOCK_STREAM, &ep);
    CHECK(ep.ss.ss_family == AF_INET, "family %d", ep.ss.ss_family);
    CHECK(ep.len == sizeof(struct sockaddr_in), "len %u", (unsigned)ep.len);
    CHECK(lab_endpoint_port(&ep) == 19001, "port %u", lab_endpoint_port(&ep));
    expect_format(&ep, "127.0.0.1:19001");

    resolve_ok(NULL, 7, SOCK_DGRAM, &ep); /* NULL means loopback */
    CHECK(lab_endpoint_is_loopback(&ep), "NULL host is not loopback");
    expect_format(&ep, "127.0.0.1:7");

    resolve_ok("::1", 19002, SOCK_DGRAM, &ep);
    CHECK(ep.ss.ss_family == AF_INET6, "family %d", ep.ss.ss_family);
    CHECK(ep.len == sizeof(struct sockaddr_in6), "len %u", (unsigned)ep.len);
    expect_format(&ep, "[::1]:19002");

    /* The bracketed form that format prints is accepted back. */
    struct lab_endpoint br;
    resolve_ok("[::1]", 19002, SOCK_DGRAM, &br);
    CHECK(lab_endpoint_equal((const struct sockaddr *)&ep.ss, (const struct sockaddr *)&br.ss),
          "[::1] differs from ::1");

    resolve_ok("localhost", 80, SOCK_STREAM, &ep);
    CHECK(ep.ss.ss_family == AF_INET || ep.ss.ss_family == AF_INET6, "family %d", ep.ss.ss_family);
    CHECK(lab_endpoint_is_loopback(&ep), "localhost is not loopback");
    CHECK(lab_endpoint_port(&ep) == 80, "port %u", lab_endpoint_port(&ep));

    resolve_ok("0.0.0.0", 0, SOCK_STREAM, &ep);
    expect_format(&ep, "0.0.0.0:0");

    /* Digits and dots are an address, never a name for DNS: said so without
     * asking a resolver (whose answer would be "temporary failure", slowly). */
    resolve_bad("300.1.1.1", "'300.1.1.1' (not an IPv4 address");
    resolve_bad("1.2.3", "'1.2.3' (not an IPv4 address");
    resolve_bad("1.2.3.4.5", "not an IPv4 address");
    resolve_bad("80", "not an IPv4 address");
    resolve_bad("1:2:3:4:5:6:7:8:9", "'1:2:3:4:5:6:7:8:9' (not an IPv6 address)");
    resolve_bad("not a host!!", "not a host!!");
    resolve_bad("", "empty");
    resolve_bad("[]", "empty");
    resolve_bad("[::1", "[::1");
    resolve_bad("::1::2", "not an IPv6 address");
}

static void test_format(void)
{
    struct lab_endpoint ep;
    memset(&ep, 0, sizeof ep);
    struct sockaddr_in *in = (struct sockaddr_in *)(void *)&ep.ss;
    in->sin_family = AF_INET;
    in->sin_port = htons(65535);
    in->sin_addr.s_addr = htonl(0x01020304);
    expect_format(&ep, "1.2.3.4:65535");

    memset(&ep, 0, sizeof ep);
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)&ep.ss;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(443);
    CHECK(inet_pton(AF_INET6, "2001:db8::1", &in6->sin6_addr) == 1, "inet_pton");
    expect_format(&ep, "[2001:db8::1]:443");
    CHECK(inet_pton(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &in6->sin6_addr) == 1,
          "inet_pton");
    expect_format(&ep, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:443");

    memset(&ep, 0, sizeof ep);
    ep.ss.ss_family = AF_UNSPEC;
    expect_format(&ep, "AF_UNSPEC");
    ep.ss.ss_family = AF_UNIX;
    char want[32];
    snprintf(want, sizeof want, "<family %d>", AF_UNIX);
    expect_format(&ep, want);

    /* A short buffer is truncated, never overrun, and stays a string. */
    resolve_ok("127.0.0.1", 19001, SOCK_STREAM, &ep);
    char small[8];
    memset(small, 'X', sizeof small);
    lab_endpoint_format((const struct sockaddr *)&ep.ss, small, 5);
    CHECK(strcmp(small, "127.") == 0, "truncated to '%s'", small);
    CHECK(small[5] == 'X', "wrote past buflen");
}

static void test_port_and_loopback(void)
{
    struct lab_endpoint ep;
    resolve_ok("127.0.0.1", 1, SOCK_STREAM, &ep);
    lab_endpoint_set_port(&ep, 65535);
    CHECK(lab_endpoint_port(&ep) == 65535, "v4 port %u", lab_endpoint_port(&ep));
    expect_format(&ep, "127.0.0.1:65535");
    lab_endpoint_set_port(&ep, 0);
    CHECK(lab_endpoint_port(&ep) == 0, "v4 port %u", lab_endpoint_port(&ep));

    resolve_ok("::1", 1, SOCK_STREAM, &ep);
    lab_endpoint_set_port(&ep, 4242);
    CHECK(lab_endpoint_port(&ep) == 4242, "v6 port %u", lab_endpoint_port(&ep));
    expect_format(&ep, "[::1]:4242");

    struct lab_endpoint other;
    memset(&other, 0, sizeof other);
    other.ss.ss_family = AF_UNIX;
    lab_endpoint_set_port(&other, 80); /* no port to set: must not write */
    struct lab_endpoint zero;
    memset(&zero, 0, sizeof zero);
    zero.ss.ss_family = AF_UNIX;
    CHECK(memcmp(&other, &zero, sizeof other) == 0, "set_port wrote into AF_UNIX");
    CHECK(lab_endpoint_port(&other) == 0, "AF_UNIX port %u", lab_endpoint_port(&other));
    CHECK(!lab_endpoint_is_loopback(&other), "AF_UNIX is loopback");

    static const struct {
        const char *host;
        int loopback;
    } cases[] = {
        {"127.0.0.1", 1},
        {"127.255.255.254", 1},
        {"127.1.2.3", 1},
        {"::1", 1},
        {"::ffff:127.0.0.1", 1},
        {"::ffff:127.9.9.9", 1},
        {"126.255.255.255", 0},
        {"128.0.0.1", 0},
        {"10.0.0.1", 0},
        {"0.0.0.0", 0},
        {"::", 0},
        {"::2", 0},
        {"::ffff:10.0.0.1", 0},
        {"::127.0.0.1", 0},
        {"fe80::1", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        resolve_ok(cases[i].host, 0, SOCK_STREAM, &ep);
        CHECK(lab_endpoint_is_loopback(&ep) == cases[i].loopback, "is_loopback(%s) != %d",
              cases[i].host, cases[i].loopback);
    }
}

static void test_equal(void)
{
    struct lab_endpoint a, b;
    const struct sockaddr *sa = (const struct sockaddr *)&a.ss;
    const struct sockaddr *sb = (const struct sockaddr *)&b.ss;

    resolve_ok("127.0.0.1", 80, SOCK_STREAM, &a);
    resolve_ok("127.0.0.1", 80, SOCK_DGRAM, &b);
    CHECK(lab_endpoint_equal(sa, sb) == 1, "same v4 differ");
    CHECK(lab_endpoint_equal(sa, sa) == 1, "not equal to itself");
    lab_endpoint_set_port(&b, 81);
    CHECK(lab_endpoint_equal(sa, sb) == 0, "ports differ but equal");
    resolve_ok("127.0.0.2", 80, SOCK_STREAM, &b);
    CHECK(lab_endpoint_equal(sa, sb) == 0, "addresses differ but equal");
    resolve_ok("::ffff:127.0.0.1", 80, SOCK_STREAM, &b);
    CHECK(lab_endpoint_equal(sa, sb) == 0, "v4 equals its v4-mapped v6 form");

    resolve_ok("::1", 80, SOCK_STREAM, &a);
    resolve_ok("[::1]", 80, SOCK_STREAM, &b);
    CHECK(lab_endpoint_equal(sa, sb) == 1, "same v6 differ");
    /* Flow label and scope are not part of the address. */
    ((struct sockaddr_in6 *)(void *)&b.ss)->sin6_flowinfo = htonl(5);
    CHECK(lab_endpoint_equal(sa, sb) == 1, "flowinfo makes a difference");
    lab_endpoint_set_port(&b, 81);
    CHECK(lab_endpoint_equal(sa, sb) == 0, "v6 ports differ but equal");
    resolve_ok("::2", 80, SOCK_STREAM, &b);
    CHECK(lab_endpoint_equal(sa, sb) == 0, "v6 addresses differ but equal");

    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.ss.ss_family = b.ss.ss_family = AF_UNIX;
    CHECK(lab_endpoint_equal(sa, sb) == 0, "AF_UNIX compares equal");
}

static void test_local_peer(const char *host)
{
    struct test_pair p;
    test_pair_open(&p, host);

    struct lab_endpoint l, r, lst;
    CHECK_SYS(lab_endpoint_local(p.listener, &lst));
    CHECK(lab_endpoint_port(&lst) != 0, "listener on port 0");
    CHECK(lab_endpoint_is_loopback(&lst), "listener not on loopback");

    CHECK_SYS(lab_endpoint_local(p.client, &l));
    CHECK_SYS(lab_endpoint_peer(p.client, &r));
    CHECK(l.len == (l.ss.ss_family == AF_INET ? sizeof(struct sockaddr_in)
                                              : sizeof(struct sockaddr_in6)),
          "local len %u", (unsigned)l.len);
    CHECK(lab_endpoint_equal((const struct sockaddr *)&r.ss, (const struct sockaddr *)&lst.ss),
          "client's peer is not the listener's address");

    struct lab_endpoint sl, sr;
    CHECK_SYS(lab_endpoint_local(p.server, &sl));
    CHECK_SYS(lab_endpoint_peer(p.server, &sr));
    CHECK(lab_endpoint_equal((const struct sockaddr *)&sr.ss, (const struct sockaddr *)&l.ss),
          "server's peer is not the client's local address");
    CHECK(lab_endpoint_equal((const struct sockaddr *)&sl.ss, (const struct sockaddr *)&r.ss),
          "server's local is not the client's peer");

    char a[LAB_ENDPOINT_STRLEN], b[LAB_ENDPOINT_STRLEN];
    lab_endpoint_format((const struct sockaddr *)&sr.ss, a, sizeof a);
    lab_endpoint_format((const struct sockaddr *)&l.ss, b, sizeof b);
    CHECK(strcmp(a, b) == 0, "'%s' vs '%s'", a, b);

    /* What format printed resolves back to the same endpoint. */
    char hostpart[LAB_ENDPOINT_STRLEN];
    char *colon = strrchr(a, ':');
    CHECK(colon != NULL, "no port in '%s'", a);
    memcpy(hostpart, a, (size_t)(colon - a));
    hostpart[colon - a] = '\0';
    struct lab_endpoint back;
    resolve_ok(hostpart, lab_endpoint_port(&l), SOCK_STREAM, &back);
    CHECK(lab_endpoint_equal((const struct sockaddr *)&back.ss, (const struct sockaddr *)&l.ss),
          "'%s' does not resolve back", a);

    /* The listener has no peer. */
    CHECK_ERRNO(lab_endpoint_peer(p.listener, &r), ENOTCONN);
    test_pair_close(&p);
}

static void test_local_peer_errors(void)
{
    struct lab_endpoint ep;
    CHECK_ERRNO(lab_endpoint_local(-1, &ep), EBADF);
    CHECK_ERRNO(lab_endpoint_peer(-1, &ep), EBADF);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_SYS(fd);
    CHECK_ERRNO(lab_endpoint_peer(fd, &ep), ENOTCONN);
    CHECK_SYS(lab_endpoint_local(fd, &ep)); /* unbound: 0.0.0.0:0 */
    expect_format(&ep, "0.0.0.0:0");
    close(fd);
    int pfd[2];
    CHECK_SYS(pipe(pfd));
    CHECK_ERRNO(lab_endpoint_local(pfd[0], &ep), ENOTSOCK);
    close(pfd[0]);
    close(pfd[1]);
}

int main(void)
{
    test_resolve();
    test_format();
    test_port_and_loopback();
    test_equal();
    test_local_peer("127.0.0.1");
    test_local_peer("::1");
    test_local_peer_errors();
    puts("ok");
    return 0;
}
