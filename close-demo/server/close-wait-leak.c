/* close-wait-leak, the server's half: read to EOF and "forget" to close().
 * CLOSE_WAIT has no timer: it lasts until the application closes (claim C2);
 * the client's orphaned FIN_WAIT2 does have one, tcp_fin_timeout (claim C6).
 * Partner: close-client --scenario close-wait-leak */
#include "closing.h"
#include "lab_step.h"
#include "lab_watch.h"
#include "server.h"

int close_wait_leak(struct server *s)
{
    read_to_eof(s);
    lab_say(&s->n, "this server 'forgets' to close()");
    hold_in_close_wait(s);
    lab_say_fd(&s->n, s->conn, "still not closed after %d ms", s->hold_ms);
    lab_explain(&s->n, "CLOSE_WAIT has no timer: the kernel waits for the application for");
    lab_explain(&s->n, "ever. A server that misses close() on some path collects these until");
    lab_explain(&s->n, "it runs out of fds (EMFILE); 'ss -tan state close-wait' shows them.");
    lab_explain(&s->n, "The client's side is orphaned in FIN_WAIT2 and will be dropped by its");
    lab_explain(&s->n, "kernel after net.ipv4.tcp_fin_timeout; ours would stay.");
    lab_step(&s->n, s->cli.step, "close() at last (a leaking server never would)");
    closing_close(&s->n, &s->conn);
    lab_say(&s->n, "close() at last, before exiting: our FIN finally goes out  state=CLOSE");
    lab_explain(&s->n, "Had we simply exited, the kernel would have closed the fd for us; a");
    lab_explain(&s->n, "long-running server that leaks keeps CLOSE_WAIT until it dies.");
    return 0;
}
