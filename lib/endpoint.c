/* Endpoints: every program prints and parses addresses the same way, so a
 * learner can paste what one side printed into the other side's options. */
#include "lab_endpoint.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "lab_i18n.h"

int lab_endpoint_resolve(const char *host, uint16_t port, int socktype, struct lab_endpoint *out,
                         char *err, size_t errlen)
{
    if (host == NULL)
        host = "127.0.0.1";
    /* Accept the bracketed form that lab_endpoint_format prints: "[::1]". */
    char literal[256];
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']' && hl - 2 < sizeof literal) {
        memcpy(literal, host + 1, hl - 2);
        literal[hl - 2] = '\0';
        host = literal;
    }
    if (*host == '\0') {
        snprintf(err, errlen, "%s", lab_tr("empty address"));
        return -1;
    }

    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = socktype;
    hints.ai_flags = AI_NUMERICSERV;
    /* Digits and dots are an IPv4 address, never a host name: a bad one
     * ("300.1.1.1") must not become a DNS query and its slow, misleading
     * answer. A colon makes an IPv6 literal, for the same reason. */
    struct in_addr v4;
    if (strspn(host, "0123456789.") == strlen(host) && inet_pton(AF_INET, host, &v4) != 1) {
        snprintf(err, errlen,
                 lab_tr("bad address '%s' (not an IPv4 address: want four numbers from 0 to "
                        "255, like 127.0.0.1)"),
                 host);
        return -1;
    }
    if (strchr(host, ':') != NULL)
        hints.ai_flags |= AI_NUMERICHOST;
    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)port);

    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0 && (hints.ai_flags & AI_NUMERICHOST)) {
        snprintf(err, errlen, lab_tr("bad address '%s' (not an IPv6 address)"), host);
        return -1;
    }
    if (rc != 0) {
        snprintf(err, errlen, lab_tr("bad address '%s' (%s)"), host, gai_strerror(rc));
        return -1;
    }
    memset(out, 0, sizeof *out);
    memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
    out->len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

const char *lab_endpoint_format(const struct sockaddr *sa, char *buf, size_t buflen)
{
    char ip[INET6_ADDRSTRLEN];
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
        snprintf(buf, buflen, "%s:%u", ip, (unsigned)ntohs(in->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
        snprintf(buf, buflen, "[%s]:%u", ip, (unsigned)ntohs(in6->sin6_port));
    } else if (sa->sa_family == AF_UNSPEC) {
        snprintf(buf, buflen, "AF_UNSPEC");
    } else {
        snprintf(buf, buflen, "<family %d>", (int)sa->sa_family);
    }
    return buf;
}

const char *lab_endpoint_str(const struct lab_endpoint *ep, char *buf, size_t buflen)
{
    return lab_endpoint_format((const struct sockaddr *)&ep->ss, buf, buflen);
}

uint16_t lab_endpoint_port(const struct lab_endpoint *ep)
{
    if (ep->ss.ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)(const void *)&ep->ss)->sin_port);
    if (ep->ss.ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)(const void *)&ep->ss)->sin6_port);
    return 0;
}

void lab_endpoint_set_port(struct lab_endpoint *ep, uint16_t port)
{
    if (ep->ss.ss_family == AF_INET)
        ((struct sockaddr_in *)(void *)&ep->ss)->sin_port = htons(port);
    else if (ep->ss.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)(void *)&ep->ss)->sin6_port = htons(port);
}

int lab_endpoint_is_loopback(const struct lab_endpoint *ep)
{
    if (ep->ss.ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)&ep->ss;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (ep->ss.ss_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)&ep->ss)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a))
            return 1;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return 0;
}

int lab_endpoint_equal(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return 0;
    if (a->sa_family == AF_INET) {
        const struct sockaddr_in *x = (const struct sockaddr_in *)(const void *)a;
        const struct sockaddr_in *y = (const struct sockaddr_in *)(const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (a->sa_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)(const void *)a;
        const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)(const void *)b;
        return x->sin6_port == y->sin6_port &&
               memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
    }
    return 0;
}

int lab_endpoint_local(int fd, struct lab_endpoint *ep)
{
    memset(ep, 0, sizeof *ep);
    ep->len = sizeof ep->ss;
    return getsockname(fd, (struct sockaddr *)&ep->ss, &ep->len);
}

int lab_endpoint_peer(int fd, struct lab_endpoint *ep)
{
    memset(ep, 0, sizeof *ep);
    ep->len = sizeof ep->ss;
    return getpeername(fd, (struct sockaddr *)&ep->ss, &ep->len);
}
