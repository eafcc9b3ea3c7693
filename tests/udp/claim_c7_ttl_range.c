/* claim.C7: IP_TTL takes 1..255 and -1 (the namespace's ip_default_ttl);
 * 0 and 256 are EINVAL. IPV6_UNICAST_HOPS takes 0..255 and -1. */
#include "lab_kstat.h"
#include "testlib.h"
#include "udptest.h"

static int set(int fd, int level, int opt, int v)
{
    return setsockopt(fd, level, opt, &v, sizeof v);
}

static int get(int fd, int level, int opt)
{
    int v = -2;
    socklen_t len = sizeof v;
    CHECK_SYS(getsockopt(fd, level, opt, &v, &len));
    return v;
}

int main(void)
{
    test_require_private_netns();
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_SYS(fd);
    CHECK_ERRNO(set(fd, IPPROTO_IP, IP_TTL, 0), EINVAL);
    CHECK_ERRNO(set(fd, IPPROTO_IP, IP_TTL, 256), EINVAL);
    CHECK_ERRNO(set(fd, IPPROTO_IP, IP_TTL, -2), EINVAL);
    CHECK_SYS(set(fd, IPPROTO_IP, IP_TTL, 1));
    CHECK(get(fd, IPPROTO_IP, IP_TTL) == 1, "TTL 1 not kept");
    CHECK_SYS(set(fd, IPPROTO_IP, IP_TTL, 255));
    CHECK(get(fd, IPPROTO_IP, IP_TTL) == 255, "TTL 255 not kept");
    /* -1 follows the per-namespace default, even when it changes later. */
    CHECK_SYS(set(fd, IPPROTO_IP, IP_TTL, -1));
    long def;
    CHECK_SYS(lab_sysctl_read("net.ipv4.ip_default_ttl", &def));
    CHECK(get(fd, IPPROTO_IP, IP_TTL) == def, "-1 does not read ip_default_ttl %ld", def);
    CHECK_SYS(lab_sysctl_write("net.ipv4.ip_default_ttl", 77));
    CHECK(get(fd, IPPROTO_IP, IP_TTL) == 77, "-1 does not follow ip_default_ttl");
    close(fd);

    fd = socket(AF_INET6, SOCK_DGRAM, 0);
    CHECK_SYS(fd);
    CHECK_ERRNO(set(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 256), EINVAL);
    CHECK_ERRNO(set(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, -2), EINVAL);
    CHECK_SYS(set(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 0)); /* unlike IPv4 */
    CHECK(get(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS) == 0, "hop limit 0 not kept");
    CHECK_SYS(set(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255));
    CHECK_SYS(set(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, -1));
    CHECK(get(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS) == 64, "-1 does not read 64");
    close(fd);
    printf("ok: IP_TTL 1..255 and -1; IPV6_UNICAST_HOPS 0..255 and -1\n");
    return 0;
}
