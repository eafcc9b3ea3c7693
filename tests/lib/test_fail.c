/* unit.lib.fail: lab_fail, lab_fail_fd and lab_fail_errno narrate one line, with the
 * likely cause once a peer is named, run the atexit handlers and exit 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "lab_fail.h"

static int atexit_fd = -1;

static void mark_atexit(void)
{
    (void)!write(atexit_fd, "atexit\n", 7);
}

enum how { PLAIN_ERRNO, PEER_TIMEOUT, PEER_RESET, PEER_UNEXPECTED, PEER_UNEXPECTED_FD };

/* Run one failure in a child writing into a pipe; its output in buf, its exit status returned. */
static int run_child(enum how how, char *buf, size_t len)
{
    int fds[2];
    CHECK_SYS(pipe(fds));
    pid_t pid = fork();
    CHECK_SYS(pid);
    if (pid == 0) {
        close(fds[0]);
        FILE *out = fdopen(fds[1], "w");
        if (out == NULL)
            _exit(3);
        atexit_fd = fds[1];
        atexit(mark_atexit);
        struct lab_narrator n;
        lab_narrator_init(&n, "client", 0, out);
        if (how != PLAIN_ERRNO)
            lab_fail_context("server", 1500);
        if (how == PLAIN_ERRNO)
            lab_fail_errno(&n, ECONNREFUSED, "connect(%s)", "127.0.0.1:9");
        if (how == PEER_TIMEOUT)
            lab_fail_errno(&n, ETIMEDOUT, "read()");
        if (how == PEER_RESET)
            lab_fail_errno(&n, ECONNRESET, "write()");
        if (how == PEER_UNEXPECTED_FD)
            lab_fail_fd(&n, socket(AF_INET, SOCK_STREAM, 0), "EOF before the %s", "reply");
        lab_fail(&n, "EOF before the %s", "reply");
    }
    close(fds[1]);
    size_t got = 0;
    ssize_t r;
    while (got + 1 < len && (r = read(fds[0], buf + got, len - 1 - got)) > 0)
        got += (size_t)r;
    buf[got] = '\0';
    close(fds[0]);
    int status;
    CHECK_SYS(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status), "child did not exit (status %d)", status);
    return WEXITSTATUS(status);
}

static void expect(enum how how, const char *want)
{
    char buf[2048];
    int rc = run_child(how, buf, sizeof buf);
    CHECK(rc == 1, "exit status %d, want 1; output: %s", rc, buf);
    CHECK(strstr(buf, want) != NULL, "want \"%s\" in: %s", want, buf);
    /* One narrated line, then the atexit handler (stdio flushed first by exit()). */
    const char *nl = strchr(buf, '\n');
    CHECK(nl != NULL && strcmp(nl + 1, "atexit\n") == 0, "want one line then atexit: %s", buf);
}

int main(void)
{
    expect(PLAIN_ERRNO, "connect(127.0.0.1:9) failed  errno=ECONNREFUSED");
    expect(PEER_TIMEOUT, "read(): the server did not finish within --timeout 1500 ms  "
                         "errno=ETIMEDOUT");
    expect(PEER_RESET, "write() failed: the server reset the connection (does it run another "
                       "scenario?)  errno=ECONNRESET");
    expect(PEER_UNEXPECTED, "unexpected: EOF before the reply (does the server run another "
                            "scenario? give both ends the same --scenario)");
    expect(PEER_UNEXPECTED_FD, "unexpected: EOF before the reply (does the server run another "
                               "scenario? give both ends the same --scenario)  state=CLOSE\n");
    puts("ok");
    return 0;
}
