/* lab_parse: strict parsing of command-line numbers and ports. */
#ifndef LAB_PARSE_H
#define LAB_PARSE_H

#include <stdint.h>

/* Parse all of s as a decimal integer in [min, max]; 0, or -1 with errno EINVAL/ERANGE. */
int lab_parse_long(const char *s, long min, long max, long *out);

/* Parse all of s as a TCP/UDP port 0..65535; 0, or -1 with errno EINVAL/ERANGE. */
int lab_parse_port(const char *s, uint16_t *port);

#endif
