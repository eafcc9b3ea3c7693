/* lost-ack, the client's half: we close first and ACK the server's FIN, but
 * that final ACK is lost (the server drops it). The server sends its FIN
 * again; our TIME_WAIT ACKs it again, and its 60 s timer starts over: the
 * first reason TIME_WAIT exists (claim C19).
 * Partner: close-server --scenario lost-ack */
#include <errno.h>

#include "client.h"
#include "closing.h"
#include "lab_diag.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

/* A restart shows as a reading this much above the last one minus the time
 * passed: a FIN again comes a retransmission timeout (200 ms or more) later,
 * and the readings are good to a few ms. */
#define RESTART_MS 100

int lost_ack(struct client *c)
{
    send_first(c);
    struct lab_endpoint local, peer;
    struct lab_conn tw;
    close_to_time_wait(c, &local, &peer, &tw);
    long long seen = lab_now_ms();
    long long first = tw.expires_ms;
    lab_explain(&c->n, "The server's FIN came and we ACKed it: TIME_WAIT, 60 s. But the ACK");
    lab_explain(&c->n, "is lost on its way (the server drops it), so the server will send its");
    lab_explain(&c->n, "FIN again. We watch the timer.");

    long long deadline = seen + c->cli.timeout_ms, unrestarted;
    struct lab_backoff pace = {0};
    for (;;) {
        int rc = lab_diag_find((struct sockaddr *)&local.ss, (struct sockaddr *)&peer.ss, &tw);
        if (rc < 0)
            lab_fail_errno(&c->n, errno, "sock_diag lookup of our TIME_WAIT");
        if (rc == 0 || tw.state != LAB_TCP_TIME_WAIT)
            lab_fail(&c->n, "our TIME_WAIT ended early  state=%s",
                     lab_tcp_state_name(rc == 0 ? LAB_TCP_CLOSE : tw.state));
        unrestarted = first - (lab_now_ms() - seen);
        if ((long long)tw.expires_ms > unrestarted + RESTART_MS)
            break;
        if (lab_ms_left(deadline) == 0)
            lab_fail_errno(&c->n, ETIMEDOUT, "waiting for the server's FIN again");
        lab_backoff_pause(&pace, -1);
    }
    if (unrestarted < 0)
        unrestarted = 0;
    lab_say_conn(&c->n, &tw,
                 "sock_diag: the server's FIN again, %lld ms later; timer restarted "
                 "(else %lld.%03llds):",
                 lab_now_ms() - seen, unrestarted / 1000, unrestarted % 1000);
    lab_explain(&c->n, "A FIN that comes again into TIME_WAIT is ACKed again, and the 60 s");
    lab_explain(&c->n, "start over. That is why the side that sends the last ACK stays: should");
    lab_explain(&c->n, "the ACK be lost, someone must be there to send it again. With no");
    lab_explain(&c->n, "TIME_WAIT, the FIN would meet no socket and draw an RST (claim C20).");
    return 0;
}
