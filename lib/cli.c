/* Shared option handling, so that every program rejects bad input with the
 * same kind of single line and the same exit code. */
#include "lab_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab_i18n.h"
#include "lab_narrate.h"
#include "lab_parse.h"

int lab_prog_init(void)
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        /* Not O_CLOEXEC: this is the program's stdio now, like any other. */
        int null = open("/dev/null", O_RDWR);
        if (null < 0)
            return -1;
        if (null != fd) { /* cannot happen (fds below fd are open), but be sure */
            int rc = dup2(null, fd);
            int saved = errno;
            close(null);
            errno = saved;
            if (rc < 0)
                return -1;
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGPIPE, &sa, NULL) < 0)
        return -1;
    (void)lab_i18n_init(); /* no catalog, or no such locale: English */
    return 0;
}

void lab_cli_init(struct lab_cli *c, const char *prog, uint16_t port, int timeout_ms)
{
    memset(c, 0, sizeof *c);
    c->prog = prog;
    c->port = port;
    c->timeout_ms = timeout_ms;
}

void lab_cli_usage_quiet_help(int column)
{
    printf("  %-*s%s\n", column - 2, "-q, --quiet", lab_tr("events only, no explanations"));
    printf("  %-*s%s\n", column - 2, "-h, --help", lab_tr("this text"));
}

/* The one usage line, text already in the learner's language. " (try --help)"
 * stays as it is: scripts/lib.sh finds it at the end of the line. */
static int usage_line(const char *prog, const char *text)
{
    fprintf(stderr, "%s: %s (try --help)\n", prog, text);
    return 2;
}

int lab_usage_error(const char *prog, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, lab_tr(fmt), ap);
    va_end(ap);
    return usage_line(prog, text);
}

/* Digits only, after one '-' if minus_ok: strtol alone would also take "+80"
 * and " 80", which a lab that names every byte should not accept silently. */
static int is_decimal(const char *s, int minus_ok)
{
    if (minus_ok && *s == '-')
        s++;
    return *s != '\0' && strspn(s, "0123456789") == strlen(s);
}

/* The user's text, printable whatever bytes it holds (into buf). */
static const char *shown(const char *arg, size_t len, char *buf, size_t buflen)
{
    return lab_escape(arg, len, buf, buflen);
}

int lab_cli_long(const char *prog, const char *option, const char *arg, long min, long max,
                 long *out)
{
    long v;
    if (is_decimal(arg, 1) && lab_parse_long(arg, min, max, &v) == 0) {
        *out = v;
        return 0;
    }
    char text[80];
    lab_usage_error(prog, "bad %s '%s' (want an integer from %ld to %ld)", option,
                    shown(arg, strlen(arg), text, sizeof text), min, max);
    return -1;
}

int lab_cli_port(const char *prog, const char *option, const char *arg, long min, uint16_t *port)
{
    uint16_t v;
    if (is_decimal(arg, 0) && lab_parse_port(arg, &v) == 0 && v >= min) {
        *port = v;
        return 0;
    }
    char text[80];
    lab_usage_error(prog, "bad %s '%s' (want %ld to 65535)", option,
                    shown(arg, strlen(arg), text, sizeof text), min);
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
    char text[80];
    lab_usage_error(prog, "unknown scenario '%s' (one of: %s)",
                    shown(name, strlen(name), text, sizeof text), list);
    return -1;
}

/* Every program has both -H and -b in its short options; lab_cli_next rejects
 * the one it lacks. The leading ':' makes getopt report missing values. */
#define COMMON_SHORT ":hqt:p:s:H:b:"

/* Handle a common option (opt as getopt_long returned it, arg its value):
 * 1 handled, 0 the program's own, -1 bad usage (one line printed). */
static int common_option(struct lab_cli *c, int opt, const char *arg)
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
        if (lab_cli_port(c->prog, "port", arg, 0, &c->port) < 0)
            return -1;
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

/* The long option "--name[=value]" names: the one it spells out or abbreviates
 * (NULL if none); *ambiguous is set when it abbreviates several (listed in list). */
static const struct option *long_match(const char *arg, const struct option *longopts,
                                       int *ambiguous, char *list, size_t listlen)
{
    const char *name = arg + 2;
    size_t len = strcspn(name, "=");
    const struct option *found = NULL;
    int matches = 0;
    *ambiguous = 0;
    list[0] = '\0';
    for (const struct option *o = longopts; o->name != NULL; o++) {
        if (strncmp(o->name, name, len) != 0)
            continue;
        if (strlen(o->name) == len)
            return o; /* spelled out: no abbreviation can be ambiguous */
        if (matches++ == 0)
            found = o;
        size_t used = strlen(list);
        snprintf(list + used, listlen - used, "%s--%s", used ? ", " : "", o->name);
    }
    *ambiguous = matches > 1;
    return matches == 1 ? found : NULL;
}

/* One line for what getopt_long rejected (o is '?' or ':'), naming the option
 * as the user wrote it: getopt's optopt is the option's value for long
 * options (1000 for --step), which is no letter to print. */
static void bad_option(const struct lab_cli *c, int o, char *const argv[],
                       const struct option *longopts)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    int is_long = strncmp(arg, "--", 2) == 0 && arg[2] != '\0';
    char text[80], list[256];
    int ambiguous = 0;
    const struct option *opt =
        is_long ? long_match(arg, longopts, &ambiguous, list, sizeof list) : NULL;
    int has_value = is_long && strchr(arg, '=') != NULL;
    if (o == ':' && opt != NULL) {
        lab_usage_error(c->prog, "option '--%s' needs a value", opt->name);
    } else if (o == ':') {
        char letter = (char)optopt;
        lab_usage_error(c->prog, "option '-%s' needs a value",
                        shown(&letter, 1, text, sizeof text));
    } else if (opt != NULL && has_value && opt->has_arg == no_argument && opt->val == optopt) {
        lab_usage_error(c->prog, "option '--%s' takes no value", opt->name);
    } else if (optopt != 0) {
        /* A short option (also inside a cluster such as -qx, where argv[optind - 1]
         * may be the word before it). */
        char letter = (char)optopt;
        lab_usage_error(c->prog, "unknown option '-%s'", shown(&letter, 1, text, sizeof text));
    } else if (ambiguous) {
        lab_usage_error(c->prog, "ambiguous option '%s' (could be %s)",
                        shown(arg, strcspn(arg, "="), text, sizeof text), list);
    } else {
        lab_usage_error(c->prog, "unknown option '%s'",
                        shown(arg, strcspn(arg, "="), text, sizeof text));
    }
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
        if (o == '?' || o == ':') {
            bad_option(c, o, argv, longopts);
            errno = EINVAL;
            return -1;
        }
        int rc = common_option(c, o, optarg);
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
        char text[80];
        lab_usage_error(c->prog, "unexpected argument '%s'",
                        shown(argv[optind], strlen(argv[optind]), text, sizeof text));
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
        usage_line(c->prog, err); /* translated by lab_endpoint_resolve */
        return -1;
    }
    return 0;
}

int lab_cli_unknown(const struct lab_cli *c, int opt, char *const argv[])
{
    /* A short letter another program uses (-H on a server): name the letter,
     * since argv[optind - 1] may be its value. */
    char text[80];
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    if (opt > 0x20 && opt < 0x7f && opt != '?')
        lab_usage_error(c->prog, "unknown option '-%c'", opt);
    else
        lab_usage_error(c->prog, "unknown option '%s'",
                        shown(arg, strcspn(arg, "="), text, sizeof text));
    return -1;
}
