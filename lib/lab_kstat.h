/* lab_kstat: the kernel's tunables (sysctls) and counters (/proc/net/netstat, snmp). */
#ifndef LAB_KSTAT_H
#define LAB_KSTAT_H

#include <stddef.h>

/* 1 if the running kernel's release (uname) is at least major.minor, else 0
 * (also when it cannot be read). */
int lab_kernel_at_least(int major, int minor);

/* Read an integer sysctl by dotted name ("net.core.somaxconn"); 0 or -1 with errno. */
int lab_sysctl_read(const char *name, long *value);

/* Write an integer sysctl by dotted name; 0 or -1 with errno. */
int lab_sysctl_write(const char *name, long value);

/* A sysctl's text as the kernel shows it, without its newline ("32768\t60999"
 * for net.ipv4.ip_local_port_range); 0 or -1 with errno. */
int lab_sysctl_read_text(const char *name, char *buf, size_t len);

/* Write a sysctl as text ("40000 40000"); 0 or -1 with errno. */
int lab_sysctl_write_text(const char *name, const char *text);

/* lab_sysctl_change for a sysctl of several values: write text, keep the old
 * text for lab_sysctl_restore(); 0 or -1 with errno (nothing changed). */
int lab_sysctl_change_text(const char *name, const char *text);

/* Write an integer sysctl and remember its old value (stored in *old) so that
 * lab_sysctl_restore() can put it back; 0 or -1 with errno (nothing changed).
 * Up to 8 sysctls are remembered (ENOSPC past that). */
int lab_sysctl_change(const char *name, long value, long *old);

/* Put back every value lab_sysctl_change() replaced, newest first, and forget
 * them; async-signal-safe; 0, or -1 with the errno of the first failure. */
int lab_sysctl_restore(void);

/* Call lab_sysctl_restore() at exit() and on SIGINT, SIGTERM and SIGHUP (the
 * process then dies of that signal as it would have); 0 or -1 with errno. */
int lab_sysctl_restore_on_exit(void);

/* Read counter field of group ("TcpExt", "ListenOverflows") from /proc/net/netstat
 * or /proc/net/snmp; 0, or -1 with errno (ENOENT if no such counter). */
int lab_netstat_read(const char *group, const char *field, unsigned long long *value);

/* Read IPv6 counter name ("Udp6NoPorts") from /proc/net/snmp6; 0, or -1 with errno. */
int lab_snmp6_read(const char *name, unsigned long long *value);

/* Every TCP counter of this network namespace: Tcp (/proc/net/snmp) and
 * TcpExt (/proc/net/netstat), named as nstat names them ("TcpExtPAWSEstab"). */
#define LAB_COUNTERS_MAX 256
struct lab_counters {
    size_t n;
    struct {
        char name[48];
        unsigned long long value;
    } c[LAB_COUNTERS_MAX];
};

/* Read them all; 0, or -1 with errno. */
int lab_tcp_counters(struct lab_counters *out);

/* "TcpExtPAWSEstab +1, TcpOutSegs +1": the counters that differ between two
 * readings, except those named in skip (NULL-terminated, or NULL); "" if none
 * moved. Returns buf, truncated to fit. */
const char *lab_counters_moved(const struct lab_counters *before, const struct lab_counters *after,
                               const char *const skip[], char *buf, size_t len);

#endif
