/* claim.C7: a router that takes the TTL to 0 drops the datagram and sends ICMP
 * time exceeded; a UDP socket learns of it only with IP_RECVERR; one more hop
 * of TTL and the datagram is delivered.
 *
 * The test builds host A - router R - host B inside its own namespace: A is
 * the test's namespace, R and B are namespaces held open by two children;
 * veth pairs join them (iproute2's ip does the plumbing). */
#define _GNU_SOURCE /* setns, unshare */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "lab_kstat.h"
#include "lab_ttl.h"
#include "testlib.h"
#include "udptest.h"

static pid_t holders[2];

static void kill_holders(void)
{
    for (int i = 0; i < 2; i++)
        if (holders[i] > 0) {
            kill(holders[i], SIGKILL);
            waitpid(holders[i], NULL, 0);
        }
}

/* A child that sits in a new network namespace until killed. */
static pid_t ns_holder(void)
{
    int p[2];
    CHECK_SYS(pipe(p));
    pid_t pid = fork();
    CHECK_SYS(pid);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (unshare(CLONE_NEWNET) < 0)
            _exit(1);
        /* Links moved in here take this default: no DAD, addresses usable at once. */
        if (lab_sysctl_write("net.ipv6.conf.default.accept_dad", 0) < 0)
            _exit(1);
        if (write(p[1], "x", 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(p[1]);
    char ch;
    CHECK(read(p[0], &ch, 1) == 1, "namespace holder failed: unshare(CLONE_NEWNET)");
    close(p[0]);
    return pid;
}

static int ns_fd(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    CHECK_SYS(fd);
    return fd;
}

/* Run a shell command in the namespace of pid (0: ours); its exit status. */
static int run_in(pid_t pid, const char *cmd)
{
    pid_t child = fork();
    CHECK_SYS(child);
    if (child == 0) {
        if (pid > 0 && setns(ns_fd(pid), CLONE_NEWNET) < 0)
            _exit(126);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int status;
    CHECK_SYS(waitpid(child, &status, 0));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void must_run(pid_t pid, const char *cmd)
{
    int rc = run_in(pid, cmd);
    CHECK(rc == 0, "'%s' exited %d", cmd, rc);
}

/* A socket in B's namespace that reports the TTL / hop limit it receives with. */
static int b_socket(int b_ns, int a_ns, const char *addr, struct lab_endpoint *ep)
{
    CHECK_SYS(setns(b_ns, CLONE_NEWNET));
    int fd = udptest_bound(addr, 0, ep);
    int one = 1;
    if (ep->ss.ss_family == AF_INET6)
        CHECK_SYS(setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one));
    else
        CHECK_SYS(setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof one));
    CHECK_SYS(setns(a_ns, CLONE_NEWNET));
    return fd;
}

/* Receive on B's socket within 1 s; the TTL it arrived with. */
static int b_receive(int fd)
{
    CHECK(lab_wait_fd(fd, POLLIN, 1000) == 1, "nothing reached host B");
    union udptest_control control;
    struct cmsghdr *cm =
        udptest_recv_cmsg(fd, MSG_DONTWAIT, &control, IP_TTL, IPV6_HOPLIMIT, "TTL");
    int ttl;
    memcpy(&ttl, CMSG_DATA(cm), sizeof ttl);
    return ttl;
}

static int a_socket(int family, int ttl, int recverr)
{
    int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK_SYS(fd);
    CHECK_SYS(lab_ttl_set(fd, family, ttl));
    if (recverr)
        CHECK_SYS(lab_recverr_on(fd, family));
    return fd;
}

static void expect_time_exceeded(const struct lab_endpoint *to, int ttl, const char *router)
{
    int family = to->ss.ss_family;
    int fd = a_socket(family, ttl, 1);
    udptest_sendto(fd, "ttl probe", to);
    CHECK(lab_wait_fd(fd, POLLIN, 1500) == 1, "no ICMP error for TTL %d", ttl);
    struct lab_errqueue_entry e;
    CHECK_SYS(lab_errqueue_read(fd, &e));
    udptest_expect_icmp(&e, family, 11, 0, 3, 0); /* time exceeded in transit */
    CHECK(e.err == EHOSTUNREACH, "ee_errno %s", lab_errno_name(e.err));
    CHECK(udptest_addr_is(&e.offender, router), "time exceeded not from the router %s", router);
    close(fd);
}

/* Without IP_RECVERR the socket hears nothing, connected or not. */
static void expect_silence(const struct lab_endpoint *to)
{
    int family = to->ss.ss_family;
    int fd = a_socket(family, 1, 0);
    CHECK_SYS(connect(fd, (const struct sockaddr *)&to->ss, to->len));
    unsigned long long before = udptest_counter(family, "Icmp", "InTimeExcds");
    CHECK(send(fd, "quiet", 5, 0) == 5, "send errno=%s", lab_errno_name(errno));
    CHECK(udptest_counter_rises(family, "Icmp", "InTimeExcds", before, 1500),
          "no time exceeded came back");
    udptest_expect_quiet(fd);
    close(fd);
}

int main(void)
{
    test_require_private_netns();
    if (run_in(0, "ip -V >/dev/null 2>&1") != 0)
        SKIP("iproute2's ip is not installed");
    atexit(kill_holders);
    holders[0] = ns_holder(); /* R */
    holders[1] = ns_holder(); /* B */
    pid_t r = holders[0], b = holders[1];
    char cmd[1024];
    CHECK_SYS(lab_sysctl_write("net.ipv6.conf.default.accept_dad", 0));
    if (run_in(0, "ip link add a0 type veth peer name r0 2>/dev/null") != 0)
        SKIP("cannot create a veth pair here");
    snprintf(cmd, sizeof cmd,
             "set -e; ip link set r0 netns %d; ip link add r1 type veth peer name b0;"
             "ip link set r1 netns %d; ip link set b0 netns %d",
             (int)r, (int)r, (int)b);
    must_run(0, cmd);
    /* The router forwards and answers every expiry: ICMP rate limits off. */
    must_run(r, "set -e; ip link set lo up;"
                "ip addr add 10.77.1.2/24 dev r0; ip addr add 10.77.2.2/24 dev r1;"
                "ip -6 addr add fd77:1::2/64 dev r0 nodad;"
                "ip -6 addr add fd77:2::2/64 dev r1 nodad;"
                "ip link set r0 up; ip link set r1 up;"
                "echo 1 > /proc/sys/net/ipv4/ip_forward;"
                "echo 1 > /proc/sys/net/ipv6/conf/all/forwarding;"
                "echo 0 > /proc/sys/net/ipv4/icmp_ratelimit;"
                "echo 0 > /proc/sys/net/ipv6/icmp/ratelimit");
    must_run(b, "set -e; ip link set lo up; ip addr add 10.77.2.1/24 dev b0;"
                "ip -6 addr add fd77:2::1/64 dev b0 nodad; ip link set b0 up;"
                "ip route add default via 10.77.2.2; ip -6 route add default via fd77:2::2");
    must_run(0, "set -e; ip addr add 10.77.1.1/24 dev a0;"
                "ip -6 addr add fd77:1::1/64 dev a0 nodad; ip link set a0 up;"
                "ip route add default via 10.77.1.2; ip -6 route add default via fd77:1::2");

    int a_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    CHECK_SYS(a_ns);
    int b_ns = ns_fd(b);
    static const struct {
        const char *far, *router;
    } nets[] = {{"10.77.2.1", "10.77.1.2"}, {"fd77:2::1", "fd77:1::2"}};
    for (int i = 0; i < 2; i++) {
        struct lab_endpoint far;
        int bfd = b_socket(b_ns, a_ns, nets[i].far, &far);
        int family = far.ss.ss_family;

        expect_time_exceeded(&far, 1, nets[i].router);
        if (family == AF_INET6) /* IPv6 takes hop limit 0; the router drops it too */
            expect_time_exceeded(&far, 0, nets[i].router);
        expect_silence(&far);

        int fd = a_socket(family, 2, 1);
        udptest_sendto(fd, "two hops", &far);
        int got = b_receive(bfd);
        CHECK(got == 1, "arrived with TTL %d, want 1 (the router took one)", got);
        udptest_expect_quiet(fd);
        close(fd), close(bfd);
    }
    printf("ok: TTL 1 -> time exceeded from the router (IP_RECVERR only); TTL 2 delivered\n");
    return 0;
}
