# shellcheck shell=bash
# i18n.sh: the language of socklab's scripts (sourced by lib.sh, before it
# sets LC_ALL=C, and by lesson19.sh). English unless the learner chose
# Chinese; then the texts are looked up in the programs' catalog.

# The learner's language, chosen as gettext (and the programs, lab_i18n.h)
# choose it: LANGUAGE's first entry, else LC_ALL, LC_MESSAGES, LANG. Chinese
# when it starts with zh. lib.sh's LC_ALL=C would hide it from the programs, so
# a Chinese choice is passed on in LANGUAGE (which they honour under C).
# English costs nothing: no process is started and no text is looked up.
SL_ZH=0
sl_lang=${LANGUAGE:-}
sl_lang=${sl_lang%%:*}
[[ -n $sl_lang ]] || sl_lang=${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}
if [[ $sl_lang == zh* ]]; then
    SL_ZH=1
    [[ -n ${LANGUAGE:-} ]] || export LANGUAGE=${sl_lang%%[.@]*}
fi
unset sl_lang

# Translation (Chinese mode only): the scripts' texts are English msgids in
# the programs' catalog (domain socklab, po/zh_CN.po; po/extract.sh lists
# them: the first argument of sl_tr, sl_line, sl_say, sl_die,
# sl_usage_error, sl_unavailable, and T("...") in the awk files), looked up
# with gettext(1) (Debian: gettext-base), a batch of texts per process
# start. The catalog is the one the programs use: SOCKLAB_LOCALEDIR alone
# when set, else beside the programs (SOCKLAB_BIN/../locale or
# ../share/locale), else an installed copy's share/locale, else the build's
# <repo>/build/locale. No catalog or no gettext: English, silently.
SL_TR_DIR=""
declare -A SL_TR_CACHE=()
sl_tr_find() {
    local d dirs=() here=${BASH_SOURCE[0]%/*}
    [[ $here == "${BASH_SOURCE[0]}" ]] && here=.
    if [[ -n ${SOCKLAB_LOCALEDIR:-} ]]; then
        dirs=("$SOCKLAB_LOCALEDIR")
    else
        [[ -n ${SOCKLAB_BIN:-} ]] && dirs+=("$SOCKLAB_BIN/../locale" "$SOCKLAB_BIN/../share/locale")
        [[ -f $here/installed.sh ]] && dirs+=("$here/../../locale") # share/socklab/scripts
        dirs+=("$here/../build/locale")
    fi
    for d in "${dirs[@]}"; do
        if [[ -f $d/zh_CN/LC_MESSAGES/socklab.mo ]]; then
            SL_TR_DIR=$d
            [[ $d == /* ]] || SL_TR_DIR=$PWD/$d
            return 0
        fi
    done
    return 1
}
if ((SL_ZH)); then
    if ! command -v gettext >/dev/null || ! sl_tr_find; then SL_ZH=0; fi
fi

# sl_tr_load MSGID...: look up every MSGID not looked up yet, with one
# gettext (-s translates each argument; a separator no text holds, \x1f,
# goes between them), into SL_TR_CACHE.
sl_tr_load() {
    local m out part args=() ids=() sep=$'\x1f'
    ((SL_ZH)) || return 0
    for m in "$@"; do
        [[ -n $m && -z ${SL_TR_CACHE[$m]+x} ]] || continue
        ids+=("$m")
        args+=("$m" "$sep")
    done
    ((${#ids[@]})) || return 0
    out=$(LC_ALL=C.UTF-8 TEXTDOMAINDIR=$SL_TR_DIR gettext -d socklab -n -s -- "${args[@]}" 2>/dev/null) || out=""
    for m in "${ids[@]}"; do
        if [[ $out != *" $sep"* ]]; then
            SL_TR_CACHE[$m]=$m # gettext failed: English
            continue
        fi
        part=${out%%" $sep"*}
        out=${out#*" $sep"}
        out=${out# }
        SL_TR_CACHE[$m]=$part
    done
}

# sl_tr MSGID: MSGID in the learner's language, in SL_TR.
sl_tr() {
    SL_TR=$1
    ((SL_ZH)) || return 0
    [[ -n ${SL_TR_CACHE[$1]+x} ]] || sl_tr_load "$1"
    SL_TR=${SL_TR_CACHE[$1]:-$1}
}

# sl_mark MSGID: add MSGID (a text translated where it is used) to
# SL_MARKED; po/extract.sh finds it here.
sl_mark() { SL_MARKED+=("$1"); }

# sl_help TEXT: print TEXT (an msgid: a paragraph of a --help) translated,
# and a newline.
sl_help() {
    sl_tr "$1"
    printf '%s\n' "$SL_TR"
}

# sl_line FORMAT [ARG...]: print FORMAT (a printf format, an msgid)
# translated, with ARGs, and a newline.
sl_line() {
    sl_tr "$1"
    # shellcheck disable=SC2059 # the format is the (translated) msgid
    printf -- "$SL_TR\n" "${@:2}"
}
