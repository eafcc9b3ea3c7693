/* unit.lib.cli: the common options, parsed through getopt_long as the
 * programs do, and the one-line usage errors (exit code 2). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "lab_cli.h"
#include "lab_narrate.h"

/* stderr is redirected into a file while a call runs, then read back. */
static FILE *err_file;
static int saved_stderr;

static void capture_start(void)
{
    fflush(stderr);
    err_file = tmpfile();
    CHECK(err_file != NULL, "tmpfile");
    saved_stderr = dup(STDERR_FILENO);
    CHECK_SYS(saved_stderr);
    CHECK_SYS(dup2(fileno(err_file), STDERR_FILENO));
}

static void capture_end(char *buf, size_t len)
{
    fflush(stderr);
    CHECK_SYS(dup2(saved_stderr, STDERR_FILENO));
    close(saved_stderr);
    rewind(err_file);
    size_t n = fread(buf, 1, len - 1, err_file);
    buf[n] = '\0';
    fclose(err_file);
}

/* Exactly one line, "prog: ...", containing each of the NULL-terminated words. */
static void check_one_line(const char *text, const char *prog, ...)
{
    size_t pl = strlen(prog);
    CHECK(strncmp(text, prog, pl) == 0 && text[pl] == ':' && text[pl + 1] == ' ',
          "does not start with '%s: ': '%s'", prog, text);
    const char *nl = strchr(text, '\n');
    CHECK(nl != NULL && nl[1] == '\0', "not exactly one line: '%s'", text);
    CHECK(strstr(text, "(try --help)") != NULL, "no hint: '%s'", text);
    va_list ap;
    va_start(ap, prog);
    for (const char *w; (w = va_arg(ap, const char *)) != NULL;)
        CHECK(strstr(text, w) != NULL, "'%s' missing from '%s'", w, text);
    va_end(ap);
}

enum { OPT_REUSEADDR = LAB_OPT_FIRST_PRIVATE + 1, OPT_HOLD };
static const struct option options[] = {LAB_CLI_COMMON_OPTIONS,
                                        {"host", required_argument, NULL, 'H'},
                                        {"count", required_argument, NULL, 'c'},
                                        {NULL, 0, NULL, 0}};
static const struct option server_options[] = {LAB_CLI_COMMON_OPTIONS,
                                               {"bind", required_argument, NULL, 'b'},
                                               {"count", required_argument, NULL, 'c'},
                                               {"reuseaddr", no_argument, NULL, OPT_REUSEADDR},
                                               {"hold-ms", required_argument, NULL, OPT_HOLD},
                                               {NULL, 0, NULL, 0}};

/* Parse argv like a program (client options unless it names a server): 0 all
 * good, -1 at the first bad option (after the line on stderr, captured into
 * err); options lab_cli_next hands back to the program are counted in *extra. */
static int parse(struct lab_cli *c, char **argv, char *err, size_t errlen, int *extra)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    optind = 0; /* full reset for glibc */
    *extra = 0;
    const struct option *longopts = strstr(argv[0], "server") ? server_options : options;
    capture_start();
    int opt, rc;
    while ((rc = lab_cli_next(c, argc, argv, longopts, &opt)) > 0)
        (*extra)++;
    capture_end(err, errlen);
    return rc < 0 ? -1 : 0;
}

