/* demo.close.half-close-early-eof: close-client --scenario half-close against
 * a server that reads to EOF and closes without replying (what a server of
 * another scenario would do). The client must say what happened, EOF before
 * any reply, and exit 1, at once: not exit 1 with nothing said.
 * No close-server plays this part, so the test is the server. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "lab_sock.h"
#include "testlib.h"

int main(void)
{
    test_require_private_netns();
    const char *bin = getenv("SOCKLAB_BIN");
    CHECK(bin != NULL, "SOCKLAB_BIN is not set");
    char prog[4096];
    snprintf(prog, sizeof prog, "%s/close-client", bin);

    struct lab_endpoint ep = test_address("127.0.0.1", 0, SOCK_STREAM);
    int lfd = lab_tcp_listen(&ep, 4, 0);
    CHECK_SYS(lfd);
    struct lab_endpoint bound;
    CHECK_SYS(lab_endpoint_local(lfd, &bound));
    char port[8];
    snprintf(port, sizeof port, "%u", (unsigned)lab_endpoint_port(&bound));

    int out[2];
    CHECK_SYS(pipe(out));
    pid_t pid = fork();
    CHECK_SYS(pid);
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        close(lfd);
        execl(prog, prog, "--scenario", "half-close", "--port", port, "--timeout", "3000",
              "--quiet", (char *)NULL);
        perror(prog);
        _exit(127);
    }
    close(out[1]);

    /* Our part: read the question and the client's FIN, close without a word. */
    int fd = lab_accept_bounded(lfd, 3000, NULL);
    CHECK_SYS(fd);
    char buf[256];
    ssize_t r;
    long long t0 = lab_now_ms();
    while ((r = lab_read_bounded(fd, buf, sizeof buf, 3000)) > 0)
        ;
    CHECK(r == 0, "no EOF from the client: errno=%s", lab_errno_name(errno));
    close(fd);
    close(lfd);

    /* The client's narration and exit status. */
    char text[8192];
    size_t got = 0;
    while (got + 1 < sizeof text && lab_wait_fd(out[0], POLLIN, 3000) == 1) {
        ssize_t n = read(out[0], text + got, sizeof text - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    text[got] = '\0';
    close(out[0]);
    int status;
    CHECK_SYS(waitpid(pid, &status, 0));
    long long ms = lab_now_ms() - t0;
    printf("%s", text);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1, "client status %d, want exit 1", status);
    CHECK(strstr(text, "unexpected: EOF before any reply: the server closed without answering") !=
              NULL,
          "the client did not say what happened");
    CHECK(strstr(text, "another scenario") != NULL, "the client named no likely cause");
    CHECK(ms < 1500, "the client took %lld ms to notice", ms);
    puts("ok");
    return 0;
}
