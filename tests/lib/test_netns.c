/* unit.lib.netns: the runner put us in a private namespace, and a process
 * can make another one: fresh, with lo up, seeing none of our sockets. */
#define _GNU_SOURCE /* setresuid, setresgid, setns */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "lab_diag.h"
#include "lab_kstat.h"
#include "lab_netns.h"
#include "lab_sock.h"
#include "lab_tcpstate.h"
#include "testlib.h"

/* 1 if `ip netns add` has named any namespace on this machine. */
static int run_netns_has_entries(void)
{
    DIR *d = opendir("/run/netns");
    if (d == NULL)
        return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n > 0;
}

/* 1 if we are root of the initial user namespace (a mapped root cannot
 * become uid 65534: it is not mapped). */
static int real_root(void)
{
    char line[64] = "";
    FILE *f = fopen("/proc/self/uid_map", "r");
    if (f == NULL)
        return 0;
    int ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    unsigned a, b, c;
    return geteuid() == 0 && ok && sscanf(line, "%u %u %u", &a, &b, &c) == 3 && a == 0 && b == 0 &&
           c == 4294967295u;
}

static ino_t netns_inode(void)
{
    struct stat st;
    CHECK_SYS(stat("/proc/self/ns/net", &st));
    return st.st_ino;
}

/* Run in a forked child: enter a new namespace and check what it looks like. */
static void check_fresh_namespace(ino_t parent_ns, uint16_t parent_port)
{
    char why[256] = "";
    CHECK(lab_netns_enter_private(why, sizeof why) == 0, "enter_private: %s", why);
    CHECK(netns_inode() != parent_ns, "still in the parent's namespace");
    CHECK(lab_netns_is_host() == 0, "new namespace reported as the host's");

    /* Nothing from the parent: no sockets, default sysctls. */
    CHECK(lab_diag_list(AF_INET, 0, NULL, NULL) == 0, "sockets visible in a new namespace");
    long ttl;
    CHECK_SYS(lab_sysctl_read("net.ipv4.ip_default_ttl", &ttl));
    CHECK(ttl != 77, "parent's ip_default_ttl leaked in");

    struct lab_endpoint ep;
    char err[128];
    CHECK(lab_endpoint_resolve("127.0.0.1", parent_port, SOCK_STREAM, &ep, err, sizeof err) == 0,
          "%s", err);
    /* lo is up (else ENETUNREACH), and the parent's port is closed here... */
    CHECK_ERRNO(lab_tcp_connect(&ep, 1000), ECONNREFUSED);
    /* ...and free to take. */
    int lfd = lab_tcp_listen(&ep, 4, 0);
    CHECK(lfd >= 0, "cannot listen on the parent's port: errno=%s", lab_errno_name(errno));
    int c = lab_tcp_connect(&ep, 1000);
    CHECK_SYS(c);
    int s = lab_accept_bounded(lfd, 1000, NULL);
    CHECK_SYS(s);
    CHECK(lab_tcp_state_of_fd(c) == LAB_TCP_ESTABLISHED, "loopback connection: %s",
          lab_tcp_state_name(lab_tcp_state_of_fd(c)));
    struct test_pair p;
    test_pair_open(&p, "::1");
    test_pair_close(&p);
    close(s);
    close(c);
    close(lfd);
}

/* The initial network namespace's fixed inode (PROC_NET_INIT_INO). */
#define INIT_NET_INO 0xEFFFFFF9u

static pid_t starter; /* our parent: it started the runner, outside our namespace */

/* Run in a forked child: back into the namespace of whoever started the
 * runner; if that is the machine's initial one, it must be reported as host. */
static void check_outer_namespace(ino_t ns, uint16_t port)
{
    (void)ns, (void)port;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/net", (int)starter);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
        printf("note: cannot enter the outer namespace (%s), host case not checked\n",
               lab_errno_name(errno));
        return;
    }
    close(fd);
    int rc = lab_netns_is_host();
    if (netns_inode() == INIT_NET_INO) {
        CHECK(rc == 1, "the initial network namespace reported as %d", rc);
    } else if (!lab_kernel_at_least(6, 18) && !run_netns_has_entries()) {
        /* Before 6.18 an outer namespace nobody named private must count as
         * the host's, although LAB_NETNS_ENV (naming ours) is inherited. */
        CHECK(rc == 1, "an outer namespace, not known private, reported as %d", rc);
    } else {
        printf("note: started from a non-initial namespace, host case not checked\n");
    }
}

/* In a forked child, still in our namespace: LAB_NETNS_ENV counts only for
 * the namespace it names. */
