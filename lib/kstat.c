/* Sysctls and counters, read the way ss/nstat read them: from /proc. Both are
 * per network namespace, so a test's private namespace starts from fresh values. */
#include "lab_kstat.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int lab_kernel_at_least(int major, int minor)
{
    struct utsname u;
    int ma = 0, mi = 0;
    if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
        return 0;
    return ma > major || (ma == major && mi >= minor);
}

static int sysctl_path(const char *name, char *path, size_t len)
{
    int n = snprintf(path, len, "/proc/sys/%s", name);
    if (n < 0 || (size_t)n >= len || strstr(name, "..") != NULL) {
        errno = EINVAL;
        return -1;
    }
    for (char *p = path + strlen("/proc/sys/"); *p; p++)
        if (*p == '.')
            *p = '/';
    return 0;
}

int lab_sysctl_read_text(const char *name, char *buf, size_t len)
{
    char path[256];
    if (len == 0 || sysctl_path(name, path, sizeof path) < 0) {
        errno = EINVAL;
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, len - 1);
    int saved = errno;
    close(fd);
    if (n < 0) {
        errno = saved;
        return -1;
    }
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

int lab_sysctl_read(const char *name, long *value)
{
    char text[64];
    if (lab_sysctl_read_text(name, text, sizeof text) < 0)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || errno != 0) {
        errno = EPROTO;
        return -1;
    }
    *value = v;
    return 0;
}

int lab_sysctl_write_text(const char *name, const char *text)
{
    char path[256];
    if (sysctl_path(name, path, sizeof path) < 0)
        return -1;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)len ? 0 : -1;
}

int lab_sysctl_write(const char *name, long value)
{
    char text[32];
    snprintf(text, sizeof text, "%ld\n", value);
    return lab_sysctl_write_text(name, text);
}

/* What lab_sysctl_change() replaced, kept ready to write back from a signal
 * handler: the path and the old value's text are formatted in advance, so
 * restoring needs only open, write and close. */
static struct {
    char path[128];
    char text[64];
    size_t len;
} saved_sysctls[8];
static volatile sig_atomic_t nsaved;

/* Write text into name, keeping its old text for lab_sysctl_restore(). */
static int change(const char *name, const char *text)
{
    if (nsaved >= (sig_atomic_t)(sizeof saved_sysctls / sizeof saved_sysctls[0])) {
        errno = ENOSPC;
        return -1;
    }
    int i = nsaved;
    char before[sizeof saved_sysctls[0].text - 1];
    if (lab_sysctl_read_text(name, before, sizeof before) < 0)
        return -1;
    int n = snprintf(saved_sysctls[i].text, sizeof saved_sysctls[i].text, "%s\n", before);
    if (sysctl_path(name, saved_sysctls[i].path, sizeof saved_sysctls[i].path) < 0 || n < 0)
        return -1;
    saved_sysctls[i].len = (size_t)n;
    if (lab_sysctl_write_text(name, text) < 0)
        return -1;
    nsaved = i + 1; /* only now may a handler write it back */
    return 0;
}

int lab_sysctl_change(const char *name, long value, long *old)
{
    long before;
    char text[32];
    if (lab_sysctl_read(name, &before) < 0)
        return -1;
    snprintf(text, sizeof text, "%ld\n", value);
    if (change(name, text) < 0)
        return -1;
    *old = before;
    return 0;
}

int lab_sysctl_change_text(const char *name, const char *text)
{
    return change(name, text);
}

int lab_sysctl_restore(void)
{
    int rc = 0, first = 0;
    while (nsaved > 0) {
        int i = nsaved - 1;
        int fd = open(saved_sysctls[i].path, O_WRONLY | O_CLOEXEC);
        ssize_t w = fd < 0 ? -1 : write(fd, saved_sysctls[i].text, saved_sysctls[i].len);
        if ((fd < 0 || w != (ssize_t)saved_sysctls[i].len) && rc == 0) {
            rc = -1;
            first = errno;
        }
        if (fd >= 0)
            close(fd);
        nsaved = i;
    }
    if (rc < 0)
        errno = first;
    return rc;
}

static void restore_at_exit(void)
{
    int saved = errno;
    (void)lab_sysctl_restore();
    errno = saved;
}

static void restore_and_die(int sig)
{
    (void)lab_sysctl_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

int lab_sysctl_restore_on_exit(void)
{
    static int installed;
    if (installed)
        return 0;
    if (atexit(restore_at_exit) != 0) {
        errno = ENOMEM;
        return -1;
    }
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = restore_and_die;
        sigemptyset(&sa.sa_mask);
        if (sigaction(sigs[i], &sa, NULL) < 0)
            return -1;
    }
    installed = 1;
    return 0;
}

