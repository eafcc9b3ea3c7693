/* large-transfer, the client's half: write --bytes and close() at once.
 * close() loses nothing: the kernel sends every queued byte, then the FIN
 * (claim C2: the server reads them all before EOF).
 * Partner: close-server --scenario large-transfer */
#include <errno.h>

#include "client.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_watch.h"

int large_transfer(struct client *c)
{
    char chunk[65536];
    long sent = 0;
    int writes = 0;
    while (sent < c->bytes) {
        size_t n = sizeof chunk;
        if ((long)n > c->bytes - sent)
            n = (size_t)(c->bytes - sent);
        for (size_t i = 0; i < n; i++)
            chunk[i] = (char)((sent + (long)i) % 251); /* the server checks this pattern */
        if (lab_send_all(c->fd, chunk, n) < 0)
            lab_fail_errno(&c->n, errno, "write()");
        sent += (long)n;
        writes++;
    }
    lab_say_fd(&c->n, c->fd, "wrote %ld bytes in %d write() calls", sent, writes);
    lab_explain(&c->n, "write() returned once the bytes were in our send buffer, not once");
    lab_explain(&c->n, "the server had them. close() now does not discard them: the kernel");
    lab_explain(&c->n, "sends them all, then the FIN.");
    active_close(c);
    return 0;
}
