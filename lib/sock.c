/* Socket helpers in the style of a small anet: one job, -1 + errno on failure. */
#define _DEFAULT_SOURCE /* SO_ATTACH_FILTER, a Linux (non-POSIX) option */
#include "lab_sock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/filter.h>
#endif

int lab_tcp_listen(const struct lab_endpoint *ep, int backlog, int reuseaddr)
{
    int fd = socket(ep->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    if (reuseaddr && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
        goto fail;
    if (bind(fd, (const struct sockaddr *)&ep->ss, ep->len) < 0)
        goto fail;
    if (listen(fd, backlog) < 0)
        goto fail;
    return fd;
fail:;
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
}

/* What poll() says of an fd we only write to when its reader has gone: POLLERR
 * on a pipe with no reader left, POLLHUP on a terminal that hung up. */
static int reader_gone(short revents)
{
    return (revents & (POLLERR | POLLHUP)) != 0;
}

int lab_wait_fd(int fd, short events, int timeout_ms)
{
    return lab_wait_fd_watching(fd, events, -1, timeout_ms);
}

int lab_wait_fd_watching(int fd, short events, int watch_fd, int timeout_ms)
{
    long long deadline = lab_now_ms() + timeout_ms;
    for (;;) {
        long long left = deadline - lab_now_ms();
        if (left < 0)
            left = 0;
        /* A negative fd is left out by poll(); events 0: errors only. */
        struct pollfd p[2] = {{.fd = fd, .events = events, .revents = 0},
                              {.fd = watch_fd, .events = 0, .revents = 0}};
        int rc = poll(p, 2, (int)left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return -1;
        if (reader_gone(p[1].revents)) {
            errno = EPIPE;
            return -1;
        }
        if (rc > 0 && p[0].revents == 0) {
            /* Only watch_fd spoke, of something else (POLLNVAL): wait for fd alone. */
            int ready = lab_wait_fd_watching(fd, events, -1, lab_ms_left(deadline));
            return ready;
        }
        return rc > 0;
    }
}

int lab_connect_bounded(int fd, const struct lab_endpoint *ep, int timeout_ms)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -1;
    int rc = connect(fd, (const struct sockaddr *)&ep->ss, ep->len);
    int err = rc < 0 ? errno : 0;
    if (rc < 0 && errno == EINPROGRESS) {
        int ready = lab_wait_fd(fd, POLLOUT, timeout_ms);
        if (ready < 0) {
            err = errno;
        } else if (ready == 0) {
            err = ETIMEDOUT;
        } else {
            socklen_t len = sizeof err;
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
                err = errno;
            /* Linux leaves a completed non-blocking connect marked "connecting"
             * until connect() is called once more (then 0; EISCONN elsewhere).
             * Without this, the caller's next connect() would return 0 rather
             * than the EISCONN a blocking connect would have led to. */
            if (err == 0 && connect(fd, (const struct sockaddr *)&ep->ss, ep->len) < 0 &&
                errno != EISCONN)
                err = errno;
        }
    }
    if (fcntl(fd, F_SETFL, flags) < 0 && err == 0)
        err = errno;
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}

int lab_tcp_connect(const struct lab_endpoint *ep, int timeout_ms)
{
    int fd = socket(ep->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (lab_connect_bounded(fd, ep, timeout_ms) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int lab_accept_bounded(int lfd, int timeout_ms, struct lab_endpoint *peer)
{
    int ready = lab_wait_fd(lfd, POLLIN, timeout_ms);
    if (ready <= 0) {
        if (ready == 0)
            errno = ETIMEDOUT;
        return -1;
    }
    struct lab_endpoint tmp;
    struct lab_endpoint *p = peer ? peer : &tmp;
    p->len = sizeof p->ss;
    int fd;
    do {
        fd = accept(lfd, (struct sockaddr *)&p->ss, &p->len);
    } while (fd < 0 && errno == EINTR);
    if (fd >= 0)
        (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

ssize_t lab_read_bounded(int fd, void *buf, size_t len, int timeout_ms)
{
    int ready = lab_wait_fd(fd, POLLIN, timeout_ms);
    if (ready <= 0) {
        if (ready == 0)
            errno = ETIMEDOUT;
        return -1;
    }
    ssize_t n;
    do {
        n = read(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

ssize_t lab_recvfrom_bounded(int fd, void *buf, size_t len, struct lab_endpoint *from,
                             int timeout_ms)
{
    int ready = lab_wait_fd(fd, POLLIN, timeout_ms);
    if (ready <= 0) {
        if (ready == 0)
            errno = ETIMEDOUT;
        return -1;
    }
    struct lab_endpoint ignored;
    struct lab_endpoint *f = from ? from : &ignored;
    memset(f, 0, sizeof *f);
    f->len = sizeof f->ss;
    ssize_t n;
    do {
        n = recvfrom(fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&f->ss, &f->len);
    } while (n < 0 && errno == EINTR);
    return n;
}

int lab_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int lab_set_nonblocking(int fd, int on)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0)
        return -1;
    flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    return fcntl(fd, F_SETFL, flags);
}

int lab_unread_bytes(int fd)
{
    int n = 0;
    if (ioctl(fd, FIONREAD, &n) < 0)
        return -1;
    return n;
}

long long lab_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void lab_pause_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

int lab_ms_left(long long deadline)
{
    long long left = deadline - lab_now_ms();
    if (left <= 0)
        return 0;
    return left > INT_MAX ? INT_MAX : (int)left;
}

void lab_backoff_reset(struct lab_backoff *b)
{
    b->polls = 0;
}

int lab_backoff_next(struct lab_backoff *b)
{
    int ms = 1;
    if (b->polls >= LAB_BACKOFF_FAST) {
        int doublings = b->polls - LAB_BACKOFF_FAST + 1;
        ms = doublings >= 6 ? LAB_BACKOFF_MAX_MS : 1 << doublings;
        if (ms > LAB_BACKOFF_MAX_MS)
            ms = LAB_BACKOFF_MAX_MS;
    }
    if (b->polls < INT_MAX)
        b->polls++;
    return ms;
}

int lab_backoff_pause(struct lab_backoff *b, int watch_fd)
{
    int ms = lab_backoff_next(b);
    if (watch_fd < 0) {
        lab_pause_ms(ms);
        return 0;
    }
    /* The pause is a poll() on watch_fd for nothing but errors: a reader that
     * goes away ends it at once. */
    long long deadline = lab_now_ms() + ms;
    for (;;) {
        struct pollfd p = {.fd = watch_fd, .events = 0, .revents = 0};
        int rc = poll(&p, 1, lab_ms_left(deadline));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return -1;
        if (rc > 0 && reader_gone(p.revents)) {
            errno = EPIPE;
            return -1;
        }
        if (rc > 0 && lab_ms_left(deadline) > 0) /* POLLNVAL: pace with a plain sleep */
            lab_pause_ms(lab_ms_left(deadline));
        return 0;
    }
}

int lab_reader_gone(int fd)
{
    struct pollfd p = {.fd = fd, .events = 0, .revents = 0};
    int rc;
    do {
        rc = poll(&p, 1, 0);
    } while (rc < 0 && errno == EINTR);
    return rc > 0 && reader_gone(p.revents);
}

int lab_drop_input(int fd, int drop_all)
{
#if defined(__linux__)
    if (drop_all) {
        /* A classic BPF program that returns 0: tcp_filter() discards the
         * segment before TCP sees it. */
        static struct sock_filter drop[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
        struct sock_fprog prog = {.len = 1, .filter = drop};
        return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
    }
    int unused = 0;
    return setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &unused, sizeof unused);
#else
    (void)fd;
    (void)drop_all;
    errno = ENOSYS;
    return -1;
#endif
}
