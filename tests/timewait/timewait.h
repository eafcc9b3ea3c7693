/* timewait.h: what the TIME_WAIT claim tests share: a pair whose passive
 * closer loses every segment (so the final ACK can be "lost"), and the
 * kernel's counters of this namespace. */
#ifndef SOCKLAB_TIMEWAIT_H
#define SOCKLAB_TIMEWAIT_H

#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_diag.h"
#include "lab_kstat.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

#define TW_SRV(p) ((struct sockaddr *)&(p)->server_addr.ss)
#define TW_CLI(p) ((struct sockaddr *)&(p)->client_addr.ss)

/* The client closes (its fd is gone: an orphan, as after a program's close()),
 * the server reads EOF, stops hearing anything, and sends its own FIN with
 * shutdown(SHUT_WR) (fd kept, so the filter can be lifted later): the
 * server is in LAST_ACK and will never see the final ACK. */
static inline void tw_lose_final_ack(struct test_pair *p)
{
    CHECK_SYS(close(p->client));
    p->client = -1;
    char b;
    CHECK(lab_read_bounded(p->server, &b, 1, 1000) == 0, "server did not read EOF");
    test_drop_input(p->server);
    CHECK_SYS(shutdown(p->server, SHUT_WR));
    struct lab_conn c;
    CHECK(lab_diag_find(TW_SRV(p), TW_CLI(p), &c) == 1, "passive side vanished");
    CHECK(c.state == LAB_TCP_LAST_ACK, "passive side: %s", lab_tcp_state_name(c.state));
}

#endif
