/* The pcap file format (tcpdump's, also Wireshark's "libpcap"): a 24-byte
 * header, then per packet a 16-byte record header and the packet; written in
 * this machine's byte order, which the magic number tells readers. */
#include "lab_pcap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum { LINKTYPE_RAW = 101, SNAPLEN = 65535 };

static int write_all(int fd, const struct iovec *iov, int n, size_t total)
{
    ssize_t w = writev(fd, iov, n);
    if (w < 0)
        return -1;
    if ((size_t)w != total) {
        errno = EIO;
        return -1;
    }
    return 0;
}

int lab_pcap_create(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    struct {
        uint32_t magic;
        uint16_t major, minor;
        int32_t zone;
        uint32_t sigfigs, snaplen, linktype;
    } h = {0xa1b2c3d4, 2, 4, 0, 0, SNAPLEN, LINKTYPE_RAW};
    struct iovec iov = {&h, sizeof h};
    if (write_all(fd, &iov, 1, sizeof h) < 0) {
        int err = errno;
        close(fd);
        unlink(path); /* ours: made by the open above */
        errno = err;
        return -1;
    }
    return fd;
}

int lab_pcap_write(int fd, const void *pkt, size_t len)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) < 0)
        return -1;
    uint32_t caplen = len > SNAPLEN ? SNAPLEN : (uint32_t)len;
    struct {
        uint32_t sec, usec, caplen, len;
    } r = {(uint32_t)now.tv_sec, (uint32_t)(now.tv_nsec / 1000), caplen, (uint32_t)len};
    struct iovec iov[2] = {{&r, sizeof r}, {(void *)(uintptr_t)pkt, caplen}};
    return write_all(fd, iov, 2, sizeof r + caplen);
}
