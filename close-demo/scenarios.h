/* The close-demo scenarios: both ends take the same names, and each end
 * plays its own half of the same story (client/<name>.c, server/<name>.c). */
#ifndef CLOSE_DEMO_SCENARIOS_H
#define CLOSE_DEMO_SCENARIOS_H

#include <stddef.h>
#include <stdio.h>

#define CLOSE_DEMO_PORT 19001

/* Options that only some scenarios take: the others refuse them (they
 * would be silently ignored). */
enum {
    CLOSE_TAKES_BYTES = 1,       /* close-client --bytes */
    CLOSE_TAKES_HOLD = 2,        /* close-server --hold-ms */
    CLOSE_TAKES_FIN_TIMEOUT = 4, /* close-server --fin-timeout */
    CLOSE_TAKES_TW_REUSE = 8,    /* close-client --tw-reuse */
};

/* One scenario, as both ends know it. */
struct close_scenario {
    const char *name;
    /* The first bytes its client sends, different in each scenario: a server
     * tells at once that its client plays another one (it would otherwise
     * wait until --timeout for something that never comes). */
    const char *first;
    size_t first_len;
    unsigned takes;   /* CLOSE_TAKES_* */
    const char *help; /* for --help: what each end does, lines split by \n */
};

/* Every scenario, in --help order; the first is the default. */
extern const struct close_scenario close_scenarios[];
extern const size_t close_scenario_count;

/* Their names, NULL-terminated, in the same order (for lab_cli_finish). */
const char *const *close_scenario_names(void);

/* 0 if sc takes option (a CLOSE_TAKES_ bit); else -1 after the usage line
 * "prog: NAME has no use in scenario SC (only A and B WHAT)", naming the
 * scenarios that take it. */
int close_scenario_takes(const char *prog, const struct close_scenario *sc, unsigned option,
                         const char *name, const char *what);

/* The "Scenarios" block of both programs' --help. */
void close_scenarios_usage(FILE *out);

#endif
