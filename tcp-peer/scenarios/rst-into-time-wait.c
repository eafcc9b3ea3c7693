/* rst-into-time-wait: an RST ends a TIME_WAIT, unless RFC 1337 (claim C28).
 *
 * The kernel closes first and reaches TIME_WAIT. The peer then sends an RST
 * with exactly the sequence number TIME_WAIT expects next. With
 * net.ipv4.tcp_rfc1337 0 (Linux's default) the RST kills the TIME_WAIT
 * ("TIME-WAIT assassination", RFC 1337); with 1 it is ignored. A bare ACK
 * The FIN sent again after the RST tells which: a TIME_WAIT ACKs it, no
 * socket answers it with an RST. The sysctl is set only in tcp-peer's own network namespace.
 *   tcp-peer --scenario rst-into-time-wait [--rfc1337 0|1]
 */
#include "play.h"

#include <errno.h>

#include "lab_fail.h"
#include "lab_kstat.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

int rst_into_time_wait(struct play *pl)
{
    struct lab_conn c;
    struct lab_seg reply;
    long old;
    if (lab_sysctl_change("net.ipv4.tcp_rfc1337", pl->rfc1337, &old) < 0)
        lab_fail_errno(&pl->app, errno, "setting net.ipv4.tcp_rfc1337");
    lab_say(&pl->app, "net.ipv4.tcp_rfc1337 = %ld in this namespace", pl->rfc1337);
    play_kernel_time_wait(pl, &c);
    play_send(pl, LAB_TH_RST, NULL); /* seq = what TIME_WAIT expects next */
    lab_say(&pl->wire, "sends its FIN again, to see who answers");
    play_resend_fin(pl);
    if (lab_peer_recv(&pl->peer, &reply, pl->timeout_ms) < 0)
        lab_fail_errno(&pl->wire, errno, "waiting for the answer to the FIN");
    int found = play_kernel_conn(pl, &c);
    if (reply.flags & LAB_TH_RST) {
        if (found)
            lab_fail(&pl->app, "an RST came back, yet the socket is listed");
        lab_explain(&pl->app, "The RST ended TIME_WAIT: the next segment found no connection "
                              "and drew an RST. A new connection on this 4-tuple could now "
                              "take an old duplicate meant for the last one.");
    } else {
        if (!found || c.state != LAB_TCP_TIME_WAIT)
            lab_fail(&pl->app, "an ACK came back, yet there is no TIME_WAIT");
        lab_explain(&pl->app, "With tcp_rfc1337 = 1 TIME_WAIT ignores an RST: it ACKed the FIN "
                              "again and runs its full 60 s.");
    }
    return 0;
}
