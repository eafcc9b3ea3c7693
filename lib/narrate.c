/* Narration. Every line is flushed as it is written so that two programs in
 * two terminals, or merged by a script, show events in the order they happen. */
#include "lab_narrate.h"

#include "lab_i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void lab_narrator_init(struct lab_narrator *n, const char *role, int quiet, FILE *out)
{
    n->role = role;
    n->quiet = quiet;
    n->out = out;
    n->start_us = now_us();
    const char *no_color = getenv("NO_COLOR");
    int tty = isatty(fileno(out));
    n->color = tty && (no_color == NULL || *no_color == '\0');
    /* Each program's own elapsed time cannot be compared across two
     * terminals; the machine's clock can. */
    const char *clock = getenv("SOCKLAB_CLOCK");
    if (clock != NULL && strcmp(clock, "wall") == 0)
        n->wall = 1;
    else if (clock != NULL && strcmp(clock, "run") == 0)
        n->wall = 0;
    else
        n->wall = tty;
    setvbuf(out, NULL, _IOLBF, 0);
}

#define ANSI_RESET "\033[0m"
#define ANSI_BOLD "\033[1m"
#define ANSI_DIM "\033[2m"
#define ANSI_RED "\033[31m"
#define ANSI_GREEN "\033[32m"
#define ANSI_CYAN "\033[36m"
#define ANSI_MAGENTA "\033[35m"

/* Write text, highlighting "state=WORD" in green and "errno=WORD" in red,
 * outside double quotes only: quoted text is escaped network data (lab_escape
 * turns its own quotes into \"), and a peer must not get a fake state= the
 * colour of a real one. */
static void put_highlighted(FILE *out, const char *text)
{
    int quoted = 0;
    const char *p = text;
    while (*p) {
        if (quoted) {
            if (*p == '\\' && p[1] != '\0') {
                fwrite(p, 1, 2, out);
                p += 2;
                continue;
            }
            quoted = *p != '"';
            fputc(*p++, out);
            continue;
        }
        if (*p == '"') {
            quoted = 1;
            fputc(*p++, out);
            continue;
        }
        int state = strncmp(p, "state=", 6) == 0;
        if (!state && strncmp(p, "errno=", 6) != 0) {
            fputc(*p++, out);
            continue;
        }
        size_t word = strcspn(p, " \t\n),\"");
        fputs(state ? ANSI_GREEN : ANSI_RED, out);
        fwrite(p, 1, word, out);
        fputs(ANSI_RESET, out);
        p += word;
    }
}

/* The time column: "HH:MM:SS.mmm" (wall) or "%7.3f" seconds since start. */
static void format_time(const struct lab_narrator *n, char *buf, size_t len)
{
    if (n->wall) {
        struct timespec ts;
        struct tm tm;
        if (clock_gettime(CLOCK_REALTIME, &ts) == 0 && localtime_r(&ts.tv_sec, &tm) != NULL) {
            snprintf(buf, len, "%02d:%02d:%02d.%03ld", tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000);
            return;
        }
    }
    snprintf(buf, len, "%7.3f", (double)(now_us() - n->start_us) / 1e6);
}

static void emit(const struct lab_narrator *n, int explanation, const char *fmt, va_list ap)
{
    char text[1024];
    vsnprintf(text, sizeof text, fmt, ap);
    int indent = n->wall ? 21 : 16; /* under the event text: time + role columns */
    if (explanation) {
        if (n->color)
            fprintf(n->out, "%*s" ANSI_DIM "%s" ANSI_RESET "\n", indent, "", text);
        else
            fprintf(n->out, "%*s%s\n", indent, "", text);
        return;
    }
    char t[32];
    format_time(n, t, sizeof t);
    if (n->color) {
        const char *rc = strcmp(n->role, "server") == 0 ? ANSI_MAGENTA : ANSI_CYAN;
        fprintf(n->out, "%s %s" ANSI_BOLD "%-7s" ANSI_RESET " ", t, rc, n->role);
        put_highlighted(n->out, text);
        fputc('\n', n->out);
    } else {
        fprintf(n->out, "%s %-7s %s\n", t, n->role, text);
    }
}

void lab_say(const struct lab_narrator *n, const char *fmt, ...)
{
    int saved = errno; /* narration must not disturb the errno being reported */
    va_list ap;
    va_start(ap, fmt);
    emit(n, 0, lab_tr(fmt), ap);
    va_end(ap);
    errno = saved;
}

void lab_say_raw(const struct lab_narrator *n, const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    emit(n, 0, fmt, ap);
    va_end(ap);
    errno = saved;
}

void lab_explain(const struct lab_narrator *n, const char *fmt, ...)
{
    if (n->quiet)
        return;
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    emit(n, 1, lab_tr(fmt), ap);
    va_end(ap);
    errno = saved;
}

