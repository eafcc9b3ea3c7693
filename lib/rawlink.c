/* A raw IP link into this namespace's kernel: TUN (IFF_TUN | IFF_NO_PI: each
 * read or write is one IP packet), or a veth pair made over rtnetlink whose
 * far end an AF_PACKET socket drives. The kernel's end is NOARP, so it sends
 * every frame to its own MAC without asking who has the peer's address, and
 * IPv6 skips duplicate address detection there (no second of "tentative"). */
#define _DEFAULT_SOURCE /* struct ifreq, IFF_* */
#include "lab_rawlink.h"
#include "lab_sock.h"
#include "lab_tcpseg.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#define PEER_IFNAME LAB_RAWLINK_IFNAME "-peer"

/* struct in6_ifreq of <linux/ipv6.h>, which cannot be included beside <netinet/in.h>. */
struct in6_ifreq_compat {
    struct in6_addr addr;
    uint32_t prefixlen;
    int ifindex;
};

static int fail(char *why, size_t whylen, const char *what)
{
    int err = errno;
    snprintf(why, whylen, "%s: %s", what, strerror(err));
    errno = err;
    return -1;
}

static int open_tun(struct lab_rawlink *l, char *why, size_t whylen)
{
    l->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (l->fd < 0)
        return fail(why, whylen, "open /dev/net/tun");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", LAB_RAWLINK_IFNAME);
    if (ioctl(l->fd, TUNSETIFF, &ifr) < 0) {
        int err = errno;
        close(l->fd);
        l->fd = -1;
        errno = err;
        return fail(why, whylen, "ioctl(TUNSETIFF)");
    }
    l->kind = LAB_RAWLINK_TUN;
    return 0;
}

static void nl_attr(struct nlmsghdr *h, unsigned short type, const void *data, size_t len)
{
    struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
    a->rta_type = type;
    a->rta_len = (unsigned short)RTA_LENGTH(len);
    if (len)
        memcpy(RTA_DATA(a), data, len);
    h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static struct rtattr *nl_nest(struct nlmsghdr *h, unsigned short type)
{
    struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
    nl_attr(h, type, NULL, 0);
    return a;
}

static void nl_nest_end(struct nlmsghdr *h, struct rtattr *a)
{
    a->rta_len = (unsigned short)((char *)h + h->nlmsg_len - (char *)a);
}

/* ip link add LAB_RAWLINK_IFNAME type veth peer name PEER_IFNAME */
static int make_veth(void)
{
    union {
        struct nlmsghdr h;
        char buf[512];
    } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
    req.h.nlmsg_type = RTM_NEWLINK;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    nl_attr(&req.h, IFLA_IFNAME, LAB_RAWLINK_IFNAME, sizeof LAB_RAWLINK_IFNAME);
    struct rtattr *info = nl_nest(&req.h, IFLA_LINKINFO);
    nl_attr(&req.h, IFLA_INFO_KIND, "veth", sizeof "veth");
    struct rtattr *data = nl_nest(&req.h, IFLA_INFO_DATA);
    struct rtattr *peer = nl_nest(&req.h, VETH_INFO_PEER);
    req.h.nlmsg_len += NLMSG_ALIGN(sizeof(struct ifinfomsg)); /* the peer's own ifinfomsg */
    nl_attr(&req.h, IFLA_IFNAME, PEER_IFNAME, sizeof PEER_IFNAME);
    nl_nest_end(&req.h, peer);
    nl_nest_end(&req.h, data);
    nl_nest_end(&req.h, info);

    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0)
        return -1;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    int rc = -1;
    if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) >= 0) {
        union {
            struct nlmsghdr h;
            char buf[1024];
        } ans;
        ssize_t n = recv(fd, &ans, sizeof ans, 0);
        if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) &&
            ans.h.nlmsg_type == NLMSG_ERROR) {
            const struct nlmsgerr *e = NLMSG_DATA(&ans.h);
            errno = -e->error;
            rc = e->error == 0 ? 0 : -1;
        } else if (n >= 0) {
            errno = EPROTO;
        }
    }
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

static int if_flags(int ctl, const char *name, short set)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(ctl, SIOCGIFFLAGS, &ifr) < 0)
        return -1;
    ifr.ifr_flags = (short)(ifr.ifr_flags | set);
    return ioctl(ctl, SIOCSIFFLAGS, &ifr);
}

/* Best effort: the far end of a veth gets no IPv6 of its own (no link-local
 * address, no router solicitations that would only be noise on the link). */
static void quiet_far_end(void)
{
    int fd = open("/proc/sys/net/ipv6/conf/" PEER_IFNAME "/disable_ipv6", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, "1", 1) < 0) { /* IPv6 may be off altogether: nothing to quiet */
        }
        close(fd);
    }
}

