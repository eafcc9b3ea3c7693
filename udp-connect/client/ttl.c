/* ttl (C7): IP_TTL takes 1..255 and -1 (the system default), 0 and 256 are
 * EINVAL (IPV6_UNICAST_HOPS also takes 0); a datagram sent with --ttl and
 * IP_RECVERR either arrives (no router in between: the server answers) or a
 * router that takes the TTL to 0 sends ICMP time exceeded, which only the
 * error queue reports.
 *
 *   udp-server --scenario ttl
 *   udp-client --scenario ttl --ttl 1   (aim --host some hops away to see
 *                                        time exceeded; claim.C7.time-exceeded
 *                                        and scripts/ttl-hops.sh build routers)
 */
#include <errno.h>
#include <poll.h>

#include "client.h"
#include "lab_fail.h"
#include "lab_i18n.h"
#include "lab_sock.h"
#include "lab_step.h"
#include "lab_ttl.h"

/* What the field is called in narration, in the learner's language. */
static const char *ttl_word(int family)
{
    return family == AF_INET6 ? lab_tr("hop limit") : "TTL";
}

/* The values the kernel accepts, tried on a scratch socket. */
static void ttl_limits(const struct client *c)
{
    const char *opt = lab_ttl_option(c->family);
    int v6 = c->family == AF_INET6;
    int fd = new_socket(c);
    static const int probes[] = {0, 256, 255, -1};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        int v = probes[i], got;
        int rc = lab_ttl_set(fd, c->family, v);
        int err = errno;
        if (rc < 0) {
            lab_say_errno(&c->n, err, "setsockopt(%s, %d) -> -1", opt, v);
        } else {
            if (lab_ttl_get(fd, c->family, &got) < 0)
                lab_fail_errno(&c->n, errno, "getsockopt(%s)", opt);
            lab_say(&c->n, "setsockopt(%s, %d) -> 0, getsockopt() reads %d%s", opt, v, got,
                    v == -1 ? lab_tr(" (the system default)") : "");
        }
        int want_ok = v == 255 || v == -1 || (v == 0 && v6);
        if ((rc == 0) != want_ok || (rc < 0 && err != EINVAL))
            lab_fail(&c->n, "the kernel's TTL range differs from what this lab teaches");
    }
    close_socket(c, fd);
    lab_explain(&c->n, "The TTL field is 8 bits: 255 is the largest. -1 means 'the system");
    if (v6) {
        lab_explain(&c->n, "default'. IPv6 also takes 0 (a hop limit of 0 still leaves this");
        lab_explain(&c->n, "host; the first router discards it), IPv4 refuses 0.");
    } else {
        lab_explain(&c->n, "default' (net.ipv4.ip_default_ttl); 0 and 256 are EINVAL.");
    }
}

/* The probe came back as an error: say which. */
static void say_icmp(const struct client *c, int fd)
{
    struct lab_endpoint off;
    char o[LAB_ENDPOINT_STRLEN];
    enum icmp_kind kind = read_error_queue(c, fd, &off);
    if (kind == ICMP_TIME_EXCEEDED) {
        lab_say(&c->n, "time exceeded from %s: the datagram ran out of hops with %s %d",
                format_addr(&off, o), ttl_word(c->family), c->ttl);
        lab_explain(&c->n, "Each router decrements the TTL; the one that takes it to 0");
        lab_explain(&c->n, "discards the datagram and sends ICMP time exceeded back.");
    } else if (kind == ICMP_PORT_UNREACHABLE) {
        lab_say(&c->n, "delivered with %s %d, but nothing listens on that port",
                ttl_word(c->family), c->ttl);
    }
}

void ttl(const struct client *c)
{
    ttl_limits(c);
    int fd = new_socket(c);
    lab_step(&c->n, c->cli.step, "setsockopt(TTL)");
    if (lab_ttl_set(fd, c->family, c->ttl) < 0)
        lab_fail_errno(&c->n, errno, "setsockopt(TTL)");
    lab_say_raw(&c->n, "setsockopt(%s, %d) -> 0", lab_ttl_option(c->family), c->ttl);
    recverr_on(c, fd);
    lab_explain(&c->n, "ICMP time exceeded is a 'soft' error: without IP_RECVERR the kernel");
    lab_explain(&c->n, "tells no UDP socket about it, connected or not.");
    send_text(c, fd, "ttl probe", &c->server);
    int ready = lab_wait_fd(fd, POLLIN, c->cli.timeout_ms);
    if (ready < 0)
        lab_fail_errno(&c->n, errno, "poll()");
    if (ready == 0) {
        lab_say(&c->n, "nothing came back within %d ms: no reply, no ICMP error",
                c->cli.timeout_ms);
        lab_fail(&c->n, "silence (a firewall dropping the datagram or the ICMP?)");
    }
    struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, 0) < 0)
        lab_fail_errno(&c->n, errno, "poll()");
    if (p.revents & POLLERR) {
        say_icmp(c, fd);
    } else {
        recv_reply(c, fd, NULL, N_("the probe's answer went missing"));
        lab_say(&c->n, "delivered with %s %d: the server answered", ttl_word(c->family), c->ttl);
        lab_explain(&c->n, "Only routers decrement the TTL, and this one lasted past every router");
        lab_explain(&c->n,
                    "on the way. Loopback (or one link) has none: there even TTL 1 arrives.");
        lab_explain(&c->n, "To see it run out, aim --host at a machine some hops away, or run");
        lab_explain(&c->n, "scripts/ttl-hops.sh, which builds two routers between two namespaces.");
    }
    close_socket(c, fd);
}
