/* half-close, the server's half: the client's EOF ends only its direction;
 * we still write our reply after it, then close.
 * Claim C4 shows on the client's side (fd CLOSE, TIME_WAIT in sock_diag).
 * Partner: close-client --scenario half-close */
#include <errno.h>

#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_watch.h"
#include "server.h"

int half_close(struct server *s)
{
    read_to_eof(s);
    lab_explain(&s->n, "EOF means the client will send nothing more. It does not mean it");
    lab_explain(&s->n, "stopped reading: a half-closed connection still carries our data.");
    hold_in_close_wait(s);
    static const char reply[] = "reply after your FIN\n";
    lab_step(&s->n, s->cli.step, "write() the reply");
    if (lab_send_all(s->conn, reply, sizeof reply - 1) < 0)
        lab_fail_errno(&s->n, errno, "write()");
    lab_say_fd(&s->n, s->conn, "write() -> %zu bytes after EOF", sizeof reply - 1);
    passive_close(s);
    return 0;
}
