/* backlog-server's listener: the sysctls asked for, the listening socket, and
 * what the kernel made of the backlog (the somaxconn clamp, capacity
 * backlog+1: claim C8). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>
#if defined(__linux__)
#include <linux/tcp.h>
#endif

#include "lab_backlog.h"
#include "lab_fail.h"
#include "lab_kstat.h"
#include "lab_netns.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "server.h"

int server_change_sysctls(struct server *s)
{
    const struct {
        const char *name;
        long value;
    } wanted[SERVER_SYSCTLS] = {
        {"net.core.somaxconn", s->somaxconn},
        {"net.ipv4.tcp_syncookies", s->syncookies},
        {"net.ipv4.tcp_max_syn_backlog", s->max_syn_backlog},
        {"net.ipv4.tcp_abort_on_overflow", s->abort_on_overflow},
    };
    for (int i = 0; i < SERVER_SYSCTLS; i++) {
        if (wanted[i].value < 0)
            continue;
        if (lab_netns_is_host() != 0)
            return lab_usage_error(s->cli.prog,
                                   "refusing to change %s outside a private network "
                                   "namespace: run both programs in one, see "
                                   "backlog-probe/README.md",
                                   wanted[i].name);
        /* A namespace made by `ip netns add` outlives the run: put it back. */
        if (lab_sysctl_restore_on_exit() < 0)
            lab_fail_errno(&s->n, errno, "installing the sysctl restore");
        struct sysctl_change *c = &s->changes[s->nchanges++];
        *c = (struct sysctl_change){.name = wanted[i].name, .new_value = wanted[i].value};
        if (lab_sysctl_change(c->name, c->new_value, &c->old_value) == 0)
            continue;
        if (errno != ENOENT || strncmp(c->name, "net.core.", 9) != 0)
            lab_fail_errno(&s->n, errno, "sysctl %s", c->name);
        c->hidden = 1; /* said after the listening line, which comes first */
    }
    return 0;
}

/* Before Linux 6.3 the kernel shows no net.core sysctl in a network namespace
 * owned by a user namespace (the kind an ordinary user makes): the file is
 * missing and the value stays at its default. */
static void say_hidden_sysctl(const struct lab_narrator *n, const char *name, long wanted)
{
    lab_say(n, "sysctl %s -> %ld: errno=ENOENT, not shown in this namespace", name, wanted);
    lab_explain(n, "Linux before 6.3 hides the net.core sysctls from a network namespace");
    lab_explain(n, "that an ordinary user made (one owned by a user namespace); 6.3 and");
    lab_explain(n, "later show them. It keeps its default here, and the lesson goes on");
    lab_explain(n, "with that value, read from what listen() does instead.");
}

/* After "listening on": the sysctls changed for the run, and somaxconn when
 * the kernel hides it (then learnt from listen(fd, -1)). */
static void say_sysctls(const struct server *s, int somaxconn_hidden, long somaxconn)
{
    for (int i = 0; i < s->nchanges; i++) {
        const struct sysctl_change *c = &s->changes[i];
        if (c->hidden)
            say_hidden_sysctl(&s->n, c->name, c->new_value);
        else
            lab_say(&s->n, "before listen: sysctl %s %ld -> %ld (private namespace)", c->name,
                    c->old_value, c->new_value);
    }
    if (somaxconn_hidden)
        lab_say(&s->n, "net.core.somaxconn: hidden in this namespace; listen(fd, -1) shows %ld",
                somaxconn);
}

/* The backlog the kernel granted lfd, against the one asked for. */
static void say_backlog(const struct server *s, int lfd, long somaxconn)
{
    unsigned queued, limit;
    if (lab_tcp_listen_queue(lfd, &queued, &limit) < 0)
        lab_fail_errno(&s->n, errno, "TCP_INFO on the listener");
    lab_say(&s->n,
            "listen(fd, %ld): net.core.somaxconn=%ld, effective backlog %u, "
            "capacity %u  state=LISTEN",
            s->backlog, somaxconn, limit, limit + 1);
    if (s->backlog < 0)
        lab_explain(&s->n, "a negative backlog is taken as somaxconn (compared unsigned)");
    else if (s->backlog > somaxconn && somaxconn >= 0)
        lab_explain(&s->n, "listen() silently clamped %ld to somaxconn=%ld", s->backlog, somaxconn);
    lab_explain(&s->n, "the queue is full when it holds MORE than the backlog");
    lab_explain(&s->n, "(sk_acceptq_is_full uses '>'), so it holds backlog+1 = %u", limit + 1);
    lab_explain(&s->n, "`ss -lnt` shows Send-Q=%u (backlog) and Recv-Q (queued now)", limit);
}

int server_listen(struct server *s)
{
    long somaxconn = -1; /* where the kernel hides it, what listen(fd, -1) gets */
    int somaxconn_hidden = lab_sysctl_read("net.core.somaxconn", &somaxconn) < 0;
    unsigned granted = 0;
    if (somaxconn_hidden && lab_backlog_granted(&s->ep, -1, &granted) < 0)
        lab_fail_errno(&s->n, errno, "listen(fd, -1) on a throwaway socket");
    if (somaxconn_hidden)
        somaxconn = granted;

    int lfd = socket(s->ep.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0)
        lab_fail_errno(&s->n, errno, "socket");
    int one = 1; /* binds even while connections of an earlier run linger on the port */
    if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
        lab_fail_errno(&s->n, errno, "setsockopt SO_REUSEADDR");
    if (bind(lfd, (struct sockaddr *)&s->ep.ss, s->ep.len) < 0)
        lab_fail_errno(&s->n, errno, "bind");
#if defined(TCP_DEFER_ACCEPT)
    int secs = (int)s->defer_accept;
    if (secs >= 0 && setsockopt(lfd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs, sizeof secs) < 0)
        lab_fail_errno(&s->n, errno, "setsockopt TCP_DEFER_ACCEPT");
#endif
    lab_step(&s->n, s->cli.step, "listen");
    if (listen(lfd, (int)s->backlog) < 0)
        lab_fail_errno(&s->n, errno, "listen");
    if (lab_endpoint_local(lfd, &s->bound) < 0)
        lab_fail_errno(&s->n, errno, "getsockname");

    char addr[LAB_ENDPOINT_STRLEN];
    lab_endpoint_format((struct sockaddr *)&s->bound.ss, addr, sizeof addr);
    lab_say_raw(&s->n, "listening on %s", addr); /* never translated: scripts read it */
    if (!lab_endpoint_is_loopback(&s->bound))
        lab_say(&s->n, "note: %s is not a loopback address: other machines can connect", addr);
    say_sysctls(s, somaxconn_hidden, somaxconn);
    say_backlog(s, lfd, somaxconn);
    return lfd;
}

void server_say_defer_accept(const struct server *s)
{
    if (s->defer_accept >= 0)
        lab_say(&s->n, "TCP_DEFER_ACCEPT %ld s: handshakes wait for data before queueing",
                s->defer_accept);
}

void server_say_syn_sysctls(const struct server *s)
{
    static const char *const names[] = {
        "net.ipv4.tcp_max_syn_backlog",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.tcp_abort_on_overflow",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        long v;
        if (lab_sysctl_read(names[i], &v) == 0)
            lab_say_raw(&s->n, "%s=%ld", names[i], v);
    }
}
