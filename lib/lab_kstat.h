/* lab_kstat: the kernel's tunables (sysctls) and counters (/proc/net/netstat, snmp). */
#ifndef LAB_KSTAT_H
#define LAB_KSTAT_H

/* Read an integer sysctl by dotted name ("net.core.somaxconn"); 0 or -1 with errno. */
int lab_sysctl_read(const char *name, long *value);

/* Write an integer sysctl by dotted name; 0 or -1 with errno. */
int lab_sysctl_write(const char *name, long value);

/* Read counter field of group ("TcpExt", "ListenOverflows") from /proc/net/netstat
 * or /proc/net/snmp; 0, or -1 with errno (ENOENT if no such counter). */
int lab_netstat_read(const char *group, const char *field, unsigned long long *value);

/* Read IPv6 counter name ("Udp6NoPorts") from /proc/net/snmp6; 0, or -1 with errno. */
int lab_snmp6_read(const char *name, unsigned long long *value);

#endif
