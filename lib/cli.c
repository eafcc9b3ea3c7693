/* Shared option handling, so that every program rejects bad input with the
 * same kind of single line and the same exit code. */
#include "lab_cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lab_parse.h"

void lab_cli_init(struct lab_cli *c, const char *prog, uint16_t port, int timeout_ms)
{
    memset(c, 0, sizeof *c);
    c->prog = prog;
    c->port = port;
    c->timeout_ms = timeout_ms;
}

int lab_usage_error(const char *prog, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s (try --help)\n", prog, text);
    return 2;
}

int lab_cli_long(const char *prog, const char *option, const char *arg, long min, long max,
                 long *out)
{
    if (lab_parse_long(arg, min, max, out) == 0)
        return 0;
    lab_usage_error(prog, "bad %s '%s' (want an integer from %ld to %ld)", option, arg, min, max);
    return -1;
}

int lab_cli_scenario(const char *prog, const char *const names[], const char *name)
{
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    char list[512] = "";
    for (int i = 0; names[i] != NULL; i++) {
        if (i)
            strncat(list, ", ", sizeof list - strlen(list) - 1);
        strncat(list, names[i], sizeof list - strlen(list) - 1);
    }
    lab_usage_error(prog, "unknown scenario '%s' (one of: %s)", name, list);
    return -1;
}

/* Every program has both -H and -b in its short options; lab_cli_next rejects
 * the one it lacks. The leading ':' makes getopt report missing values. */
#define COMMON_SHORT ":hqt:p:s:H:b:"

/* Handle a common option (opt as getopt_long returned it, arg its value):
 * 1 handled, 0 the program's own, -1 bad usage (one line printed). */
static int common_option(struct lab_cli *c, int opt, const char *arg, char *const argv[])
{
    long v;
    switch (opt) {
    case 'h':
        c->help = 1;
        return 1;
    case 'q':
        c->quiet = 1;
        return 1;
    case LAB_OPT_STEP:
        c->step = 1;
        return 1;
    case 't':
        if (lab_cli_long(c->prog, "timeout", arg, 1, 3600000, &v) < 0)
            return -1;
        c->timeout_ms = (int)v;
        return 1;
    case 'p':
        if (lab_parse_port(arg, &c->port) < 0) {
            lab_usage_error(c->prog, "bad port '%s' (want 0 to 65535)", arg);
            return -1;
        }
        c->port_given = 1;
        return 1;
    case 's':
        c->scenario = arg;
        return 1;
    case 'H':
    case 'b':
        if (*arg == '\0') {
            lab_usage_error(c->prog, "empty address");
            return -1;
        }
        c->host = arg;
        return 1;
    case ':':
        lab_usage_error(c->prog, "option '%s' needs a value", argv[optind - 1]);
        return -1;
    case '?':
        if (optopt != 0)
            lab_usage_error(c->prog, "unknown option '-%c'", optopt);
        else
            lab_usage_error(c->prog, "unknown option '%s'", argv[optind - 1]);
        return -1;
    default:
        return 0;
    }
}

/* Whether longopts names an option that getopt_long returns as val. */
static int has_option(const struct option *longopts, int val)
{
    for (; longopts->name != NULL; longopts++)
        if (longopts->flag == NULL && longopts->val == val)
            return 1;
    return 0;
}

int lab_cli_next(struct lab_cli *c, int argc, char *const argv[], const struct option *longopts,
                 int *opt)
{
    opterr = 0;
    c->client = has_option(longopts, 'H');
    for (;;) {
        int o = getopt_long(argc, argv, COMMON_SHORT, longopts, NULL);
        if (o == -1)
            return 0;
        /* The short string has both -H and -b: the one this program lacks is
         * unknown here, with its value or without. */
        int letter = o == ':' ? optopt : o;
        if ((letter == 'H' || letter == 'b') && !has_option(longopts, letter)) {
            lab_usage_error(c->prog, "unknown option '-%c'", letter);
            errno = EINVAL;
            return -1;
        }
        int rc = common_option(c, o, optarg, argv);
        if (rc < 0) {
            errno = EINVAL;
            return -1;
        }
        if (rc == 0) {
            *opt = o;
            return 1;
        }
    }
}

int lab_cli_finish(struct lab_cli *c, int argc, char *const argv[], const char *const scenarios[],
                   int *scenario, int socktype, struct lab_endpoint *ep)
{
    if (optind < argc) {
        lab_usage_error(c->prog, "unexpected argument '%s'", argv[optind]);
        return -1;
    }
    if (c->help)
        return 0;
    *scenario = 0;
    if (c->scenario != NULL && (*scenario = lab_cli_scenario(c->prog, scenarios, c->scenario)) < 0)
        return -1;
    if (c->client && c->port == 0) {
        lab_usage_error(c->prog, "bad port '0' (a client needs the server's port)");
        return -1;
    }
    char err[160];
    if (lab_endpoint_resolve(c->host, c->port, socktype, ep, err, sizeof err) < 0) {
        lab_usage_error(c->prog, "%s", err);
        return -1;
    }
    return 0;
}

int lab_cli_unknown(const struct lab_cli *c, int opt, char *const argv[])
{
    /* A short letter another program uses (-H on a server): name the letter,
     * since argv[optind - 1] may be its value. */
    if (opt > 0 && opt < 128 && opt != '?')
        lab_usage_error(c->prog, "unknown option '-%c'", opt);
    else
        lab_usage_error(c->prog, "unknown option '%s'", argv[optind - 1]);
    return -1;
}
