/* graceful, the server's half: the passive closer. EOF comes after every
 * byte and our socket sits in CLOSE_WAIT until we close() (claim C2); our
 * LAST_ACK then lasts one round trip, too short to catch here (claim C3).
 * Partner: close-client --scenario graceful */
#include "server.h"

int graceful(struct server *s)
{
    read_to_eof(s);
    hold_in_close_wait(s);
    passive_close(s);
    return 0;
}
