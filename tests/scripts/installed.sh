#!/usr/bin/env bash
# script.installed: after `cmake --install`, the installed scripts use the
# installed programs and never configure a build beside themselves; in a
# source tree, a script that has to build says one line, and shows the
# build's log only when the build fails. (A stand-in cmake keeps it fast.)
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
BUILD=${2:?usage: installed.sh SCRIPTS_DIR BUILD_DIR}
REAL_BIN=${SOCKLAB_BIN:?}
unset SOCKLAB_BIN

cmake --install "$BUILD" --prefix "$WORK/inst" >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; fail "cmake --install failed"; }
inst=$WORK/inst/share/socklab/scripts
[[ -f $inst/close-demo.sh ]] || fail "no installed close-demo.sh"
mkdir "$WORK/cwd"
rc=0
(cd "$WORK/cwd" && bash "$inst/close-demo.sh" --dry-run --scenario half-close) >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
((rc == 0)) || { cat "$WORK/stdout" "$WORK/stderr"; fail "installed close-demo.sh --dry-run exited $rc"; }
expect_line "$WORK/stdout" "would run: $WORK/inst/bin/close-server --step --scenario half-close\$"
expect_line "$WORK/stdout" "would run: $WORK/inst/bin/close-client "
[[ -s $WORK/stderr ]] && fail "installed run said: $(<"$WORK/stderr")"
[[ -e $WORK/inst/share/socklab/build || -e $WORK/inst/share/socklab/CMakeCache.txt ]] && fail "a build was started beside the installed scripts"
echo "ok: the installed scripts use $WORK/inst/bin"

# A source tree without programs: a stand-in cmake prints a long log and
# "builds" them (links to the real ones), or fails.
copy_scripts
: >"$REPO/CMakeLists.txt"
mkdir "$WORK/fake"
cat >"$WORK/fake/cmake" <<FAKE
#!/usr/bin/env bash
for ((i = 0; i < 30; i++)); do echo "-- cmake says line \$i"; done
[[ -z \${FAKE_FAIL:-} ]] || { echo "error: something broke" >&2; exit 1; }
if [[ \$1 == --build ]]; then
    mkdir -p "$REPO/build/bin"
    for p in close-server close-client; do ln -sf "$REAL_BIN/\$p" "$REPO/build/bin/\$p"; done
fi
exit 0
FAKE
chmod +x "$WORK/fake/cmake"
FAKE_FAIL=1 PATH="$WORK/fake:$PATH" TMPDIR=$WORK/tmp bash "$REPO/scripts/close-demo.sh" --dry-run >"$WORK/stdout" 2>"$WORK/stderr" && fail "a failed build did not fail the script"
expect_line "$WORK/stderr" 'error: something broke'
expect_line "$WORK/stderr" 'the build failed'
rc=0
PATH="$WORK/fake:$PATH" TMPDIR=$WORK/tmp bash "$REPO/scripts/close-demo.sh" --dry-run >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
((rc == 0)) || { cat "$WORK/stderr"; fail "the first run with a build exited $rc"; }
read_lines "$WORK/stderr"
((${#FILE_LINES[@]} == 1)) || fail "the build printed ${#FILE_LINES[@]} lines, want 1: $(printf '\n  %s' "${FILE_LINES[@]}")"
[[ ${FILE_LINES[0]} == *building* ]] || fail "the one line does not say it builds: ${FILE_LINES[0]}"
shopt -s nullglob dotglob
left=("$WORK/tmp"/*)
((${#left[@]} == 0)) || fail "left ${left[*]##*/} in TMPDIR"
echo "ok: the build said one line; a failed one showed its log"
