/* unit.lib.kstat: sysctls read and written by dotted name, and counters read
 * from /proc/net/netstat and /proc/net/snmp, in this test's own namespace. */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "lab_kstat.h"
#include "lab_netns.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

static void test_sysctl(void)
{
    /* An ipv4 sysctl: every kernel shows those in every namespace (before
     * Linux 6.3 a user namespace's network namespace has no net.core ones). */
    long v = -1;
    CHECK_SYS(lab_sysctl_read("net.ipv4.tcp_fin_timeout", &v));
    CHECK(v > 0 && v <= 3600, "tcp_fin_timeout %ld", v);
    long slash = -1;
    CHECK_SYS(lab_sysctl_read("net/ipv4/tcp_fin_timeout", &slash));
    CHECK(slash == v, "slashed name reads %ld, dotted %ld", slash, v);

    /* Writing is per namespace: only where no one else can be hurt. */
    test_require_private_netns();
    CHECK_SYS(lab_sysctl_write("net.ipv4.tcp_fin_timeout", 1234));
    CHECK_SYS(lab_sysctl_read("net.ipv4.tcp_fin_timeout", &v));
    CHECK(v == 1234, "tcp_fin_timeout reads back %ld, wrote 1234", v);
    CHECK_SYS(lab_sysctl_write("net.ipv4.tcp_fin_timeout", 7));
    CHECK_SYS(lab_sysctl_read("net.ipv4.tcp_fin_timeout", &v));
    CHECK(v == 7, "tcp_fin_timeout reads back %ld, wrote 7", v);

    /* The value takes effect: a socket with no IP_TTL of its own reports
     * the namespace's default. */
    CHECK_SYS(lab_sysctl_write("net.ipv4.ip_default_ttl", 7));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_SYS(u);
    int ttl = 0;
    socklen_t len = sizeof ttl;
    CHECK_SYS(getsockopt(u, IPPROTO_IP, IP_TTL, &ttl, &len));
    CHECK(ttl == 7, "ip_default_ttl 7, but a new socket's IP_TTL is %d", ttl);
    close(u);
    CHECK_SYS(lab_sysctl_write("net.ipv4.ip_default_ttl", 64));

    /* The kernel's own range check comes back as the errno. */
    CHECK_SYS(lab_sysctl_read("net.ipv4.ip_default_ttl", &v));
    CHECK(v == 64, "ip_default_ttl %ld", v);
    CHECK_ERRNO(lab_sysctl_write("net.ipv4.ip_default_ttl", 0), EINVAL);
    CHECK_ERRNO(lab_sysctl_write("net.ipv4.ip_default_ttl", 256), EINVAL);
    CHECK_SYS(lab_sysctl_write("net.ipv4.ip_default_ttl", 255));
    CHECK_SYS(lab_sysctl_read("net.ipv4.ip_default_ttl", &v));
    CHECK(v == 255, "ip_default_ttl %ld", v);
    CHECK_ERRNO(lab_sysctl_write("net.ipv4.ip_default_ttl", -5), EINVAL);
    CHECK_SYS(lab_sysctl_read("net.ipv4.ip_default_ttl", &v));
    CHECK(v == 255, "ip_default_ttl %ld after refused writes", v);
}

/* In a forked child: change two sysctls, then end as told; the parent checks
 * both came back. */
