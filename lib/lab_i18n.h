/* lab_i18n: the learner's language. English msgids stay inline, next to the
 * call they explain; glibc's own gettext finds the Chinese in the catalog
 * built from po/zh_CN.po. Machine-read tokens (state=, errno=, addresses,
 * numbers, "listening on") are never inside a translated text. */
#ifndef LAB_I18N_H
#define LAB_I18N_H

#define LAB_TEXT_DOMAIN "socklab"

/* Mark a string for translation where it is defined (a table); translate it
 * with lab_tr() where it is used. */
#define N_(text) text

/* Choose the language as gettext does (LANGUAGE, then LC_ALL, LC_MESSAGES,
 * LANG; LANGUAGE=zh_CN works with LANG unset or C.UTF-8) and find the
 * catalog: the installed one, or the build's beside the program (the
 * environment variable SOCKLAB_LOCALEDIR, when set, names the only folder
 * looked in, laid out as DIR/zh_CN/LC_MESSAGES/socklab.mo: a hook for tests
 * and for trying a catalog without installing it). Only
 * LC_MESSAGES and LC_CTYPE change (numbers keep their "." for the scripts);
 * translations come out in UTF-8. 1 if a catalog was found, 0 if not
 * (English), -1 with errno if the locale could not be set. */
int lab_i18n_init(void);

/* The translation of msgid in the current language, or msgid itself. */
const char *lab_tr(const char *msgid) __attribute__((format_arg(1)));

#endif
