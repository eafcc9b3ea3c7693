#!/usr/bin/env bash
# extract.sh [OUT.pot]: every translatable string of the programs and lib/
# into a template (default: po/socklab.pot), with xgettext (Debian: gettext).
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
mapfile -t sources < <(find lib close-demo udp-connect backlog-probe -name '*.c' | LC_ALL=C sort)
keywords=(
    lab_tr:1 N_:1
    lab_say:2 lab_explain:2 lab_say_errno:3 lab_say_fd:3 lab_say_conn:3
    lab_fail:2 lab_fail_errno:3 lab_fail_fd:3 lab_step:3 lab_usage_error:2
)
args=()
for k in "${keywords[@]}"; do args+=("--keyword=$k"); done
xgettext --language=C --from-code=UTF-8 --no-wrap --sort-by-file --add-comments=TRANSLATORS: \
    --package-name=socklab --msgid-bugs-address="the socklab issue tracker" \
    --default-domain=socklab \
    "${args[@]}" -o "$out" "${sources[@]}"
