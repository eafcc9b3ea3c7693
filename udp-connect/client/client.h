/* udp-client's inside: the settings every scenario reads, the scenarios (one
 * file each in client/, named after them), and the narrated calls they are
 * written with (calls.c). A call that fails where the story expects it to
 * work ends the program (lab_fail_errno), so a scenario reads as its story. */
#ifndef UDP_CLIENT_H
#define UDP_CLIENT_H

#include <stdint.h>
#include <sys/types.h>

#include "lab_cli.h"
#include "lab_endpoint.h"
#include "lab_narrate.h"
#include "scenarios.h"

struct client {
    struct lab_cli cli;
    struct lab_narrator n;
    enum udp_scenario scenario;
    int family;                 /* the server's: AF_INET or AF_INET6 */
    struct lab_endpoint server; /* --host, --port */
    struct lab_endpoint second; /* --host, --second-port: the server's second socket */
    int ttl;                    /* ttl: --ttl */
    long bench_count;           /* bench: --count */
    int rounds;                 /* bench: --rounds */
};

/* The scenarios; each returns only when the kernel did what it teaches. */
void echo_unconnected(const struct client *c);
void echo_connected(const struct client *c);
void refused_unconnected(const struct client *c);
void refused_connected(const struct client *c);
void recverr(const struct client *c);
void reconnect(const struct client *c);
void disconnect(const struct client *c);
void filter(const struct client *c);
void ttl(const struct client *c);
void bench(const struct client *c);

/* ---- calls.c: each narrates what the kernel said ---------------------- */

/* A new UDP socket of the server's family. */
int new_socket(const struct client *c);

/* close(fd). */
void close_socket(const struct client *c, int fd);

/* "getsockname() -> ADDR<note>"; note ("" or " (why)") is an N_() text. */
void say_local(const struct client *c, int fd, const char *note);

/* "getpeername() -> ADDR". */
void say_peer(const struct client *c, int fd);

/* connect(fd, to): "connect(ADDR) -> 0 in N ms". */
void connect_to(const struct client *c, int fd, const struct lab_endpoint *to);

/* A new socket connected to to, its peer narrated. */
int connected_socket(const struct client *c, const struct lab_endpoint *to);

/* send() (to == NULL) or sendto(to) of the text msg. */
void send_text(const struct client *c, int fd, const char *msg, const struct lab_endpoint *to);

/* send_text for a send whose failure the scenario shows: 0, or -1 with errno
 * (narrated "-> -1  errno=NAME"). */
int try_send_text(const struct client *c, int fd, const char *msg, const struct lab_endpoint *to);

/* One datagram within timeout_ms, its sender into *from if non-NULL: bytes,
 * or -1 with errno ETIMEDOUT (nothing came) or ECONNREFUSED (an ICMP error was
 * pending), both narrated; any other failure ends the program. */
ssize_t recv_datagram(const struct client *c, int fd, struct lab_endpoint *from, int timeout_ms);

/* recv_datagram for a reply that must come within --timeout; when none does,
 * "unexpected: <silence>" (an N_() text) ends the program. */
void recv_reply(const struct client *c, int fd, struct lab_endpoint *from, const char *silence);

/* The client's family's counter group/field ("Udp", "NoPorts"). */
unsigned long long counter(const struct client *c, const char *group, const char *field);

/* Poll that counter until it passes before (1) or timeout_ms passes (0);
 * with fd >= 0, also 0 as soon as fd is readable. */
int counter_rises(const struct client *c, const char *group, const char *field,
                  unsigned long long before, int timeout_ms, int fd);

/* The server sent fd a datagram from another port than fd's peer (Udp
 * NoPorts stood at noports before): show that fd never gets it (what, an
 * N_() text, names that datagram). */
void expect_filtered(const struct client *c, int fd, unsigned long long noports, const char *what);

/* A target in *to where nothing listens (--port, or a port the kernel just
 * gave out and we closed again) and a new socket to send there. */
int socket_for_closed_port(const struct client *c, struct lab_endpoint *to);

/* IP_RECVERR / IPV6_RECVERR on. */
void recverr_on(const struct client *c, int fd);

/* ---- errqueue.c: the ICMP errors this lab names ---------------------- */

enum icmp_kind { ICMP_OTHER, ICMP_PORT_UNREACHABLE, ICMP_TIME_EXCEEDED };

/* Read and narrate one entry of fd's error queue (offender into *offender if
 * non-NULL); its kind. */
enum icmp_kind read_error_queue(const struct client *c, int fd, struct lab_endpoint *offender);

/* ep's address without the port ("10.0.1.2", "fd00::2"), into buf of
 * LAB_ENDPOINT_STRLEN bytes: the sender of an ICMP error has no port. */
const char *format_addr(const struct lab_endpoint *ep, char *buf);

#endif
