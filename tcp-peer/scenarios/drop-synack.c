/* drop-synack: the listener sends its SYN,ACK again (claim C31).
 *
 * The peer sends a SYN and ignores the SYN,ACK, as if it were lost. The
 * request waits in the listener's SYN queue (SYN_RECV) and the kernel sends
 * the SYN,ACK again after its initial timeout of one second, then doubling.
 * The peer ACKs the last copy: the connection is set up and accept() returns.
 *   tcp-peer --scenario drop-synack [--resends N]
 */
#include "play.h"

#include <errno.h>
#include <unistd.h>

#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

int drop_synack(struct play *pl)
{
    struct lab_seg synack;
    struct lab_conn c;
    play_listen(pl);
    play_send(pl, LAB_TH_SYN, NULL);
    play_expect(pl, LAB_TH_SYN | LAB_TH_ACK, &synack);
    long long first = lab_now_ms();
    lab_say(&pl->wire, "ignores that SYN,ACK, as if the network had lost it");
    if (play_kernel_conn(pl, &c) != 1)
        lab_fail(&pl->app, "no request in the SYN queue");
    for (long i = 1; i <= pl->resends; i++) {
        play_expect(pl, LAB_TH_SYN | LAB_TH_ACK, &synack);
        lab_say(&pl->wire, "the SYN,ACK again, %lld ms after the first (retransmission %ld)",
                lab_now_ms() - first, i);
    }
    lab_explain(&pl->wire, "A request has no RTT measured yet: its first timeout is the "
                           "kernel's initial one, one second, doubled at each retry.");
    play_send(pl, LAB_TH_ACK, NULL);
    int fd = lab_accept_bounded(pl->listener, pl->timeout_ms, NULL);
    if (fd < 0)
        lab_fail_errno(&pl->app, errno, "accept()");
    lab_say_fd(&pl->app, fd, "accept() -> the connection, set up by the ACK of the SYN,ACK");
    close(fd);
    return 0;
}