static void change_then(int how)
{
    char range[64], after[64];
    CHECK_SYS(lab_sysctl_read_text("net.ipv4.ip_local_port_range", range, sizeof range));
    CHECK(strchr(range, '\n') == NULL && strchr(range, '\t') != NULL, "range text '%s'", range);
    fflush(NULL);
    pid_t pid = fork();
    CHECK_SYS(pid);
    if (pid == 0) {
        long old;
        CHECK_SYS(lab_sysctl_restore_on_exit());
        CHECK_SYS(lab_sysctl_change("net.ipv4.tcp_fin_timeout", 11, &old));
        CHECK(old == 60, "old tcp_fin_timeout %ld", old);
        CHECK_SYS(lab_sysctl_change("net.ipv4.tcp_syncookies", 0, &old));
        /* Two numbers: kept and put back as text. */
        CHECK_SYS(lab_sysctl_change_text("net.ipv4.ip_local_port_range", "40000 40000"));
        char now[64];
        CHECK_SYS(lab_sysctl_read_text("net.ipv4.ip_local_port_range", now, sizeof now));
        CHECK(strcmp(now, "40000\t40000") == 0, "ip_local_port_range now '%s'", now);
        if (how == 0)
            exit(0);
        if (how == 1) {
            CHECK_SYS(lab_sysctl_restore());
            CHECK_SYS(lab_sysctl_restore()); /* nothing left: a no-op */
            _exit(0);
        }
        raise(how);
        _exit(99);
    }
    int status;
    CHECK_SYS(waitpid(pid, &status, 0));
    if (how <= 1)
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x", (unsigned)status);
    else
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == how, "child status 0x%x, want signal %d",
              (unsigned)status, how);
    long v;
    CHECK_SYS(lab_sysctl_read("net.ipv4.tcp_fin_timeout", &v));
    CHECK(v == 60, "tcp_fin_timeout left at %ld (how %d)", v, how);
    CHECK_SYS(lab_sysctl_read("net.ipv4.tcp_syncookies", &v));
    CHECK(v == 1, "tcp_syncookies left at %ld (how %d)", v, how);
    CHECK_SYS(lab_sysctl_read_text("net.ipv4.ip_local_port_range", after, sizeof after));
    CHECK(strcmp(after, range) == 0, "ip_local_port_range left at '%s', was '%s' (how %d)", after,
          range, how);
}

static void test_sysctl_restore(void)
{
    test_require_private_netns();
    CHECK_SYS(lab_sysctl_write("net.ipv4.tcp_fin_timeout", 60));
    change_then(0);       /* exit() */
    change_then(1);       /* lab_sysctl_restore() by hand */
    change_then(SIGTERM); /* killed */
    change_then(SIGINT);
    change_then(SIGHUP);
    long old;
    CHECK_ERRNO(lab_sysctl_change("net.ipv4.no_such_thing", 1, &old), ENOENT);
}

static void test_kernel_version(void)
{
    struct utsname u;
    int ma = 0, mi = 0;
    CHECK_SYS(uname(&u));
    CHECK(sscanf(u.release, "%d.%d", &ma, &mi) == 2, "release '%s'", u.release);
    CHECK(lab_kernel_at_least(ma, mi) == 1, "not at least its own version %d.%d", ma, mi);
    CHECK(lab_kernel_at_least(ma, mi + 1) == 0, "at least %d.%d", ma, mi + 1);
    CHECK(lab_kernel_at_least(ma + 1, 0) == 0, "at least %d.0", ma + 1);
    CHECK(lab_kernel_at_least(ma - 1, 99) == 1, "not at least %d.99", ma - 1);
}

static void test_sysctl_bad_names(void)
{
    long v = 4242;
    CHECK_ERRNO(lab_sysctl_read("net.core.no_such_thing", &v), ENOENT);
    CHECK_ERRNO(lab_sysctl_write("net.core.no_such_thing", 1), ENOENT);
    CHECK_ERRNO(lab_sysctl_read("..", &v), EINVAL);
    CHECK_ERRNO(lab_sysctl_read("net...core.somaxconn", &v), EINVAL);
    CHECK_ERRNO(lab_sysctl_read("../../etc/hostname", &v), EINVAL);
    CHECK_ERRNO(lab_sysctl_read("net/../../../etc/hostname", &v), EINVAL);
    CHECK_ERRNO(lab_sysctl_write("../../proc/self/oom_score_adj", 1), EINVAL);
    /* A name longer than any path is refused, not truncated into another one. */
    char longname[400];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    CHECK_ERRNO(lab_sysctl_read(longname, &v), EINVAL);
    /* A directory, and a sysctl that is not an integer. */
    CHECK(lab_sysctl_read("net.core", &v) == -1, "read a directory");
    CHECK_ERRNO(lab_sysctl_read("net.ipv4.tcp_congestion_control", &v), EPROTO);
    CHECK(v == 4242, "value written on failure (%ld)", v);
}

