/* unit.lib.narrate: the narrator's line format, quiet mode, colour rules,
 * errno names and the escaping of bytes from the network. */
#define _GNU_SOURCE /* posix_openpt, grantpt, unlockpt, ptsname */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "lab_narrate.h"
#include "lab_sock.h"

/* Everything readable on fd right now (the narrator must have flushed it). */
static size_t drain(int fd, char *buf, size_t len)
{
    size_t got = 0;
    while (got + 1 < len && lab_wait_fd(fd, POLLIN, 0) == 1) {
        ssize_t n = read(fd, buf + got, len - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    return got;
}

/* A narrator writing into a pipe, so that unflushed output would be missed. */
struct piped {
    struct lab_narrator n;
    FILE *out;
    int rfd;
};

static void piped_open(struct piped *pp, const char *role, int quiet)
{
    int fds[2];
    CHECK_SYS(pipe(fds));
    pp->rfd = fds[0];
    pp->out = fdopen(fds[1], "w");
    CHECK(pp->out != NULL, "fdopen: %s", lab_errno_name(errno));
    lab_narrator_init(&pp->n, role, quiet, pp->out);
}

static void piped_close(struct piped *pp)
{
    fclose(pp->out);
    close(pp->rfd);
}

/* "%7.3f %-7s %s": time, role padded to 7, text from column 16. */
static void check_event_line(const char *line, const char *role, const char *text, double tmin,
                             double tmax)
{
    char want[256];
    snprintf(want, sizeof want, "%-7s %s", role, text);
    CHECK(strlen(line) > 8 && line[7] == ' ', "bad event line '%s'", line);
    char *end;
    double t = strtod(line, &end);
    CHECK(end == line + 7, "time is not 7 columns wide in '%s'", line);
    CHECK(t >= tmin && t < tmax, "time %.3f not in [%.3f,%.3f) in '%s'", t, tmin, tmax, line);
    CHECK(strchr(line, '.') == line + 3, "time lacks 3 decimals: '%s'", line);
    CHECK(strcmp(line + 8, want) == 0, "event '%s', want '%s'", line + 8, want);
}

static void test_format(void)
{
    unsetenv("NO_COLOR"); /* not a TTY: no colour whatever NO_COLOR says */
    struct piped pp;
    piped_open(&pp, "server", 0);
    CHECK(pp.n.color == 0, "colour on a pipe");
    CHECK(pp.n.quiet == 0 && strcmp(pp.n.role, "server") == 0 && pp.n.out == pp.out,
          "init did not record its arguments");

    char buf[4096];
    errno = ECONNRESET;
    lab_say(&pp.n, "listening on %s:%d", "127.0.0.1", 19001);
    CHECK(errno == ECONNRESET, "lab_say changed errno to %s", lab_errno_name(errno));
    size_t n = drain(pp.rfd, buf, sizeof buf);
    CHECK(n > 0 && buf[n - 1] == '\n', "event line not flushed at once: '%s'", buf);
    CHECK(strchr(buf, '\n') == buf + n - 1, "more than one line: '%s'", buf);
    buf[n - 1] = '\0';
    check_event_line(buf, "server", "listening on 127.0.0.1:19001", 0.0, 1.0);

    errno = EPIPE;
    lab_explain(&pp.n, "because %s", "the kernel said so");
    CHECK(errno == EPIPE, "lab_explain changed errno to %s", lab_errno_name(errno));
    n = drain(pp.rfd, buf, sizeof buf);
    CHECK(strcmp(buf, "                because the kernel said so\n") == 0,
          "explanation not indented 16 columns: '%s'", buf);

    /* The clock counts from init: move the start back instead of sleeping. */
    pp.n.start_us -= 1500000;
    lab_say(&pp.n, "read 0 bytes state=CLOSE_WAIT errno=%s", lab_errno_name(EPIPE));
    n = drain(pp.rfd, buf, sizeof buf);
    CHECK(n > 0, "nothing written");
    buf[n - 1] = '\0';
    check_event_line(buf, "server", "read 0 bytes state=CLOSE_WAIT errno=EPIPE", 1.5, 2.5);
    CHECK(strchr(buf, '\033') == NULL, "escape sequence without a TTY: '%s'", buf);

    /* A failed call: its errno named and explained, and left in errno. */
    errno = 0;
    lab_say_errno(&pp.n, ECONNREFUSED, "connect to %s", "127.0.0.1:9");
    CHECK(errno == ECONNREFUSED, "lab_say_errno left errno=%s", lab_errno_name(errno));
    n = drain(pp.rfd, buf, sizeof buf);
    CHECK(n > 0, "nothing written");
    buf[n - 1] = '\0';
    char want[128];
    snprintf(want, sizeof want, "connect to 127.0.0.1:9  errno=ECONNREFUSED (%s)",
             strerror(ECONNREFUSED));
    check_event_line(buf, "server", want, 1.5, 2.5);

    /* Long text is not lost to a short internal buffer (up to 1 KiB). */
    char big[900];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lab_say(&pp.n, "%s", big);
    n = drain(pp.rfd, buf, sizeof buf);
    CHECK(n == 16 + strlen(big) + 1, "long line has %zu bytes", n);
    piped_close(&pp);

    /* Role "client" and quiet: events stay, explanations go. */
    piped_open(&pp, "client", 1);
    lab_say(&pp.n, "connected");
    lab_explain(&pp.n, "dropped by --quiet");
    lab_say(&pp.n, "closed");
    n = drain(pp.rfd, buf, sizeof buf);
    CHECK(strstr(buf, "dropped") == NULL, "quiet printed an explanation: '%s'", buf);
    char *second = strchr(buf, '\n');
    CHECK(second != NULL, "no line: '%s'", buf);
    *second++ = '\0';
    check_event_line(buf, "client", "connected", 0.0, 1.0);
    char *third = strchr(second, '\n');
    CHECK(third != NULL && third[1] == '\0', "want exactly two lines, got '%s'", second);
    *third = '\0';
    check_event_line(second, "client", "closed", 0.0, 1.0);
    piped_close(&pp);
}

/* Colour: on a TTY unless NO_COLOR is set (to a non-empty value). */
static void test_color(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
        printf("note: no pseudo-terminal (%s), colour on a TTY not checked\n",
               lab_errno_name(errno));
        if (master >= 0)
            close(master);
        return;
    }
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    CHECK_SYS(slave);
    FILE *tty = fdopen(slave, "w");
    CHECK(tty != NULL, "fdopen");

    struct lab_narrator n;
    CHECK_SYS(setenv("NO_COLOR", "1", 1));
    lab_narrator_init(&n, "server", 0, tty);
    CHECK(n.color == 0, "colour on a TTY with NO_COLOR=1");

    CHECK_SYS(setenv("NO_COLOR", "", 1));
    lab_narrator_init(&n, "server", 0, tty);
    CHECK(n.color == 1, "no colour on a TTY with NO_COLOR empty");

    /* Two terminals share the machine's clock, not each program's start. */
    CHECK_SYS(setenv("SOCKLAB_CLOCK", "run", 1));
    lab_narrator_init(&n, "server", 0, tty);
    CHECK(n.wall == 0, "SOCKLAB_CLOCK=run ignored on a TTY");
    CHECK_SYS(unsetenv("SOCKLAB_CLOCK"));

    CHECK_SYS(unsetenv("NO_COLOR"));
    lab_narrator_init(&n, "server", 0, tty);
    CHECK(n.color == 1, "no colour on a TTY");
    CHECK(n.wall == 1, "a TTY does not get the time of day");
    lab_say(&n, "got FIN state=CLOSE_WAIT, errno=EPIPE done");
    /* Inside quotes (escaped network bytes) a "state=" is data: not coloured. */
    lab_say(&n, "read() -> \"\\\"  state=TIME_WAIT  errno=EPERM\\\\\"  state=ESTABLISHED");
    lab_explain(&n, "why");

    /* A pty hands bytes over asynchronously: collect until the last line is in. */
    char buf[1024];
    size_t got = 0;
    long long deadline = lab_now_ms() + 1000;
    buf[0] = '\0';
    while (strstr(buf, "why") == NULL && lab_now_ms() < deadline) {
        got += drain(master, buf + got, sizeof buf - got);
        if (strstr(buf, "why") == NULL)
            lab_wait_fd(master, POLLIN, 50);
    }
    CHECK(strstr(buf, "\033[32mstate=CLOSE_WAIT\033[0m,") != NULL, "state= not highlighted: '%s'",
          buf);
    CHECK(strstr(buf, "\033[31merrno=EPIPE\033[0m done") != NULL, "errno= not highlighted: '%s'",
          buf);
    CHECK(
        strstr(buf, "\\\"  state=TIME_WAIT  errno=EPERM\\\\\"  \033[32mstate=ESTABLISHED\033[0m") !=
            NULL,
        "quoted data highlighted or real field not: '%s'", buf);
    CHECK(strstr(buf, "\033[32mstate=TIME_WAIT") == NULL &&
              strstr(buf, "\033[31merrno=EPERM") == NULL,
          "a fake field in quotes was coloured: '%s'", buf);
    CHECK(strstr(buf, "server") != NULL && strstr(buf, "got FIN ") != NULL,
          "event text missing: '%s'", buf);
    CHECK(strstr(buf, "\n                     \033[2mwhy\033[0m") != NULL,
          "explanation not indented (21) and dimmed: '%s'", buf);
    /* The time of day: HH:MM:SS.mmm at the start of the event line. */
    int hh, mm, ss, ms, used = 0;
    CHECK(sscanf(buf, "%2d:%2d:%2d.%3d %n", &hh, &mm, &ss, &ms, &used) == 4 && used == 13 &&
              hh < 24 && mm < 60 && ss < 61,
          "no time of day at the start: '%s'", buf);
    fclose(tty);
    close(master);
    CHECK_SYS(setenv("NO_COLOR", "1", 1));
}

static void test_errno_name(void)
{
    static const struct {
        int err;
        const char *name;
    } known[] = {
        {EPERM, "EPERM"},
        {ENOENT, "ENOENT"},
        {EINTR, "EINTR"},
        {EAGAIN, "EAGAIN"},
        {EINVAL, "EINVAL"},
        {EPIPE, "EPIPE"},
        {ERANGE, "ERANGE"},
        {EADDRINUSE, "EADDRINUSE"},
        {ECONNRESET, "ECONNRESET"},
        {ECONNREFUSED, "ECONNREFUSED"},
        {ETIMEDOUT, "ETIMEDOUT"},
        {EISCONN, "EISCONN"},
        {ENOTCONN, "ENOTCONN"},
        {EDESTADDRREQ, "EDESTADDRREQ"},
        {EINPROGRESS, "EINPROGRESS"},
        {EHOSTUNREACH, "EHOSTUNREACH"},
        {ENOPROTOOPT, "ENOPROTOOPT"},
        {EOPNOTSUPP, "EOPNOTSUPP"},
        {EPROTO, "EPROTO"},
        {ENOSYS, "ENOSYS"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const char *got = lab_errno_name(known[i].err);
        CHECK(got != NULL && strcmp(got, known[i].name) == 0, "errno %d: '%s', want '%s'",
              known[i].err, got ? got : "(null)", known[i].name);
    }
    CHECK(strcmp(lab_errno_name(9999), "E9999") == 0, "'%s'", lab_errno_name(9999));
    CHECK(strcmp(lab_errno_name(-3), "E-3") == 0, "'%s'", lab_errno_name(-3));
    CHECK(strcmp(lab_errno_name(0), "E0") == 0, "'%s'", lab_errno_name(0));
}

/* lab_escape(data, len) into an outlen buffer must give want and write
 * nothing past outlen. */
static void escape_is(const char *data, size_t len, size_t outlen, const char *want)
{
    char out[256];
    CHECK(outlen < sizeof out, "test buffer too small");
    memset(out, 'Z', sizeof out);
    const char *r = lab_escape(data, len, out, outlen);
    CHECK(r == out, "does not return out");
    CHECK(memchr(out, '\0', outlen) != NULL, "not NUL-terminated in %zu bytes", outlen);
    CHECK(strcmp(out, want) == 0, "escape into %zu bytes: '%s', want '%s'", outlen, out, want);
    for (size_t i = outlen; i < sizeof out; i++)
        CHECK(out[i] == 'Z', "wrote byte %zu past outlen %zu", i, outlen);
}

static void test_escape(void)
{
    escape_is("hello", 5, 64, "hello");
    escape_is("", 0, 64, "");
    escape_is("", 0, 1, "");
    escape_is("a\nb\r\tc\\", 7, 64, "a\\nb\\r\\tc\\\\");
    /* Quotes are escaped: quoted network data cannot close its quotes and add
     * a field of its own to the line. */
    escape_is("\"", 1, 64, "\\\"");
    escape_is("\"  state=TIME_WAIT  errno=EPERM", 31, 64, "\\\"  state=TIME_WAIT  errno=EPERM");
    escape_is("\\\"", 2, 64, "\\\\\\\"");
    escape_is("a\"b", 3, 4, "...");
    escape_is("a\"b", 3, 5, "a\\\"b");
    escape_is("\0\x01\x1b\x7f\x80\xff", 6, 64, "\\x00\\x01\\x1b\\x7f\\x80\\xff");
    escape_is(" ~", 2, 64, " ~");            /* printable edges */
    escape_is("ab\0cd", 5, 64, "ab\\x00cd"); /* NUL in data is data, not an end */

    /* Truncation keeps whole escapes and marks the cut with "...". */
    escape_is("abcdefghij", 10, 8, "abcd...");
    escape_is("abcdefghij", 10, 11, "abcdefghij");
    escape_is("abcdefghij", 10, 10, "abcdef...");
    escape_is("\xff\xff\xff", 3, 8, "\\xff...");
    escape_is("\xff\xff\xff", 3, 12, "\\xff\\xff...");
    escape_is("\xff\xff\xff", 3, 13, "\\xff\\xff\\xff");
    escape_is("a\n\n\n", 4, 6, "a...");
    escape_is("ab\n", 3, 5, "ab\\n"); /* exactly fits: no cut */
    escape_is("abc", 3, 4, "abc");

    /* Tiny buffers: too small for "...", so nothing; always a string. */
    escape_is("abcdef", 6, 1, "");
    escape_is("abcdef", 6, 2, "");
    escape_is("abcdef", 6, 3, "");
    escape_is("abcdef", 6, 4, "...");
    escape_is("a", 1, 2, "a");
    escape_is("\n", 1, 2, "");
    escape_is("\n", 1, 3, "\\n");

    /* outlen 0: nothing may be written. */
    char out[4] = "ZZZ";
    CHECK(lab_escape("abc", 3, out, 0) == out, "does not return out");
    CHECK(memcmp(out, "ZZZ", 4) == 0, "wrote into a 0-byte buffer");
}

/* SOCKLAB_CLOCK=wall where it is not a TTY: the format, and explanations
 * under the event text. */
static void test_wall_clock(void)
{
    CHECK_SYS(setenv("SOCKLAB_CLOCK", "wall", 1));
    struct piped pp;
    piped_open(&pp, "client", 0);
    lab_say(&pp.n, "event");
    lab_explain(&pp.n, "why");
    char buf[256];
    fflush(pp.out);
    drain(pp.rfd, buf, sizeof buf);
    piped_close(&pp);
    CHECK_SYS(unsetenv("SOCKLAB_CLOCK"));
    int hh, mm, ss, ms, used = 0;
    CHECK(sscanf(buf, "%2d:%2d:%2d.%3d %n", &hh, &mm, &ss, &ms, &used) == 4 && used == 13,
          "no HH:MM:SS.mmm: '%s'", buf);
    CHECK(strcmp(buf + 12, " client  event\n                     why\n") == 0,
          "wall-clock line or indentation: '%s'", buf);
}

int main(void)
{
    CHECK_SYS(unsetenv("SOCKLAB_CLOCK"));
    test_format();
    test_wall_clock();
    test_color();
    test_errno_name();
    test_escape();
    puts("ok");
    return 0;
}
