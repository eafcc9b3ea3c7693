/* Per-family SNMP counters on top of lab_kstat's two file readers. */
#include "lab_mib.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>

#include "lab_kstat.h"
#include "lab_sock.h"

int lab_mib_read(int family, const char *group, const char *field, unsigned long long *value)
{
    if (family == AF_INET)
        return lab_netstat_read(group, field, value);
    if (family != AF_INET6) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    /* snmp6 names carry the group with a 6: "Udp6NoPorts", "Icmp6InDestUnreachs". */
    char name[128];
    if (snprintf(name, sizeof name, "%s6%s", group, field) >= (int)sizeof name) {
        errno = ENOENT;
        return -1;
    }
    return lab_snmp6_read(name, value);
}

int lab_mib_wait_above(int family, const char *group, const char *field, unsigned long long before,
                       int timeout_ms, int fd)
{
    long long deadline = lab_now_ms() + timeout_ms;
    struct lab_backoff pace = {0};
    for (;;) {
        unsigned long long now;
        if (lab_mib_read(family, group, field, &now) < 0)
            return -1;
        if (now > before)
            return 1;
        int left = lab_ms_left(deadline);
        if (left == 0)
            return 0;
        int ms = lab_backoff_next(&pace);
        if (ms > left)
            ms = left;
        if (fd < 0) {
            lab_pause_ms(ms);
            continue;
        }
        int ready = lab_wait_fd(fd, POLLIN, ms);
        if (ready != 0)
            return ready < 0 ? -1 : 0;
    }
}