void lab_say_errno(const struct lab_narrator *n, int err, const char *fmt, ...)
{
    char text[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, lab_tr(fmt), ap);
    va_end(ap);
    /* The errno token stays as it is; strerror() speaks the locale's language. */
    lab_say_raw(n, "%s  errno=%s (%s)", text, lab_errno_name(err), strerror(err));
    errno = err;
}

const char *lab_errno_name(int err)
{
    /* Our own table: strerrorname_np is glibc-only and the lab must name errnos everywhere. */
    static const struct {
        int value;
        const char *name;
    } names[] = {
        {EPERM, "EPERM"},
        {ENOENT, "ENOENT"},
        {EINTR, "EINTR"},
        {EIO, "EIO"},
        {EBADF, "EBADF"},
        {EAGAIN, "EAGAIN"},
        {ENOMEM, "ENOMEM"},
        {EACCES, "EACCES"},
        {EFAULT, "EFAULT"},
        {EBUSY, "EBUSY"},
        {EEXIST, "EEXIST"},
        {EINVAL, "EINVAL"},
        {ENFILE, "ENFILE"},
        {EMFILE, "EMFILE"},
        {ENOSPC, "ENOSPC"},
        {EPIPE, "EPIPE"},
        {ERANGE, "ERANGE"},
        {ENOSYS, "ENOSYS"},
        {ENOTSOCK, "ENOTSOCK"},
        {EDESTADDRREQ, "EDESTADDRREQ"},
        {EMSGSIZE, "EMSGSIZE"},
        {EPROTOTYPE, "EPROTOTYPE"},
        {ENOPROTOOPT, "ENOPROTOOPT"},
        {EPROTONOSUPPORT, "EPROTONOSUPPORT"},
        {EOPNOTSUPP, "EOPNOTSUPP"},
        {EAFNOSUPPORT, "EAFNOSUPPORT"},
        {EADDRINUSE, "EADDRINUSE"},
        {EADDRNOTAVAIL, "EADDRNOTAVAIL"},
        {ENETDOWN, "ENETDOWN"},
        {ENETUNREACH, "ENETUNREACH"},
        {ECONNABORTED, "ECONNABORTED"},
        {ECONNRESET, "ECONNRESET"},
        {ENOBUFS, "ENOBUFS"},
        {EISCONN, "EISCONN"},
        {ENOTCONN, "ENOTCONN"},
        {ETIMEDOUT, "ETIMEDOUT"},
        {ECONNREFUSED, "ECONNREFUSED"},
        {EHOSTDOWN, "EHOSTDOWN"},
        {EHOSTUNREACH, "EHOSTUNREACH"},
        {EALREADY, "EALREADY"},
        {EINPROGRESS, "EINPROGRESS"},
        {EPROTO, "EPROTO"},
        {ENONET, "ENONET"},
        {ENOTSUP, "ENOTSUP"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].value == err)
            return names[i].name;
    static _Thread_local char unknown[24];
    snprintf(unknown, sizeof unknown, "E%d", err);
    return unknown;
}

const char *lab_escape(const void *data, size_t len, char *out, size_t outlen)
{
    const unsigned char *p = data;
    size_t o = 0;
    if (outlen == 0)
        return out;
    /* Room for "..." is kept only when the whole escape cannot fit. */
    size_t total = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = p[i];
        if (ch == '\n' || ch == '\r' || ch == '\t' || ch == '\\' || ch == '"')
            total += 2;
        else
            total += ch >= 0x20 && ch < 0x7f ? 1 : 4;
    }
    size_t reserve = total < outlen ? 1 : 4;
    for (size_t i = 0; i < len; i++) {
        char tmp[5];
        unsigned char ch = p[i];
        if (ch == '\n')
            memcpy(tmp, "\\n", 3);
        else if (ch == '\r')
            memcpy(tmp, "\\r", 3);
        else if (ch == '\t')
            memcpy(tmp, "\\t", 3);
        else if (ch == '\\')
            memcpy(tmp, "\\\\", 3);
        else if (ch == '"') /* quoted data must not close its quotes */
            memcpy(tmp, "\\\"", 3);
        else if (ch >= 0x20 && ch < 0x7f) {
            tmp[0] = (char)ch;
            tmp[1] = '\0';
        } else
            snprintf(tmp, sizeof tmp, "\\x%02x", ch);
        size_t tl = strlen(tmp);
        if (o + tl + reserve > outlen) {
            if (outlen >= 4) {
                memcpy(out + o, "...", 3);
                o += 3;
            }
            break;
        }
        memcpy(out + o, tmp, tl);
        o += tl;
    }
    out[o < outlen ? o : outlen - 1] = '\0';
    return out;
}
