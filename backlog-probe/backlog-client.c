/* backlog-client: how many connections a listener's accept queue really holds.
 *
 * It opens --connections M connections at once with non-blocking connect()
 * and poll(), bounded by --deadline, then reports the fate of each one:
 * completed (the handshake is done, so the server's kernel put it in the
 * accept queue), still in SYN_SENT (its SYN was dropped and is being
 * retransmitted), reset, refused or timed out, and what that says about the
 * queue: on Linux it holds backlog + 1.
 *
 *   terminal 1: backlog-server --scenario fill
 *   terminal 2: backlog-client --scenario fill
 *
 * Every connection is closed with an RST (SO_LINGER 0) at the end, so a run
 * leaves no TIME_WAIT behind and can be repeated at once.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>
#if defined(__linux__)
#include <linux/sockios.h>
#include <linux/tcp.h>
#endif

#include "lab_cli.h"
#include "lab_diag.h"
#include "lab_endpoint.h"
#include "lab_kstat.h"
#include "lab_narrate.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "probe.h"

#define PROG "backlog-client"
#define DEFAULT_TIMEOUT_MS 2000
#define MAX_CONNECTIONS 65535
#define SPARE_FDS 32 /* stdio, netlink and /proc reads next to the connections */
#define SETTLE_MS 25 /* quiet period after which no more handshakes are coming */

enum { OPT_CONNECTIONS = LAB_OPT_FIRST_PRIVATE, OPT_DEADLINE, OPT_SEND };

enum fate {
    F_PENDING,   /* connect in progress: SYN_SENT */
    F_COMPLETED, /* handshake done */
    F_REFUSED,
    F_RESET,
    F_TIMEDOUT,
    F_ERROR,     /* any other errno */
    F_QUEUED,    /* ack-overflow: the first byte was acknowledged */
    F_DROPPED,   /* ack-overflow: the first byte was silently dropped */
    F_HALF_OPEN, /* done here, but the server still holds a request (SYN_RECV) */
};

struct conn {
    int fd;
    enum fate fate;
    int err;
    long long started_ms, done_ms;
};

struct options {
    struct lab_cli cli;
    enum probe_scenario scenario;
    struct lab_endpoint ep; /* --bind/--host with --port, resolved */
    long connections;       /* 0 = scenario default */
    long deadline_ms;       /* 0 = scenario default */
    int send;
};

static void usage(void)
{
    printf("usage: " PROG " [options]\n"
           "Open many connections at once and report what the listen queue did.\n"
           "\n"
           "  --scenario NAME     fill (default), drain, clamp, syn-queue, ack-overflow\n"
           "  --connections M     connections to open (default 8; 20 for clamp;\n"
           "                      ack-overflow: 2*backlog+1, read from the listener)\n"
           "  --deadline MS       bound on the whole connect phase (default 2000;\n"
           "                      3000 for drain; not for ack-overflow)\n"
           "  --send              write one byte on each connection once it completes\n"
           "                      (not for ack-overflow, which sends by itself)\n"
           "  --host HOST         server address (default 127.0.0.1)\n"
           "  --port PORT         server port (default %d)\n"
           "  --timeout MS        bound on each single wait (default %d)\n"
           "  --quiet             drop the explanations\n"
           "  --step              wait for Enter before each state-changing call\n"
           "  --help              this text\n"
           "\n"
           "The soft open-file limit is raised to the hard one when M needs it.\n"
           "\n" PROBE_SCENARIO_HELP "\n"
           "example:\n"
           "  terminal 1: backlog-server --scenario fill --backlog 4\n"
           "  terminal 2: " PROG " --scenario fill --connections 8\n",
           PROBE_PORT, DEFAULT_TIMEOUT_MS);
}

