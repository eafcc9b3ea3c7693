/* unit.lib.ttl: one call sets and reads the TTL (IPv4) or hop limit (IPv6);
 * a value the kernel refuses is EINVAL. */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_ttl.h"

static void test_family(int family, const char *name)
{
    int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK_SYS(fd);
    CHECK(strcmp(lab_ttl_option(family), name) == 0, "option %s", lab_ttl_option(family));
    int got = -2;
    CHECK_SYS(lab_ttl_set(fd, family, 7));
    CHECK_SYS(lab_ttl_get(fd, family, &got));
    CHECK(got == 7, "%s reads %d, want 7", name, got);
    CHECK_ERRNO(lab_ttl_set(fd, family, 256), EINVAL);
    CHECK_SYS(lab_ttl_get(fd, family, &got));
    CHECK(got == 7, "a refused value changed %s to %d", name, got);
    close(fd);
    CHECK_ERRNO(lab_ttl_get(fd, family, &got), EBADF);
}

int main(void)
{
    test_family(AF_INET, "IP_TTL");
    test_family(AF_INET6, "IPV6_UNICAST_HOPS");
    printf("ok: lab_ttl sets and reads both families\n");
    return 0;
}
