/* backlog-server: what listen()'s backlog really limits on Linux.
 *
 * It listens with --backlog N and then, per --accept, never accepts, accepts
 * one connection after a delay, or accepts everything. It prints the backlog
 * the kernel really uses (after the net.core.somaxconn clamp), watches its
 * accept queue fill (TCP_INFO on the listener: what `ss -lnt` shows as Recv-Q
 * and Send-Q) and the kernel's ListenOverflows/ListenDrops counters, and ends
 * by itself once every client connection to its port is gone.
 *
 *   terminal 1: backlog-server --scenario fill
 *   terminal 2: backlog-client --scenario fill
 *
 * Scenarios that change sysctls (clamp, syn-queue with --syncookies,
 * ack-overflow with --abort-on-overflow) run only inside a private network
 * namespace; backlog-probe/README.md shows how to put both terminals there.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#endif
#include <netinet/in.h>

#include "lab_cli.h"
#include "lab_diag.h"
#include "lab_endpoint.h"
#include "lab_kstat.h"
#include "lab_narrate.h"
#include "lab_netns.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "probe.h"

#define PROG "backlog-server"
#define DEFAULT_TIMEOUT_MS 600000 /* ten minutes: time to switch terminals */
#define MAX_ACCEPTED 64

enum accept_mode { ACCEPT_NEVER, ACCEPT_ONE_AFTER, ACCEPT_ALL };

enum {
    OPT_BACKLOG = LAB_OPT_FIRST_PRIVATE,
    OPT_ACCEPT,
    OPT_DEFER_ACCEPT,
    OPT_SOMAXCONN,
    OPT_SYNCOOKIES,
    OPT_ABORT_ON_OVERFLOW,
    OPT_MAX_SYN_BACKLOG,
};

struct options {
    struct lab_cli cli;
    enum probe_scenario scenario;
    struct lab_endpoint ep; /* --bind/--host with --port, resolved */
    long backlog;
    int backlog_set;
    enum accept_mode accept;
    int accept_set;
    long accept_delay_ms;
    long defer_accept; /* seconds, -1 = not set */
    long somaxconn;    /* sysctl values to set; -1 = leave alone */
    long syncookies;
    long abort_on_overflow;
    long max_syn_backlog;
};

static void usage(void)
{
    printf("usage: " PROG " [options]\n"
           "Listen with a given backlog and show what the kernel does with it.\n"
           "\n"
           "  --scenario NAME         fill (default), drain, clamp, syn-queue, ack-overflow\n"
           "  --backlog N             listen(fd, N); negative means somaxconn (default 4;\n"
           "                          1000 for clamp, 2 for ack-overflow)\n"
           "  --accept MODE           never, one-after:MS or all (default never;\n"
           "                          one-after:200 for drain)\n"
           "  --defer-accept SECS     set TCP_DEFER_ACCEPT (default 30 for syn-queue and\n"
           "                          ack-overflow)\n"
           "  --somaxconn N           set net.core.somaxconn before listen (default 16 for\n"
           "                          clamp)                                  [namespace]\n"
           "  --syncookies 0|1|2      set net.ipv4.tcp_syncookies             [namespace]\n"
           "  --max-syn-backlog N     set net.ipv4.tcp_max_syn_backlog        [namespace]\n"
           "  --abort-on-overflow 0|1 set net.ipv4.tcp_abort_on_overflow      [namespace]\n"
           "  --bind ADDR             address to listen on (default 127.0.0.1)\n"
           "  --port PORT             port (default %d; 0 = let the kernel choose)\n"
           "  --timeout MS            bound on the whole run (default %d)\n"
           "  --quiet                 drop the explanations\n"
           "  --step                  wait for Enter before each state-changing call\n"
           "  --help                  this text\n"
           "\n"
           "[namespace]: sysctls are changed only in a private network namespace, never\n"
           "on the host (see backlog-probe/README.md).\n"
           "The server ends by itself once no client connection to its port is left.\n"
           "\n"
           "example:\n"
           "  terminal 1: " PROG " --scenario fill --backlog 4\n"
           "  terminal 2: backlog-client --scenario fill --connections 8\n",
           PROBE_PORT, DEFAULT_TIMEOUT_MS);
}

