/* unit.lib.i18n: the learner's language. With a catalog (built here by msgfmt
 * from a tiny .po, found through SOCKLAB_LOCALEDIR) and LANGUAGE=zh_CN,
 * lab_tr and every narration call speak Chinese while the tokens (state=,
 * errno=, timer=, "step: ", "(try --help)") and the numbers' '.' stay; with
 * LANG=C, or no catalog in the folder, everything stays English. Each case
 * runs in a child of its own: the locale and gettext's choice are
 * process-wide. */
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "lab_cli.h"
#include "lab_diag.h"
#include "lab_endpoint.h"
#include "lab_i18n.h"
#include "lab_narrate.h"
#include "lab_step.h"
#include "lab_tcpstate.h"
#include "lab_watch.h"

static const char po_text[] = "msgid \"\"\n"
                              "msgstr \"\"\n"
                              "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                              "\"Plural-Forms: nplurals=1; plural=0;\\n\"\n"
                              "\n"
                              "msgid \"the kernel said hello\"\n"
                              "msgstr \"内核打了个招呼\"\n"
                              "\n"
                              "msgid \"took %.3f s\"\n"
                              "msgstr \"用时 %.3f 秒\"\n"
                              "\n"
                              "msgid \"why it did\"\n"
                              "msgstr \"原因如下\"\n"
                              "\n"
                              "msgid \"reading the reply\"\n"
                              "msgstr \"读取回复\"\n"
                              "\n"
                              "msgid \"the socket\"\n"
                              "msgstr \"这个套接字\"\n"
                              "\n"
                              "msgid \"press Enter to %s\"\n"
                              "msgstr \"按回车键：%s\"\n"
                              "\n"
                              "msgid \"close it\"\n"
                              "msgstr \"关闭它\"\n"
                              "\n"
                              "msgid \"bad thing %d\"\n"
                              "msgstr \"坏事 %d\"\n"
                              "\n"
                              "msgid \"empty address\"\n"
                              "msgstr \"地址为空\"\n";

static char dir[256];        /* test.po, zh_CN/LC_MESSAGES/socklab.mo and none/ */
static char no_catalog[300]; /* dir/none: an empty folder */

static void path_in(char *buf, size_t len, const char *name)
{
    int n = snprintf(buf, len, "%s/%s", dir, name);
    CHECK(n > 0 && (size_t)n < len, "path too long: %s/%s", dir, name);
}

/* 1 if msgfmt compiled po into mo, 0 if there is no msgfmt (exit 127 of the child). */
static int run_msgfmt(const char *po, const char *mo)
{
    pid_t pid = fork();
    CHECK_SYS(pid);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDERR_FILENO); /* "not found" is the test's to say */
        execlp("msgfmt", "msgfmt", "--check-format", "-o", mo, po, (char *)NULL);
        _exit(127);
    }
    int status;
    CHECK_SYS(waitpid(pid, &status, 0));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return 0;
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "msgfmt failed (status %d)", status);
    return 1;
}

static void make_catalog(void)
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(dir, sizeof dir, "%s/socklab-i18n.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    CHECK(n > 0 && (size_t)n < sizeof dir, "TMPDIR too long");
    CHECK(mkdtemp(dir) != NULL, "mkdtemp %s: %s", dir, lab_errno_name(errno));
    char po[300], zh[300], msgs[300], mo[340];
    path_in(po, sizeof po, "test.po");
    path_in(zh, sizeof zh, "zh_CN");
    path_in(msgs, sizeof msgs, "zh_CN/LC_MESSAGES");
    path_in(mo, sizeof mo, "zh_CN/LC_MESSAGES/socklab.mo");
    path_in(no_catalog, sizeof no_catalog, "none");
    FILE *f = fopen(po, "w");
    CHECK(f != NULL, "fopen %s: %s", po, lab_errno_name(errno));
    CHECK(fputs(po_text, f) >= 0 && fclose(f) == 0, "writing %s", po);
    CHECK_SYS(mkdir(zh, 0700));
    CHECK_SYS(mkdir(msgs, 0700));
    CHECK_SYS(mkdir(no_catalog, 0700));
    if (!run_msgfmt(po, mo)) {
        unlink(po);
        rmdir(msgs);
        rmdir(zh);
        rmdir(no_catalog);
        rmdir(dir);
        SKIP("msgfmt is not installed (Debian: apt-get install gettext): no catalog to test with");
    }
}

