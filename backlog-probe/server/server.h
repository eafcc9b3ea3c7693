/* backlog-server's parts: its options and state (struct server), one file
 * per scenario (fill.c, drain.c, clamp.c, syn-queue.c, ack-overflow.c), and
 * what they share: the listener (listener.c) and the watch over its accept
 * queue until no client is left (watch.c). */
#ifndef BACKLOG_SERVER_H
#define BACKLOG_SERVER_H

#include "lab_cli.h"
#include "lab_endpoint.h"
#include "lab_narrate.h"

enum accept_mode { ACCEPT_NEVER, ACCEPT_ONE_AFTER, ACCEPT_ALL };

/* A sysctl the server changed for the run (put back at exit), said once the
 * listener is announced. */
struct sysctl_change {
    const char *name;
    long old_value, new_value;
    int hidden; /* not shown in this namespace (net.core before Linux 6.3): left alone */
};

#define SERVER_SYSCTLS 4 /* --somaxconn, --syncookies, --max-syn-backlog, --abort-on-overflow */

struct server {
    struct lab_cli cli;
    struct lab_narrator n;
    struct lab_endpoint ep; /* --bind with --port, resolved */
    long backlog;           /* --backlog: listen(fd, backlog) */
    int backlog_given;
    enum accept_mode accept; /* --accept */
    long accept_delay_ms;    /* one-after:MS */
    int accept_given;
    long defer_accept; /* --defer-accept: TCP_DEFER_ACCEPT seconds, -1 = not set */
    long somaxconn;    /* sysctl values to set, -1 = leave alone */
    long syncookies;
    long max_syn_backlog;
    long abort_on_overflow;

    struct sysctl_change changes[SERVER_SYSCTLS];
    int nchanges;
    struct lab_endpoint bound; /* the listener's address (with --port 0, the kernel's port) */
};

/* The scenarios: each plays the server's half; the exit status. */
int fill(struct server *s);
int drain(struct server *s);
int clamp(struct server *s);
int syn_queue(struct server *s);
int ack_overflow(struct server *s);

/* Change the sysctl options asked for, before anything else and only in a
 * private network namespace; each goes back when the program ends (also on
 * SIGINT, SIGTERM, SIGHUP). 0, or 2 after a usage line (the host's namespace);
 * a failed write ends the program. */
int server_change_sysctls(struct server *s);

/* The listener: socket(), SO_REUSEADDR, bind(), TCP_DEFER_ACCEPT when set,
 * listen(fd, backlog); then "listening on ADDR" (the first line) and what
 * the kernel made of the backlog. The fd; any failure ends the program. */
int server_listen(struct server *s);

/* "TCP_DEFER_ACCEPT N s: ..." when the listener has it. */
void server_say_defer_accept(const struct server *s);

/* The SYN-queue sysctls as they are in this namespace, one line each. */
void server_say_syn_sysctls(const struct server *s);

/* What a listener that never accepts shows: handshakes completed by the
 * kernel wait in the accept queue; past backlog+1 it drops the SYNs. */
void server_explain_accept_queue(const struct server *s);

/* Watch the accept queue (TCP_INFO on lfd), the kernel's counters and the
 * clients' connections (sock_diag), accepting as --accept says, until no
 * client connection to our port is left or --timeout bounds the run; then the
 * summary, and the listener is closed. The exit status: 0, or 1 on timeout. */
int server_watch(struct server *s, int lfd);

#endif