static int parse_accept(struct options *o, const char *arg)
{
    if (strcmp(arg, "never") == 0) {
        o->accept = ACCEPT_NEVER;
    } else if (strcmp(arg, "all") == 0) {
        o->accept = ACCEPT_ALL;
    } else if (strncmp(arg, "one-after:", 10) == 0) {
        if (lab_cli_long(PROG, "accept delay", arg + 10, 0, 3600000, &o->accept_delay_ms) < 0)
            return -1;
        o->accept = ACCEPT_ONE_AFTER;
    } else {
        lab_usage_error(PROG, "bad --accept '%s' (want never, one-after:MS or all)", arg);
        return -1;
    }
    o->accept_set = 1;
    return 0;
}

static int parse_args(struct options *o, int argc, char *argv[])
{
    static const struct option longopts[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"bind", required_argument, NULL, 'b'},
        {"backlog", required_argument, NULL, OPT_BACKLOG},
        {"accept", required_argument, NULL, OPT_ACCEPT},
        {"defer-accept", required_argument, NULL, OPT_DEFER_ACCEPT},
        {"somaxconn", required_argument, NULL, OPT_SOMAXCONN},
        {"syncookies", required_argument, NULL, OPT_SYNCOOKIES},
        {"abort-on-overflow", required_argument, NULL, OPT_ABORT_ON_OVERFLOW},
        {"max-syn-backlog", required_argument, NULL, OPT_MAX_SYN_BACKLOG},
        {NULL, 0, NULL, 0},
    };
    lab_cli_init(&o->cli, PROG, PROBE_PORT, DEFAULT_TIMEOUT_MS);
    o->defer_accept = o->somaxconn = o->syncookies = -1;
    o->abort_on_overflow = o->max_syn_backlog = -1;
    int opt, rc;
    while ((rc = lab_cli_next(&o->cli, argc, argv, longopts, &opt)) > 0) {
        switch (opt) {
        case OPT_BACKLOG:
            if (lab_cli_long(PROG, "backlog", optarg, INT_MIN, INT_MAX, &o->backlog) < 0)
                return -1;
            o->backlog_set = 1;
            break;
        case OPT_ACCEPT:
            if (parse_accept(o, optarg) < 0)
                return -1;
            break;
        case OPT_DEFER_ACCEPT:
            if (lab_cli_long(PROG, "defer-accept", optarg, 0, 3600, &o->defer_accept) < 0)
                return -1;
            break;
        case OPT_SOMAXCONN:
            if (lab_cli_long(PROG, "somaxconn", optarg, 0, INT_MAX, &o->somaxconn) < 0)
                return -1;
            break;
        case OPT_SYNCOOKIES:
            if (lab_cli_long(PROG, "syncookies", optarg, 0, 2, &o->syncookies) < 0)
                return -1;
            break;
        case OPT_ABORT_ON_OVERFLOW:
            if (lab_cli_long(PROG, "abort-on-overflow", optarg, 0, 1, &o->abort_on_overflow) < 0)
                return -1;
            break;
        case OPT_MAX_SYN_BACKLOG:
            if (lab_cli_long(PROG, "max-syn-backlog", optarg, 1, INT_MAX, &o->max_syn_backlog) < 0)
                return -1;
            break;
        default:
            return lab_cli_unknown(&o->cli, opt, argv);
        }
    }
    if (rc < 0 || probe_cli_finish(&o->cli, argc, argv, &o->scenario, &o->ep) < 0)
        return -1;
    enum probe_scenario sc = o->scenario;

    /* Options that would undo what the scenario shows are bad usage. */
    if (sc == SC_DRAIN && o->accept_set && o->accept != ACCEPT_ONE_AFTER) {
        lab_usage_error(PROG, "--scenario drain needs --accept one-after:MS (it frees one slot)");
        return -1;
    }
    if ((sc == SC_SYN_QUEUE || sc == SC_ACK_OVERFLOW) && o->defer_accept == 0) {
        lab_usage_error(PROG,
                        "--scenario %s needs TCP_DEFER_ACCEPT: --defer-accept must be 1 or more",
                        probe_scenario_names[sc]);
        return -1;
    }

    /* Scenario defaults; explicit options win. */
    if (!o->backlog_set)
        o->backlog = sc == SC_CLAMP ? 1000 : sc == SC_ACK_OVERFLOW ? 2 : 4;
    if (!o->accept_set && sc == SC_DRAIN) {
        o->accept = ACCEPT_ONE_AFTER;
        o->accept_delay_ms = 200;
    }
    if (o->defer_accept < 0 && (sc == SC_SYN_QUEUE || sc == SC_ACK_OVERFLOW))
        o->defer_accept = 30;
    if (o->somaxconn < 0 && sc == SC_CLAMP)
        o->somaxconn = 16;
    return 0;
}

