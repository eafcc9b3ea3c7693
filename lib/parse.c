/* Strict number parsing: "12x", "", " 5", "1e3" and overflow are all rejected,
 * because a lab that silently turns "--port 8o80" into 8 teaches nothing. */
#include "lab_parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

int lab_parse_long(const char *s, long min, long max, long *out)
{
    if (s == NULL || *s == '\0' || isspace((unsigned char)*s)) {
        errno = EINVAL;
        return -1;
    }
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end != '\0') {
        errno = EINVAL;
        return -1;
    }
    if (errno == ERANGE || v < min || v > max) {
        errno = ERANGE;
        return -1;
    }
    *out = v;
    return 0;
}

int lab_parse_port(const char *s, uint16_t *port)
{
    long v;
    if (s != NULL && *s == '-') { /* "-1" is not a port, not an out-of-range one */
        errno = EINVAL;
        return -1;
    }
    if (lab_parse_long(s, 0, 65535, &v) < 0)
        return -1;
    *port = (uint16_t)v;
    return 0;
}
