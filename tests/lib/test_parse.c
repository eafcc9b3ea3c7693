/* unit.lib.parse: lab_parse_long and lab_parse_port accept exactly a whole
 * decimal number in range and say why they reject anything else. */
#include <limits.h>
#include <stdint.h>

#include "check.h"
#include "lab_parse.h"

static void long_ok(const char *s, long min, long max, long want)
{
    long v = want ^ 1; /* anything but want, to see it written */
    errno = 0;
    int rc = lab_parse_long(s, min, max, &v);
    CHECK(rc == 0 && v == want, "'%s' in [%ld,%ld]: rc=%d v=%ld errno=%s, want %ld", s, min, max,
          rc, v, lab_errno_name(errno), want);
}

static void long_bad(const char *s, long min, long max, int want_errno)
{
    long v = 4242;
    CHECK_ERRNO(lab_parse_long(s, min, max, &v), want_errno);
    CHECK(v == 4242, "'%s': output written on failure (%ld)", s, v);
}

static void port_ok(const char *s, uint16_t want)
{
    uint16_t p = (uint16_t)(want ^ 1);
    CHECK(lab_parse_port(s, &p) == 0 && p == want, "port '%s': got %u, want %u", s, (unsigned)p,
          (unsigned)want);
}

static void port_bad(const char *s, int want_errno)
{
    uint16_t p = 4242;
    CHECK_ERRNO(lab_parse_port(s, &p), want_errno);
    CHECK(p == 4242, "port '%s': output written on failure (%u)", s ? s : "(null)", (unsigned)p);
}

int main(void)
{
    long_ok("0", 0, 10, 0);
    long_ok("5", 0, 10, 5);
    long_ok("-5", -10, 10, -5);
    long_ok("+7", 0, 10, 7);
    long_ok("007", 0, 10, 7); /* decimal, not octal */
    long_ok("10", 0, 10, 10); /* max is inclusive */
    long_ok("-10", -10, 10, -10);
    long_ok("9223372036854775807", LONG_MIN, LONG_MAX, LONG_MAX);
    long_ok("-9223372036854775808", LONG_MIN, LONG_MAX, LONG_MIN);

    long_bad(NULL, 0, 10, EINVAL);
    long_bad("", 0, 10, EINVAL);
    long_bad(" 5", 0, 10, EINVAL);
    long_bad("\t5", 0, 10, EINVAL);
    long_bad("5 ", 0, 10, EINVAL);
    long_bad("5x", 0, 10, EINVAL);
    long_bad("x5", 0, 10, EINVAL);
    long_bad("1e3", 0, 10000, EINVAL);
    long_bad("0x10", 0, 100, EINVAL);
    long_bad("-", 0, 10, EINVAL);
    long_bad("+", 0, 10, EINVAL);
    long_bad("11", 0, 10, ERANGE);
    long_bad("-1", 0, 10, ERANGE);
    long_bad("-11", -10, 10, ERANGE);
    long_bad("9223372036854775808", LONG_MIN, LONG_MAX, ERANGE);
    long_bad("-9223372036854775809", LONG_MIN, LONG_MAX, ERANGE);
    long_bad("99999999999999999999999", 0, 10, ERANGE);

    port_ok("0", 0);
    port_ok("1", 1);
    port_ok("19001", 19001);
    port_ok("65535", 65535);
    port_bad("65536", ERANGE);
    port_bad("100000", ERANGE);
    port_bad("99999999999999999999999", ERANGE);
    port_bad("-1", EINVAL);
    port_bad("-0", EINVAL);
    port_bad("abc", EINVAL);
    port_bad("80abc", EINVAL);
    port_bad("8o80", EINVAL);
    port_bad("", EINVAL);
    port_bad(" 80", EINVAL);
    port_bad(NULL, EINVAL);
    puts("ok");
    return 0;
}