/* Files hold pairs of lines: "Group: Name1 Name2 ..." then "Group: v1 v2 ...";
 * fn is called for each counter of group (every group if group is NULL) until
 * it returns non-zero: 0 then, 1 if it never did, -1 with errno. */
typedef int (*counter_fn)(const char *group, const char *name, unsigned long long value, void *arg);

static int walk_counter_file(const char *path, const char *group, counter_fn fn, void *arg)
{
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return -1;
    char names[8192], values[8192];
    int rc = 1;
    while (rc == 1 && fgets(names, sizeof names, f) && fgets(values, sizeof values, f)) {
        char *colon = strchr(names, ':');
        if (colon == NULL || strncmp(values, names, (size_t)(colon - names + 1)) != 0)
            continue;
        *colon = '\0';
        if (group != NULL && strcmp(names, group) != 0)
            continue;
        char *sn, *sv;
        char *n = strtok_r(colon + 1, " \n", &sn);
        char *v = strtok_r(values + (colon - names) + 1, " \n", &sv);
        for (; rc == 1 && n && v; n = strtok_r(NULL, " \n", &sn), v = strtok_r(NULL, " \n", &sv))
            if (fn(names, n, strtoull(v, NULL, 10), arg))
                rc = 0;
    }
    fclose(f);
    return rc;
}

struct one_counter {
    const char *field;
    unsigned long long *value;
};

static int match_counter(const char *group, const char *name, unsigned long long value, void *arg)
{
    struct one_counter *one = arg;
    (void)group;
    if (strcmp(name, one->field) != 0)
        return 0;
    *one->value = value;
    return 1;
}

static int read_counter_file(const char *path, const char *group, const char *field,
                             unsigned long long *value)
{
    struct one_counter one = {field, value};
    return walk_counter_file(path, group, match_counter, &one);
}

static int keep_counter(const char *group, const char *name, unsigned long long value, void *arg)
{
    struct lab_counters *all = arg;
    if (strcmp(group, "Tcp") != 0 && strcmp(group, "TcpExt") != 0)
        return 0;
    if (all->n == LAB_COUNTERS_MAX) {
        errno = ENOSPC;
        return 1;
    }
    snprintf(all->c[all->n].name, sizeof all->c[all->n].name, "%s%s", group, name);
    all->c[all->n++].value = value;
    return 0;
}

int lab_tcp_counters(struct lab_counters *out)
{
    out->n = 0;
    if (walk_counter_file("/proc/net/snmp", NULL, keep_counter, out) < 0)
        return -1;
    size_t tcp = out->n;
    int rc = walk_counter_file("/proc/net/netstat", NULL, keep_counter, out);
    if (rc < 0 || (rc == 0 && out->n == LAB_COUNTERS_MAX))
        return -1;
    if (tcp == 0) {
        errno = ENOENT;
        return -1;
    }
    return 0;
}

const char *lab_counters_moved(const struct lab_counters *before, const struct lab_counters *after,
                               const char *const skip[], char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < after->n && i < before->n && used < len; i++) {
        if (after->c[i].value == before->c[i].value ||
            strcmp(after->c[i].name, before->c[i].name) != 0)
            continue;
        int skipped = 0;
        for (size_t k = 0; skip != NULL && skip[k] != NULL; k++)
            skipped |= strcmp(skip[k], after->c[i].name) == 0;
        if (skipped)
            continue;
        int n = snprintf(buf + used, len - used, "%s%s %+lld", used ? ", " : "", after->c[i].name,
                         (long long)(after->c[i].value - before->c[i].value));
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

int lab_netstat_read(const char *group, const char *field, unsigned long long *value)
{
    static const char *const files[] = {"/proc/net/netstat", "/proc/net/snmp"};
    for (size_t i = 0; i < 2; i++) {
        int rc = read_counter_file(files[i], group, field, value);
        if (rc <= 0)
            return rc;
    }
    errno = ENOENT;
    return -1;
}

/* snmp6 has one "Name value" pair per line, unlike the paired lines above. */
int lab_snmp6_read(const char *name, unsigned long long *value)
{
    FILE *f = fopen("/proc/net/snmp6", "re");
    if (f == NULL)
        return -1;
    char line[256];
    size_t nlen = strlen(name);
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, name, nlen) == 0 && (line[nlen] == ' ' || line[nlen] == '\t')) {
            *value = strtoull(line + nlen, NULL, 10);
            found = 1;
        }
    }
    fclose(f);
    if (!found) {
        errno = ENOENT;
        return -1;
    }
    return 0;
}
