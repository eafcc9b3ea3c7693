/* large-transfer, the server's half: count and check every byte up to EOF.
 * The client's close() cut nothing: its FIN came after the last byte (claim C2).
 * Partner: close-client --scenario large-transfer */
#include <errno.h>

#include "closing.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_watch.h"
#include "server.h"

int large_transfer(struct server *s)
{
    char buf[65536];
    long long total = 0, reads = 0;
    long long deadline = lab_now_ms() + s->cli.timeout_ms;
    ssize_t r;
    while ((r = closing_read_by(s->conn, buf, sizeof buf, deadline)) > 0) {
        check_client(s, buf, (size_t)r);
        for (ssize_t i = 0; i < r; i++) {
            if ((unsigned char)buf[i] != (unsigned char)((total + i) % 251)) {
                /* No point reading on: the stream is not the one we check. */
                lab_say(&s->n, "data corrupted at byte %lld", total + i);
                return 1;
            }
        }
        total += r;
        reads++;
    }
    if (r < 0) {
        int err = errno;
        lab_say(&s->n, "read %lld bytes in %lld reads so far", total, reads);
        lab_fail_errno(&s->n, err, "read()");
    }
    lab_say_fd(&s->n, s->conn, "read() -> 0: EOF after exactly %lld bytes in %lld reads", total,
               reads);
    lab_say(&s->n, "every byte matched the client's pattern");
    lab_explain(&s->n, "close() on the client did not cut the stream: its kernel sent all");
    lab_explain(&s->n, "queued data and only then the FIN, and we saw EOF only after the");
    lab_explain(&s->n, "last byte. The FIN is just another place in the byte stream.");
    passive_close(s);
    return 0;
}