static int open_packet(struct lab_rawlink *l, int ctl, char *why, size_t whylen)
{
    if (make_veth() < 0)
        return fail(why, whylen, "creating a veth pair (rtnetlink RTM_NEWLINK)");
    quiet_far_end();
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", LAB_RAWLINK_IFNAME);
    if (ioctl(ctl, SIOCGIFHWADDR, &ifr) < 0)
        return fail(why, whylen, "ioctl(SIOCGIFHWADDR)");
    memcpy(l->mac, ifr.ifr_hwaddr.sa_data, sizeof l->mac);
    l->ifindex = (int)if_nametoindex(PEER_IFNAME);
    if (l->ifindex == 0)
        return fail(why, whylen, "if_nametoindex(" PEER_IFNAME ")");
    if (if_flags(ctl, PEER_IFNAME, IFF_UP) < 0)
        return fail(why, whylen, "bringing " PEER_IFNAME " up");
    l->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (l->fd < 0)
        return fail(why, whylen, "socket(AF_PACKET)");
    int one = 1;
    struct sockaddr_ll at = {
        .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = l->ifindex};
    /* Our own frames are not read back (PACKET_IGNORE_OUTGOING, Linux 4.20;
     * recv also skips them by type, for older kernels). */
    (void)setsockopt(l->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    if (bind(l->fd, (struct sockaddr *)&at, sizeof at) < 0)
        return fail(why, whylen, "bind(AF_PACKET)");
    l->kind = LAB_RAWLINK_PACKET;
    return 0;
}

static int add_address(int ctl, const struct sockaddr *addr, int prefixlen)
{
    if (addr->sa_family == AF_INET6) {
        int fd6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd6 < 0)
            return -1;
        struct in6_ifreq_compat r = {.addr = ((const struct sockaddr_in6 *)addr)->sin6_addr,
                                     .prefixlen = (uint32_t)prefixlen,
                                     .ifindex = (int)if_nametoindex(LAB_RAWLINK_IFNAME)};
        int rc = ioctl(fd6, SIOCSIFADDR, &r);
        int err = errno;
        close(fd6);
        errno = err;
        return rc;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", LAB_RAWLINK_IFNAME);
    memcpy(&ifr.ifr_addr, addr, sizeof(struct sockaddr_in));
    if (ioctl(ctl, SIOCSIFADDR, &ifr) < 0)
        return -1;
    struct sockaddr_in mask = {.sin_family = AF_INET};
    mask.sin_addr.s_addr = htonl(prefixlen ? ~0u << (32 - prefixlen) : 0);
    memcpy(&ifr.ifr_netmask, &mask, sizeof mask);
    return ioctl(ctl, SIOCSIFNETMASK, &ifr);
}

/* An address just given is "tentative" until the kernel's address
 * configuration has run (at once for NOARP, but from a work queue): bind()
 * fails with EADDRNOTAVAIL until then. Wait for it, at most 3 s. */
static int wait_usable(const struct sockaddr *addr)
{
    socklen_t len =
        addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    struct sockaddr_storage any;
    memcpy(&any, addr, len);
    ((struct sockaddr_in *)&any)->sin_port = 0; /* same offset in sockaddr_in6 */
    for (int waited = 0;; waited++) {
        int fd = socket(addr->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return -1;
        int rc = bind(fd, (struct sockaddr *)&any, len);
        int err = errno;
        close(fd);
        if (rc == 0)
            return 0;
        if (err != EADDRNOTAVAIL || waited == 3000) {
            errno = err;
            return -1;
        }
        lab_pause_ms(1); /* paces the check; the bind above decides */
    }
}

/* A new link may still drop what the kernel sends: a veth's queue becomes
 * active only when the kernel's link watcher has seen its carrier (from a
 * work queue). Wait until the kernel answers through it: a SYN to port 9,
 * where nobody listens, draws an RST; sent again every 20 ms, for at most 3 s. */
static int wait_answered(const struct lab_rawlink *l, const struct sockaddr *kernel_addr,
                         const struct sockaddr *peer_addr)
{
    struct lab_seg syn, got;
    struct lab_endpoint k = {.len = 0}, p = {.len = 0};
    socklen_t len = kernel_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                       : sizeof(struct sockaddr_in);
    memcpy(&k.ss, kernel_addr, len);
    memcpy(&p.ss, peer_addr, len);
    k.len = p.len = len;
    lab_endpoint_set_port(&k, 9);
    lab_endpoint_set_port(&p, 9);
    lab_seg_init(&syn, &p, &k);
    syn.flags = LAB_TH_SYN;
    syn.win = 1024;
    unsigned char pkt[LAB_SEG_MAX];
    ssize_t n = lab_seg_build(&syn, pkt, sizeof pkt);
    if (n < 0)
        return -1;
    for (int tries = 0; tries < 150; tries++) {
        if (lab_rawlink_send(l, pkt, (size_t)n) < 0)
            return -1;
        ssize_t r;
        while ((r = lab_rawlink_recv(l, pkt + n, sizeof pkt - (size_t)n, 20)) >= 0)
            if (lab_seg_parse(pkt + n, (size_t)r, &got) == 1 && (got.flags & LAB_TH_RST) &&
                lab_endpoint_port(&got.dst) == 9)
                return 0;
        if (errno != ETIMEDOUT)
            return -1;
    }
    errno = ETIMEDOUT;
    return -1;
}

int lab_rawlink_open(struct lab_rawlink *l, int kind, const struct sockaddr *kernel_addr,
                     const struct sockaddr *peer_addr, int prefixlen, char *why, size_t whylen)
{
    memset(l, 0, sizeof *l);
    l->fd = -1;
    snprintf(l->ifname, sizeof l->ifname, "%s", LAB_RAWLINK_IFNAME);
    if (kernel_addr->sa_family != AF_INET && kernel_addr->sa_family != AF_INET6) {
        errno = EAFNOSUPPORT;
        return fail(why, whylen, "kernel address");
    }
    int ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (ctl < 0)
        return fail(why, whylen, "socket(AF_INET)");
    int rc = -1;
    char tun_why[160] = "";
    if (kind != LAB_RAWLINK_PACKET)
        rc = open_tun(l, tun_why, sizeof tun_why);
    if (rc < 0 && kind == LAB_RAWLINK_TUN)
        snprintf(why, whylen, "%s", tun_why);
    else if (rc < 0 && (rc = open_packet(l, ctl, why, whylen)) < 0 && tun_why[0]) {
        int err = errno;
        char packet_why[160];
        snprintf(packet_why, sizeof packet_why, "%s", why);
        snprintf(why, whylen, "%s; %s", tun_why, packet_why);
        errno = err;
    }
    if (rc == 0 && if_flags(ctl, LAB_RAWLINK_IFNAME, IFF_NOARP) < 0)
        rc = fail(why, whylen, "setting NOARP on " LAB_RAWLINK_IFNAME);
    if (rc == 0 && add_address(ctl, kernel_addr, prefixlen) < 0)
        rc = fail(why, whylen, "giving " LAB_RAWLINK_IFNAME " its address");
    if (rc == 0 && if_flags(ctl, LAB_RAWLINK_IFNAME, IFF_UP) < 0)
        rc = fail(why, whylen, "bringing " LAB_RAWLINK_IFNAME " up");
    if (rc == 0 && wait_usable(kernel_addr) < 0)
        rc = fail(why, whylen, "waiting for the address to leave \"tentative\"");
    if (rc == 0 && wait_answered(l, kernel_addr, peer_addr) < 0)
        rc = fail(why, whylen, "waiting for the kernel to answer through the link");
    int err = errno;
    close(ctl);
    if (rc < 0) {
        lab_rawlink_close(l);
        errno = err;
    }
    return rc;
}

int lab_rawlink_send(const struct lab_rawlink *l, const void *pkt, size_t len)
{
    ssize_t n;
    if (l->kind == LAB_RAWLINK_PACKET) {
        struct sockaddr_ll to = {
            .sll_family = AF_PACKET, .sll_ifindex = l->ifindex, .sll_halen = 6};
        to.sll_protocol =
            htons(len && ((const unsigned char *)pkt)[0] >> 4 == 6 ? ETH_P_IPV6 : ETH_P_IP);
        memcpy(to.sll_addr, l->mac, sizeof l->mac);
        n = sendto(l->fd, pkt, len, 0, (struct sockaddr *)&to, sizeof to);
    } else {
        n = write(l->fd, pkt, len);
    }
    if (n < 0)
        return -1;
    if ((size_t)n != len) {
        errno = EMSGSIZE;
        return -1;
    }
    return 0;
}

ssize_t lab_rawlink_recv(const struct lab_rawlink *l, void *buf, size_t cap, int timeout_ms)
{
    long long deadline = lab_now_ms() + timeout_ms;
    for (;;) {
        int ready = lab_wait_fd(l->fd, POLLIN, lab_ms_left(deadline));
        if (ready < 0)
            return -1;
        if (ready == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        if (l->kind != LAB_RAWLINK_PACKET)
            return read(l->fd, buf, cap);
        struct sockaddr_ll from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(l->fd, buf, cap, 0, (struct sockaddr *)&from, &fl);
        if (n < 0 || from.sll_pkttype != PACKET_OUTGOING)
            return n;
    }
}

void lab_rawlink_close(struct lab_rawlink *l)
{
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
}
#else
int lab_rawlink_open(struct lab_rawlink *l, int kind, const struct sockaddr *kernel_addr,
                     const struct sockaddr *peer_addr, int prefixlen, char *why, size_t whylen)
{
    (void)kind, (void)kernel_addr, (void)prefixlen;
    l->fd = -1;
    snprintf(why, whylen, "raw links exist only on Linux");
    errno = ENOSYS;
    return -1;
}

int lab_rawlink_send(const struct lab_rawlink *l, const void *pkt, size_t len)
{
    (void)l, (void)pkt, (void)len;
    errno = ENOSYS;
    return -1;
}

ssize_t lab_rawlink_recv(const struct lab_rawlink *l, void *buf, size_t cap, int timeout_ms)
{
    (void)l, (void)buf, (void)cap, (void)timeout_ms;
    errno = ENOSYS;
    return -1;
}

void lab_rawlink_close(struct lab_rawlink *l)
{
    l->fd = -1;
}
#endif

const char *lab_rawlink_kind_name(int kind)
{
    return kind == LAB_RAWLINK_TUN ? "TUN" : kind == LAB_RAWLINK_PACKET ? "veth+AF_PACKET" : "none";
}