static int parse_args(struct options *o, int argc, char *argv[])
{
    static const struct option longopts[] = {
        LAB_CLI_COMMON_OPTIONS,
        {"host", required_argument, NULL, 'H'},
        {"connections", required_argument, NULL, OPT_CONNECTIONS},
        {"deadline", required_argument, NULL, OPT_DEADLINE},
        {"send", no_argument, NULL, OPT_SEND},
        {NULL, 0, NULL, 0},
    };
    lab_cli_init(&o->cli, PROG, PROBE_PORT, DEFAULT_TIMEOUT_MS);
    int opt, rc;
    while ((rc = lab_cli_next(&o->cli, argc, argv, longopts, &opt)) > 0) {
        switch (opt) {
        case OPT_CONNECTIONS:
            if (lab_cli_long(PROG, "connections", optarg, 1, MAX_CONNECTIONS, &o->connections) < 0)
                return -1;
            break;
        case OPT_DEADLINE:
            if (lab_cli_long(PROG, "deadline", optarg, 1, 3600000, &o->deadline_ms) < 0)
                return -1;
            break;
        case OPT_SEND:
            o->send = 1;
            break;
        default:
            return lab_cli_unknown(&o->cli, opt, argv);
        }
    }
    if (rc < 0 || probe_cli_finish(&o->cli, argc, argv, &o->scenario, &o->ep) < 0)
        return -1;
    if (o->cli.help)
        return 0;
    enum probe_scenario sc = o->scenario;
    /* ack-overflow paces itself (each wait bounded by --timeout) and sends on
     * its own: these would be silently ignored. */
    if (sc == SC_ACK_OVERFLOW && (o->send || o->deadline_ms != 0)) {
        lab_usage_error(PROG,
                        "%s has no use in scenario ack-overflow (it sends one byte on each "
                        "connection itself, each wait bounded by --timeout)",
                        o->send ? "--send" : "--deadline");
        return -1;
    }
    if (o->deadline_ms == 0)
        o->deadline_ms = sc == SC_DRAIN ? 3000 : 2000;
    if (o->connections == 0 && sc != SC_ACK_OVERFLOW)
        o->connections = sc == SC_CLAMP ? 20 : 8;
    return 0;
}

/* Make room for m sockets: raise the soft RLIMIT_NOFILE up to the hard one.
 * 0, or 2 after a usage line saying what stops it. */
static int make_room(long m, char *note, size_t notelen)
{
    note[0] = '\0';
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 0; /* let socket() report EMFILE */
    rlim_t need = (rlim_t)m + SPARE_FDS;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        rlim_t old = rl.rlim_cur;
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
            /* Root may raise the hard limit too (CAP_SYS_RESOURCE); others may not. */
            struct rlimit up = {need, need};
            if (setrlimit(RLIMIT_NOFILE, &up) < 0)
                return lab_usage_error(PROG,
                                       "--connections %ld needs %llu open files but the hard "
                                       "limit is %llu (ulimit -Hn; only root may raise it)",
                                       m, (unsigned long long)need,
                                       (unsigned long long)rl.rlim_max);
            rl = up;
        }
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            return lab_usage_error(PROG, "cannot raise the open-file limit to %llu: %s",
                                   (unsigned long long)rl.rlim_max, strerror(errno));
        snprintf(note, notelen, "raised the open-file limit from %llu to %llu",
                 (unsigned long long)old, (unsigned long long)rl.rlim_cur);
    }
    /* Each connection to one server address and port needs its own local port. */
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
    long lo, hi;
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &lo, &hi) == 2 && m > hi - lo + 1) {
            fclose(f);
            return lab_usage_error(PROG,
                                   "--connections %ld is more than the %ld local ports "
                                   "of net.ipv4.ip_local_port_range",
                                   m, hi - lo + 1);
        }
        fclose(f);
    }
    return 0;
}

/* The listener's backlog as sock_diag reports it (ss's Send-Q), when it is in
 * our network namespace; -1 if it cannot be seen. */
struct find_listener {
    const struct lab_endpoint *server;
    long backlog, queued;
};

static int match_listener(const struct lab_conn *c, void *arg)
{
    struct find_listener *f = arg;
    if (c->state != LAB_TCP_LISTEN || lab_endpoint_port(&c->local) != lab_endpoint_port(f->server))
        return 0;
    f->backlog = (long)c->wqueue;
    f->queued = (long)c->rqueue;
    return 1;
}

static long listener_backlog(const struct lab_endpoint *server, long *queued)
{
    struct find_listener f = {.server = server, .backlog = -1, .queued = -1};
    if (lab_diag_list(server->ss.ss_family, LAB_STATE_BIT(LAB_TCP_LISTEN), match_listener, &f) < 0)
        return -1;
    if (queued != NULL)
        *queued = f.queued;
    return f.backlog;
}

/* The server's side of every connection, from one sock_diag dump: its state
 * indexed by the client's port (0 = not seen). */