struct sysctl_change {
    const char *name;
    long old_value, new_value;
    int hidden; /* not shown in this namespace: left alone */
};

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

/* Change the requested sysctls, refusing to touch the host's; each one goes
 * back to its old value when the program ends, also on SIGINT/SIGTERM/SIGHUP
 * (a namespace made by `ip netns add` outlives the run). 0, 2 after a usage
 * line, or 1 after narrating a failed write. */
static int apply_sysctls(const struct options *o, const struct lab_narrator *n,
                         struct sysctl_change *changes, int *nchanges)
{
    const struct {
        const char *name;
        long value;
    } wanted[] = {
        {"net.core.somaxconn", o->somaxconn},
        {"net.ipv4.tcp_syncookies", o->syncookies},
        {"net.ipv4.tcp_max_syn_backlog", o->max_syn_backlog},
        {"net.ipv4.tcp_abort_on_overflow", o->abort_on_overflow},
    };
    *nchanges = 0;
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        if (wanted[i].value < 0)
            continue;
        if (lab_netns_is_host() != 0)
            return lab_usage_error(PROG,
                                   "refusing to change %s outside a private network "
                                   "namespace: run both programs in one, see "
                                   "backlog-probe/README.md",
                                   wanted[i].name);
        if (lab_sysctl_restore_on_exit() < 0) {
            lab_say(n, "installing the sysctl restore: errno=%s", lab_errno_name(errno));
            return 1;
        }
        struct sysctl_change *c = &changes[*nchanges];
        c->name = wanted[i].name;
        c->new_value = wanted[i].value;
        c->hidden = 0;
        if (lab_sysctl_change(c->name, c->new_value, &c->old_value) == 0) {
            (*nchanges)++;
        } else if (errno == ENOENT && strncmp(c->name, "net.core.", 9) == 0) {
            c->hidden = 1; /* said after the listening line, which comes first */
            (*nchanges)++;
        } else {
            lab_say(n, "sysctl %s: errno=%s", c->name, lab_errno_name(errno));
            return 1;
        }
    }
    return 0;
}

/* The backlog listen(fd, req) gets, from a throwaway listener on ep's address
 * (port 0), as the kernel records it (ss's Send-Q); 0 or -1 with errno. */
