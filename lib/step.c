/* Steps read stdin one byte at a time: a driver script writes one line per
 * step, and buffering ahead would swallow the next step's line. */
#include "lab_step.h"

#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "lab_i18n.h"
#include "lab_sock.h"

void lab_step(const struct lab_narrator *n, int enabled, const char *what)
{
    static int stdin_closed;
    if (!enabled || stdin_closed)
        return;
    /* "step: " is a token the scripts answer; the prompt is the learner's. */
    char prompt[512];
    snprintf(prompt, sizeof prompt, lab_tr("press Enter to %s"), lab_tr(what));
    lab_say_raw(n, "step: %s", prompt);
    for (;;) {
        if (lab_wait_fd(STDIN_FILENO, POLLIN, LAB_STEP_MAX_WAIT_MS) <= 0) {
            lab_say(n, "no input at the step: going on");
            return;
        }
        char ch;
        ssize_t r = read(STDIN_FILENO, &ch, 1);
        if (r <= 0) {
            stdin_closed = 1;
            return;
        }
        if (ch == '\n')
            return;
    }
}
