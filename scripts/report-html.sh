#!/usr/bin/env bash
# report-html.sh RUN_FOLDER: the run folder as one page a teacher can
# project: RUN_FOLDER/report.html. The scripts call it at the end of every
# run; it also works on its own, on any folder a run made.
set -euo pipefail
sl_here=${BASH_SOURCE[0]%/*}
[[ $sl_here == "${BASH_SOURCE[0]}" ]] && sl_here=. # no fork for dirname
# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR/..
source "$sl_here/lib.sh"

usage() {
    sl_help "Usage: scripts/report-html.sh RUN_FOLDER
Write RUN_FOLDER/report.html: one self-contained page (no network, no
script; light or dark as the browser prefers) with the scenario and the
commands that ran, both sides' narration merged by time with the ss
snapshots under the step each was taken before, the ladder diagram
(ladder.svg, else ladder.txt), the run's picture (drain.svg, ttl.svg) when
there is one, the packet list, and links to the capture with how to open it
in Wireshark. Every text taken from the folder is escaped: bytes from the
network never become markup.

RUN_FOLDER is a folder a socklab script wrote (it holds .socklab-run). A
report.html there is replaced only when that run (or this script) listed it
as its own; the page is added to the list before it is written. Headings
are in the learner's language (LANGUAGE, as for the scripts).

Options:
      --dry-run  check the folder, say what would be written, write nothing
  -h, --help     this text"
    printf '\n'
    sl_help "Examples:
  scripts/report-html.sh FOLDER
  LANGUAGE=zh_CN scripts/report-html.sh FOLDER"
}

args=()
while (($#)); do
    case $1 in
    -h | --help)
        usage
        exit 0
        ;;
    --dry-run) SL_DRY_RUN=1 ;;
    --)
        shift
        args+=("$@")
        break
        ;;
    -?*) sl_usage_error "unknown option '%s'" "$1" ;;
    *) args+=("$1") ;;
    esac
    shift
done
((${#args[@]} == 1)) || sl_usage_error 'give one run folder'
dir=${args[0]}
[[ -n $dir ]] || sl_usage_error 'empty run folder name'
[[ -d $dir ]] || sl_usage_error "'%s' is not a folder" "$dir"
marker="$dir/$SL_MARKER"
if [[ ! -f $marker || -L $marker ]]; then
    sl_usage_error "'%s' is not a run folder (no %s): give a folder a socklab script wrote" "$dir" "$SL_MARKER"
fi
[[ -r $marker && -r $dir && -x $dir ]] || sl_die "cannot read the run folder '%s': Permission denied" "$dir"

# The files the run wrote (its marker's plain names, as sl_check_out reads
# them): the page reads those only, and only regular files.
mapfile -t lines <"$marker"
files=()
for name in "${lines[@]}"; do
    [[ $name =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ ]] || continue
    [[ -n ${SL_OWNED[$name]:-} ]] && continue
    SL_OWNED[$name]=1
    [[ $name == report.html ]] && continue
    if [[ -f $dir/$name && ! -L $dir/$name ]]; then files+=("$name"); fi
done
page="$dir/report.html"
if [[ -e $page || -L $page ]] && [[ -z ${SL_OWNED[report.html]:-} || -L $page || ! -f $page ]]; then
    sl_usage_error "'%s' holds a report.html no socklab run wrote: not replaced" "$dir"
fi
[[ -w $dir ]] || sl_die "cannot write in the run folder '%s': Permission denied" "$dir"

if ((SL_DRY_RUN)); then
    sl_line '%s: dry run: the folder checked, nothing written; would write %s' "$SL_NAME" "$page"
    exit 0
fi

lang=en
l=${LANGUAGE:-}
[[ ${l%%:*} == zh* ]] && lang=zh-CN
SL_TR_RUN=() # only the page's texts to look up
SL_TMP=""
if ((SL_ZH)); then
    SL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/socklab-report-html.XXXXXX") ||
        sl_die 'cannot make a temporary folder in %s' "${TMPDIR:-/tmp}"
    trap 'rm -rf -- "$SL_TMP"' EXIT
fi
sl_awk_tr "$SL_LIBDIR/report-html.awk"

sl_abspath "$dir"
SL_RUN=$SL_PATH
# Listed before it exists: a later run may replace it.
{ sl_own report.html; } 2>/dev/null || sl_die "cannot write in the run folder '%s': Permission denied" "$dir"
awk -v dir="$SL_RUN" -v files="${files[*]}" -v lang="$lang" -v tr="$SL_AWK_TR" \
    -f "$SL_LIBDIR/markup.awk" -f "$SL_LIBDIR/report-html.awk" >"$page" </dev/null ||
    sl_die 'could not write %s' "$page"
