/* lab_step: --step pacing, so a learner (or a script) can look at the kernel
 * between two state-changing calls. */
#ifndef LAB_STEP_H
#define LAB_STEP_H

#include "lab_narrate.h"

/* Longest a step waits for its line; after that the program goes on. */
#define LAB_STEP_MAX_WAIT_MS (10 * 60 * 1000)

/* If enabled, narrate "step: press Enter to <what>" (the prompt and what,
 * an English msgid, in the learner's language after the "step: " token)
 * and wait for one line on stdin (bounded; EOF means go on without further
 * waits); no-op otherwise. */
void lab_step(const struct lab_narrator *n, int enabled, const char *what);

#endif
