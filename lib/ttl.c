/* TTL and hop limit: the same field, under two names and levels. */
#include "lab_ttl.h"

#include <netinet/in.h>
#include <sys/socket.h>

const char *lab_ttl_option(int family)
{
    return family == AF_INET6 ? "IPV6_UNICAST_HOPS" : "IP_TTL";
}

int lab_ttl_set(int fd, int family, int ttl)
{
    if (family == AF_INET6)
        return setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl);
    return setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
}

int lab_ttl_get(int fd, int family, int *ttl)
{
    socklen_t len = sizeof *ttl;
    if (family == AF_INET6)
        return getsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl, &len);
    return getsockopt(fd, IPPROTO_IP, IP_TTL, ttl, &len);
}