static int backlog_granted(const struct lab_endpoint *ep, int req, unsigned *limit)
{
    struct lab_endpoint any = *ep;
    lab_endpoint_set_port(&any, 0);
    int fd = lab_tcp_listen(&any, req, 0);
    unsigned queued;
    if (fd < 0)
        return -1;
    int rc = lab_tcp_listen_queue(fd, &queued, limit);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

/* What sock_diag shows for our port: connections still alive on either side. */
struct census {
    uint16_t port;
    int syn_recv;    /* requests waiting for their final ACK (or, deferred, for data) */
    int server_side; /* full sockets of ours: queued or accepted */
    int client_side; /* the clients' sockets, when they share our namespace */
    int client_synsent;
};

static int count_conn(const struct lab_conn *c, void *arg)
{
    struct census *s = arg;
    uint16_t lport = lab_endpoint_port(&c->local);
    uint16_t rport = lab_endpoint_port(&c->remote);
    if (c->state == LAB_TCP_LISTEN || c->state == LAB_TCP_TIME_WAIT)
        return 0;
    if (lport == s->port) {
        if (c->state == LAB_TCP_SYN_RECV || c->state == LAB_TCP_NEW_SYN_RECV)
            s->syn_recv++;
        else
            s->server_side++;
    } else if (rport == s->port) {
        s->client_side++;
        if (c->state == LAB_TCP_SYN_SENT)
            s->client_synsent++;
    }
    return 0;
}

static int take_census(int family, uint16_t port, struct census *s)
{
    memset(s, 0, sizeof *s);
    s->port = port;
    return lab_diag_list(family, 0, count_conn, s) < 0 ? -1 : 0;
}

/* Packets this listener dropped (SO_MEMINFO): unlike ListenDrops, which
 * counts for the whole namespace, this is ours alone. 0 where unknown. */
static unsigned listener_drops(int lfd)
{
#if defined(SO_MEMINFO)
    unsigned mem[SK_MEMINFO_VARS];
    socklen_t len = sizeof mem;
    if (getsockopt(lfd, SOL_SOCKET, SO_MEMINFO, mem, &len) == 0 &&
        len > SK_MEMINFO_DROPS * sizeof mem[0])
        return mem[SK_MEMINFO_DROPS];
#else
    (void)lfd;
#endif
    return 0;
}

static void explain_scenario(const struct options *o, const struct lab_narrator *n)
{
    switch (o->scenario) {
    case SC_FILL:
    case SC_CLAMP:
        lab_explain(n, "the kernel completes handshakes without us: each one lands in");
        lab_explain(n, "the accept queue until accept() takes it out. Once the queue");
        lab_explain(n, "holds backlog+1, new SYNs are dropped (ListenOverflows),");
        lab_explain(n, "never refused: the clients wait in SYN_SENT and retransmit.");
        break;
    case SC_DRAIN:
        lab_explain(n, "like fill, then one accept() frees one slot; nobody is told:");
        lab_explain(n, "the slot stays empty until a waiting client retransmits its");
        lab_explain(n, "SYN (1 s after the first one); the first SYN to arrive gets it.");
        break;
    case SC_SYN_QUEUE:
        lab_explain(n, "TCP_DEFER_ACCEPT keeps each handshake a request (SYN_RECV) until");
        lab_explain(n, "data arrives, so the clients below fill the SYN queue the way a");
        lab_explain(n, "SYN flood would. That queue is bounded by the listen backlog");
        lab_explain(n, "too: past backlog+1 requests the kernel answers with a SYN");
        lab_explain(n, "cookie (tcp_syncookies=1 or 2) or drops the SYN (0).");
        break;
    case SC_ACK_OVERFLOW:
        lab_explain(n, "TCP_DEFER_ACCEPT: a client's handshake completes on its side but");
        lab_explain(n, "it joins the accept queue only when its first data arrives. If");
        lab_explain(n, "the queue is full then, tcp_abort_on_overflow decides: 0 drops");
        lab_explain(n, "the segment silently (the client retransmits), 1 answers RST.");
        break;
    }
}

/* Print the counters if they moved since last[], and update last[]. */
static void say_counter_changes(const struct lab_narrator *n,
                                unsigned long long last[PROBE_NCOUNTERS],
                                const unsigned long long base[PROBE_NCOUNTERS])
{
    unsigned long long now[PROBE_NCOUNTERS];
    probe_read_counters(now);
    if (memcmp(now, last, sizeof now) == 0)
        return;
    char text[512];
    lab_say(n, "kernel counters since start: %s",
            probe_format_counters(base, now, text, sizeof text));
    memcpy(last, now, sizeof now);
}

struct accepted {
    int fd;
    struct lab_endpoint peer;
};

static void accept_one(int lfd, const struct lab_narrator *n, struct accepted *acc, int *nacc,
                       const struct options *o)
{
    lab_step(n, o->cli.step, "accept one connection");
    struct lab_endpoint peer;
    int fd = lab_accept_bounded(lfd, 0, &peer);
    if (fd < 0) {
        lab_say(n, "accept: errno=%s", lab_errno_name(errno));
        return;
    }
    char p[LAB_ENDPOINT_STRLEN];
    unsigned q = 0, lim = 0;
    (void)lab_tcp_listen_queue(lfd, &q, &lim);
    lab_say(n, "accepted %s state=%s, accept queue now %u",
            lab_endpoint_format((struct sockaddr *)&peer.ss, p, sizeof p),
            lab_tcp_state_name(lab_tcp_state_of_fd(fd)), q);
    if (*nacc < MAX_ACCEPTED) {
        acc[*nacc].fd = fd;
        acc[*nacc].peer = peer;
        (*nacc)++;
    } else {
        close(fd);
    }
}

/* Read what accepted connections send; close them on EOF or error. */
static void service_accepted(const struct lab_narrator *n, struct accepted *acc, int *nacc)
{
    for (int i = 0; i < *nacc;) {
        char buf[64], esc[200], p[LAB_ENDPOINT_STRLEN];
        lab_endpoint_format((struct sockaddr *)&acc[i].peer.ss, p, sizeof p);
        ssize_t r = 0;
        if (lab_wait_fd(acc[i].fd, POLLIN, 0) > 0) {
            r = recv(acc[i].fd, buf, sizeof buf, MSG_DONTWAIT);
            if (r > 0) {
                lab_say(n, "read %zd byte(s) \"%s\" from %s", r,
                        lab_escape(buf, (size_t)r, esc, sizeof esc), p);
            } else {
                if (r == 0)
                    lab_say(n, "EOF from %s, closing", p);
                else
                    lab_say(n, "read from %s: errno=%s, closing", p, lab_errno_name(errno));
                close(acc[i].fd);
                acc[i] = acc[--(*nacc)];
                continue;
            }
        }
        i++;
    }
}

int main(int argc, char *argv[])
{
    if (lab_prog_init() < 0) { /* fds 0-2 open, SIGPIPE ignored */
        perror(PROG);
        return 1;
    }
    struct options o;
    memset(&o, 0, sizeof o);
    if (parse_args(&o, argc, argv) < 0)
        return 2;
    if (o.cli.help) {
        usage();
        return 0;
    }
    int rc;

    struct lab_narrator n;
    lab_narrator_init(&n, "server", o.cli.quiet, stdout);

    const struct lab_endpoint ep = o.ep;

    struct sysctl_change changes[4];
    int nchanges = 0;
    if ((rc = apply_sysctls(&o, &n, changes, &nchanges)) != 0)
        return rc;

    /* somaxconn, read; where the kernel hides it, learnt from listen(fd, -1). */
    long somaxconn = -1;
    int somaxconn_hidden = lab_sysctl_read("net.core.somaxconn", &somaxconn) < 0;
    if (somaxconn_hidden) {
        unsigned granted;
        if (backlog_granted(&ep, -1, &granted) < 0) {
            lab_say(&n, "listen(fd, -1) on a throwaway socket: errno=%s", lab_errno_name(errno));
            return 1;
        }
        somaxconn = granted;
    }

    int lfd = socket(ep.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0) {
        lab_say(&n, "socket: errno=%s", lab_errno_name(errno));
        return 1;
    }
    int one = 1;
    (void)setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lfd, (struct sockaddr *)&ep.ss, ep.len) < 0) {
        lab_say(&n, "bind: errno=%s", lab_errno_name(errno));
        close(lfd);
        return 1;
    }
