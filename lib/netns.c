/* Private namespaces. Tests run each in their own network namespace so that
 * they can run in parallel on fixed ports and change per-namespace sysctls. */
#if defined(__linux__)
#define _GNU_SOURCE /* unshare(2) */
#endif
#include "lab_netns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__)
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>

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
    return 0;
}

/* 1 if the running kernel is at least major.minor. */
static int kernel_at_least(int major, int minor)
{
    struct utsname u;
    int ma = 0, mi = 0;
    if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
        return 0;
    return ma > major || (ma == major && mi >= minor);
}

int lab_netns_is_host(void)
{
    /* Since Linux 6.18 the initial network namespace has a fixed inode,
     * PROC_NET_INIT_INO, and any other inode means "not the host's". */
    const ino_t PROC_NET_INIT_INO = 0xEFFFFFF9u;
    struct stat self, init;
    if (stat("/proc/self/ns/net", &self) < 0)
        return -1;
    if (self.st_ino == PROC_NET_INIT_INO)
        return 1;
    if (kernel_at_least(6, 18))
        return 0;
    /* Older kernels: compare with PID 1's. Inside a PID namespace PID 1 may
     * share our private namespace and we answer "host": the safe mistake. */
    if (stat("/proc/1/ns/net", &init) < 0)
        return -1; /* PID 1 hidden: cannot tell */
    return self.st_dev == init.st_dev && self.st_ino == init.st_ino;
}
#else
int lab_netns_enter_private(char *why, size_t whylen)
{
    snprintf(why, whylen, "network namespaces exist only on Linux");
    errno = ENOSYS;
    return -1;
}

int lab_netns_is_host(void)
{
    return 1;
}
#endif
