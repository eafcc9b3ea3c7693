/* udp-server's inside: its settings, how it answers a datagram (answers.c:
 * one rule per group of scenarios) and the loop that serves (serve.c). */
#ifndef UDP_SERVER_H
#define UDP_SERVER_H

#include <stddef.h>

#include "lab_cli.h"
#include "lab_endpoint.h"
#include "lab_narrate.h"
#include "scenarios.h"

/* The largest UDP payload (IPv6 without jumbograms: 65535 - 8; IPv4: 65507),
 * so that no datagram is cut; MSG_TRUNC would still tell a longer one's size. */
#define DATAGRAM_MAX 65527

/* Where the one answer to a datagram leaves from. */
enum answer_rule {
    ANSWER_ECHO,           /* the socket it came in on */
    ANSWER_FROM_SECOND,    /* the second socket, always */
    ANSWER_OTHER_IF_ASKED, /* the other socket for a datagram that says UDP_ASK_OTHER */
};

struct server {
    struct lab_cli cli;
    struct lab_narrator n;
    enum udp_scenario scenario;
    enum answer_rule rule;
    long count; /* stop after this many datagrams; 0 = no limit */
    int count_given, keep_serving;
    int other_port; /* the second socket's port; -1 = the first one's + 1 */
    struct lab_endpoint bind_ep;
    int fd, other_fd; /* other_fd is -1 when no second socket is open */
    int explained, explained_asked;
    long long window_start; /* this second of narration (lab_now_ms) */
    long shown, hidden;     /* datagrams narrated and only counted in it */
    long long hidden_bytes;
    char buf[DATAGRAM_MAX];
};

/* A datagram as recvfrom() handed it. */
struct datagram {
    const char *data;
    size_t len;
    struct lab_endpoint peer; /* its sender */
    int say;                  /* narrated, not only counted */
};

/* ---- answers.c ---- */

/* Send the one answer to d, which arrived on fd, by s->rule. */
void answer(struct server *s, int fd, const struct datagram *d);

/* Explain s->rule, once, at the start. */
void explain_rule(const struct server *s);

/* ---- serve.c ---- */

/* Answer datagrams until the scenario's exchange is over (s->count), or
 * --timeout passes without one, or the narration's reader leaves; the exit
 * status (1: none came at all). */
int serve(struct server *s);

#endif
