/* unit.lib.watch: state narration for an fd and for sock_diag entries, and
 * the bounded watches built on them. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"
#include "testlib.h"

#define SA(ep) ((const struct sockaddr *)&(ep).ss)

static FILE *out;
static struct lab_narrator narrator;

/* What was narrated since the last call (the file is emptied). */
static const char *narrated(void)
{
    static char buf[4096];
    fflush(out);
    rewind(out);
    size_t n = fread(buf, 1, sizeof buf - 1, out);
    buf[n] = '\0';
    rewind(out);
    CHECK_SYS(ftruncate(fileno(out), 0));
    return buf;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_say_fd(void)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    errno = EPIPE;
    lab_say_fd(&narrator, p.listener, "listening on port %d", 5);
    CHECK(errno == EPIPE, "lab_say_fd changed errno to %s", lab_errno_name(errno));
    const char *s = narrated();
    CHECK(strstr(s, "server  listening on port 5  state=LISTEN\n") != NULL, "'%s'", s);
    lab_say_fd(&narrator, p.client, "connected");
    s = narrated();
    CHECK(strstr(s, "connected  state=ESTABLISHED\n") != NULL, "'%s'", s);
    test_pair_close(&p);

    /* No TCP state to tell: said so, with the reason. */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_SYS(u);
    errno = 0;
    lab_say_fd(&narrator, u, "udp");
    CHECK(errno == 0, "lab_say_fd changed errno to %s", lab_errno_name(errno));
    s = narrated();
    CHECK(strstr(s, "udp  state=? (TCP_INFO: E") != NULL, "'%s'", s);
    close(u);
}

static void test_say_conn(void)
{
    struct lab_conn c;
    memset(&c, 0, sizeof c);
    c.state = LAB_TCP_ESTABLISHED;
    lab_say_conn(&narrator, &c, "seen %s", "here");
    const char *s = narrated();
    CHECK(strstr(s, "seen here  state=ESTABLISHED\n") != NULL, "'%s'", s);

    static const struct {
        int timer;
        unsigned ms;
        const char *want;
    } timers[] = {
        {LAB_TIMER_TIME_WAIT, 59996, "x  state=TIME_WAIT timer=59.996s (time-wait)\n"},
        {LAB_TIMER_RETRANSMIT, 5, "x  state=TIME_WAIT timer=0.005s (retransmit)\n"},
        {LAB_TIMER_KEEPALIVE, 1000, "x  state=TIME_WAIT timer=1.000s (keepalive)\n"},
        {LAB_TIMER_ZERO_WINDOW_PROBE, 0, "x  state=TIME_WAIT timer=0.000s (zero-window-probe)\n"},
        {9, 12, "x  state=TIME_WAIT timer=0.012s (none)\n"},
    };
    c.state = LAB_TCP_TIME_WAIT;
    for (size_t i = 0; i < sizeof timers / sizeof timers[0]; i++) {
        c.timer = timers[i].timer;
        c.expires_ms = timers[i].ms;
        lab_say_conn(&narrator, &c, "x");
        s = narrated();
        CHECK(strstr(s, timers[i].want) != NULL, "'%s', want '%s'", s, timers[i].want);
    }
}

static int notes;
static int last_noted;

static void note(const struct lab_narrator *n, const struct lab_conn *c)
{
    (void)n;
    notes++;
    last_noted = c->state;
}

static void test_watch_conn(void)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    struct lab_conn last;

    /* Nothing changes: one line, then the bound. */
    notes = 0;
    long long t0 = lab_now_ms();
    errno = 0;
    int rc = lab_watch_conn(&narrator, SA(p.client_addr), SA(p.server_addr),
                            LAB_STATE_BIT(LAB_TCP_TIME_WAIT), 50, note, &last);
    long long dt = lab_now_ms() - t0;
    CHECK(rc == -1 && errno == ETIMEDOUT, "rc %d errno=%s", rc, lab_errno_name(errno));
    CHECK(dt >= 50 && dt < 400, "watch bound 50 ms took %lld ms", dt);
    CHECK(last.state == LAB_TCP_ESTABLISHED, "last %s", lab_tcp_state_name(last.state));
    CHECK(notes == 1 && last_noted == LAB_TCP_ESTABLISHED, "%d notes", notes);
    const char *s = narrated();
    CHECK(count_lines(s) == 1 && strstr(s, "sock_diag:  state=ESTABLISHED\n"), "'%s'", s);

    /* Already in the stop mask: one line, 1. */
    rc = lab_watch_conn(&narrator, SA(p.client_addr), SA(p.server_addr),
                        LAB_STATE_BIT(LAB_TCP_ESTABLISHED), 1000, NULL, &last);
    CHECK(rc == 1 && last.state == LAB_TCP_ESTABLISHED, "rc %d", rc);
    CHECK(count_lines(narrated()) == 1, "not one line");

    /* Active close: the watch ends on TIME_WAIT, narrated with its timer. */
    test_pair_active_close(&p);
    notes = 0;
    rc = lab_watch_conn(&narrator, SA(p.client_addr), SA(p.server_addr),
                        LAB_STATE_BIT(LAB_TCP_TIME_WAIT), 1000, note, &last);
    CHECK(rc == 1 && last.state == LAB_TCP_TIME_WAIT, "rc %d last %s", rc,
          lab_tcp_state_name(last.state));
    CHECK(notes >= 1 && last_noted == LAB_TCP_TIME_WAIT, "%d notes, last %s", notes,
          lab_tcp_state_name(last_noted));
    s = narrated();
    CHECK(strstr(s, "sock_diag:  state=TIME_WAIT timer=") && strstr(s, "s (time-wait)\n"), "'%s'",
          s);
    CHECK(count_lines(s) == notes, "%d lines for %d notes", count_lines(s), notes);

    /* Gone (the passive side after its close): 0, nothing said. */
    rc = lab_watch_conn(&narrator, SA(p.server_addr), SA(p.client_addr),
                        LAB_STATE_BIT(LAB_TCP_CLOSE), 1000, note, &last);
    CHECK(rc == 0, "gone connection: rc %d", rc);
    s = narrated();
    CHECK(*s == '\0', "narrated a gone connection: '%s'", s);
    test_pair_close(&p);
}