struct server_view {
    uint16_t port;
    unsigned char *state;
};

static int note_server_side(const struct lab_conn *c, void *arg)
{
    struct server_view *v = arg;
    if (c->state != LAB_TCP_LISTEN && lab_endpoint_port(&c->local) == v->port)
        v->state[lab_endpoint_port(&c->remote)] = (unsigned char)c->state;
    return 0;
}

/* Split the completed connections into those the server really holds and
 * those whose final ACK it dropped (or, with TCP_DEFER_ACCEPT, is holding). */
static int classify_by_server(const struct lab_endpoint *server, struct conn *conns, long m)
{
    struct server_view v = {.port = lab_endpoint_port(server), .state = calloc(65536, 1)};
    if (v.state == NULL)
        return -1;
    if (lab_diag_list(server->ss.ss_family, 0, note_server_side, &v) < 0) {
        free(v.state);
        return -1;
    }
    for (long i = 0; i < m; i++) {
        struct lab_endpoint local;
        if (conns[i].fate != F_COMPLETED || lab_endpoint_local(conns[i].fd, &local) < 0)
            continue;
        int st = v.state[lab_endpoint_port(&local)];
        if (st == LAB_TCP_SYN_RECV || st == LAB_TCP_NEW_SYN_RECV)
            conns[i].fate = F_HALF_OPEN;
    }
    free(v.state);
    return 0;
}

static int open_conn(struct conn *c, const struct lab_endpoint *server)
{
    memset(c, 0, sizeof *c);
    c->started_ms = lab_now_ms();
    c->fd = socket(server->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        c->fate = F_ERROR;
        c->err = errno;
        return -1;
    }
    if (connect(c->fd, (const struct sockaddr *)&server->ss, server->len) == 0) {
        c->fate = F_COMPLETED;
        c->done_ms = lab_now_ms();
        return 0;
    }
    int err = errno;
    if (err == EINPROGRESS) {
        c->fate = F_PENDING;
        return 0;
    }
    c->err = err;
    c->fate = err == ECONNREFUSED ? F_REFUSED : err == ETIMEDOUT ? F_TIMEDOUT : F_ERROR;
    c->done_ms = lab_now_ms();
    return -1;
}

/* Classify a connection whose connect() has finished (POLLOUT/POLLERR). */
static void finish_conn(struct conn *c, int send_byte)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    c->done_ms = lab_now_ms();
    c->err = err;
    switch (err) {
    case 0:
        c->fate = F_COMPLETED;
        if (send_byte && send(c->fd, "x", 1, MSG_NOSIGNAL) < 0)
            c->err = errno;
        break;
    case ECONNREFUSED:
        c->fate = F_REFUSED;
        break;
    case ECONNRESET:
        c->fate = F_RESET;
        break;
    case ETIMEDOUT:
        c->fate = F_TIMEDOUT;
        break;
    default:
        c->fate = F_ERROR;
        break;
    }
}