static void test_common_options(void)
{
    struct lab_cli c;
    char err[1024];
    int extra;

    lab_cli_init(&c, "close-client", 19001, 3000);
    CHECK(strcmp(c.prog, "close-client") == 0 && c.port == 19001 && c.timeout_ms == 3000, "init");
    CHECK(c.host == NULL && c.scenario == NULL && !c.quiet && !c.step && !c.help,
          "init left something set");

    char *ok[] = {"close-client", "--quiet",    "--step", "--timeout", "250", "--port", "0", "-H",
                  "::1",          "--scenario", "rst",    "--count=3", "-h",  NULL};
    CHECK(parse(&c, ok, err, sizeof err, &extra) == 0, "good options refused: %s", err);
    CHECK(err[0] == '\0', "stderr written: '%s'", err);
    CHECK(c.quiet && c.step && c.help, "flags not set");
    CHECK(c.timeout_ms == 250 && c.port == 0, "timeout %d port %u", c.timeout_ms, (unsigned)c.port);
    CHECK(c.host != NULL && strcmp(c.host, "::1") == 0, "host");
    CHECK(c.scenario != NULL && strcmp(c.scenario, "rst") == 0, "scenario");
    CHECK(extra == 1, "program option not left to the program (%d)", extra);

    lab_cli_init(&c, "close-server", 19001, 3000);
    char *short_forms[] = {"close-server", "-q",      "-t1", "-p", "65535",
                           "-b",           "0.0.0.0", "-s",  "x",  NULL};
    CHECK(parse(&c, short_forms, err, sizeof err, &extra) == 0, "short forms: %s", err);
    CHECK(c.quiet && c.timeout_ms == 1 && c.port == 65535 && strcmp(c.host, "0.0.0.0") == 0 &&
              strcmp(c.scenario, "x") == 0,
          "short forms not applied");
    CHECK(!c.step && !c.help, "unasked flags set");

    /* The upper bound of --timeout is accepted; a program's own option is
     * handed back, not taken as a common one. */
    lab_cli_init(&c, "p", 1, 1);
    char *max_timeout[] = {"p", "--timeout", "3600000", "--count", "1", NULL};
    CHECK(parse(&c, max_timeout, err, sizeof err, &extra) == 0 && c.timeout_ms == 3600000,
          "max timeout: %s", err);
    CHECK(extra == 1, "'--count' claimed as common (%d handed back)", extra);
}

static void bad(char **argv, const char *w1, const char *w2)
{
    struct lab_cli c;
    char err[1024];
    int extra;
    lab_cli_init(&c, "udp-client", 19002, 3000);
    CHECK(parse(&c, argv, err, sizeof err, &extra) == -1, "accepted %s %s", argv[1],
          argv[2] ? argv[2] : "");
    check_one_line(err, "udp-client", w1, w2, (const char *)NULL);
}

static void test_bad_options(void)
{
    bad((char *[]){"udp-client", "--timeout", "abc", NULL}, "timeout", "'abc'");
    bad((char *[]){"udp-client", "--timeout", "0", NULL}, "timeout", "'0'");
    bad((char *[]){"udp-client", "--timeout", "-5", NULL}, "timeout", "'-5'");
    bad((char *[]){"udp-client", "--timeout", "3600001", NULL}, "timeout", "3600000");
    bad((char *[]){"udp-client", "--timeout=", NULL}, "timeout", "''");
    bad((char *[]){"udp-client", "-t", "10ms", NULL}, "timeout", "'10ms'");
    bad((char *[]){"udp-client", "--port", "65536", NULL}, "port", "'65536'");
    bad((char *[]){"udp-client", "--port", "-1", NULL}, "port", "'-1'");
    bad((char *[]){"udp-client", "--port", "abc", NULL}, "port", "'abc'");
    bad((char *[]){"udp-client", "-p", "", NULL}, "port", "''");
    bad((char *[]){"udp-client", "--host", "", NULL}, "empty address", NULL);
    bad((char *[]){"udp-client", "--bogus", NULL}, "unknown option", "'--bogus'");
    bad((char *[]){"udp-client", "-x", NULL}, "unknown option", "'-x'");
    bad((char *[]){"udp-client", "-qx", NULL}, "unknown option", "'-x'");
    bad((char *[]){"udp-client", "--port", NULL}, "needs a value", "'--port'");
    bad((char *[]){"udp-client", "-t", NULL}, "needs a value", "'-t'");
    bad((char *[]){"udp-client", "--quiet", "--scenario", NULL}, "needs a value", "'--scenario'");
    bad((char *[]){"udp-client", "--scen", NULL}, "needs a value", "'--scenario'");

    /* Numbers are digits (and '-' where negatives make sense): strtol would
     * also take a sign or leading spaces. */
    bad((char *[]){"udp-client", "--port", "+80", NULL}, "port", "'+80'");
    bad((char *[]){"udp-client", "--port", " 80", NULL}, "port", "' 80'");
    bad((char *[]){"udp-client", "--port", "-0", NULL}, "port", "'-0'");
    bad((char *[]){"udp-client", "--timeout", "+5", NULL}, "timeout", "'+5'");
    bad((char *[]){"udp-client", "--timeout", "5 ", NULL}, "timeout", "'5 '");

    /* A value on an option that takes none is named as such, with the option
     * as written: getopt's optopt would be its value (1000 for --step), which
     * is no letter: printed, it was a raw byte 0xe8 or a made-up '-M'. */
    bad((char *[]){"udp-client", "--step=1", NULL}, "option '--step' takes no value", NULL);
    bad((char *[]){"udp-client", "--quiet=yes", NULL}, "option '--quiet' takes no value", NULL);
    bad((char *[]){"udp-client", "--qui=yes", NULL}, "option '--quiet' takes no value", NULL);

    /* Abbreviations that fit several options are ambiguous, not unknown. */
    bad((char *[]){"udp-client", "--s", NULL}, "ambiguous option '--s'", "--step, --scenario");
    bad((char *[]){"udp-client", "--s=x", NULL}, "ambiguous option '--s'", "--step");
    bad((char *[]){"udp-client", "--h", NULL}, "ambiguous option '--h'", "--help, --host");
    bad((char *[]){"udp-client", "--nope=1", NULL}, "unknown option '--nope'", NULL);
    bad((char *[]){"udp-client", "--p\xc3\xb6rt", NULL}, "unknown option '--p\\xc3\\xb6rt'", NULL);

    /* A bad value leaves the setting alone. */
    struct lab_cli c;
    lab_cli_init(&c, "udp-client", 19002, 3000);
    char err[256];
    int extra;
    char *bad_port[] = {"udp-client", "--port", "99999", NULL};
    CHECK(parse(&c, bad_port, err, sizeof err, &extra) == -1, "bad port accepted");
    char *bad_timeout[] = {"udp-client", "--timeout=", NULL};
    CHECK(parse(&c, bad_timeout, err, sizeof err, &extra) == -1, "empty timeout accepted");
    CHECK(c.port == 19002 && c.timeout_ms == 3000, "bad values changed the settings");
}

