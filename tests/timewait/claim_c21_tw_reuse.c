/* claim.C21: a TIME_WAIT 4-tuple can be reused by connect() when
 * net.ipv4.tcp_tw_reuse allows it: 0 never (EADDRNOTAVAIL), 1 always, 2 (the
 * default) only for loopback traffic; and only after a delay since the last
 * timestamped segment (tcp_twsk_unique). Timestamps make it safe: PAWS drops
 * any old segment of the previous incarnation. The delay: Linux 6.13 and
 * later, net.ipv4.tcp_tw_reuse_delay ms (1000 by default); before, until the
 * kernel's seconds clock passes the second of that segment (0 to 1 s).
 * To land on the same 4-tuple, the namespace's ephemeral range is one port. */
#include <unistd.h>

#include "timewait.h"

/* Connect from the only ephemeral port to ep; 0 or errno. */
static int try_connect(const struct lab_endpoint *ep)
{
    int fd = lab_tcp_connect(ep, 500);
    if (fd < 0)
        return errno;
    close(fd);
    return 0;
}

/* One TIME_WAIT on the one ephemeral port, to the listener at *srv. */
static void make_time_wait(int listener, const struct lab_endpoint *srv)
{
    int c = lab_tcp_connect(srv, 1000);
    CHECK_SYS(c);
    int s = lab_accept_bounded(listener, 1000, NULL);
    CHECK_SYS(s);
    CHECK_SYS(close(c));
    char b;
    CHECK(lab_read_bounded(s, &b, 1, 1000) == 0, "server did not read EOF");
    CHECK_SYS(close(s));
}

int main(void)
{
    test_require_private_netns();
    struct lab_endpoint any = test_address("127.0.0.1", 0, SOCK_STREAM);
    int listener = lab_tcp_listen(&any, 16, 1);
    CHECK_SYS(listener);
    struct lab_endpoint srv;
    CHECK_SYS(lab_endpoint_local(listener, &srv));
    CHECK_SYS(lab_sysctl_restore_on_exit());
    long old;
    unsigned port = lab_endpoint_port(&srv) == 40000 ? 40001 : 40000;
    char range[32];
    snprintf(range, sizeof range, "%u %u", port, port);
    CHECK_SYS(lab_sysctl_change_text("net.ipv4.ip_local_port_range", range));

    /* reuse 0: the 4-tuple stays taken. */
    CHECK_SYS(lab_sysctl_change("net.ipv4.tcp_tw_reuse", 0, &old));
    make_time_wait(listener, &srv);
    int err = try_connect(&srv);
    CHECK(err == EADDRNOTAVAIL, "tcp_tw_reuse=0: connect %s, want EADDRNOTAVAIL",
          lab_errno_name(err));

    /* reuse 2 on loopback: taken over once the delay has passed. */
    CHECK_SYS(lab_sysctl_write("net.ipv4.tcp_tw_reuse", 2));
    long delay = -1;
    int has_delay = lab_sysctl_read("net.ipv4.tcp_tw_reuse_delay", &delay) == 0;
    long long t0 = lab_now_ms();
    err = try_connect(&srv);
    if (has_delay)
        CHECK(err == EADDRNOTAVAIL,
              "tcp_tw_reuse=2 at once: %s, want EADDRNOTAVAIL "
              "(tcp_tw_reuse_delay %ld ms)",
              lab_errno_name(err), delay);
    while (err == EADDRNOTAVAIL && lab_now_ms() - t0 < 2500) {
        lab_pause_ms(5);
        err = try_connect(&srv);
    }
    long long waited = lab_now_ms() - t0;
    CHECK(err == 0, "tcp_tw_reuse=2: connect %s after %lld ms", lab_errno_name(err), waited);
    if (has_delay)
        CHECK(waited >= delay - 50, "reused after %lld ms, before tcp_tw_reuse_delay %ld", waited,
              delay);
    printf("ok: port %u: reuse 0 -> EADDRNOTAVAIL; reuse 2 -> reused after %lld ms (%s)\n", port,
           waited, has_delay ? "tcp_tw_reuse_delay" : "next second of the kernel's clock");
    close(listener);
    return 0;
}