static void check_env_names_one_namespace(ino_t ns, uint16_t port)
{
    (void)ns, (void)port;
    char id[64];
    CHECK_SYS(lab_netns_id(id, sizeof id));
    CHECK(strcmp(getenv(LAB_NETNS_ENV) ? getenv(LAB_NETNS_ENV) : "", id) == 0,
          "the runner did not name this namespace in %s (%s)", LAB_NETNS_ENV, id);
    CHECK(lab_netns_is_host() == 0, "the namespace the runner named is taken for the host's");
    if (lab_kernel_at_least(6, 18) || run_netns_has_entries()) {
        printf("note: this kernel tells namespaces apart by itself; a wrong %s not checked\n",
               LAB_NETNS_ENV);
        return;
    }
    CHECK_SYS(setenv(LAB_NETNS_ENV, "1:1", 1));
    CHECK(lab_netns_is_host() == 1, "a %s naming another namespace was believed", LAB_NETNS_ENV);
    CHECK_SYS(unsetenv(LAB_NETNS_ENV));
    CHECK(lab_netns_is_host() == 1, "without %s, a namespace was guessed private", LAB_NETNS_ENV);
}

/* In a forked child: a new PID namespace whose PID 1 shares our private
 * network namespace (what `unshare --pid --mount-proc` makes for the scripts)
 * must not be taken for the host. */
static void check_inside_pid_namespace(ino_t parent_ns, uint16_t parent_port)
{
    (void)parent_ns, (void)parent_port;
    if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0) {
        printf("note: no PID namespace here (%s), case not checked\n", lab_errno_name(errno));
        return;
    }
    pid_t pid = fork(); /* the child is PID 1 of the new namespace */
    CHECK_SYS(pid);
    if (pid == 0) {
        CHECK_SYS(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
        CHECK_SYS(mount("proc", "/proc", "proc", 0, NULL));
        CHECK(getpid() == 1, "not PID 1 (%d)", (int)getpid());
        int rc = lab_netns_is_host();
        CHECK(rc == 0, "PID 1's private namespace reported as %d", rc);
        fflush(NULL);
        _exit(0);
    }
    int status;
    CHECK_SYS(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "pid-namespace child status 0x%x",
          (unsigned)status);
}

static void run_child(const char *what, void (*fn)(ino_t, uint16_t), int drop_root, ino_t ns,
                      uint16_t port)
{
    fflush(NULL);
    pid_t pid = fork();
    CHECK_SYS(pid);
    if (pid == 0) {
        if (drop_root) {
            /* The unprivileged path: a user namespace first. */
            CHECK_SYS(setresgid(65534, 65534, 65534));
            CHECK_SYS(setresuid(65534, 65534, 65534));
            CHECK_SYS(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)); /* own /proc/self again */
        }
        fn(ns, port);
        fflush(NULL);
        _exit(0);
    }
    int status;
    CHECK_SYS(waitpid(pid, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: child status 0x%x", what,
          (unsigned)status);
}

int main(void)
{
    CHECK(lab_netns_is_host() == 0,
          "lab_netns_is_host() is not 0: not run through socklab-netns-run?");
    ino_t ns = netns_inode();
    starter = getppid();

    /* Our own namespace: change something the child must not inherit. */
    CHECK_SYS(lab_sysctl_write("net.ipv4.ip_default_ttl", 77));
    struct lab_endpoint ep;
    char err[128];
    CHECK(lab_endpoint_resolve("127.0.0.1", 0, SOCK_STREAM, &ep, err, sizeof err) == 0, "%s", err);
    int lfd = lab_tcp_listen(&ep, 4, 0);
    CHECK_SYS(lfd);
    struct lab_endpoint bound;
    CHECK_SYS(lab_endpoint_local(lfd, &bound));
    uint16_t port = lab_endpoint_port(&bound);

    run_child("root", check_fresh_namespace, 0, ns, port);
    if (real_root())
        run_child("unprivileged", check_fresh_namespace, 1, ns, port);
    run_child("outer", check_outer_namespace, 0, ns, port);
    run_child("env", check_env_names_one_namespace, 0, ns, port);
    run_child("pid namespace", check_inside_pid_namespace, 0, ns, port);

    /* The parent is where it was, its listener intact. */
    CHECK(netns_inode() == ns, "parent's namespace changed");
    CHECK(lab_tcp_state_of_fd(lfd) == LAB_TCP_LISTEN, "parent's listener gone");
    int c = lab_tcp_connect(&bound, 1000);
    CHECK_SYS(c);
    close(c);
    close(lfd);
    puts("ok");
    return 0;
}
