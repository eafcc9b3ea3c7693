/* The close-demo scenarios: both ends take the same names, and each end
 * plays its own half of the same story (client/<name>.c, server/<name>.c). */
#ifndef CLOSE_DEMO_SCENARIOS_H
#define CLOSE_DEMO_SCENARIOS_H

#include <stddef.h>
#include <stdio.h>

#define CLOSE_DEMO_PORT 19001

/* One scenario, as both ends know it. */
struct close_scenario {
    const char *name;
    /* The first bytes its client sends, different in each scenario: a server
     * tells at once that its client plays another one (it would otherwise
     * wait until --timeout for something that never comes). */
    const char *first;
    size_t first_len;
    const char *help; /* for --help: what each end does, lines split by \n */
};

/* Every scenario, in --help order; the first is the default. */
extern const struct close_scenario close_scenarios[];
extern const size_t close_scenario_count;

/* Their names, NULL-terminated, in the same order (for lab_cli_finish). */
const char *const *close_scenario_names(void);

/* The "Scenarios" block of both programs' --help. */
void close_scenarios_usage(FILE *out);

#endif
