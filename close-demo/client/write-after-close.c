/* write-after-close, the client's half: the server has closed (its fd is
 * gone) and we write anyway. The first write() succeeds, since the kernel
 * only queues the bytes; the server's kernel answers them with an RST; the
 * next write() fails with EPIPE, an error and not a death by SIGPIPE
 * (MSG_NOSIGNAL); read() then returns 0 (claim C23).
 * Partner: close-server --scenario write-after-close */
#include <errno.h>
#include <string.h>

#include "client.h"
#include "closing.h"
#include "lab_fail.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

int write_after_close(struct client *c)
{
    send_first(c);
    int state;
    /* CLOSE too: a server of another scenario may reset us instead. */
    if (lab_wait_fd_state(c->fd, LAB_STATE_BIT(LAB_TCP_CLOSE_WAIT) | LAB_STATE_BIT(LAB_TCP_CLOSE),
                          c->cli.timeout_ms, &state) < 0)
        lab_fail_errno(&c->n, errno, "waiting for the server's FIN");
    if (state == LAB_TCP_CLOSE)
        lab_fail_fd(&c->n, c->fd, "the server reset the connection instead of closing it");
    lab_say_fd(&c->n, c->fd, "the server's FIN arrived: it has closed");
    lab_explain(&c->n, "A FIN only says \"no more data from me\". Our socket cannot tell a");
    lab_explain(&c->n, "server that merely shut down its sending half from one whose fd is");
    lab_explain(&c->n, "gone, so nothing stops us from writing.");

    static const char more[] = "are you still there?\n";
    lab_step(&c->n, c->cli.step, "write() after the server's close");
    if (lab_send_all(c->fd, more, sizeof more - 1) < 0)
        lab_fail_errno(&c->n, errno, "write() after the server's FIN");
    lab_say_fd(&c->n, c->fd, "write() -> %zu bytes after the server's close", sizeof more - 1);
    lab_explain(&c->n, "It succeeds: write() only copies the bytes into our send queue. What");
    lab_explain(&c->n, "the other end makes of them comes back later, as a segment.");
    if (lab_tcp_state_of_fd(c->fd) != LAB_TCP_CLOSE_WAIT)
        lab_explain(&c->n, "On loopback it came back before write() even returned: see the state.");

    if (lab_wait_fd_state(c->fd, ~LAB_STATE_BIT(LAB_TCP_CLOSE_WAIT), c->cli.timeout_ms, &state) < 0)
        lab_fail_errno(&c->n, errno, "waiting for the server's answer to our bytes");
    lab_say_fd(&c->n, c->fd, "the server's RST arrived: our bytes had no reader");
    lab_explain(&c->n, "No fd on the server's side could take them, so its kernel answered");
    lab_explain(&c->n, "with an RST and forgot the connection. An RST in CLOSE_WAIT leaves");
    lab_explain(&c->n, "EPIPE, not ECONNRESET, for our next call.");

    lab_step(&c->n, c->cli.step, "write() again");
    if (lab_send_all(c->fd, more, sizeof more - 1) == 0) {
        lab_say_fd(&c->n, c->fd, "unexpected: the second write() succeeded too");
        return 1;
    }
    if (errno != EPIPE)
        lab_fail_errno(&c->n, errno, "write() after the server's RST");
    lab_say_errno(&c->n, EPIPE, "write() -> -1  state=%s",
                  lab_tcp_state_name(lab_tcp_state_of_fd(c->fd)));
    lab_explain(&c->n, "We send with MSG_NOSIGNAL (and ignore SIGPIPE): without that, this");
    lab_explain(&c->n, "write() would have killed the program with SIGPIPE, the classic end");
    lab_explain(&c->n, "of a client that writes to a peer that has gone.");

    ssize_t r = read_once(c, lab_now_ms() + c->cli.timeout_ms);
    if (r < 0)
        lab_fail_errno(&c->n, errno, "read() after the server's RST");
    if (r > 0)
        lab_fail_fd(&c->n, c->fd, "data where EOF should come: the server wrote");
    lab_explain(&c->n, "The error was reported once, to the write(); the server's FIN had");
    lab_explain(&c->n, "ended the byte stream, so read() says EOF.");
    closing_close(&c->n, &c->fd);
    return 0;
}