#if defined(TCP_DEFER_ACCEPT)
    if (o.defer_accept >= 0) {
        int secs = (int)o.defer_accept;
        if (setsockopt(lfd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs, sizeof secs) < 0) {
            lab_say(&n, "setsockopt TCP_DEFER_ACCEPT: errno=%s", lab_errno_name(errno));
            close(lfd);
            return 1;
        }
    }
#endif
    lab_step(&n, o.cli.step, "listen");
    if (listen(lfd, (int)o.backlog) < 0) {
        lab_say(&n, "listen: errno=%s", lab_errno_name(errno));
        close(lfd);
        return 1;
    }
    struct lab_endpoint bound;
    if (lab_endpoint_local(lfd, &bound) < 0) {
        lab_say(&n, "getsockname: errno=%s", lab_errno_name(errno));
        close(lfd);
        return 1;
    }
    char addr[LAB_ENDPOINT_STRLEN];
    lab_endpoint_format((struct sockaddr *)&bound.ss, addr, sizeof addr);
    lab_say(&n, "listening on %s", addr);
    if (!lab_endpoint_is_loopback(&bound))
        lab_say(&n, "note: %s is not a loopback address: other machines can connect", addr);

    for (int i = 0; i < nchanges; i++) {
        if (changes[i].hidden)
            say_hidden_sysctl(&n, changes[i].name, changes[i].new_value);
        else
            lab_say(&n, "before listen: sysctl %s %ld -> %ld (private namespace)", changes[i].name,
                    changes[i].old_value, changes[i].new_value);
    }
    if (somaxconn_hidden)
        lab_say(&n, "net.core.somaxconn: hidden in this namespace; listen(fd, -1) shows %ld",
                somaxconn);

    unsigned queued = 0, limit = 0;
    if (lab_tcp_listen_queue(lfd, &queued, &limit) < 0) {
        lab_say(&n, "TCP_INFO on the listener: errno=%s", lab_errno_name(errno));
        close(lfd);
        return 1;
    }
    lab_say(&n,
            "listen(fd, %ld): net.core.somaxconn=%ld, effective backlog %u, "
            "capacity %u state=LISTEN",
            o.backlog, somaxconn, limit, limit + 1);
    if (o.backlog < 0)
        lab_explain(&n, "a negative backlog is taken as somaxconn (compared unsigned)");
    else if (o.backlog > somaxconn && somaxconn >= 0)
        lab_explain(&n, "listen() silently clamped %ld to somaxconn=%ld", o.backlog, somaxconn);
    lab_explain(&n, "the queue is full when it holds MORE than the backlog");
    lab_explain(&n, "(sk_acceptq_is_full uses '>'), so it holds backlog+1 = %u", limit + 1);
    lab_explain(&n, "`ss -lnt` shows Send-Q=%u (backlog) and Recv-Q (queued now)", limit);

    if (o.scenario == SC_CLAMP) {
        /* Throwaway listeners show what -1 and a huge backlog become. */
        static const int asked[] = {-1, 100000};
        for (size_t i = 0; i < sizeof asked / sizeof asked[0]; i++) {
            unsigned got;
            if (backlog_granted(&bound, asked[i], &got) < 0) {
                lab_say(&n, "listen(fd, %d) on another socket: errno=%s", asked[i],
                        lab_errno_name(errno));
                close(lfd);
                return 1;
            }
            lab_say(&n, "another listener with listen(fd, %d) gets backlog %u = somaxconn",
                    asked[i], got);
        }
    }
    if (o.defer_accept >= 0)
        lab_say(&n, "TCP_DEFER_ACCEPT %ld s: handshakes wait for data before queueing",
                o.defer_accept);
    {
        long v;
        if (o.scenario == SC_SYN_QUEUE || o.scenario == SC_ACK_OVERFLOW) {
            if (lab_sysctl_read("net.ipv4.tcp_max_syn_backlog", &v) == 0)
                lab_say(&n, "net.ipv4.tcp_max_syn_backlog=%ld", v);
            if (lab_sysctl_read("net.ipv4.tcp_syncookies", &v) == 0)
                lab_say(&n, "net.ipv4.tcp_syncookies=%ld", v);
            if (lab_sysctl_read("net.ipv4.tcp_abort_on_overflow", &v) == 0)
                lab_say(&n, "net.ipv4.tcp_abort_on_overflow=%ld", v);
        }
        if (o.scenario == SC_SYN_QUEUE) {
            lab_explain(&n, "tcp_max_syn_backlog is computed when a network namespace is");
            lab_explain(&n, "created (max(128, TCP hash buckets/128)); it only matters with");
            lab_explain(&n, "syncookies off:");
            lab_explain(&n, "then SYNs from unproven peers are dropped once the SYN");
            lab_explain(&n, "queue is 3/4 full. The listen backlog bounds it anyway.");
        }
    }
    explain_scenario(&o, &n);

    const char *mode = o.accept == ACCEPT_NEVER ? "never" : o.accept == ACCEPT_ALL ? "all" : "one";
    if (o.accept == ACCEPT_ONE_AFTER)
        lab_say(&n, "accept policy: one connection, %ld ms after the first one is queued",
                o.accept_delay_ms);
    else
        lab_say(&n, "accept policy: %s", mode);

    unsigned long long base[PROBE_NCOUNTERS], last[PROBE_NCOUNTERS];
    probe_read_counters(base);
    memcpy(last, base, sizeof last);

    struct accepted acc[MAX_ACCEPTED];
    int nacc = 0, accepted_total = 0, seen = 0, status = 0;
    unsigned last_queued = 0, peak = 0, last_drops = listener_drops(lfd);
    long long start = lab_now_ms(), first_queued_at = -1, last_change = start;
    long long last_census = 0, last_print = 0, census_every = 20, last_probe = 0;
    int refilled_said = 0, last_syn_recv = 0;
    struct lab_backoff pace = {0};
    struct census cs;
    memset(&cs, 0, sizeof cs);

    for (;;) {
        long long now = lab_now_ms();
        /* Quiet for a while (the pacing at its slowest): the counters and the
         * sock_diag census, which cost far more than TCP_INFO, less often. */
        long long every = pace.polls > LAB_BACKOFF_FAST + 10 ? 250 : 20;
        if (lab_tcp_listen_queue(lfd, &queued, &limit) < 0) {
            lab_say(&n, "TCP_INFO on the listener: errno=%s", lab_errno_name(errno));
            status = 1;
            break;
        }
        unsigned drops = listener_drops(lfd);
        if (drops != last_drops) {
            seen = 1; /* a SYN or ACK for us was dropped: clients are here */
            last_drops = drops;
            lab_backoff_reset(&pace);
        }
        if (queued != last_queued) {
            if (queued > 0 && first_queued_at < 0)
                first_queued_at = now;
            seen = 1;
            last_change = now;
            lab_backoff_reset(&pace);
            if (queued > peak)
                peak = queued;
            int full = queued > limit;
            /* Coalesce bursts: one line per 20 ms, but never skip "full". */
            if (full || queued < last_queued || now - last_print >= 20 || limit < 64) {
                lab_say(&n, "accept queue %u (Recv-Q), backlog %u (Send-Q)%s", queued, limit,
                        full ? ": FULL, new SYNs are dropped" : "");
                last_print = now;
            }
            if (full && accepted_total > 0 && !refilled_said) {
                lab_explain(&n, "a retransmitted SYN took the free slot; the other");
                lab_explain(&n, "waiting clients found the queue full again");
                refilled_said = 1;
            }
            last_queued = queued;
            say_counter_changes(&n, last, base);
        } else if (now - last_probe >= every) {
            last_probe = now;
            unsigned long long probe[PROBE_NCOUNTERS];
            probe_read_counters(probe);
            if (memcmp(probe, last, sizeof probe) != 0) {
                /* Counters are per namespace, not per listener: news, not a sign
                 * that our clients came. Except the deferred handshakes, which
                 * leave no other trace a listener can read. */
                if (o.defer_accept > 0 && probe[PC_DEFER_ACCEPT_DROP] != last[PC_DEFER_ACCEPT_DROP])
                    seen = 1;
                last_change = now;
                lab_backoff_reset(&pace);
                say_counter_changes(&n, last, base);
                last_print = now;
            }
        }

        /* Accepting. */
        if (o.accept == ACCEPT_ALL) {
            for (unsigned k = 0; k < queued; k++, accepted_total++)
                accept_one(lfd, &n, acc, &nacc, &o);
        } else if (o.accept == ACCEPT_ONE_AFTER && accepted_total == 0 && first_queued_at >= 0 &&
                   now - first_queued_at >= o.accept_delay_ms) {
            accept_one(lfd, &n, acc, &nacc, &o);
            accepted_total++;
            lab_explain(&n, "one slot is free now, but no SYN is waiting for it: the");
            lab_explain(&n, "dropped ones come back when their 1 s retransmit timer fires");
        }
        if (nacc > 0)
            service_accepted(&n, acc, &nacc);

        /* Every 20 ms or so once things are quiet: is any client connection left? */
        if (now - last_census >= (census_every > every ? census_every : every) &&
            (!seen || now - last_change >= 5)) {
            int failed = take_census(bound.ss.ss_family, lab_endpoint_port(&bound), &cs);
            /* A dump of thousands of sockets costs milliseconds: space them out. */
            last_census = lab_now_ms();
            census_every = 20 + 4 * (last_census - now);
            if (failed < 0) {
                lab_say(&n, "sock_diag: errno=%s", lab_errno_name(errno));
                status = 1;
                break;
            }
            if (cs.syn_recv != last_syn_recv) {
                lab_say(&n, "requests (state=SYN_RECV, sock_diag) on our port: %d", cs.syn_recv);
                if (cs.syn_recv > last_syn_recv && o.defer_accept > 0)
                    lab_explain(&n, "handshakes done, held back by TCP_DEFER_ACCEPT");
                else if (cs.syn_recv > last_syn_recv)
                    lab_explain(&n, "their final ACK met a full accept queue and was "
                                    "dropped; the SYN-ACK will be resent");
                last_syn_recv = cs.syn_recv;
                lab_backoff_reset(&pace);
            }
            int alive = cs.syn_recv + cs.server_side + cs.client_side;
            if (alive > 0)
                seen = 1;
            if (seen && alive == 0)
                break;
        }
        /* --timeout bounds the whole run, so clients that keep something
         * changing cannot keep the server alive for ever. */
        if (now - start > o.cli.timeout_ms) {
            lab_say(&n, "%s within --timeout %d ms, giving up errno=ETIMEDOUT",
                    seen ? "clients still connected" : "no client came", o.cli.timeout_ms);
            status = 1;
            break;
        }
        /* Pacing only: 1 ms while things change keeps the narration in order;
         * while nothing does, up to 50 ms, so an idle server costs no CPU. A
         * reader of our narration that went away (| head -1) ends the run at
         * once, cleanly: there is nobody left to show anything to. */
        if (lab_backoff_pause(&pace, STDOUT_FILENO) < 0)
            break;
    }

    if (status == 0) {
        lab_say(&n, "no client connection to port %u is left", (unsigned)lab_endpoint_port(&bound));
        (void)lab_tcp_listen_queue(lfd, &queued, &limit);
        if (queued > 0) {
            lab_explain(&n, "yet the accept queue still counts %u: those connections were", queued);
            lab_explain(&n, "reset while waiting, and accept() would hand them out dead");
        }
    }
    unsigned long long end[PROBE_NCOUNTERS];
    probe_read_counters(end);
    char text[512];
    probe_format_counters(base, end, text, sizeof text);
    lab_say(&n, "summary: backlog %u, peak accept queue %u, accepted %d; %s", limit, peak,
            accepted_total, text);
    for (int i = 0; i < nacc; i++)
        close(acc[i].fd);
    close(lfd);
    lab_say(&n, "closed the listener state=CLOSE");
    return status;
}
