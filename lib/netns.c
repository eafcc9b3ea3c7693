/* Private namespaces. Tests run each in their own network namespace so that
 * they can run in parallel on fixed ports and change per-namespace sysctls. */
#if defined(__linux__)
#define _GNU_SOURCE /* unshare(2) */
#endif
#include "lab_netns.h"
#include "lab_kstat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__)
#include <dirent.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t len = (ssize_t)strlen(text);
    ssize_t n = write(fd, text, (size_t)len);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == len ? 0 : -1;
}

static int bring_up_loopback(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
    int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int lab_netns_enter_private(char *why, size_t whylen)
{
    uid_t uid = geteuid();
    gid_t gid = getegid();
    /* Root can make a bare network namespace and keeps its real identity
     * (tcpdump, for one, cares); everyone else needs a user namespace first. */
    if (unshare(CLONE_NEWNET) < 0) {
        if (errno != EPERM) {
            snprintf(why, whylen, "unshare(CLONE_NEWNET): %s", strerror(errno));
            return -1;
        }
        if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
            snprintf(why, whylen,
                     "unshare(CLONE_NEWUSER|CLONE_NEWNET): %s "
                     "(user namespaces disabled on this machine?)",
                     strerror(errno));
            return -1;
        }
        char map[64];
        snprintf(map, sizeof map, "0 %u 1\n", (unsigned)uid);
        if (write_file("/proc/self/uid_map", map) < 0 ||
            write_file("/proc/self/setgroups", "deny") < 0) {
            snprintf(why, whylen, "writing uid_map: %s", strerror(errno));
            return -1;
        }
        snprintf(map, sizeof map, "0 %u 1\n", (unsigned)gid);
        if (write_file("/proc/self/gid_map", map) < 0) {
            snprintf(why, whylen, "writing gid_map: %s", strerror(errno));
            return -1;
        }
    }
    if (bring_up_loopback() < 0) {
        snprintf(why, whylen, "bringing lo up: %s", strerror(errno));
        return -1;
    }
    char id[64];
    if (lab_netns_id(id, sizeof id) < 0 || setenv(LAB_NETNS_ENV, id, 1) < 0) {
        snprintf(why, whylen, "naming the namespace in %s: %s", LAB_NETNS_ENV, strerror(errno));
        return -1;
    }
    return 0;
}

static int same_ns(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* 1 if self is one of the namespaces `ip netns add` pinned under /run/netns
 * (and not PID 1's, which a deliberate `ip netns attach NAME 1` could pin). */
static int named_by_iproute(const struct stat *self)
{
    DIR *d = opendir("/run/netns");
    if (d == NULL)
        return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        struct stat st;
        if (e->d_name[0] != '.' && fstatat(dirfd(d), e->d_name, &st, 0) == 0)
            found = same_ns(&st, self);
    }
    closedir(d);
    struct stat init;
    if (found && stat("/proc/1/ns/net", &init) == 0 && same_ns(&init, self))
        found = 0;
    return found;
}

static int format_id(const struct stat *st, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%llu:%llu", (unsigned long long)st->st_dev,
                     (unsigned long long)st->st_ino);
    if (n < 0 || (size_t)n >= len) {
        errno = ENOSPC;
        return -1;
    }
    return 0;
}

int lab_netns_id(char *buf, size_t len)
{
    struct stat self;
    if (stat("/proc/self/ns/net", &self) < 0)
        return -1;
    return format_id(&self, buf, len);
}

int lab_netns_is_host(void)
{
    struct stat self;
    char id[64];
    if (stat("/proc/self/ns/net", &self) < 0 || format_id(&self, id, sizeof id) < 0)
        return 1;
    /* Knowledge first: the namespace's maker said so, for this very namespace. */
    const char *told = getenv(LAB_NETNS_ENV);
    if (told != NULL && strcmp(told, id) == 0)
        return 0;
    if (named_by_iproute(&self))
        return 0;
    /* Since Linux 6.18 the initial network namespace has a fixed inode,
     * PROC_NET_INIT_INO; before that nothing tells it apart without asking
     * PID 1, which is wrong inside a PID namespace: answer "host". */
    const ino_t PROC_NET_INIT_INO = 0xEFFFFFF9u;
    if (lab_kernel_at_least(6, 18) && self.st_ino != PROC_NET_INIT_INO)
        return 0;
    return 1;
}
#else
int lab_netns_enter_private(char *why, size_t whylen)
{
    snprintf(why, whylen, "network namespaces exist only on Linux");
    errno = ENOSYS;
    return -1;
}

int lab_netns_id(char *buf, size_t len)
{
    (void)buf, (void)len;
    errno = ENOSYS;
    return -1;
}

int lab_netns_is_host(void)
{
    return 1;
}
#endif
