#!/usr/bin/env bash
# extract.sh [OUT.pot]: every translatable string of the programs, lib/ and
# scripts/ into a template (default: po/socklab.pot), with xgettext
# (Debian: gettext).
# A string is translatable where it is the text argument of a narration
# call (lab_say, lab_explain, ...), of lab_tr, or marked with N_(). The
# catalog check (tests/i18n) compares the template with po/zh_CN.po.
# To add translations: po/extract.sh && msgmerge -U po/zh_CN.po po/socklab.pot,
# then fill in every empty msgstr.
set -euo pipefail
here=${BASH_SOURCE[0]%/*}
[[ $here == "${BASH_SOURCE[0]}" ]] && here=.
root=$(cd "$here/.." && pwd)
out=${1:-$root/po/socklab.pot}
command -v xgettext >/dev/null || {
    echo "extract.sh: xgettext is not installed (apt-get install gettext)" >&2
    exit 77
}
cd "$root"
mapfile -t sources < <(find lib close-demo udp-connect backlog-probe tcp-peer -name '*.c' | LC_ALL=C sort)
keywords=(
    lab_tr:1 N_:1
    lab_say:2 lab_explain:2 lab_say_errno:3 lab_say_fd:3 lab_say_conn:3
    lab_fail:2 lab_fail_errno:3 lab_fail_fd:3 lab_step:3 lab_usage_error:2
    closing_close_noting:3 close_scenario_takes:5
)
args=()
for k in "${keywords[@]}"; do args+=("--keyword=$k"); done
common=(--from-code=UTF-8 --no-wrap --sort-by-file --add-comments=TRANSLATORS:
    --package-name=socklab --msgid-bugs-address="the socklab issue tracker"
    --default-domain=socklab)
xgettext --language=C "${common[@]}" "${args[@]}" -o "$out" "${sources[@]}"
# The scripts (scripts/i18n.sh, lib.sh): the first argument of sl_tr, sl_help,
# sl_mark, sl_line, the messages (sl_say ..., sl_mark_interrupted;
# lesson19.sh: bad), and in the awk programs the argument of T("...")
# (their tables come from sl_awk_tr).
# The scripts' formats are printf's: no $VAR in them is ever expanded
# (no-sh-format); keep each %s in its place. -k: not xgettext's own shell
# keywords (lib.sh runs gettext(1) itself).
args=()
for k in sl_tr sl_help sl_mark sl_line sl_say sl_die sl_usage_error sl_unavailable sl_mark_interrupted bad; do
    args+=("--keyword=$k:1" "--flag=$k:1:no-sh-format")
done
mapfile -t sources < <(find scripts -name '*.sh' | LC_ALL=C sort)
xgettext --join-existing --language=Shell -k "${common[@]}" "${args[@]}" -o "$out" "${sources[@]}"
mapfile -t sources < <(find scripts -name '*.awk' | LC_ALL=C sort)
xgettext --join-existing --language=awk "${common[@]}" --keyword=T:1 --flag=T:1:awk-format \
    -o "$out" "${sources[@]}"
