/* linger0, the server's half: the client aborts with SO_LINGER {on, 0 s};
 * we read what reached us, then ECONNRESET. No side keeps a TIME_WAIT.
 * No claim number: a behaviour the README's close-demo table lists.
 * Partner: close-client --scenario linger0 */
#include "closing.h"
#include "server.h"

int linger0(struct server *s)
{
    read_to_reset(s);
    lab_explain(&s->n, "The client aborted with SO_LINGER {on, 0 s}: its kernel sent RST and");
    lab_explain(&s->n, "threw away whatever it had not sent yet. What had already reached us");
    lab_explain(&s->n, "stayed readable; then read() fails with ECONNRESET. No side keeps a");
    lab_explain(&s->n, "TIME_WAIT.");
    closing_close(&s->n, &s->conn);
    return 0;
}
