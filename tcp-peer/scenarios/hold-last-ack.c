/* hold-last-ack: the kernel's passive close held in LAST_ACK (claim C30).
 *
 * The peer closes first; the application reads EOF and closes, so the kernel
 * sends its FIN and waits in LAST_ACK for the peer's ACK of it. The peer holds
 * that ACK back, as if the network lost it: the kernel sends its FIN again at
 * each retransmission timeout (200 ms, then doubling), until the ACK comes
 * and the socket is gone. This is the loss TIME_WAIT exists for on the other
 * side: the active closer must still be there to answer the FIN again.
 *   tcp-peer --scenario hold-last-ack [--resends N]
 */
#include "play.h"

#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_watch.h"

int hold_last_ack(struct play *pl)
{
    struct lab_seg fin;
    struct lab_conn c;
    play_listen(pl);
    int fd = play_connect_accept(pl);
    play_send(pl, LAB_TH_FIN | LAB_TH_ACK, NULL); /* the peer closes first */
    play_read_eof(pl, fd);
    play_close(pl, &fd); /* CLOSE_WAIT -> LAST_ACK: the kernel's FIN */
    play_expect(pl, LAB_TH_FIN, &fin);
    long long first = lab_now_ms();
    lab_say(&pl->wire, "holds back its ACK of that FIN, as if the network had lost it");
    for (long i = 1; i <= pl->resends; i++) {
        play_expect(pl, LAB_TH_FIN, &fin);
        lab_say(&pl->wire, "the kernel's FIN again, %lld ms after the first (retransmission %ld)",
                lab_now_ms() - first, i);
        play_kernel_conn(pl, &c);
    }
    lab_explain(&pl->wire, "Each wait is the retransmission timeout, doubled every time: the "
                           "kernel cannot tell a lost FIN from a lost ACK.");
    play_send(pl, LAB_TH_ACK, NULL);
    struct lab_conn last;
    if (lab_watch_wait((struct sockaddr *)&pl->kernel_ep.ss, (struct sockaddr *)&pl->peer.self.ss,
                       0, pl->timeout_ms, &last) != 0)
        lab_fail(&pl->app, "the socket is still there after the last ACK");
    play_kernel_conn(pl, &c);
    lab_explain(&pl->app, "LAST_ACK ends with the ACK of our FIN: the passive closer keeps no "
                          "TIME_WAIT.");
    return 0;
}
