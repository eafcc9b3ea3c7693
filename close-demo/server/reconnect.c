/* reconnect, the server's half: the client's connect(AF_UNSPEC) reaches us
 * as a reset; then the same client socket connects again and closes.
 * Claim C18 (test claim.C18.tcp-connect-once).
 * Partner: close-client --scenario reconnect */
#include "closing.h"
#include "server.h"

int reconnect(struct server *s)
{
    read_to_reset(s);
    lab_explain(&s->n, "The client called connect(AF_UNSPEC) on its connected socket. Linux");
    lab_explain(&s->n, "treats that as 'disconnect': its kernel aborted with RST.");
    closing_close(&s->n, &s->conn);
    lab_say(&s->n, "waiting for the same client socket to connect again");
    s->conn = accept_one(s);
    if (s->conn < 0) /* nobody reads us any more */
        return 0;
    read_to_eof(s);
    passive_close(s);
    return 0;
}
