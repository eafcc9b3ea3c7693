/* fin-into-time-wait: a FIN sent again restarts TIME_WAIT (claim C29).
 *
 * The kernel closes first and reaches TIME_WAIT, its timer at 60 s. The peer
 * lets some of it run, then sends its FIN again, as it would had the kernel's
 * last ACK been lost. TIME_WAIT is there to answer it: it ACKs the FIN once
 * more and starts its 60 s over, so a peer that keeps losing that ACK still
 * finds someone to answer.
 *   tcp-peer --scenario fin-into-time-wait
 */
#include "play.h"

#include <errno.h>

#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

int fin_into_time_wait(struct play *pl)
{
    struct lab_conn c;
    struct lab_seg ack;
    play_kernel_time_wait(pl, &c);
    unsigned before = c.expires_ms;
    /* Let the timer run a little, watched, so that its restart can be seen. */
    long long deadline = lab_now_ms() + pl->timeout_ms;
    struct lab_backoff pace = {0};
    while (c.expires_ms + 150 > before) {
        if (lab_now_ms() > deadline || lab_diag_find((struct sockaddr *)&pl->kernel_ep.ss,
                                                     (struct sockaddr *)&pl->peer.self.ss, &c) != 1)
            lab_fail(&pl->app, "the TIME_WAIT timer did not run");
        lab_pause_ms(lab_backoff_next(&pace));
    }
    play_kernel_conn(pl, &c);
    before = c.expires_ms;
    play_resend_fin(pl);
    play_expect(pl, LAB_TH_ACK, &ack);
    if (ack.ack != pl->peer.snd_nxt)
        lab_fail(&pl->wire, "the ACK does not acknowledge our FIN");
    play_kernel_conn(pl, &c);
    lab_say(&pl->app, "TIME_WAIT timer: %u ms before the FIN, %u ms after", before, c.expires_ms);
    if (c.state != LAB_TCP_TIME_WAIT || c.expires_ms <= before)
        lab_fail(&pl->app, "the FIN did not restart TIME_WAIT's timer");
    lab_explain(&pl->app, "The FIN came again, so our last ACK may have been lost: TIME_WAIT "
                          "ACKed it again and restarted its 2 MSL wait.");
    return 0;
}
