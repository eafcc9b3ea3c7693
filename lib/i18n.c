/* Language choice and catalog lookup. Only gettext's standard entry points
 * (glibc has them built in; nothing else is linked). */
#define _GNU_SOURCE /* LC_MESSAGES, readlink */
#include "lab_i18n.h"

#include <errno.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SOCKLAB_LOCALEDIR
#define SOCKLAB_LOCALEDIR "/usr/local/share/locale"
#endif

static int have_catalog;

/* 1 if dir holds a catalog of our domain for some language (zh_CN is the
 * one we ship). */
static int catalog_in(const char *dir)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/%s.mo", dir, LAB_TEXT_DOMAIN);
    return n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0;
}

/* The catalog folder: the environment's SOCKLAB_LOCALEDIR alone when set (a
 * test's own catalog; no catalog there means English), else beside the
 * program (a build's bin/../locale, an installed bin/../share/locale), then
 * the configured install folder. */
static const char *find_catalog(char *buf, size_t len)
{
    const char *told = getenv("SOCKLAB_LOCALEDIR");
    if (told != NULL && *told != '\0')
        return catalog_in(told) ? told : NULL;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            static const char *const rel[] = {"/../locale", "/../share/locale"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                int m = snprintf(buf, len, "%s%s", exe, rel[i]);
                if (m > 0 && (size_t)m < len && catalog_in(buf))
                    return buf;
            }
        }
    }
    return catalog_in(SOCKLAB_LOCALEDIR) ? SOCKLAB_LOCALEDIR : NULL;
}

int lab_i18n_init(void)
{
    have_catalog = 0;
    const char *msgs = setlocale(LC_MESSAGES, "");
    const char *language = getenv("LANGUAGE");
    if (msgs == NULL) {
        /* LANG=zh_CN.UTF-8 where that locale was never generated: the
         * language is still meant, and our catalog needs no locale. */
        const char *asked = NULL;
        static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
        for (size_t i = 0; i < 3 && asked == NULL; i++) {
            const char *v = getenv(vars[i]);
            if (v != NULL && *v != '\0')
                asked = v;
        }
        if (asked != NULL && (language == NULL || *language == '\0')) {
            char lang[64];
            snprintf(lang, sizeof lang, "%.*s", (int)strcspn(asked, ".@"), asked);
            if (setenv("LANGUAGE", lang, 1) == 0)
                language = getenv("LANGUAGE");
        }
    }
    /* gettext ignores LANGUAGE in the "C" locale; C.UTF-8 is built into
     * glibc (2.35+), so LANGUAGE=zh_CN alone is enough. */
    if ((msgs == NULL || strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0) &&
        language != NULL && *language != '\0')
        msgs = setlocale(LC_MESSAGES, "C.UTF-8");
    if (setlocale(LC_CTYPE, "") == NULL)
        setlocale(LC_CTYPE, "C.UTF-8");
    /* strerror()'s own catalog ("libc") in UTF-8, with ours or without: under
     * LC_ALL=C (the scripts' setting for their tools) it came out as "????". */
    bind_textdomain_codeset("libc", "UTF-8");
    char buf[PATH_MAX];
    const char *dir = find_catalog(buf, sizeof buf);
    if (dir == NULL)
        return 0;
    if (bindtextdomain(LAB_TEXT_DOMAIN, dir) == NULL ||
        bind_textdomain_codeset(LAB_TEXT_DOMAIN, "UTF-8") == NULL)
        return -1;
    have_catalog = 1;
    return msgs == NULL ? -1 : 1;
}

const char *lab_tr(const char *msgid)
{
    return have_catalog ? dgettext(LAB_TEXT_DOMAIN, msgid) : msgid;
}
