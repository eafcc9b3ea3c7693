/* socklab-netns-run: run a command in a fresh private network namespace with
 * lo up, so tests can run in parallel on fixed ports and change sysctls.
 *
 *   socklab-netns-run COMMAND [ARG...]
 *
 * Exits 77 (ctest's "skipped") with the reason when no namespace can be made. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab_netns.h"

int main(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "usage: socklab-netns-run COMMAND [ARG...]\n");
        return 2;
    }
    char why[256];
    if (lab_netns_enter_private(why, sizeof why) < 0) {
        printf("SKIP: cannot make a private network namespace: %s\n", why);
        return 77;
    }
    execvp(argv[1], argv + 1);
    fprintf(stderr, "socklab-netns-run: cannot run '%s': %s\n", argv[1], strerror(errno));
    return 127;
}
