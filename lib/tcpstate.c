/* TCP state of an fd through TCP_INFO. The fd's view ends at CLOSE: the
 * TIME_WAIT that follows lives in a separate kernel object (see lab_diag). */
#include "lab_tcpstate.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#if defined(__linux__)
#include <linux/tcp.h>
#endif

const char *lab_tcp_state_name(int state)
{
    static const char *const names[] = {
        [LAB_TCP_ESTABLISHED] = "ESTABLISHED",
        [LAB_TCP_SYN_SENT] = "SYN_SENT",
        [LAB_TCP_SYN_RECV] = "SYN_RECV",
        [LAB_TCP_FIN_WAIT1] = "FIN_WAIT1",
        [LAB_TCP_FIN_WAIT2] = "FIN_WAIT2",
        [LAB_TCP_TIME_WAIT] = "TIME_WAIT",
        [LAB_TCP_CLOSE] = "CLOSE",
        [LAB_TCP_CLOSE_WAIT] = "CLOSE_WAIT",
        [LAB_TCP_LAST_ACK] = "LAST_ACK",
        [LAB_TCP_LISTEN] = "LISTEN",
        [LAB_TCP_CLOSING] = "CLOSING",
        [LAB_TCP_NEW_SYN_RECV] = "SYN_RECV",
    };
    if (state <= 0 || state >= (int)(sizeof names / sizeof names[0]) || !names[state])
        return "UNKNOWN";
    return names[state];
}

#if defined(__linux__)
static int tcp_info_of(int fd, struct tcp_info *ti)
{
    socklen_t len = sizeof *ti;
    return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len);
}

int lab_tcp_state_of_fd(int fd)
{
    struct tcp_info ti;
    if (tcp_info_of(fd, &ti) < 0)
        return -1;
    return ti.tcpi_state;
}

int lab_tcp_listen_queue(int fd, unsigned *queued, unsigned *limit)
{
    struct tcp_info ti;
    if (tcp_info_of(fd, &ti) < 0)
        return -1;
    if (ti.tcpi_state != LAB_TCP_LISTEN) {
        errno = EINVAL;
        return -1;
    }
    /* For listeners the kernel reuses these fields (tcp_get_info). */
    *queued = ti.tcpi_unacked;
    *limit = ti.tcpi_sacked;
    return 0;
}

int lab_tcp_total_retrans(int fd, unsigned *count)
{
    struct tcp_info ti;
    if (tcp_info_of(fd, &ti) < 0)
        return -1;
    *count = ti.tcpi_total_retrans;
    return 0;
}
#else
int lab_tcp_state_of_fd(int fd)
{
    (void)fd;
    errno = ENOSYS;
    return -1;
}

int lab_tcp_listen_queue(int fd, unsigned *queued, unsigned *limit)
{
    (void)fd, (void)queued, (void)limit;
    errno = ENOSYS;
    return -1;
}

int lab_tcp_total_retrans(int fd, unsigned *count)
{
    (void)fd, (void)count;
    errno = ENOSYS;
    return -1;
}
#endif
