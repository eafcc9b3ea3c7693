/* unit.lib.step: --step waits for exactly one line per call, reads no
 * further (the next step's line stays queued), and stops waiting at EOF. */
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "check.h"
#include "lab_sock.h"
#include "lab_step.h"

/* Bytes still queued on stdin (a pipe). */
static int queued(void)
{
    int n = -1;
    CHECK_SYS(ioctl(STDIN_FILENO, FIONREAD, &n));
    return n;
}

static size_t narrated(FILE *f, char *buf, size_t len)
{
    fflush(f);
    rewind(f);
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    rewind(f);
    CHECK_SYS(ftruncate(fileno(f), 0));
    return n;
}

int main(void)
{
    FILE *out = tmpfile();
    CHECK(out != NULL, "tmpfile");
    struct lab_narrator n;
    lab_narrator_init(&n, "client", 0, out);
    char buf[1024];

    int fds[2];
    CHECK_SYS(pipe(fds));
    CHECK_SYS(dup2(fds[0], STDIN_FILENO));
    close(fds[0]);
    CHECK(write(fds[1], "\nok\n", 4) == 4, "write");

    /* Disabled: returns at once, reads nothing, says nothing. */
    long long t0 = lab_now_ms();
    lab_step(&n, 0, "close");
    CHECK(lab_now_ms() - t0 < 100, "disabled step waited");
    CHECK(queued() == 4, "disabled step read stdin (%d bytes left)", queued());
    CHECK(narrated(out, buf, sizeof buf) == 0, "disabled step narrated '%s'", buf);

    /* Enabled: one line per call, the rest stays for the next step. */
    lab_step(&n, 1, "connect");
    CHECK(queued() == 3, "first step left %d bytes, want 3", queued());
    narrated(out, buf, sizeof buf);
    CHECK(strstr(buf, "client  step: press Enter to connect\n") != NULL,
          "prompt not narrated: '%s'", buf);
    CHECK(strchr(buf, '\n') == buf + strlen(buf) - 1, "more than one line: '%s'", buf);

    lab_step(&n, 1, "close");
    CHECK(queued() == 0, "second step left %d bytes, want 0", queued());
    narrated(out, buf, sizeof buf);
    CHECK(strstr(buf, "step: press Enter to close") != NULL, "prompt: '%s'", buf);

    /* A partial line is not a step: the rest arrives, then the step ends. */
    CHECK(write(fds[1], "abc", 3) == 3, "write");
    CHECK(write(fds[1], "\nnext\n", 6) == 6, "write");
    lab_step(&n, 1, "send");
    CHECK(queued() == 5, "step over 'abc\\n' left %d bytes, want 5", queued());
    lab_step(&n, 1, "shutdown");
    CHECK(queued() == 0, "left %d bytes", queued());
    narrated(out, buf, sizeof buf);

    /* EOF: the step returns without waiting, and later steps do not wait. */
    close(fds[1]);
    t0 = lab_now_ms();
    lab_step(&n, 1, "read");
    lab_step(&n, 1, "exit");
    long long dt = lab_now_ms() - t0;
    CHECK(dt < 500, "steps at EOF waited %lld ms", dt);
    narrated(out, buf, sizeof buf);
    CHECK(strstr(buf, "step: press Enter to read") != NULL, "EOF step: '%s'", buf);
    /* No prompt that would not be waited for. */
    CHECK(strstr(buf, "exit") == NULL, "step after EOF still prompts: '%s'", buf);
    fclose(out);
    puts("ok");
    return 0;
}