static void test_scenario_and_usage(void)
{
    static const char *const names[] = {"normal", "rst", "half-close", NULL};
    char err[1024];

    capture_start();
    int i0 = lab_cli_scenario("close-server", names, "normal");
    int i2 = lab_cli_scenario("close-server", names, "half-close");
    capture_end(err, sizeof err);
    CHECK(i0 == 0 && i2 == 2, "indexes %d %d", i0, i2);
    CHECK(err[0] == '\0', "stderr written for known names: '%s'", err);

    capture_start();
    int bad = lab_cli_scenario("close-server", names, "nope");
    capture_end(err, sizeof err);
    CHECK(bad == -1, "unknown scenario gave %d", bad);
    check_one_line(err, "close-server", "'nope'", "normal, rst, half-close", (const char *)NULL);

    capture_start();
    bad = lab_cli_scenario("close-server", names, "");
    capture_end(err, sizeof err);
    CHECK(bad == -1, "empty scenario gave %d", bad);
    check_one_line(err, "close-server", "''", (const char *)NULL);

    /* Many long names: the list is cut, the line stays one line. */
    static char long_names[40][32];
    const char *many[41];
    for (int i = 0; i < 40; i++) {
        snprintf(long_names[i], sizeof long_names[i], "scenario-number-%02d-xxxxxx", i);
        many[i] = long_names[i];
    }
    many[40] = NULL;
    capture_start();
    bad = lab_cli_scenario("p", many, "zzz");
    capture_end(err, sizeof err);
    CHECK(bad == -1, "unknown among many gave %d", bad);
    check_one_line(err, "p", "'zzz'", "scenario-number-00", (const char *)NULL);

    capture_start();
    int rc = lab_usage_error("backlog-client", "bad thing %d of %s", 3, "four");
    capture_end(err, sizeof err);
    CHECK(rc == 2, "lab_usage_error returned %d", rc);
    CHECK(strcmp(err, "backlog-client: bad thing 3 of four (try --help)\n") == 0, "usage line '%s'",
          err);

    long v = 0;
    capture_start();
    CHECK(lab_cli_long("p", "count", "12", 1, 20, &v) == 0 && v == 12, "count 12");
    CHECK(lab_cli_long("p", "count", "21", 1, 20, &v) == -1 && v == 12, "count 21");
    capture_end(err, sizeof err);
    check_one_line(err, "p", "count", "'21'", (const char *)NULL);
}

