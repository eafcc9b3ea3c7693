/* lab_endpoint: socket addresses (IPv4, IPv6, host names) parsed and printed. */
#ifndef LAB_ENDPOINT_H
#define LAB_ENDPOINT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* An address with its length, big enough for any family. */
struct lab_endpoint {
    struct sockaddr_storage ss;
    socklen_t len;
};

/* Room for "[ffff:...:ffff%ifname]:65535" and a terminating NUL. */
#define LAB_ENDPOINT_STRLEN 80

/* Resolve host (literal or name; NULL means loopback) and port for socktype
 * (SOCK_STREAM/SOCK_DGRAM) into out; 0, or -1 with a one-line reason in err,
 * in the learner's language (lab_tr). */
int lab_endpoint_resolve(const char *host, uint16_t port, int socktype, struct lab_endpoint *out,
                         char *err, size_t errlen);

/* Write "1.2.3.4:80" or "[::1]:80" (or "<family N>") into buf; returns buf. */
const char *lab_endpoint_format(const struct sockaddr *sa, char *buf, size_t buflen);

/* lab_endpoint_format of ep's address, for the many callers that hold a lab_endpoint. */
const char *lab_endpoint_str(const struct lab_endpoint *ep, char *buf, size_t buflen);

/* The port of an AF_INET/AF_INET6 address (host order), 0 for other families. */
uint16_t lab_endpoint_port(const struct lab_endpoint *ep);

/* Set the port of an AF_INET/AF_INET6 address. */
void lab_endpoint_set_port(struct lab_endpoint *ep, uint16_t port);

/* 1 if the address is loopback (127/8, ::1, ::ffff:127/104), else 0. */
int lab_endpoint_is_loopback(const struct lab_endpoint *ep);

/* 1 if a and b are the same family, address and port, else 0. */
int lab_endpoint_equal(const struct sockaddr *a, const struct sockaddr *b);

/* Fill ep with the fd's local (getsockname) address; 0 or -1 with errno. */
int lab_endpoint_local(int fd, struct lab_endpoint *ep);

/* Fill ep with the fd's peer (getpeername) address; 0 or -1 with errno. */
int lab_endpoint_peer(int fd, struct lab_endpoint *ep);

#endif