static void test_counters(void)
{
    unsigned long long v = 1ULL << 60;
    CHECK_SYS(lab_netstat_read("TcpExt", "ListenOverflows", &v));
    CHECK(v == 0, "fresh namespace has ListenOverflows %llu", v);
    CHECK_SYS(lab_netstat_read("TcpExt", "ListenDrops", &v));
    CHECK_SYS(lab_netstat_read("Tcp", "ActiveOpens", &v)); /* /proc/net/snmp */

    unsigned long long before, after;
    CHECK_SYS(lab_netstat_read("Udp", "InDatagrams", &before));
    /* One datagram to ourselves moves it by exactly one. */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_SYS(u);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK_SYS(bind(u, (struct sockaddr *)&a, sizeof a));
    socklen_t len = sizeof a;
    CHECK_SYS(getsockname(u, (struct sockaddr *)&a, &len));
    CHECK_SYS(sendto(u, "x", 1, 0, (struct sockaddr *)&a, sizeof a));
    char b;
    CHECK(lab_read_bounded(u, &b, 1, 1000) == 1, "datagram not received");
    CHECK_SYS(lab_netstat_read("Udp", "InDatagrams", &after));
    CHECK(after == before + 1, "InDatagrams %llu -> %llu, want +1", before, after);
    /* "UdpLite" shares the prefix but is a different group. */
    CHECK_SYS(lab_netstat_read("UdpLite", "InDatagrams", &v));
    CHECK(v == 0, "UdpLite InDatagrams %llu", v);
    close(u);

    /* A full accept queue: the dropped SYN is counted as an overflow. */
    struct lab_endpoint ep, lst;
    char err[128];
    CHECK(lab_endpoint_resolve("127.0.0.1", 0, SOCK_STREAM, &ep, err, sizeof err) == 0, "%s", err);
    int lfd = lab_tcp_listen(&ep, 0, 0);
    CHECK_SYS(lfd);
    CHECK_SYS(lab_endpoint_local(lfd, &lst));
    int c1 = lab_tcp_connect(&lst, 1000);
    CHECK_SYS(c1);
    int c2 = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_SYS(c2);
    CHECK_SYS(lab_set_nonblocking(c2, 1));
    CHECK(connect(c2, (struct sockaddr *)&lst.ss, lst.len) == -1 && errno == EINPROGRESS,
          "connect errno=%s", lab_errno_name(errno));
    long long deadline = lab_now_ms() + 1000;
    do {
        CHECK_SYS(lab_netstat_read("TcpExt", "ListenOverflows", &v));
        if (v == 0)
            lab_pause_ms(1);
    } while (v == 0 && lab_now_ms() < deadline);
    CHECK(v >= 1, "ListenOverflows still %llu", v);
    close(c2);
    close(c1);
    close(lfd);

    /* IPv6 counters: one "Name value" per line in /proc/net/snmp6. */
    CHECK_SYS(lab_snmp6_read("Udp6InDatagrams", &before));
    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    CHECK_SYS(u6);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    CHECK_SYS(bind(u6, (struct sockaddr *)&a6, sizeof a6));
    len = sizeof a6;
    CHECK_SYS(getsockname(u6, (struct sockaddr *)&a6, &len));
    CHECK_SYS(sendto(u6, "x", 1, 0, (struct sockaddr *)&a6, sizeof a6));
    CHECK(lab_read_bounded(u6, &b, 1, 1000) == 1, "IPv6 datagram not received");
    CHECK_SYS(lab_snmp6_read("Udp6InDatagrams", &after));
    CHECK(after == before + 1, "Udp6InDatagrams %llu -> %llu, want +1", before, after);
    close(u6);
    v = 4242;
    CHECK_ERRNO(lab_snmp6_read("Udp6InDatagram", &v), ENOENT); /* a prefix is not a name */
    CHECK_ERRNO(lab_snmp6_read("NoSuchCounter6", &v), ENOENT);
    CHECK_ERRNO(lab_snmp6_read("", &v), ENOENT);
    CHECK(v == 4242, "value written on failure (%llu)", v);

    v = 4242;
    CHECK_ERRNO(lab_netstat_read("TcpExt", "NoSuchCounter", &v), ENOENT);
    CHECK_ERRNO(lab_netstat_read("NoSuchGroup", "InDatagrams", &v), ENOENT);
    CHECK_ERRNO(lab_netstat_read("Tcp", "ListenOverflows", &v), ENOENT);
    CHECK_ERRNO(lab_netstat_read("TcpEx", "ListenOverflows", &v), ENOENT);
    CHECK_ERRNO(lab_netstat_read("", "", &v), ENOENT);
    CHECK(v == 4242, "value written on failure (%llu)", v);
}