/* lab_cli_next over argv with longopts: how many program options it handed back
 * (the last one's value in *last), or -1 with the line it printed in err. */
static int next_all(struct lab_cli *c, const struct option *longopts, char **argv, char *err,
                    size_t errlen, const char **last)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    optind = 0;
    capture_start();
    int opt, rc, mine = 0;
    while ((rc = lab_cli_next(c, argc, argv, longopts, &opt)) > 0) {
        CHECK(opt == 'c', "lab_cli_next handed back option %d", opt);
        *last = optarg;
        mine++;
    }
    int saved = errno;
    capture_end(err, errlen);
    if (rc < 0)
        CHECK(saved == EINVAL, "errno %s after bad usage, want EINVAL", lab_errno_name(saved));
    return rc < 0 ? -1 : mine;
}

static void test_next(void)
{
    struct lab_cli c;
    char err[1024];
    const char *last = NULL;

    lab_cli_init(&c, "udp-client", 19002, 3000);
    char *ok[] = {"udp-client", "-q", "--count", "7", "-H", "::1", "--port", "19002", NULL};
    CHECK(next_all(&c, options, ok, err, sizeof err, &last) == 1, "client options: %s", err);
    CHECK(err[0] == '\0', "stderr written: '%s'", err);
    CHECK(last != NULL && strcmp(last, "7") == 0, "program option value '%s'", last);
    CHECK(c.quiet && strcmp(c.host, "::1") == 0 && c.port == 19002 && c.port_given,
          "common options not applied");
    lab_cli_init(&c, "udp-client", 19002, 3000);
    char *none[] = {"udp-client", "-t", "5", NULL};
    CHECK(next_all(&c, options, none, err, sizeof err, &last) == 0, "no program options: %s", err);
    CHECK(c.timeout_ms == 5 && !c.port_given, "timeout %d port_given %d", c.timeout_ms,
          c.port_given);

    /* The address option of the other kind of program is unknown, named by its letter. */
    char *client_bind[] = {"udp-client", "-b", "::1", NULL};
    CHECK(next_all(&c, options, client_bind, err, sizeof err, &last) == -1, "client took -b");
    check_one_line(err, "udp-client", "unknown option", "'-b'", (const char *)NULL);
    char *client_bind_bare[] = {"udp-client", "-q", "-b", NULL};
    CHECK(next_all(&c, options, client_bind_bare, err, sizeof err, &last) == -1,
          "client took a bare -b");
    check_one_line(err, "udp-client", "unknown option", "'-b'", (const char *)NULL);

    lab_cli_init(&c, "udp-server", 19002, 3000);
    char *srv_ok[] = {"udp-server", "-b", "::1", "--count=2", NULL};
    CHECK(next_all(&c, server_options, srv_ok, err, sizeof err, &last) == 1, "server options: %s",
          err);
    CHECK(strcmp(c.host, "::1") == 0, "bind not applied");
    char *srv_host[] = {"udp-server", "-H", "::1", NULL};
    CHECK(next_all(&c, server_options, srv_host, err, sizeof err, &last) == -1, "server took -H");
    check_one_line(err, "udp-server", "unknown option", "'-H'", (const char *)NULL);
    char *srv_host_bare[] = {"udp-server", "-H", NULL};
    CHECK(next_all(&c, server_options, srv_host_bare, err, sizeof err, &last) == -1,
          "server took a bare -H");
    check_one_line(err, "udp-server", "unknown option", "'-H'", (const char *)NULL);
    char *srv_missing[] = {"udp-server", "--bind", NULL};
    CHECK(next_all(&c, server_options, srv_missing, err, sizeof err, &last) == -1,
          "--bind without value");
    check_one_line(err, "udp-server", "needs a value", "'--bind'", (const char *)NULL);
}

/* Every byte of a usage line is printable ASCII. */
static void check_printable(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        CHECK((*p >= 0x20 && *p < 0x7f) || (*p == '\n' && p[1] == '\0'),
              "byte 0x%02x in usage line '%s'", *p, text);
}

