/* Listen backlogs: what the kernel grants, and cleaning up after a fill. */
#include "lab_backlog.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab_sock.h"
#include "lab_tcpstate.h"

int lab_backlog_granted(const struct lab_endpoint *ep, int backlog, unsigned *granted)
{
    struct lab_endpoint any = *ep;
    lab_endpoint_set_port(&any, 0); /* never the caller's port, which may be in use */
    int fd = lab_tcp_listen(&any, backlog, 0);
    if (fd < 0)
        return -1;
    unsigned queued;
    int rc = lab_tcp_listen_queue(fd, &queued, granted);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int lab_tcp_is_request(int state)
{
    /* sock_diag shows a request as SYN_RECV; NEW_SYN_RECV is the request
     * minisock's own state, taken too should a kernel report that. */
    return state == LAB_TCP_SYN_RECV || state == LAB_TCP_NEW_SYN_RECV;
}

int lab_close_reset(int fd)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    int rc = setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    int saved = errno;
    if (close(fd) < 0 && rc == 0)
        return -1;
    errno = saved;
    return rc;
}