static void test_wait_fd_state(void)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    int st = -1;
    CHECK_SYS(lab_wait_fd_state(p.server, LAB_STATE_BIT(LAB_TCP_ESTABLISHED), 1000, &st));
    CHECK(st == LAB_TCP_ESTABLISHED, "state %s", lab_tcp_state_name(st));

    long long t0 = lab_now_ms();
    CHECK_ERRNO(lab_wait_fd_state(p.server, LAB_STATE_BIT(LAB_TCP_CLOSE_WAIT), 30, &st), ETIMEDOUT);
    long long dt = lab_now_ms() - t0;
    CHECK(dt >= 30 && dt < 300, "bound 30 ms took %lld ms", dt);
    CHECK(st == LAB_TCP_ESTABLISHED, "last state %s", lab_tcp_state_name(st));

    CHECK_SYS(shutdown(p.client, SHUT_WR));
    CHECK_SYS(lab_wait_fd_state(p.server, LAB_STATE_BIT(LAB_TCP_CLOSE_WAIT), 1000, &st));
    CHECK(st == LAB_TCP_CLOSE_WAIT, "state %s", lab_tcp_state_name(st));
    CHECK_SYS(lab_wait_fd_state(
        p.client, LAB_STATE_BIT(LAB_TCP_FIN_WAIT2) | LAB_STATE_BIT(LAB_TCP_CLOSE), 1000, &st));
    CHECK(st == LAB_TCP_FIN_WAIT2, "state %s", lab_tcp_state_name(st));
    test_pair_close(&p);

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_SYS(u);
    CHECK(lab_wait_fd_state(u, ~0u, 30, &st) == -1, "UDP socket has a TCP state");
    close(u);
}

/* lab_watch_wait: silent, bounded, and it ends on any state of the mask. */
static void test_watch_wait(void)
{
    struct test_pair p;
    test_pair_open(&p, "127.0.0.1");
    struct lab_conn c;

    /* A state that lasts: the bound, with the last state seen. */
    long long t0 = lab_now_ms();
    errno = 0;
    int rc = lab_watch_wait(SA(p.client_addr), SA(p.server_addr), LAB_STATE_BIT(LAB_TCP_CLOSE_WAIT),
                            300, &c);
    long long dt = lab_now_ms() - t0;
    CHECK(rc == -1 && errno == ETIMEDOUT, "rc %d errno=%s", rc, lab_errno_name(errno));
    CHECK(dt >= 300 && dt < 700, "bound 300 ms took %lld ms", dt);
    CHECK(c.state == LAB_TCP_ESTABLISHED, "last state %s", lab_tcp_state_name(c.state));

    /* Any state but FIN_WAIT1: after an active close, FIN_WAIT2 or TIME_WAIT. */
    test_pair_active_close(&p);
    rc = lab_watch_wait(SA(p.client_addr), SA(p.server_addr), ~LAB_STATE_BIT(LAB_TCP_FIN_WAIT1),
                        1000, &c);
    CHECK(rc == 1 && (c.state == LAB_TCP_FIN_WAIT2 || c.state == LAB_TCP_TIME_WAIT), "rc %d %s", rc,
          lab_tcp_state_name(c.state));

    /* Gone: 0, and no state. */
    rc = lab_watch_wait(SA(p.server_addr), SA(p.client_addr), ~0u, 1000, &c);
    CHECK(rc == 0 && c.state == -1, "gone connection: rc %d state %d", rc, c.state);
    CHECK(*narrated() == '\0', "lab_watch_wait narrated");
    test_pair_close(&p);
}

int main(void)
{
    out = tmpfile();
    CHECK(out != NULL, "tmpfile");
    lab_narrator_init(&narrator, "server", 0, out);
    test_say_fd();
    test_say_conn();
    test_watch_conn();
    test_wait_fd_state();
    test_watch_wait();
    fclose(out);
    puts("ok");
    return 0;
}
