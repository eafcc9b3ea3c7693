/* lab_ttl: the TTL (IPv4) or hop limit (IPv6) a socket's datagrams leave with,
 * one call for both families. */
#ifndef LAB_TTL_H
#define LAB_TTL_H

/* The option's name for family: "IP_TTL" or "IPV6_UNICAST_HOPS". */
const char *lab_ttl_option(int family);

/* setsockopt(IP_TTL or IPV6_UNICAST_HOPS, ttl); 0, or -1 with errno (EINVAL:
 * the kernel refuses the value; -1 asks for the system default). */
int lab_ttl_set(int fd, int family, int ttl);

/* getsockopt() of the same option into *ttl; 0, or -1 with errno. */
int lab_ttl_get(int fd, int family, int *ttl);

#endif