/* A server's own options: a flag given a value, ambiguous abbreviations. */
static void test_server_options(void)
{
    struct lab_cli c;
    char err[1024];
    static const struct {
        const char *arg, *want;
    } cases[] = {
        {"--reuseaddr=yes", "option '--reuseaddr' takes no value"},
        {"--reuse=1", "option '--reuseaddr' takes no value"},
        {"--step=1", "option '--step' takes no value"},
        {"--help=me", "option '--help' takes no value"},
        {"--h", "ambiguous option '--h' (could be --help, --hold-ms)"},
        {"--ho=5", "ambiguous option '--ho' (could be --hold-ms, " /* --host is a client's */},
        {"--s", "ambiguous option '--s' (could be --step, --scenario)"},
        {"--hold-ms", "option '--hold-ms' needs a value"},
        {"-\xe8", "unknown option '-\\xe8'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lab_cli_init(&c, "close-server", 19001, 3000);
        char *argv[] = {"close-server", (char *)cases[i].arg, NULL};
        int handed = 0;
        int argc = 2;
        optind = 0;
        capture_start();
        int opt, rc;
        while ((rc = lab_cli_next(&c, argc, argv, server_options, &opt)) > 0)
            handed++;
        capture_end(err, sizeof err);
        if (strcmp(cases[i].arg, "--ho=5") == 0) {
            /* "--ho" abbreviates only --hold-ms among a server's options. */
            CHECK(rc == 0 && handed == 1 && opt == OPT_HOLD, "--ho=5 not taken as --hold-ms: %s",
                  err);
            continue;
        }
        CHECK(rc == -1, "'%s' accepted", cases[i].arg);
        check_one_line(err, "close-server", cases[i].want, (const char *)NULL);
        check_printable(err);
    }
}

/* A program started with fds 0-2 closed gets them on /dev/null, so its first
 * socket is not stdout; and SIGPIPE no longer kills it. */
static void test_prog_init(void)
{
    int saved[3];
    for (int fd = 0; fd < 3; fd++) {
        saved[fd] = dup(fd);
        CHECK_SYS(saved[fd]);
    }
    fflush(NULL);
    close(STDIN_FILENO);
    close(STDOUT_FILENO);
    int rc = lab_prog_init();
    int err = errno;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int in_flags = fcntl(STDIN_FILENO, F_GETFL), out_flags = fcntl(STDOUT_FILENO, F_GETFL);
    struct stat st;
    int out_stat = fstat(STDOUT_FILENO, &st);
    struct sigaction sa;
    sigaction(SIGPIPE, NULL, &sa);
    if (s >= 0)
        close(s);
    for (int fd = 0; fd < 3; fd++) {
        CHECK_SYS(dup2(saved[fd], fd));
        close(saved[fd]);
    }
    CHECK(rc == 0, "lab_prog_init failed: %s", lab_errno_name(err));
    CHECK(s > 2, "the first socket became fd %d", s);
    CHECK(in_flags >= 0 && out_flags >= 0, "fd 0 or 1 still closed");
    CHECK((in_flags & O_ACCMODE) == O_RDWR, "fd 0 not read-write");
    CHECK(out_stat == 0 && S_ISCHR(st.st_mode), "fd 1 is not /dev/null");
    CHECK(sa.sa_handler == SIG_IGN, "SIGPIPE not ignored");
    /* With everything open, nothing changes. */
    int fd0 = dup(0);
    CHECK_SYS(fd0);
    close(fd0);
    CHECK_SYS(lab_prog_init());
    fd0 = dup(0);
    CHECK_SYS(fd0);
    close(fd0);
}

/* The --quiet and --help lines every --help shows, descriptions at column. */
static void test_usage_quiet_help(void)
{
    fflush(stdout);
    FILE *f = tmpfile();
    CHECK(f != NULL, "tmpfile");
    int saved = dup(STDOUT_FILENO);
    CHECK_SYS(saved);
    CHECK_SYS(dup2(fileno(f), STDOUT_FILENO));
    lab_cli_usage_quiet_help(23);
    fflush(stdout);
    CHECK_SYS(dup2(saved, STDOUT_FILENO));
    close(saved);
    rewind(f);
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    CHECK(strcmp(buf, "  -q, --quiet          events only, no explanations\n"
                      "  -h, --help           this text\n") == 0,
          "got '%s'", buf);
}

int main(void)
{
    test_usage_quiet_help();
    test_prog_init();
    test_server_options();
    test_common_options();
    test_bad_options();
    test_scenario_and_usage();
    test_next();
    puts("ok");
    return 0;
}
