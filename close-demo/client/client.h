/* The client end of close-demo: its state and the steps its scenarios share.
 * A step returns only when it went as the scenario expects; otherwise it has
 * narrated why and ended the program (lab_fail: exit 1), so a scenario reads
 * as its socket calls, top-down. */
#ifndef CLOSE_DEMO_CLIENT_H
#define CLOSE_DEMO_CLIENT_H

#include <sys/types.h>

#include "lab_cli.h"
#include "lab_diag.h"
#include "lab_endpoint.h"
#include "lab_narrate.h"
#include "scenarios.h"

struct client {
    struct lab_cli cli;
    struct lab_narrator n;
    const struct close_scenario *sc; /* the scenario both ends play */
    long bytes;                      /* --bytes: what large-transfer sends */
    struct lab_endpoint server;      /* --host, --port */
    int fd;                          /* the connection, -1 once closed */
    long tw_reuse;                   /* --tw-reuse: net.ipv4.tcp_tw_reuse for tw-reuse */
};

/* write() all of text (or the scenario's first bytes) and narrate it. */
void send_text(const struct client *c, const char *text);
void send_first(const struct client *c);

/* One narrated read() by deadline: bytes, 0 at EOF, -1 with errno. */
ssize_t read_once(const struct client *c, long long deadline);

/* read_once, where a failed read() ends the program: bytes or 0 at EOF. */
size_t read_some(const struct client *c, long long deadline);

/* close() as the active closer, then follow the connection to TIME_WAIT. */
void active_close(struct client *c);

/* close() as the active closer and wait, quietly, for TIME_WAIT: local and
 * peer name the connection, *tw is its TIME_WAIT (with its timer); any other
 * end is narrated and ends the program. */
void close_to_time_wait(struct client *c, struct lab_endpoint *local, struct lab_endpoint *peer,
                        struct lab_conn *tw);

/* The scenarios, one per file named after it (client/half-close.c: half_close),
 * as on the server: 0, or 1 when the kernel did something else (narrated). */
int graceful(struct client *c);
int half_close(struct client *c);
int server_first(struct client *c);
int unread_data(struct client *c);
int linger0(struct client *c);
int close_wait_leak(struct client *c);
int reconnect(struct client *c);
int large_transfer(struct client *c);
int write_after_close(struct client *c);
int fin_timeout(struct client *c);
int lost_ack(struct client *c);
int no_time_wait(struct client *c);
int tw_reuse(struct client *c);
int simultaneous_close(struct client *c);

/* tw-reuse, before connect(): one ephemeral port and --tw-reuse, only in a
 * private network namespace, put back at exit; 0, or 2 after a usage line. */
int tw_reuse_before_connect(struct client *c);

#endif