static void remove_catalog(void)
{
    static const char *const names[] = {"zh_CN/LC_MESSAGES/socklab.mo", "test.po"};
    static const char *const dirs[] = {"zh_CN/LC_MESSAGES", "zh_CN", "none"};
    char p[340];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        path_in(p, sizeof p, names[i]);
        CHECK_SYS(unlink(p));
    }
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        path_in(p, sizeof p, dirs[i]);
        CHECK_SYS(rmdir(p));
    }
    CHECK_SYS(rmdir(dir));
}

/* The language environment of one case: NULL unsets a variable. */
struct lang_env {
    const char *name;
    const char *language, *lc_all, *lang, *localedir;
    int want_init; /* lab_i18n_init's answer */
    int chinese;   /* translations expected */
};

static void set_or_unset(const char *var, const char *value)
{
    if (value == NULL)
        CHECK_SYS(unsetenv(var));
    else
        CHECK_SYS(setenv(var, value, 1));
}

static size_t read_back(FILE *f, char *buf, size_t len)
{
    fflush(f);
    rewind(f);
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    rewind(f);
    CHECK_SYS(ftruncate(fileno(f), 0));
    return n;
}

/* One line of the narration must end with want (after the time and role columns). */
static void check_said(FILE *out, const char *want, const char *what)
{
    char buf[1024], line[1024];
    read_back(out, buf, sizeof buf);
    snprintf(line, sizeof line, "%s\n", want);
    size_t bl = strlen(buf), wl = strlen(line);
    CHECK(bl >= wl && strcmp(buf + bl - wl, line) == 0 && strchr(buf, '\n') == buf + bl - 1,
          "%s: said '%s', want one line ending '%s'", what, buf, want);
}

/* Every narration call: the text translated, the tokens after it as they are. */
static void check_narration(const char *name, int zh)
{
    FILE *out = tmpfile();
    CHECK(out != NULL, "tmpfile");
    struct lab_narrator n;
    lab_narrator_init(&n, "client", 0, out);
    char buf[1024];

    lab_say(&n, "took %.3f s", 1.5);
    read_back(out, buf, sizeof buf);
    CHECK(strchr(buf, '.') == buf + 3, "%s: time column lost its '.': '%s'", name, buf);
    CHECK(strstr(buf, zh ? "client  用时 1.500 秒\n" : "client  took 1.500 s\n") != NULL,
          "%s: lab_say: '%s'", name, buf);

    lab_explain(&n, "why it did");
    read_back(out, buf, sizeof buf);
    CHECK(strcmp(buf + strspn(buf, " "), zh ? "原因如下\n" : "why it did\n") == 0,
          "%s: lab_explain: '%s'", name, buf);

    lab_say_raw(&n, "the kernel said hello");
    check_said(out, "client  the kernel said hello", "lab_say_raw");

    /* Tokens stay: errno=NAME, state=NAME, timer=..., "step: ". */
    lab_say_errno(&n, ECONNRESET, "reading the reply");
    read_back(out, buf, sizeof buf);
    CHECK(strstr(buf, zh ? "client  读取回复  errno=ECONNRESET ("
                         : "client  reading the reply  errno=ECONNRESET (") != NULL,
          "%s: lab_say_errno: '%s'", name, buf);
    /* strerror()'s text (Chinese where libc has it) is never turned into "?"
     * by an ASCII LC_CTYPE. */
    CHECK(strchr(buf, '?') == NULL, "%s: strerror text lost: '%s'", name, buf);

    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_SYS(fd);
    lab_say_fd(&n, fd, "the socket");
    check_said(out, zh ? "client  这个套接字  state=CLOSE" : "client  the socket  state=CLOSE",
               "lab_say_fd");
    lab_say_fd_raw(&n, fd, "the socket");
    check_said(out, "client  the socket  state=CLOSE", "lab_say_fd_raw");
    close(fd);

    struct lab_conn c;
    memset(&c, 0, sizeof c);
    c.state = LAB_TCP_TIME_WAIT;
    c.timer = LAB_TIMER_TIME_WAIT;
    c.expires_ms = 59996;
    lab_say_conn(&n, &c, "the socket");
    check_said(out,
               zh ? "client  这个套接字  state=TIME_WAIT timer=59.996s (time-wait)"
                  : "client  the socket  state=TIME_WAIT timer=59.996s (time-wait)",
               "lab_say_conn");

    int fds[2];
    CHECK_SYS(pipe(fds));
    CHECK_SYS(dup2(fds[0], STDIN_FILENO));
    close(fds[0]);
    CHECK(write(fds[1], "\n", 1) == 1, "write");
    lab_step(&n, 1, "close it");
    check_said(out, zh ? "client  step: 按回车键：关闭它" : "client  step: press Enter to close it",
               "lab_step");
    close(fds[1]);

    fclose(out);
}

