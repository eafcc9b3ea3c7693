/* sock_diag client: one NETLINK_SOCK_DIAG dump per query. Works unprivileged
 * and sees only the caller's network namespace, which is what a test wants. */
#include "lab_diag.h"

#include <errno.h>
#include <string.h>

#include "lab_sock.h"
#include "lab_tcpstate.h"

#if defined(__linux__)
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <unistd.h>

static void fill_endpoint(struct lab_endpoint *ep, int family, const __be32 *addr, __be16 port)
{
    memset(ep, 0, sizeof *ep);
    if (family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)(void *)&ep->ss;
        in->sin_family = AF_INET;
        in->sin_port = port;
        memcpy(&in->sin_addr, addr, 4);
        ep->len = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)&ep->ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = port;
        memcpy(&in6->sin6_addr, addr, 16);
        ep->len = sizeof *in6;
    }
}

static void parse_msg(const struct nlmsghdr *h, struct lab_conn *c)
{
    const struct inet_diag_msg *m = NLMSG_DATA(h);
    memset(c, 0, sizeof *c);
    c->state = m->idiag_state;
    fill_endpoint(&c->local, m->idiag_family, m->id.idiag_src, m->id.idiag_sport);
    fill_endpoint(&c->remote, m->idiag_family, m->id.idiag_dst, m->id.idiag_dport);
    c->timer = m->idiag_timer;
    c->expires_ms = m->idiag_expires;
    c->timer_retrans = m->idiag_retrans;
    c->rqueue = m->idiag_rqueue;
    c->wqueue = m->idiag_wqueue;
    c->inode = m->idiag_inode;

    int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof *m);
    for (const struct rtattr *a = (const struct rtattr *)(m + 1); RTA_OK(a, len);
         a = RTA_NEXT(a, len)) {
        if (a->rta_type == INET_DIAG_INFO &&
            RTA_PAYLOAD(a) >= offsetof(struct tcp_info, tcpi_total_retrans) + 4) {
            struct tcp_info ti;
            memset(&ti, 0, sizeof ti);
            size_t n = RTA_PAYLOAD(a) < sizeof ti ? RTA_PAYLOAD(a) : sizeof ti;
            memcpy(&ti, RTA_DATA(a), n);
            c->has_info = 1;
            c->total_retrans = ti.tcpi_total_retrans;
        }
    }
}

int lab_diag_list(int family, unsigned state_mask, lab_diag_fn fn, void *arg)
{
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0)
        return -1;

    struct {
        struct nlmsghdr nlh;
        struct inet_diag_req_v2 req;
    } msg;
    memset(&msg, 0, sizeof msg);
    msg.nlh.nlmsg_len = sizeof msg;
    msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.nlh.nlmsg_seq = 1;
    msg.req.sdiag_family = (unsigned char)family;
    msg.req.sdiag_protocol = IPPROTO_TCP;
    msg.req.idiag_states = state_mask ? state_mask : ~0u;
    msg.req.idiag_ext = 1u << (INET_DIAG_INFO - 1);

    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (sendto(fd, &msg, sizeof msg, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0)
        goto fail;

    /* Aligned for nlmsghdr; 32 KiB holds many sockets per datagram. */
    long buf[4096];
    int count = 0, stop = 0;
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto fail;
        /* NLMSG_OK/NLMSG_NEXT mix signed and unsigned; walk by hand instead. */
        size_t left = (size_t)n;
        for (struct nlmsghdr *h = (struct nlmsghdr *)(void *)buf;
             left >= sizeof *h && h->nlmsg_len >= sizeof *h && h->nlmsg_len <= left;
             left -= NLMSG_ALIGN(h->nlmsg_len) < left ? NLMSG_ALIGN(h->nlmsg_len) : left,
                             h = (struct nlmsghdr *)(void *)((char *)h +
                                                             NLMSG_ALIGN(h->nlmsg_len))) {
            if (h->nlmsg_type == NLMSG_DONE) {
                close(fd);
                return count;
            }
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);
                errno = e->error ? -e->error : EPROTO;
                goto fail;
            }
            if (stop || h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
                continue;
            struct lab_conn c;
            parse_msg(h, &c);
            count++;
            if (fn != NULL && fn(&c, arg) != 0)
                stop = 1; /* keep reading so the dump is drained before close */
        }
    }
fail:;
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
}
#else
int lab_diag_list(int family, unsigned state_mask, lab_diag_fn fn, void *arg)
{
    (void)family, (void)state_mask, (void)fn, (void)arg;
    errno = ENOSYS;
    return -1;
}
#endif

struct find_ctx {
    const struct sockaddr *local, *remote;
    struct lab_conn *out;
    int found;
};

static int match_tuple(const struct lab_conn *c, void *arg)
{
    struct find_ctx *f = arg;
    if (!lab_endpoint_equal((const struct sockaddr *)&c->local.ss, f->local) ||
        !lab_endpoint_equal((const struct sockaddr *)&c->remote.ss, f->remote))
        return 0;
    *f->out = *c;
    f->found = 1;
    return 1;
}

int lab_diag_find(const struct sockaddr *local, const struct sockaddr *remote, struct lab_conn *out)
{
    struct find_ctx f = {.local = local, .remote = remote, .out = out, .found = 0};
    /* One dump can miss a socket that is just turning into a TIME_WAIT
     * minisock (seen on 6.18, about once in 2000 closes), and a dump that
     * takes several reads can skip one when other namespaces' sockets come
     * and go in the shared hash chains meanwhile (seen under ctest -j4 with
     * the CPUs busy): absence counts only when three dumps, 1 and 4 ms
     * apart, agree. */
    for (int attempt = 0; attempt < 3 && !f.found; attempt++) {
        if (attempt > 0)
            lab_pause_ms(attempt == 1 ? 1 : 4);
        if (lab_diag_list(local->sa_family, 0, match_tuple, &f) < 0)
            return -1;
    }
    return f.found;
}

/* Shared poll loop: done(state, arg) says when to stop. */
static int poll_until(const struct sockaddr *local, const struct sockaddr *remote,
                      int (*done)(int state, unsigned arg), unsigned arg, int timeout_ms,
                      struct lab_conn *out)
{
    long long deadline = lab_now_ms() + timeout_ms;
    out->state = -1;
    for (;;) {
        struct lab_conn c;
        int found = lab_diag_find(local, remote, &c);
        if (found < 0)
            return -1;
        if (found == 0)
            return 0;
        *out = c;
        if (done(c.state, arg))
            return 1;
        if (lab_now_ms() >= deadline) {
            errno = ETIMEDOUT;
            return -1;
        }
        /* Pacing only: 1 ms keeps the kernel's 4 ms timer steps visible. */
        lab_pause_ms(1);
    }
}

static int in_mask(int state, unsigned mask)
{
    return state >= 0 && state < 32 && (mask & LAB_STATE_BIT(state)) != 0;
}

static int differs(int state, unsigned from)
{
    return state != (int)from;
}

int lab_diag_wait(const struct sockaddr *local, const struct sockaddr *remote, unsigned state_mask,
                  int timeout_ms, struct lab_conn *out)
{
    return poll_until(local, remote, in_mask, state_mask, timeout_ms, out);
}

int lab_diag_wait_change(const struct sockaddr *local, const struct sockaddr *remote,
                         int from_state, int timeout_ms, struct lab_conn *out)
{
    return poll_until(local, remote, differs, (unsigned)from_state, timeout_ms, out);
}
