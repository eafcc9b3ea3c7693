/* backlog-client's parts: its options and state (struct client), one file
 * per scenario (fill.c, drain.c, clamp.c, syn-queue.c, ack-overflow.c), each
 * playing the client's half of the backlog-server scenario of the same name,
 * and what they share: the connections and the fate of each (conns.c), the
 * outcome told at the end (outcome.c). */
#ifndef BACKLOG_CLIENT_H
#define BACKLOG_CLIENT_H

#include <poll.h>
#include <stddef.h>

#include "lab_cli.h"
#include "lab_endpoint.h"
#include "lab_narrate.h"
#include "probe.h"

#define SETTLE_MS 25 /* quiet period after which no more handshakes are coming */

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
    int fd; /* -1 if none */
    enum fate fate;
    int err;
    long long started_ms, done_ms;
};

struct client {
    struct lab_cli cli;
    struct lab_narrator n;
    struct lab_endpoint server; /* --host with --port, resolved */
    long connections;           /* --connections; 0 = the scenario's preset */
    long deadline_ms;           /* --deadline; 0 = the scenario's preset */
    int send;                   /* --send */

    char addr[LAB_ENDPOINT_STRLEN]; /* the server's address, printable */
    long backlog;                   /* the listener's, from sock_diag; -1 = not seen */
    int backlog_err;                /* why not (errno) */
    struct conn *conns;             /* connections[m] */
    long m;
    struct pollfd *pfd; /* m of each, for one poll() over the pending ones */
    long *idx;
    unsigned long long base[PROBE_NCOUNTERS]; /* the counters at the start */
    long long t0, stepped_ms;                 /* the run's start; time spent at --step prompts */
    long long elapsed_ms;                     /* the run, without the prompts */
    int status;                               /* exit status so far */
};

/* The scenarios: each plays the client's half and tells the outcome; the
 * exit status. */
int fill(struct client *c);
int drain(struct client *c);
int clamp(struct client *c);
int syn_queue(struct client *c);
int ack_overflow(struct client *c);

/* conns.c: opening the connections and following each one's handshake. */

/* The connect phase of fill and the scenarios built on it. */
struct round {
    long long t0, deadline, now, last_progress;
    unsigned long long drops0; /* ListenDrops at the start */
    long pending;
};

/* lab_step, with the wait for Enter kept out of every clock of the run; what
 * is an English msgid (N_() where it is written), said translated. */
void client_step(struct client *c, const char *what);

/* socket() and a non-blocking connect() for every connection, at once (after
 * --step): the connect phase starts, bounded by --deadline. */
void connect_all(struct client *c, struct round *r);

/* One poll() over the pending connects (5 ms): 1 to go on, 0 once none is
 * pending or the deadline has passed (said). */
int round_poll(struct client *c, struct round *r);

/* Poll until no more handshakes complete; "after N ms: ..." and the number
 * completed, or -1 if the phase ended first (all done, or the deadline). */
long first_round(struct client *c, struct round *r);

/* The connect phase is over: its time (steps not counted), --send's note,
 * and which completed connections the server holds only as requests. */
void end_round(struct client *c);

/* A non-blocking connect() on c's new socket; 0 (done or in progress), or
 * -1 with the fate and errno in c. */
int open_conn(struct conn *c, const struct lab_endpoint *server);

/* The fate of a connection whose connect() poll() reported finished. */
void finish_conn(struct conn *c, int send_byte);

long count_fate(const struct client *c, enum fate f);

/* What became of one connection, for a line of its own. */
const char *fate_text(const struct conn *c, char *buf, size_t len);

/* outcome.c: telling what the queue did. */

/* The listener's backlog as sock_diag reports it (ss's Send-Q), when it is in
 * our network namespace; -1 (errno ENOENT if not found). Its queue length
 * into *queued when not NULL. */
long listener_backlog(const struct lab_endpoint *server, long *queued);

/* Each connection's fate, the summary, and the server's side of them: 1, or
 * 0 when every connect() was refused (nothing listens: said, exit status 1). */
int report_outcome(struct client *c);

/* The lesson of fill, drain and clamp: the queue held backlog+1. */
void explain_accept_queue(struct client *c);

/* The end of every scenario: the counters, every connection closed with
 * RST, the peak memory; the exit status. */
int client_finish(struct client *c);

#endif
