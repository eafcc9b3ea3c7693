#!/usr/bin/env bash
# script.report-html-browser: the page of fixtures/report-run rendered by a
# real browser, Debian's chromium-headless-shell, in one run: --dump-dom
# (the DOM after parsing: every section, one inlined svg with its four
# arrows, the forged lines as text and no script element from them) and
# --screenshot at projector width (a PNG of 1280x2000 with something
# drawn on it). Skipped (77) where the browser is not installed. The
# browser runs in the test's own network namespace (no network: the page
# needs none), bounded by timeout, with a fresh profile, HOME and cache in
# the test's temporary folder; no process of it outlives the test.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
browser=$(command -v chromium-headless-shell || true)
if [[ -z $browser ]]; then
    echo "SKIP: chromium-headless-shell is not installed (apt-get install chromium-headless-shell)"
    exit 77
fi
command -v timeout >/dev/null || { echo "SKIP: timeout (coreutils) is not installed"; exit 77; }
cp -R "$here/fixtures/report-run" "$OUT"
bash "$SCRIPTS/report-html.sh" "$OUT" || fail "report-html.sh failed"

profile=$WORK/profile
mkdir -p "$profile" "$WORK/home"
png=$WORK/shot.png
# --no-sandbox: as root the browser refuses to start without it, and its
# sandbox needs namespaces this test's own may not give. timeout signals
# the browser's whole process group (its helpers too) if it hangs; the
# bound is for a hang, not a speed: under an emulated CPU (tests/vm/run.sh)
# one start took 12-16 s, here 0.6-0.85 s.
rc=0
HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home XDG_CACHE_HOME=$WORK/home \
    timeout -k 2 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1280,2000 \
    --dump-dom --screenshot="$png" "file://$OUT/report.html" \
    >"$WORK/dom.html" 2>"$WORK/browser.err" </dev/null || rc=$?
if ((rc)); then
    tail -n 5 "$WORK/browser.err"
    ((rc == 124 || rc == 137)) && fail "the browser did not finish within 60 s"
    fail "the browser exited $rc"
fi
# Nothing of it left running (its profile folder names it).
if command -v pgrep >/dev/null; then
    mapfile -t left < <(pgrep -f -- "--user-data-dir=$profile" || true)
    if ((${#left[@]})); then
        kill -KILL "${left[@]}" 2>/dev/null || true
        fail "browser processes outlived the run: ${left[*]}"
    fi
fi

# The DOM.
DOM=$(<"$WORK/dom.html")
[[ -n $DOM ]] || fail "--dump-dom printed nothing: $(tail -n 3 "$WORK/browser.err")"
dom_has() { [[ $DOM == *"$1"* ]] || fail "the DOM has no '$1'"; }
# count TEXT: how often TEXT occurs in the DOM, in N.
count() {
    local rest=${DOM//"$1"/}
    N=$(((${#DOM} - ${#rest}) / ${#1}))
}
dom_has '<html lang="en">'
for id in rh-narration rh-ladder rh-packets rh-capture; do dom_has "<section id=\"$id\">"; done
dom_has '<b class="rh-tok rh-state">state=TIME_WAIT</b>'
dom_has '<a href="capture.pcap">capture.pcap</a>'
count '<svg'
((N == 1)) || fail "want one svg element in the DOM, got $N"
count 'marker-end="url(#ladder-h-'
((N == 4)) || fail "want 4 arrows in the inlined ladder, got $N"
count '<marker id="ladder-h-'
((N == 2)) || fail "want the ladder's 2 markers, got $N"
count '<script'
((N == 0)) || fail "the DOM holds $N script elements"
count '<img'
((N == 0)) || fail "the DOM holds $N img elements"
count '&lt;script&gt;'
((N == 6)) || fail "want the 6 forged <script> as text, got $N"
# The forged </pre></div> closed nothing: every event is still in the
# narration, in its own row.
count 'class="rh-ev '
((N == 18)) || fail "want the 18 events as rows, got $N"
echo "ok: the DOM: sections, one svg with 4 arrows, the forged lines as text"

# The screenshot: a PNG of 1280x2000 (its IHDR), not a blank page.
[[ -s $png ]] || fail "no screenshot: $(tail -n 3 "$WORK/browser.err")"
read -r -a head < <(od -An -tu1 -w24 -N24 -- "$png")
[[ "${head[*]:0:8}" == '137 80 78 71 13 10 26 10' ]] || fail "not a PNG: ${head[*]:0:8}"
width=$(((head[16] << 24) | (head[17] << 16) | (head[18] << 8) | head[19]))
height=$(((head[20] << 24) | (head[21] << 16) | (head[22] << 8) | head[23]))
((width == 1280 && height == 2000)) || fail "screenshot ${width}x$height, want 1280x2000"
size=$(stat -c %s -- "$png")
((size > 50000)) || fail "screenshot of $size bytes: a nearly empty page?"
echo "ok: the screenshot: PNG ${width}x$height, $size bytes"