/* One poll over the pending connections; returns how many finished, -1 on error. */
static int poll_pending(struct conn *conns, long m, struct pollfd *pfd, long *idx, int timeout_ms,
                        int send_byte)
{
    nfds_t np = 0;
    for (long i = 0; i < m; i++) {
        if (conns[i].fate != F_PENDING)
            continue;
        pfd[np].fd = conns[i].fd;
        pfd[np].events = POLLOUT;
        pfd[np].revents = 0;
        idx[np++] = i;
    }
    if (np == 0)
        return 0;
    int r = poll(pfd, np, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    int done = 0;
    for (nfds_t k = 0; k < np && r > 0; k++) {
        if (pfd[k].revents == 0)
            continue;
        finish_conn(&conns[idx[k]], send_byte);
        done++;
    }
    return done;
}

static long count_fate(const struct conn *conns, long m, enum fate f)
{
    long k = 0;
    for (long i = 0; i < m; i++)
        k += conns[i].fate == f;
    return k;
}

static const char *fate_text(const struct conn *c, char *buf, size_t len)
{
    switch (c->fate) {
    case F_PENDING:
        snprintf(buf, len, "still state=SYN_SENT: its SYN was dropped, it is retransmitting");
        break;
    case F_COMPLETED:
        snprintf(buf, len, "completed state=%s: queued (or accepted) on the server",
                 lab_tcp_state_name(lab_tcp_state_of_fd(c->fd)));
        break;
    case F_HALF_OPEN:
        snprintf(buf, len,
                 "completed here state=%s, but the server holds only a request "
                 "state=SYN_RECV",
                 lab_tcp_state_name(lab_tcp_state_of_fd(c->fd)));
        break;
    case F_REFUSED:
        snprintf(buf, len, "refused errno=ECONNREFUSED");
        break;
    case F_RESET:
        snprintf(buf, len, "reset errno=ECONNRESET");
        break;
    case F_TIMEDOUT:
        snprintf(buf, len, "timed out errno=ETIMEDOUT");
        break;
    case F_QUEUED:
        snprintf(buf, len, "byte acknowledged state=ESTABLISHED: queued on the server");
        break;
    case F_DROPPED:
        snprintf(buf, len, "byte unacknowledged, still state=%s: silently dropped",
                 lab_tcp_state_name(lab_tcp_state_of_fd(c->fd)));
        break;
    case F_ERROR:
    default:
        snprintf(buf, len, "failed errno=%s", lab_errno_name(c->err));
        break;
    }
    return buf;
}

/* One line per run of consecutive connections that share a fate. */
static void report_fates(const struct lab_narrator *n, const struct conn *conns, long m)
{
    long i = 0;
    while (i < m) {
        long j = i + 1;
        while (j < m && conns[j].fate == conns[i].fate && conns[j].err == conns[i].err)
            j++;
        char text[160];
        fate_text(&conns[i], text, sizeof text);
        if (j - i == 1)
            lab_say(n, "conn %ld: %s", i + 1, text);
        else
            lab_say(n, "conn %ld-%ld (%ld): %s", i + 1, j, j - i, text);
        i = j;
    }
}

static void say_counters(const struct lab_narrator *n,
                         const unsigned long long base[PROBE_NCOUNTERS])
{
    unsigned long long now[PROBE_NCOUNTERS];
    char text[512];
    probe_read_counters(now);
    lab_say(n, "kernel counters (this namespace): %s",
            probe_format_counters(base, now, text, sizeof text));
}

/* When this kernel resends a dropped SYN. Linux 6.5 added
 * tcp_syn_linear_timeouts (default 4): the first gaps stay at the 1 s initial
 * RTO until that many have passed, then doubling starts, and SYN_SENT gets
 * that many resends on top of tcp_syn_retries (tcp_write_timeout). Older
 * kernels double from the start. Seconds after connect(). */
static void explain_syn_schedule(const struct lab_narrator *n)
{
    long linear = 0, retries = 6;
    int has_linear = lab_sysctl_read("net.ipv4.tcp_syn_linear_timeouts", &linear) == 0;
    (void)lab_sysctl_read("net.ipv4.tcp_syn_retries", &retries);
    char when[160] = "";
    size_t used = 0;
    long t = 0, gap = 1;
    long resends = retries + (has_linear ? linear : 0);
    for (long k = 0; k < resends && k < 12 && used < sizeof when - 16; k++) {
        t += gap;
        used += (size_t)snprintf(when + used, sizeof when - used, "%s%ld", k ? ", " : "", t);
        if (k + 1 > linear)
            gap *= 2;
    }
    lab_explain(n, "on this kernel a dropped SYN is resent at %s s after connect()", when);
    if (has_linear)
        lab_explain(
            n, "(tcp_syn_linear_timeouts=%ld: 1 s gaps first, Linux 6.5+; tcp_syn_retries=%ld)",
            linear, retries);
    else
        lab_explain(n,
                    "(no tcp_syn_linear_timeouts, before Linux 6.5: every gap doubles; "
                    "tcp_syn_retries=%ld)",
                    retries);
}

/* Time spent at --step prompts: the learner's, not the run's. */
static long long stepped_ms;

/* lab_step, with the wait for Enter kept out of every clock of the run. */
static void step(const struct options *o, const struct lab_narrator *n, const char *what)
{
    long long t = lab_now_ms();
    lab_step(n, o->cli.step, what);
    stepped_ms += lab_now_ms() - t;
}

/* Connect everything at once, then wait until nothing more will complete.
 * The connect phase, and --deadline with it, starts after the step. */
static int run_fill(const struct options *o, const struct lab_narrator *n,
                    const struct lab_endpoint *server, struct conn *conns, long m)
{
    struct pollfd *pfd = calloc((size_t)m, sizeof *pfd);
    long *idx = calloc((size_t)m, sizeof *idx);
    if (pfd == NULL || idx == NULL) {
        free(pfd);
        free(idx);
        lab_say(n, "calloc: errno=ENOMEM");
        return -1;
    }
    step(o, n, "open the connections");
    long long t0 = lab_now_ms();
    unsigned long long drops0 = probe_counter(PC_LISTEN_DROPS); /* ListenDrops */
    for (long i = 0; i < m; i++) {
        if (open_conn(&conns[i], server) < 0 && conns[i].fate == F_ERROR &&
            conns[i].err != EADDRNOTAVAIL) {
            lab_say(n, "conn %ld: socket/connect: errno=%s", i + 1, lab_errno_name(conns[i].err));
            for (long k = i + 1; k < m; k++) {
                conns[k].fd = -1;
                conns[k].fate = F_ERROR;
                conns[k].err = conns[i].err;
            }
            break;
        }
        if (conns[i].fate == F_COMPLETED && o->send)
            (void)send(conns[i].fd, "x", 1, MSG_NOSIGNAL);
    }
    lab_say(n, "%ld non-blocking connect() calls issued in %lld ms", m, lab_now_ms() - t0);

    long long deadline = t0 + o->deadline_ms;
    long long last_progress = lab_now_ms();
    int rc = 0, waiting_retransmit = 0, drained = 0;
    long first_round = -1;
    for (;;) {
        long long now = lab_now_ms();
        int done = poll_pending(conns, m, pfd, idx, 5, o->send);
        if (done < 0) {
            lab_say(n, "poll: errno=%s", lab_errno_name(errno));
            rc = -1;
            break;
        }
        now = lab_now_ms();
        if (done > 0)
            last_progress = now;
        long pending = count_fate(conns, m, F_PENDING);
        if (pending == 0)
            break;
        if (now >= deadline) {
            lab_say(n, "deadline of %ld ms reached with %ld connection(s) pending", o->deadline_ms,
                    pending);
            break;
        }
        /* Loopback runs each handshake inside connect(), so once every SYN
         * still pending is accounted for by a listen drop, the round is over;
         * otherwise a short quiet period decides. */
        int accounted =
            first_round < 0 && pending <= (long)(probe_counter(PC_LISTEN_DROPS) - drops0);
        if (now - last_progress < SETTLE_MS && !accounted)
            continue;
        long completed = count_fate(conns, m, F_COMPLETED);
        if (first_round < 0) {
            first_round = completed;
            lab_say(n, "after %lld ms: %ld completed, %ld waiting in state=SYN_SENT", now - t0,
                    completed, pending);
        }
        if (o->scenario != SC_DRAIN)
            break;
        /* drain: wait (bounded by --deadline) for the retransmitted SYNs. */
        if (!waiting_retransmit) {
            lab_say(n, "waiting for the server to free a slot and for our SYNs to be "
                       "retransmitted (about 1 s after the first ones)");
            waiting_retransmit = 1;
        }
        if (completed > first_round)
            drained = 1;
        if (drained) {
            /* Done once every other waiting connect has been retransmitted too. */
            int all = 1;
            for (long i = 0; i < m && all; i++) {
                unsigned retrans = 0;
                if (conns[i].fate == F_PENDING &&
                    (lab_tcp_total_retrans(conns[i].fd, &retrans) < 0 || retrans == 0))
                    all = 0;
            }
            if (all)
                break;
        }
    }
    free(pfd);
    free(idx);
    /* The late ones, each by its own connect(); only a SYN that was really
     * resent is the retransmit timer's doing. */
    for (long i = 0; o->scenario == SC_DRAIN && i < m; i++) {
        unsigned retrans = 0;
        if (conns[i].fate != F_COMPLETED || conns[i].done_ms - conns[i].started_ms <= SETTLE_MS * 2)
            continue;
        if (lab_tcp_total_retrans(conns[i].fd, &retrans) < 0) {
            lab_say(n, "conn %ld: getsockopt(TCP_INFO): errno=%s", i + 1, lab_errno_name(errno));
            continue;
        }
        lab_say(n,
                "conn %ld completed %lld ms after its connect() state=%s; its SYN "
                "was sent %u more time(s)",
                i + 1, conns[i].done_ms - conns[i].started_ms,
                lab_tcp_state_name(lab_tcp_state_of_fd(conns[i].fd)), retrans);
        if (retrans > 0)
            drained = 2;
    }
    if (drained == 2) {
        lab_explain(n, "nobody told them a slot was free: the SYN retransmit timer");
        lab_explain(n, "(1 s initial RTO) fired, and the SYN found room");
        explain_syn_schedule(n);
    }
    return rc;
}

/* Wait for the outcome of the byte just sent on c (ack-overflow). */
static void await_first_byte(const struct options *o, struct conn *c,
                             unsigned long long overflows_before)
{
    long long deadline = lab_now_ms() + o->cli.timeout_ms;
    struct lab_backoff pace = {0};
    for (;;) {
        struct pollfd p = {.fd = c->fd, .events = POLLIN, .revents = 0};
        (void)poll(&p, 1, lab_backoff_next(&pace)); /* slower as the wait lasts */
        if (p.revents & (POLLERR | POLLHUP)) {
            finish_conn(c, 0);
            return;
        }
        int outq = -1;
#if defined(SIOCOUTQ)
        if (ioctl(c->fd, SIOCOUTQ, &outq) < 0)
            outq = -1;
#endif
        if (outq == 0) {
            c->fate = F_QUEUED;
            c->done_ms = lab_now_ms();
            return;
        }
        if (probe_counter(PC_LISTEN_OVERFLOWS) > overflows_before) {
            c->fate = F_DROPPED;
            c->done_ms = lab_now_ms();
            return;
        }
        if (lab_now_ms() >= deadline) {
            c->fate = F_ERROR;
            c->err = ETIMEDOUT;
            return;
        }
    }
}

static int connect_one_bounded(const struct options *o, struct conn *c,
                               const struct lab_endpoint *server)
{
    if (open_conn(c, server) < 0)
        return -1;
    if (c->fate == F_PENDING && lab_wait_fd(c->fd, POLLOUT, o->cli.timeout_ms) > 0)
        finish_conn(c, 0);
    return c->fate == F_COMPLETED ? 0 : -1;
}

/* Deferred handshakes: victims first, then fill the accept queue behind them,
 * then let the victims send into the full queue. */
static int run_ack_overflow(const struct options *o, const struct lab_narrator *n,
                            const struct lab_endpoint *server, struct conn *conns, long m,
                            long backlog)
{
    long fillers = backlog + 1;
    long victims = m - fillers;
    if (victims > backlog) {
        lab_say(n,
                "only %ld of the %ld extra connections can wait as requests: the SYN "
                "queue is bounded by the backlog too",
                backlog, victims);
        victims = backlog;
    }
    if (victims < 1) {
        lab_say(n, "ack-overflow needs backlog+2 connections or more; got %ld", m);
        return -1;
    }
    long used = fillers + victims;
    for (long i = used; i < m; i++) {
        conns[i].fd = -1;
        conns[i].fate = F_ERROR;
        conns[i].err = ENOTCONN;
    }
    lab_say(n,
            "plan: %ld victim(s) complete the handshake first and keep quiet, %ld "
            "filler(s) then fill the accept queue, then the victims send",
            victims, fillers);
    step(o, n, "connect the victims");
    for (long i = 0; i < victims; i++) {
        struct conn *c = &conns[fillers + i];
        if (connect_one_bounded(o, c, server) < 0) {
            lab_say(n, "victim %ld: connect: errno=%s", i + 1, lab_errno_name(c->err));
            return -1;
        }
        lab_say(n, "conn %ld (victim): connect() done state=%s, nothing sent yet", fillers + i + 1,
                lab_tcp_state_name(lab_tcp_state_of_fd(c->fd)));
    }
    lab_explain(n, "the server's kernel keeps each as a request (SYN_RECV): with");
    lab_explain(n, "TCP_DEFER_ACCEPT the final ACK alone does not create a socket");
    step(o, n, "connect the fillers and send on each");
    for (long i = 0; i < fillers; i++) {
        struct conn *c = &conns[i];
        if (connect_one_bounded(o, c, server) < 0) {
            lab_say(n, "filler %ld: connect: errno=%s", i + 1, lab_errno_name(c->err));
            return -1;
        }
        unsigned long long before = probe_counter(PC_LISTEN_OVERFLOWS);
        if (send(c->fd, "f", 1, MSG_NOSIGNAL) < 0) {
            c->fate = F_ERROR;
            c->err = errno;
        } else {
            await_first_byte(o, c, before);
        }
        char text[160];
        lab_say(n, "conn %ld (filler): sent 1 byte: %s", i + 1, fate_text(c, text, sizeof text));
    }
    lab_say(n, "the accept queue now holds backlog+1 = %ld: full", fillers);
    step(o, n, "send one byte on each victim");
    for (long i = 0; i < victims; i++) {
        struct conn *c = &conns[fillers + i];
        unsigned long long before = probe_counter(PC_LISTEN_OVERFLOWS);
        if (send(c->fd, "v", 1, MSG_NOSIGNAL) < 0) {
            c->fate = F_ERROR;
            c->err = errno;
            lab_say(n, "conn %ld (victim): send: errno=%s", fillers + i + 1, lab_errno_name(errno));
            continue;
        }
        await_first_byte(o, c, before);
        char text[160];
        lab_say(n, "conn %ld (victim): send() returned 1, then: %s", fillers + i + 1,
                fate_text(c, text, sizeof text));
        if (i == 0 && c->fate == F_RESET) {
            lab_explain(n, "tcp_abort_on_overflow=1: the server answered the byte with");
            lab_explain(n, "RST, to a client that was ESTABLISHED all along. This is");
            lab_explain(n, "the only RST Linux sends for a full queue, and the client");
            lab_explain(n, "sees ECONNRESET, never ECONNREFUSED");
        } else if (i == 0 && c->fate == F_DROPPED) {
            lab_explain(n, "tcp_abort_on_overflow=0: ListenOverflows grew and the segment");
            lab_explain(n, "was dropped; the server still holds a request, this side");
            lab_explain(n, "retransmits the byte and gets in once accept() makes room");
        }
    }
    return 0;
}

static long vm_hwm_kb(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (f == NULL)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

int main(int argc, char *argv[])
{
    if (lab_prog_init() < 0) {
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

    const struct lab_endpoint server = o.ep;

    /* ack-overflow sizes itself from the listener's backlog. */
    long backlog = listener_backlog(&server, NULL);
    if (o.scenario == SC_ACK_OVERFLOW && o.connections == 0) {
        if (backlog < 0) {
            fprintf(stderr, PROG ": cannot see the listener's backlog: ack-overflow needs "
                                 "the server in this network namespace\n");
            return 1;
        }
        o.connections = 2 * backlog + 1;
    }
    long m = o.connections;
    char note[160];
    if ((rc = make_room(m, note, sizeof note)) != 0)
        return rc;

    struct lab_narrator n;
    lab_narrator_init(&n, "client", o.cli.quiet, stdout);
    char addr[LAB_ENDPOINT_STRLEN];
    lab_endpoint_format((struct sockaddr *)&server.ss, addr, sizeof addr);
    if (note[0])
        lab_say(&n, "%s", note);

    struct conn *conns = calloc((size_t)m, sizeof *conns);
    if (conns == NULL) {
        lab_say(&n, "calloc: errno=ENOMEM");
        return 1;
    }
    for (long i = 0; i < m; i++)
        conns[i].fd = -1;

    unsigned long long base[PROBE_NCOUNTERS];
    probe_read_counters(base);
    lab_say(&n, "scenario %s: %ld connection(s) to %s, deadline %ld ms",
            probe_scenario_names[o.scenario], m, addr, o.deadline_ms);
    long long t0 = lab_now_ms();
    int status = 0;
    if (o.scenario == SC_ACK_OVERFLOW) {
        if (backlog < 0) {
            lab_say(&n, "cannot see the listener's backlog (sock_diag): errno=%s",
                    lab_errno_name(errno));
            status = 1;
        } else if (run_ack_overflow(&o, &n, &server, conns, m, backlog) < 0) {
            status = 1;
        }
    } else if (run_fill(&o, &n, &server, conns, m) < 0) {
        status = 1;
    } else if (o.send) {
        lab_say(&n, "--send: wrote 1 byte on each connection the moment it completed");
        lab_explain(&n, "it waits in the server's socket until accept() and read()");
    }
    long long elapsed = lab_now_ms() - t0 - stepped_ms;
    if (o.scenario != SC_ACK_OVERFLOW && backlog >= 0 && classify_by_server(&server, conns, m) < 0)
        lab_say(&n, "sock_diag: errno=%s", lab_errno_name(errno));

    report_fates(&n, conns, m);
    long held = count_fate(conns, m, F_COMPLETED) + count_fate(conns, m, F_QUEUED);
    long half_open = count_fate(conns, m, F_HALF_OPEN) + count_fate(conns, m, F_DROPPED);
    long completed = held + half_open;
    long synsent = count_fate(conns, m, F_PENDING);
    long refused = count_fate(conns, m, F_REFUSED);
    long reset = count_fate(conns, m, F_RESET);
    long timedout = count_fate(conns, m, F_TIMEDOUT);
    long failed = count_fate(conns, m, F_ERROR);
    lab_say(&n,
            "summary: %ld completed, %ld in SYN_SENT, %ld reset, %ld refused, %ld timed "
            "out, %ld failed, in %lld ms",
            completed, synsent, reset, refused, timedout, failed, elapsed);

    if (refused == m) {
        /* Nothing listens: the queue lessons below would only mislead. */
        lab_say(&n,
                "every connect() was refused  errno=ECONNREFUSED: is backlog-server "
                "running on %s?",
                addr);
        lab_explain(&n, "A full queue never refuses on Linux; a refusal means no listener.");
        status = 1;
    } else if (backlog >= 0)
        lab_say(&n,
                "server side (sock_diag): %ld held in the accept queue or accepted, "
                "%ld still requests state=SYN_RECV",
                held, half_open);
    if (refused == m) {
        /* no queue to describe */
    } else if (o.scenario == SC_SYN_QUEUE) {
        long cookies = 1;
        (void)lab_sysctl_read("net.ipv4.tcp_syncookies", &cookies);
        lab_explain(&n, "SYN_RECV there: requests in the SYN queue, which TCP_DEFER_ACCEPT");
        if (cookies != 0) {
            lab_explain(&n, "keeps until data comes; the others got a SYN cookie, skipped the");
            lab_explain(&n, "SYN queue and went straight to the accept queue");
        } else {
            lab_explain(&n, "keeps until data comes; with tcp_syncookies=0 the SYNs that found");
            lab_explain(&n, "it full were dropped (TCPReqQFullDrop): they wait in SYN_SENT");
        }
    } else if (o.scenario != SC_ACK_OVERFLOW) {
        long queued = -1;
        if (backlog >= 0 && listener_backlog(&server, &queued) >= 0 && queued > backlog)
            lab_say(&n,
                    "the listener's accept queue holds %ld (ss's Recv-Q) with "
                    "backlog %ld (Send-Q): backlog + %ld, full",
                    queued, backlog, queued - backlog);
        else if (backlog >= 0 && queued >= 0)
            lab_say(&n,
                    "the listener's accept queue holds %ld (ss's Recv-Q) with "
                    "backlog %ld (Send-Q): not full, room for %ld more",
                    queued, backlog, backlog + 1 - queued);
        else if (held > 0)
            lab_say(&n, "%ld completed: on Linux that means a backlog of %ld", held, held - 1);
        lab_explain(&n, "Linux calls the queue full when it holds MORE than backlog");
        if (half_open > 0) {
            lab_explain(&n, "the half-open ones sent their SYN while there was room, but");
            lab_explain(&n, "their final ACK met a full queue and was dropped");
            lab_explain(&n, "(ListenOverflows); the server will resend its SYN-ACK");
        }
    }
    if (synsent > 0) {
        lab_explain(&n, "none of the SYN_SENT ones saw ECONNREFUSED: Linux drops the");
        lab_explain(&n, "SYN of a full queue and the client retransmits it");
    }
    say_counters(&n, base);

    lab_step(&n, o.cli.step, "close every connection (RST)");
    long closed = 0;
    for (long i = 0; i < m; i++) {
        if (conns[i].fd < 0)
            continue;
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        (void)setsockopt(conns[i].fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(conns[i].fd);
        closed++;
    }
    lab_say(&n, "closed %ld connection(s) with SO_LINGER 0 (RST, no TIME_WAIT left)", closed);
    free(conns);
    lab_say(&n, "peak memory VmHWM=%ld kB", vm_hwm_kb());
    if (refused > 0 && refused < m && status == 0) {
        lab_say(&n, "connect: errno=ECONNREFUSED: is backlog-server running on %s?", addr);
        status = 1;
    }
    return status;
}
