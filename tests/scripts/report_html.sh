#!/usr/bin/env bash
# script.report-html: report-html.sh on a stored run folder
# (fixtures/report-run: a graceful close, cut short, with forged lines in
# the narration, a snapshot, the packets, stderr and the ladder's labels),
# read without a browser:
#  - one page: the scenario and both commands, every section, the narration
#    with state=/errno= marked (not a state= inside quoted network bytes),
#    each snapshot under the step it was taken before, the ladder.svg
#    inlined (its ids renamed, its four arrows), the packets, the capture's
#    link and how to open it;
#  - nothing from the files becomes markup: no <script>, no </pre> or
#    <img> from them, & and quotes escaped; nothing the page loads from
#    elsewhere;
#  - the page is listed in the marker once, and replaced on a second run;
#    a report.html the run did not write, a folder no run made, bad
#    arguments: exit 2, one line, nothing touched; --dry-run writes nothing;
#  - a ladder.svg with a script in it is not inlined: ladder.txt instead;
#  - LANGUAGE=zh_CN: lang="zh-CN".
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
FIXTURE=$here/fixtures/report-run
copy_scripts
cp -R "$FIXTURE" "$OUT"
PAGE=$OUT/report.html

# report [ENV...]: report-html.sh on OUT; silent, exit 0.
report() {
    local rc=0
    env "$@" TMPDIR="$WORK/tmp" bash "$REPO/scripts/report-html.sh" "$OUT" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null || rc=$?
    ((rc == 0)) || fail "report-html.sh exited $rc: $(<"$WORK/stderr")"
    [[ ! -s $WORK/stdout && ! -s $WORK/stderr ]] || fail "report-html.sh printed: $(<"$WORK/stdout") $(<"$WORK/stderr")"
    [[ -s $PAGE ]] || fail "no report.html"
    PAGE_TEXT=$(<"$PAGE")
}
# count TEXT: how often TEXT occurs in the page, in N.
count() {
    local rest=${PAGE_TEXT//"$1"/}
    N=$(((${#PAGE_TEXT} - ${#rest}) / ${#1}))
}
has() { [[ $PAGE_TEXT == *"$1"* ]] || fail "the page has no '$1'"; }
hasnt() { [[ $PAGE_TEXT != *"$1"* ]] || fail "the page has '$1'"; }

report
[[ $PAGE_TEXT == '<!DOCTYPE html>'* ]] || fail "not an HTML5 page: ${PAGE_TEXT:0:80}"
has '<html lang="en">'
has '<meta charset="utf-8">'
has '<code>graceful</code>'
has '<code>socklab/bin/close-server --step --scenario graceful</code>'
has '<code>socklab/bin/close-client --step --scenario graceful</code>'
for id in rh-narration rh-ladder rh-packets rh-capture; do has "<section id=\"$id\">"; done
has '<b class="rh-tok rh-state">state=TIME_WAIT</b>'
has '<b class="rh-tok rh-errno">errno=ECONNREFUSED</b>'
has '\&quot;state=FORGED\&quot;' # inside the quotes: data, not marked
hasnt 'rh-state">state=FORGED'

# The steps and their snapshots, in order, in the narration.
expect_order "$PAGE" 'step: press Enter to accept\(\)' '<summary>\[server\] before: accept\(\)' \
    'step: press Enter to connect\(\)' '<summary>\[client\] before: connect\(\)' \
    'accept\(\) -&gt; connection from' 'step: press Enter to close\(\)<' '<summary>\[client\] before: close\(\)' \
    'close\(\): the kernel sends our FIN; the fd is gone' 'step: press Enter to close\(\) the connection' \
    '<summary>\[server\] before: close\(\) the connection' '0.208' 'done, exit 0' '<summary>after both programs exited' \
    '<section id="rh-ladder">' '<section id="rh-packets">' '<section id="rh-capture">'

# The ladder, inlined: one svg, its ids renamed, an arrow per segment.
count '<svg'
((N == 1)) || fail "want one <svg>, got $N"
count 'marker-end="url(#ladder-h-'
((N == 4)) || fail "want 4 arrows pointing at the renamed markers, got $N"
has '<marker id="ladder-h-c2s"'
has '.ladder-arrow{'
hasnt '<?xml'
has 'The same ladder as text (ladder.txt)'

# The capture: linked, and how to open it.
has '<a href="capture.pcap">capture.pcap</a>'
has '<code>wireshark capture.pcap</code>'
has '<code>tcpdump -nn -r capture.pcap</code>'
has 'File &gt; Open'

# Escaped, all of it: the forged lines are text.
count '<script'
((N == 0)) || fail "the page holds $N <script"
count '&lt;script&gt;'
((N == 6)) || fail "want the 6 forged <script> as text (narration twice, stderr, ss, packets, the ladder's label), got $N"
hasnt '</pre></div><script'
hasnt '<img'
has '&lt;/pre&gt;&lt;/div&gt;&lt;script&gt;document.title=&#39;forged&#39;&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;'
has 'CLOSE-WAIT</b> 0      0          127.0.0.1:19001    127.0.0.1:42292 &lt;script&gt;alert(3)&lt;/script&gt;'
has 'length 0 &lt;/pre&gt;&lt;script&gt;alert(4)&lt;/script&gt; &amp; &#39;x&#39; &quot;y&quot;'
has 'a forged line on stderr: &lt;/pre&gt;&lt;script&gt;alert(&quot;err&quot;)'
# Nothing loaded from elsewhere: the one address is the SVG namespace.
rest=${PAGE_TEXT//'xmlns="http://www.w3.org/2000/svg"'/}
[[ $rest != *http:* && $rest != *https:* && $rest != *'//'[a-z]* ]] || fail "the page names an address"
for t in '<link' ' src="' '@import' '<iframe' '<object' '<embed' '<video' '<audio'; do hasnt "$t"; done
rest=${PAGE_TEXT//url(#/}
[[ $rest != *'url('* ]] || fail "the page loads a url()"

# Listed once, replaced on a second run.
mapfile -t lines <"$OUT/.socklab-run"
n=0
for l in "${lines[@]}"; do [[ $l == report.html ]] && n=$((n + 1)); done
((n == 1)) || fail "the marker lists report.html $n times"
report
mapfile -t lines <"$OUT/.socklab-run"
n=0
for l in "${lines[@]}"; do [[ $l == report.html ]] && n=$((n + 1)); done
((n == 1)) || fail "after a second run the marker lists report.html $n times"
echo "ok: the page, escaped, listed once"

# Refusals: exit 2, one line, nothing touched.
expect_fail 2 report-html
expect_fail 2 report-html "$OUT" "$OUT"
expect_fail 2 report-html --bogus "$OUT"
expect_fail 2 report-html "$WORK/none"
mkdir "$WORK/plain"
printf 'mine\n' >"$WORK/plain/report.html"
folder_state "$WORK/plain"
before=$STATE
expect_fail 2 report-html "$WORK/plain" # no marker: no run made it
folder_state "$WORK/plain"
[[ $STATE == "$before" ]] || fail "a folder no run made was touched"
# A run folder whose report.html no run listed.
mkdir "$WORK/foreign"
cp "$FIXTURE/.socklab-run" "$FIXTURE/narration.txt" "$WORK/foreign/"
printf 'a page of my own\n' >"$WORK/foreign/report.html"
folder_state "$WORK/foreign"
before=$STATE
expect_fail 2 report-html "$WORK/foreign"
[[ $ERR_LINE == *'holds a report.html no socklab run wrote'* ]] || fail "why not replaced: $ERR_LINE"
folder_state "$WORK/foreign"
[[ $STATE == "$before" ]] || fail "a report.html the run did not write was touched"
# --dry-run: checked, nothing written.
mkdir "$WORK/dry"
cp "$FIXTURE/.socklab-run" "$FIXTURE/narration.txt" "$WORK/dry/"
folder_state "$WORK/dry"
before=$STATE
TMPDIR=$WORK/tmp bash "$REPO/scripts/report-html.sh" "$WORK/dry" --dry-run >"$WORK/stdout" 2>&1 || fail "--dry-run failed: $(<"$WORK/stdout")"
folder_state "$WORK/dry"
[[ $STATE == "$before" ]] || fail "--dry-run touched the folder"
[[ $(<"$WORK/stdout") == *'dry run'*'would write '*/dry/report.html ]] || fail "--dry-run said: $(<"$WORK/stdout")"
TMPDIR=$WORK/tmp bash "$REPO/scripts/report-html.sh" --help >"$WORK/stdout" 2>&1 || fail "--help failed"
[[ $(<"$WORK/stdout") == 'Usage: scripts/report-html.sh RUN_FOLDER'* ]] || fail "--help: $(<"$WORK/stdout")"

# A ladder.svg that is more than a drawing is not inlined.
printf '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(6)</script><line x1="0" marker-end="url(#a)"/></svg>\n' >"$OUT/ladder.svg"
report
count '<svg'
((N == 0)) || fail "a ladder.svg with a script was inlined"
hasnt '<script'
has 'ladder.svg holds more than a drawing: not shown here.'
has '<pre class="rh-pre rh-ladder">'
has 'FIN_WAIT1* --[FIN,ACK seq=21 ack=1 len=0]---&gt;  CLOSE_WAIT*'
printf '<svg xmlns="http://www.w3.org/2000/svg"><a href="https://example.org/"><text>x</text></a></svg>\n' >"$OUT/ladder.svg"
report
count '<svg'
((N == 0)) || fail "a ladder.svg with a link out was inlined"
echo "ok: a ladder.svg with a script or a link is not inlined"

# In Chinese: the page says so (its headings are the catalog's).
report LANGUAGE=zh_CN
has '<html lang="zh-CN">'
shopt -s nullglob dotglob
left=("$WORK/tmp"/*)
shopt -u nullglob dotglob
((${#left[@]} == 0)) || fail "left in TMPDIR: ${left[*]##*/}"
echo "ok: lang=zh-CN under LANGUAGE=zh_CN"