/* A usage line (" (try --help)" kept for the scripts) and an address error
 * written into the caller's buffer, both translated. */
static void check_usage(const char *name, int zh)
{
    char buf[1024];
    fflush(stderr);
    FILE *err = tmpfile();
    CHECK(err != NULL, "tmpfile");
    int saved = dup(STDERR_FILENO);
    CHECK_SYS(saved);
    CHECK_SYS(dup2(fileno(err), STDERR_FILENO));
    lab_usage_error("p", "bad thing %d", 3);
    fflush(stderr);
    CHECK_SYS(dup2(saved, STDERR_FILENO));
    close(saved);
    read_back(err, buf, sizeof buf);
    CHECK(strcmp(buf, zh ? "p: 坏事 3 (try --help)\n" : "p: bad thing 3 (try --help)\n") == 0,
          "%s: lab_usage_error: '%s'", name, buf);
    fclose(err);

    /* An address error is written into the caller's buffer, translated. */
    struct lab_endpoint ep;
    char why[160];
    CHECK(lab_endpoint_resolve("", 80, SOCK_STREAM, &ep, why, sizeof why) == -1,
          "empty address accepted");
    CHECK(strcmp(why, zh ? "地址为空" : "empty address") == 0, "%s: resolve said '%s'", name, why);
}

/* The child's half: every check of one language environment. */
static void check_case(const struct lang_env *e)
{
    CHECK_SYS(unsetenv("LC_MESSAGES"));
    CHECK_SYS(unsetenv("LC_NUMERIC"));
    set_or_unset("LANGUAGE", e->language);
    set_or_unset("LC_ALL", e->lc_all);
    set_or_unset("LANG", e->lang);
    set_or_unset("SOCKLAB_LOCALEDIR", e->localedir);
    CHECK_SYS(setenv("SOCKLAB_CLOCK", "run", 1));
    int rc = lab_i18n_init();
    CHECK(rc == e->want_init, "%s: lab_i18n_init() = %d, want %d", e->name, rc, e->want_init);
    int zh = e->chinese;

    const char *hello = lab_tr("the kernel said hello");
    CHECK(strcmp(hello, zh ? "内核打了个招呼" : "the kernel said hello") == 0,
          "%s: lab_tr gave '%s'", e->name, hello);
    CHECK(strcmp(lab_tr("no such msgid"), "no such msgid") == 0, "%s: unknown msgid changed",
          e->name);

    /* Numbers: LC_NUMERIC is never taken from the environment. */
    char num[32];
    snprintf(num, sizeof num, "%.3f", 1.5);
    CHECK(strcmp(num, "1.500") == 0, "%s: %%.3f gave '%s'", e->name, num);
    CHECK(strcmp(localeconv()->decimal_point, ".") == 0, "%s: decimal point '%s'", e->name,
          localeconv()->decimal_point);

    check_narration(e->name, zh);
    check_usage(e->name, zh);
}

int main(void)
{
    make_catalog();
    /* zh_CN.UTF-8 and de_DE.UTF-8 may be generated here or not: the language
     * is meant all the same, and neither may bring a ',' into numbers. */
    const struct lang_env cases[] = {
        {"LANGUAGE=zh_CN", "zh_CN", NULL, NULL, dir, 1, 1},
        {"LANGUAGE=zh_CN LANG=C.UTF-8", "zh_CN", NULL, "C.UTF-8", dir, 1, 1},
        {"LANGUAGE=zh_CN LC_ALL=de_DE.UTF-8", "zh_CN", "de_DE.UTF-8", NULL, dir, 1, 1},
        /* The scripts' setting: their tools run with LC_ALL=C. */
        {"LANGUAGE=zh_CN LC_ALL=C", "zh_CN", "C", NULL, dir, 1, 1},
        {"LANG=zh_CN.UTF-8", NULL, NULL, "zh_CN.UTF-8", dir, 1, 1},
        {"LANG=C", NULL, NULL, "C", dir, 1, 0},
        {"LANGUAGE=zh_CN, no catalog", "zh_CN", NULL, NULL, no_catalog, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fflush(stdout);
        pid_t pid = fork();
        CHECK_SYS(pid);
        if (pid == 0) {
            check_case(&cases[i]);
            exit(0);
        }
        int status;
        CHECK_SYS(waitpid(pid, &status, 0));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            remove_catalog(); /* the child said why */
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "case %s failed (status %d)",
              cases[i].name, status);
        printf("ok: %s\n", cases[i].name);
    }
    remove_catalog();
    return 0;
}