/* Every TCP counter at once, and the ones an event moved: an RST sent by
 * this namespace's kernel (a connection refused on loopback) moves TcpOutRsts. */
static void test_counters_moved(void)
{
    static struct lab_counters before, after;
    char moved[512];
    CHECK_SYS(lab_tcp_counters(&before));
    CHECK(before.n > 20, "only %zu TCP counters", before.n);
    CHECK(strcmp(before.c[0].name, "TcpRtoAlgorithm") == 0, "first counter %s", before.c[0].name);
    int found = 0;
    for (size_t i = 0; i < before.n; i++)
        found |= strcmp(before.c[i].name, "TcpExtPAWSEstab") == 0;
    CHECK(found, "no TcpExtPAWSEstab among %zu counters", before.n);
    after = before;
    CHECK(strcmp(lab_counters_moved(&before, &after, NULL, moved, sizeof moved), "") == 0,
          "nothing moved, yet \"%s\"", moved);
    after.c[1].value += 2;
    after.c[before.n - 1].value += 1;
    char want[200];
    snprintf(want, sizeof want, "%s +2, %s +1", before.c[1].name, before.c[before.n - 1].name);
    CHECK(strcmp(lab_counters_moved(&before, &after, NULL, moved, sizeof moved), want) == 0,
          "\"%s\", want \"%s\"", moved, want);
    const char *const skip[] = {before.c[1].name, NULL};
    snprintf(want, sizeof want, "%s +1", before.c[before.n - 1].name);
    CHECK(strcmp(lab_counters_moved(&before, &after, skip, moved, sizeof moved), want) == 0,
          "skipping: \"%s\", want \"%s\"", moved, want);
    char tiny[8];
    lab_counters_moved(&before, &after, NULL, tiny, sizeof tiny);
    CHECK(strlen(tiny) < sizeof tiny, "overflowed a small buffer");

    if (lab_netns_is_host())
        return; /* the refused connect below counts in the namespace */
    CHECK_SYS(lab_tcp_counters(&before));
    struct lab_endpoint ep = test_address("127.0.0.1", 9, SOCK_STREAM);
    CHECK(lab_tcp_connect(&ep, 1000) < 0 && errno == ECONNREFUSED, "connect to port 9");
    CHECK_SYS(lab_tcp_counters(&after));
    const char *const common[] = {"TcpInSegs", "TcpOutSegs", "TcpAttemptFails", "TcpActiveOpens",
                                  NULL};
    lab_counters_moved(&before, &after, common, moved, sizeof moved);
    CHECK(strstr(moved, "TcpOutRsts +1") != NULL, "a refused connect moved \"%s\"", moved);
}

int main(void)
{
    test_kernel_version();
    test_counters_moved();
    test_sysctl_bad_names();
    test_counters();
    test_sysctl(); /* these last: they skip outside a private namespace */
    test_sysctl_restore();
    puts("ok");
    return 0;
}
