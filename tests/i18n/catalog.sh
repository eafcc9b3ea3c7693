#!/usr/bin/env bash
# i18n.catalog-complete: every string a learner can read has its Chinese.
# po/extract.sh lists the msgids of the sources as they are now (narration
# calls, lab_tr, N_, the scripts' lookups); po/zh_CN.po must translate every
# one of them (msgcmp: none missing, none empty, none fuzzy), its formats
# must match (msgfmt --check-format), and the lines scripts and tests read
# must stay as they are.
set -euo pipefail
ROOT=${1:?usage: catalog.sh REPO}
for tool in xgettext msgcmp msgfmt; do
    command -v "$tool" >/dev/null || {
        echo "SKIP: $tool is not installed (apt-get install gettext)"
        exit 77
    }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$ROOT/po/extract.sh" "$WORK/socklab.pot"
if ! msgcmp "$ROOT/po/zh_CN.po" "$WORK/socklab.pot" 2>"$WORK/missing"; then
    echo "FAIL: msgids without Chinese in po/zh_CN.po (po/extract.sh, then msgmerge):"
    head -40 "$WORK/missing"
    exit 1
fi
msgfmt --check-format -o /dev/null "$ROOT/po/zh_CN.po" || {
    echo "FAIL: po/zh_CN.po does not compile"
    exit 1
}
# Tokens the scripts and tests parse are never translated.
mapfile -t po <"$ROOT/po/zh_CN.po"
for ((i = 0; i + 1 < ${#po[@]}; i++)); do
    if [[ ${po[i]} == 'msgid "listening on'* ]]; then
        want=${po[i]#msgid }
        [[ ${po[i + 1]} == "msgstr $want" ]] || {
            echo "FAIL: the 'listening on' line is translated: ${po[i + 1]}"
            exit 1
        }
    fi
done
mapfile -t ids < <(grep -c '^msgid ' "$WORK/socklab.pot")
echo "ok: every msgid has its Chinese (${ids[0]} in the template)"
