/* lab_narrate: one line per event (elapsed time, role, what happened,
 * state=/errno=), indented explanations, colour only where it helps. */
#ifndef LAB_NARRATE_H
#define LAB_NARRATE_H

#include <stddef.h>
#include <stdio.h>

struct lab_narrator {
    const char *role;   /* "client", "server" */
    int quiet;          /* drop explanations */
    int color;          /* ANSI colour on */
    long long start_us; /* monotonic time of lab_narrator_init */
    int wall;           /* time column: wall-clock time of day, not seconds since start */
    FILE *out;
};

/* Start the clock; colour only if out is a TTY and NO_COLOR is unset; line-buffer out.
 * The time column is the time of day (HH:MM:SS.mmm) on a TTY, so two programs in
 * two terminals share one clock, and seconds since start elsewhere (scripts merge
 * those); SOCKLAB_CLOCK=wall or =run chooses either. */
void lab_narrator_init(struct lab_narrator *n, const char *role, int quiet, FILE *out);

/* Print one event line: "  0.012 server  <text>"; state=/errno= words are
 * highlighted. The format (an English msgid) is translated (lab_tr) first,
 * as are those of lab_explain and lab_say_errno. */
void lab_say(const struct lab_narrator *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* lab_say, but the format is not looked up in the catalog: its text was
 * translated already, or it holds only tokens (state=, errno=). */
void lab_say_raw(const struct lab_narrator *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print an indented explanation under the last event, unless quiet. */
void lab_explain(const struct lab_narrator *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print an event line for a failed call: "<text>  errno=NAME (strerror)". */
void lab_say_errno(const struct lab_narrator *n, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Symbolic name of an errno value ("ECONNRESET"), or "E<number>" if unknown. */
const char *lab_errno_name(int err);

/* Escape bytes from the network into printable ASCII (\n, \xNN); returns out,
 * always NUL-terminated, truncated with "..." when outlen is too small. */
const char *lab_escape(const void *data, size_t len, char *out, size_t outlen);

#endif
