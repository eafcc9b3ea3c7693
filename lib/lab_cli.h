/* lab_cli: the options every socklab program shares, parsed one way, with
 * one-line errors. Programs exit 2 when these return -1. */
#ifndef LAB_CLI_H
#define LAB_CLI_H

#include <getopt.h>
#include <stdint.h>

#include "lab_endpoint.h"

/* Long-option values that have no short letter. */
enum { LAB_OPT_STEP = 1000, LAB_OPT_FIRST_PRIVATE = 1100 };

/* clang-format off */
/* Options shared by all six programs; add "host"/'H' (clients) or "bind"/'b' (servers). */
#define LAB_CLI_COMMON_OPTIONS                                                           \
    {"help", no_argument, NULL, 'h'}, {"quiet", no_argument, NULL, 'q'},                 \
        {"step", no_argument, NULL, LAB_OPT_STEP},                                       \
        {"timeout", required_argument, NULL, 't'},                                       \
        {"port", required_argument, NULL, 'p'},                                          \
        {"scenario", required_argument, NULL, 's'}
/* clang-format on */

struct lab_cli {
    const char *prog;     /* name used in error lines */
    const char *host;     /* --host / --bind, NULL = default */
    uint16_t port;        /* --port */
    int port_given;       /* --port was given (even with the default) */
    int timeout_ms;       /* --timeout: bound on every wait */
    int quiet;            /* --quiet */
    int step;             /* --step */
    int help;             /* --help */
    const char *scenario; /* --scenario, NULL = default */
    int client;           /* takes --host (set by lab_cli_next): port 0 is then an error */
};

/* The first call of every program's main, before anything may open a file or
 * socket: opens /dev/null on any of fds 0, 1 and 2 that is closed (else the
 * first socket would become stdout and the narration would go to the peer),
 * ignores SIGPIPE (a peer or a reader that went away is then an EPIPE, not a
 * death) and chooses the learner's language (lab_i18n_init). 0, or -1 with
 * errno. */
int lab_prog_init(void);

/* Initialise with the program name, its default port and wait bound. */
void lab_cli_init(struct lab_cli *c, const char *prog, uint16_t port, int timeout_ms);

/* getopt_long with the common options handled (-H/-b only if longopts has them): 1 with
 * the program's own option in *opt, 0 at the end, -1 (errno EINVAL) after one line
 * (an unknown, ambiguous or misused option is named as the user wrote it). */
int lab_cli_next(struct lab_cli *c, int argc, char *const argv[], const struct option *longopts,
                 int *opt);

/* Print the --help lines of --quiet and --help, the same in every program,
 * with their descriptions from column (counted from 0) on, on stdout. */
void lab_cli_usage_quiet_help(int column);

/* Print "prog: message (try --help)" on stderr as one line, the format (an
 * English msgid) translated first (lab_tr); returns 2, the usage exit code. */
int lab_usage_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse an integer option value in [min,max] (decimal digits, with '-' for a
 * negative number: no '+', no spaces); 0, or -1 after printing one line. */
int lab_cli_long(const char *prog, const char *option, const char *arg, long min, long max,
                 long *out);

/* Parse a port option value (digits only) in [min,65535]; 0, or -1 after printing one line. */
int lab_cli_port(const char *prog, const char *option, const char *arg, long min, uint16_t *port);

/* Index of name in the NULL-terminated names, or -1 after printing one line. */
int lab_cli_scenario(const char *prog, const char *const names[], const char *name);

/* After the options: reject leftover arguments, look up the scenario (index into
 * *scenario, 0 when none given), reject port 0 for a client, and resolve
 * --host/--bind with the port into ep for socktype. 0, or -1 after printing
 * one line. With --help, only returns 0. */
int lab_cli_finish(struct lab_cli *c, int argc, char *const argv[], const char *const scenarios[],
                   int *scenario, int socktype, struct lab_endpoint *ep);

/* Report an option opt (as getopt_long returned it) that the program does not handle; -1. */
int lab_cli_unknown(const struct lab_cli *c, int opt, char *const argv[]);

#endif
