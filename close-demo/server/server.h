/* The server end of close-demo: its state and the steps its scenarios share.
 * A step returns only when it went as the scenario expects; otherwise it has
 * narrated why and ended the program (lab_fail: exit 1), so a scenario reads
 * as its socket calls, top-down. */
#ifndef CLOSE_DEMO_SERVER_H
#define CLOSE_DEMO_SERVER_H

#include <stddef.h>

#include "lab_cli.h"
#include "lab_endpoint.h"
#include "lab_narrate.h"
#include "scenarios.h"

struct server {
    struct lab_cli cli;
    struct lab_narrator n;
    const struct close_scenario *sc; /* the scenario both ends play */
    int hold_ms;                     /* --hold-ms: how long to sit in CLOSE_WAIT */
    int reuseaddr;                   /* --reuseaddr, on the listener */
    struct lab_endpoint bind_ep;     /* --bind, --port; then the address we got */
    int listener;                    /* -1 once closed */
    int conn;                        /* the accepted connection, -1 once closed */
    size_t first_seen;     /* how many of the client's first bytes matched its scenario's */
    long fin_timeout;      /* --fin-timeout, s; then the value in force */
    int fin_timeout_given; /* --fin-timeout was on the command line */
    long fin_timeout_old;  /* tcp_fin_timeout before our change (refused: what we asked) */
    int fin_timeout_err;   /* 0 changed; -1 the host's namespace; else errno */
    long tw_buckets_old;   /* no-time-wait: tcp_max_tw_buckets before our change */
};

/* accept() within --timeout and narrate it: the connection's fd, or -1 when
 * the reader of our narration has gone (a clean end; nothing said). */
int accept_one(struct server *s);

/* The client's first bytes tell which scenario it plays: while they fit ours,
 * nothing happens; else say which one it seems to run, reset the connection
 * (so that the client stops at once too) and end the program. */
void check_client(struct server *s, const char *buf, size_t len);

/* Read and narrate until EOF, or until the client's reset (narrated as the
 * read() that failed with ECONNRESET), all within one --timeout. */
void read_to_eof(struct server *s);
void read_to_reset(struct server *s);

/* Before listen(): set net.ipv4.tcp_fin_timeout to --fin-timeout, only in a
 * private network namespace and put back at exit; elsewhere (or if the kernel
 * refuses) keep the kernel's value. 0, or 2 (the exit code) after a usage line when
 * --fin-timeout cannot be honoured or the wait would exceed --timeout.
 * say_fin_timeout narrates which it was. */
int set_fin_timeout(struct server *s);
void say_fin_timeout(const struct server *s);

/* Sit in CLOSE_WAIT for --hold-ms, saying what the client goes through meanwhile. */
void hold_in_close_wait(const struct server *s);

/* Read and narrate the client's first bytes (queued already, or within
 * --timeout); EOF before them ends the program, naming eof_what. */
void read_first_bytes(struct server *s, const char *eof_what);

/* Hear nothing from now on: a drop-all socket filter on the connection
 * (SO_ATTACH_FILTER), narrated; the caller says what will be lost. */
void go_deaf(struct server *s);

/* close() as the passive closer, and report what sock_diag still shows. */
void passive_close(struct server *s);

/* The scenarios, one per file named after it (server/half-close.c: half_close),
 * as on the client: 0, or 1 when the kernel did something else (narrated). */
int graceful(struct server *s);
int half_close(struct server *s);
int server_first(struct server *s);
int unread_data(struct server *s);
int linger0(struct server *s);
int close_wait_leak(struct server *s);
int reconnect(struct server *s);
int large_transfer(struct server *s);
int write_after_close(struct server *s);
int fin_timeout(struct server *s);
int lost_ack(struct server *s);
int no_time_wait(struct server *s);
int tw_reuse(struct server *s);
int simultaneous_close(struct server *s);

/* no-time-wait, before listen(): net.ipv4.tcp_max_tw_buckets = 0, only in a
 * private network namespace, put back at exit; 0, or 2 after a usage line. */
int no_time_wait_before_listen(struct server *s);

#endif
