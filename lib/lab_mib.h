/* lab_mib: the network namespace's IP, ICMP and UDP counters (the SNMP MIB)
 * named once for both families: group "Udp", field "NoPorts" is /proc/net/snmp's
 * Udp NoPorts for AF_INET and /proc/net/snmp6's Udp6NoPorts for AF_INET6. */
#ifndef LAB_MIB_H
#define LAB_MIB_H

/* Read counter group/field ("Icmp", "InDestUnreachs") for family; 0, or -1
 * with errno (ENOENT: no such counter, EAFNOSUPPORT: not AF_INET/AF_INET6). */
int lab_mib_read(int family, const char *group, const char *field, unsigned long long *value);

/* Poll the counter, pacing with lab_backoff, until it passes before (1) or
 * timeout_ms passes (0); with fd >= 0 also 0 as soon as fd is readable (what
 * the counter was to count arrived there after all); -1 with errno. */
int lab_mib_wait_above(int family, const char *group, const char *field, unsigned long long before,
                       int timeout_ms, int fd);

#endif
