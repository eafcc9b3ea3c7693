#!/usr/bin/env bash
# script.ladder-svg: ladder.svg drawn from stored captures (tcpdump text and
# the states the narration reported), the same on every machine:
#  - the rows ladder.awk writes (-v rows=FILE) leave the text ladder as it
#    was, and every row has its fields, none empty;
#  - the picture has one arrow (one element with a marker-end) per captured
#    segment, in capture order, each labelled with flags/seq/ack/len; the
#    states both ends entered, the ones their narration reported filled and
#    ticked, the others not; the gaps in time; the ending (TIME_WAIT, 60 s,
#    CLOSED); segments not taken in drawn crossed, with their note;
#  - hostile text: a forged narration line (quoted bytes holding <script> and
#    state=) reaches neither the states nor the picture; capture text, notes
#    and the title with markup, quotes, control characters and broken UTF-8
#    come out escaped;
#  - a Chinese run (a T() table) labels the picture in Chinese;
#  - every picture is well-formed XML (xmllint when installed, else a check
#    that every tag is closed in order), with no script and nothing fetched.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
export LC_ALL=C # as the scripts run awk: widths in bytes

T0=1000
# draw NAME SPORTS [TABLE]: $WORK/NAME.cap (with $WORK/NAME.states) into the
# text ladder NAME.txt, the rows NAME.rows and the picture NAME.svg.
draw() {
    local name=$1 sports=$2 tr=${3:-}
    [[ -e $WORK/$name.states ]] || : >"$WORK/$name.states"
    awk -v t0="$T0" -v sports="$sports" -v states="$WORK/$name.states" -v tr="$tr" \
        -v rows="$WORK/$name.rows" -f "$SCRIPTS/ladder.awk" "$WORK/$name.cap" >"$WORK/$name.txt"
    awk -v t0="$T0" -v sports="$sports" -v states="$WORK/$name.states" -v tr="$tr" \
        -f "$SCRIPTS/ladder.awk" "$WORK/$name.cap" >"$WORK/$name.plain"
    same_text "$WORK/$name.txt" "$WORK/$name.plain" || fail "$name: the text ladder changes with -v rows"
    awk -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/ladder-svg.awk" -v tr="$tr" -v title="${TITLE:-test $name}" "$WORK/$name.rows" >"$WORK/$name.svg"
    wellformed "$WORK/$name.svg"
    rows_ok "$WORK/$name.rows"
}

# wellformed FILE: xmllint's word when installed; else every tag closed in
# the order opened, and no & that starts no entity.
XMLLINT=$(type -P xmllint || true)
[[ -n $XMLLINT ]] || echo "note: xmllint is not installed (apt-get install libxml2-utils): tags checked by hand"
wellformed() {
    local err
    if [[ -n $XMLLINT ]]; then
        err=$("$XMLLINT" --noout "$1" 2>&1) || fail "${1##*/} is not well-formed XML: $err"
        return 0
    fi
    err=$(awk 'BEGIN { RS = "<"; n = 0 }
        NR > 1 {
            tag = $0; sub(/>.*/, "", tag)
            if (tag ~ /^[?!]/) next
            if (tag ~ /^\//) { sub(/^\//, "", tag); if (n == 0 || st[n] != tag) { print "</" tag "> closes <" st[n] ">"; exit } n--; next }
            if (tag ~ /\/$/) next
            sub(/[ \t\n].*/, "", tag); st[++n] = tag
        }
        { t = $0; gsub(/&(amp|lt|gt|quot|#[0-9]+);/, "", t); if (index(t, "&")) { print "a bare &"; exit } }
        END { if (n) print "<" st[n] "> never closed" }' "$1")
    [[ -z $err ]] || fail "${1##*/} is not well-formed: $err"
}

# rows_ok FILE: each kind of row has its number of fields, none empty.
rows_ok() {
    local bad
    bad=$(awk -F '\t' '{ want = $1 == "meta" || $1 == "gap" ? 3 : $1 == "life" ? 4 : $1 ~ /^(note|endhead)$/ ? 2 : \
            $1 == "end" ? 6 : $1 ~ /^(seg|udp|icmp)$/ ? 15 : 0
        if (NF != want) { print NR ": " NF " fields, want " want ": " $0; exit }
        for (i = 1; i <= NF; i++) if ($i == "") { print NR ": field " i " empty: " $0; exit } }' "$1")
    [[ -z $bad ]] || fail "${1##*/} line $bad"
}

# count FILE REGEX: how many lines of FILE match, in N.
count() {
    grep_lines "$1" "$2"
    N=${#MATCHED[@]}
}

# A graceful close as close-demo captured it (tcpdump -nn -tt -S), and the
# states the narration reported (time side STATE [timer]).
p() { printf '10%s IP 127.0.0.1.%s > 127.0.0.1.%s: Flags [%s], %slength %s\n' "$@"; }
{
    p 00.035089 57060 19001 S "seq 3220885391, win 65495, " 0
    p 00.035105 19001 57060 S. "seq 2248449145, ack 3220885392, win 65483, " 0
    p 00.035120 57060 19001 . "ack 2248449146, win 64, " 0
    p 00.035190 57060 19001 P. "seq 3220885392:3220885400, ack 2248449146, win 64, " 8
    p 00.035197 19001 57060 . "ack 3220885400, win 64, " 0
    p 00.035210 57060 19001 P. "seq 3220885400:3220885408, ack 2248449146, win 64, " 8
    p 00.035214 19001 57060 . "ack 3220885408, win 64, " 0
    p 00.035222 57060 19001 P. "seq 3220885408:3220885412, ack 2248449146, win 64, " 4
    p 00.035224 19001 57060 . "ack 3220885412, win 64, " 0
    p 00.045071 57060 19001 F. "seq 3220885412, ack 2248449146, win 64, " 0
    p 00.088403 19001 57060 . "ack 3220885413, win 64, " 0
    p 00.161437 19001 57060 F. "seq 2248449146, ack 3220885413, win 64, " 0
    p 00.161461 57060 19001 . "ack 2248449147, win 64, " 0
} >"$WORK/close.cap"
cat >"$WORK/close.states" <<'EOF'
0.004427 server LISTEN
0.035427 server ESTABLISHED
0.045427 server CLOSE_WAIT
0.173427 server CLOSE
0.035082 client ESTABLISHED
0.048082 client FIN_WAIT1 0.204
0.092082 client FIN_WAIT2 60.000
0.165082 client TIME_WAIT 59.996
EOF
draw close 19001
svg=$WORK/close.svg
count "$svg" 'marker-end='
((N == 13)) || fail "close: 13 segments captured, $N arrows"
count "$svg" '<line class="arrow seg c2s" .*marker-end="url\(#sl-ladder-h-c2s\)"'
((N == 7)) || fail "close: 7 segments from the client, $N arrows to the right"
count "$svg" '<line class="arrow seg s2c" .*marker-end="url\(#sl-ladder-h-s2c\)"'
((N == 6)) || fail "close: 6 segments from the server, $N arrows to the left"
# In capture order, each with its time.
grep_lines "$svg" 'class="arrow '
times=()
for l in "${MATCHED[@]}"; do [[ $l =~ data-t=\"([0-9.]+)\" ]] && times+=("${BASH_REMATCH[1]}"); done
[[ ${times[0]} == 0.035089 && ${times[12]} == 0.161461 ]] || fail "close: arrow times ${times[*]}"
expect_order "$svg" '>SYN seq=0 len=0</text>' '>SYN,ACK seq=0 ack=1 len=0</text>' '>PSH,ACK seq=1 ack=1 len=8</text>' \
    '>FIN,ACK seq=21 ack=1 len=0</text>' '>43 ms later</text>' '>ACK seq=1 ack=22 len=0</text>' '>73 ms later</text>' \
    '>FIN,ACK seq=1 ack=22 len=0</text>' '>ACK seq=22 ack=2 len=0</text>' '>0\.1615</text>'
expect_line "$svg" '^<g class="head">.*>client</text>.*>127\.0\.0\.1</text></g>$'
expect_line "$svg" '^<g class="head">.*>server</text>.*>127\.0\.0\.1:19001</text></g>$'
# The states: reported by the narration (filled, ticked) or not.
state() {
    local side=$1 st=$2 ok=$3 cls=st
    ((ok)) && cls="st ok"
    count "$svg" "^<g class=\"$cls\" data-side=\"$side\">.*>$st</text>"
    ((N >= 1)) || fail "close: no $side state $st drawn as '$cls'"
}
state client SYN_SENT 0
state client ESTABLISHED 1
state client FIN_WAIT1 1
state client FIN_WAIT2 1
state client TIME_WAIT 1
state server SYN_RECV 0
state server ESTABLISHED 1
state server CLOSE_WAIT 1
state server LAST_ACK 0
state server CLOSE 1
count "$svg" '<path class="tick"'
((N == 7 + 1)) || fail "close: want 7 ticked states (and the legend's), got $N"
# The ending: TIME_WAIT, 60 s, CLOSED on the client's side; its words.
expect_order "$svg" '^<g class="st" data-side="client">.*>TIME_WAIT</text>' '>60 s</text>' \
    '^<g class="st" data-side="client">.*>CLOSED</text>' '>After the last segment \(both programs' \
    '>client: TIME_WAIT -&gt; CLOSED when its timer runs out: a fixed 60 s' \
    '>server: LAST_ACK -&gt; CLOSED at 0\.1615, when the ACK of its FIN arrived'
expect_line "$svg" '>one capture point: sent and received at the same instant; the slope only shows direction</text>'
expect_line "$svg" '@media \(prefers-color-scheme: dark\)'
count "$svg" '<script|href=|url\(http|@import|@font-face'
((N == 0)) || fail "close: the picture fetches or runs something: ${MATCHED[0]}"
echo "ok: close: 13 segments, 13 arrows, states and marks, gaps, the ending"

# Segments not taken in (the client's last ACK, twice): crossed, with a note.
f() { printf '10%s IP 127.0.0.1.%s > 127.0.0.1.%s: Flags [%s], seq %s, ack %s, length 0\n' "$@"; }
{
    p 00.010 5001 19001 S "seq 100, " 0
    p 00.011 19001 5001 S. "seq 500, ack 101, " 0
    p 00.012 5001 19001 . "ack 501, " 0
    f 00.020 5001 19001 F. 101 501
    f 00.030 19001 5001 F. 501 102
    printf '1000.031 IP 127.0.0.1.5001 > 127.0.0.1.19001: Flags [.], ack 502, length 0\n'
    f 00.240 19001 5001 F. 501 102
    printf '1000.241 IP 127.0.0.1.5001 > 127.0.0.1.19001: Flags [.], ack 502, length 0\n'
} >"$WORK/lost.cap"
draw lost 19001
count "$WORK/lost.svg" 'marker-end='
((N == 8)) || fail "lost: 8 segments, $N arrows"
count "$WORK/lost.svg" '<line class="arrow seg lost" .*marker-end="url\(#sl-ladder-h-lost\)"'
((N == 1)) || fail "lost: want 1 crossed arrow, got $N"
expect_line "$WORK/lost.svg" 'class="note".*>\(server did not take it in: the FIN came again\)</text>'
expect_line "$WORK/lost.svg" '>not taken in by the receiving socket'
echo "ok: lost: the ACK the server did not take in is crossed, with its note"

# Hostile text. A forged narration line (network bytes quoted, holding
# markup and a state=) goes through the scripts' own parser first.
cat >"$WORK/server.out" <<'EOF'
  0.000 server  listening on 127.0.0.1:19001
  0.030 server  read 40 bytes: "<script>alert(1)</script> state=TIME_WAIT \"&'"  state=ESTABLISHED
  0.040 server  close()  state=CLOSE_WAIT
EOF
printf 'server\t%s\n' 1000.000000 >"$WORK/starts.tsv"
: >"$WORK/releases.tsv"
awk -v t0=1000.000000 -v starts="$WORK/starts.tsv" -v releases="$WORK/releases.tsv" \
    -v clocks="$WORK/clocks.tsv" -v narration="$WORK/narration.txt" -v states="$WORK/forged.states" \
    -f "$SCRIPTS/msort.awk" -f "$SCRIPTS/timeline.awk" "$WORK/server.out"
cp "$WORK/close.cap" "$WORK/forged.cap"
draw forged 19001
count "$WORK/forged.svg" 'script|alert'
((N == 0)) || fail "forged: the narration's bytes reached the picture: ${MATCHED[0]}"
count "$WORK/forged.svg" '^<g class="st ok" data-side="server">.*>ESTABLISHED</text>'
((N == 1)) || fail "forged: the server's narrated ESTABLISHED is not marked"
# Capture text, a note and the title with markup, quotes, a control
# character and a byte that is no UTF-8 reach the picture: escaped.
{
    printf '1000.010 IP 127.0.0.1.4001 > 127.0.0.1.5999: UDP, length 13\n'
    printf '1000.011 IP 127.0.0.1 > 127.0.0.1: ICMP <script>alert("x")&'"'"'</script>\001\377 udp port 5999 unreachable, length 49\n'
} >"$WORK/icmp.cap"
TITLE='<b>"title"</b> & more' draw icmp ""
expect_line "$WORK/icmp.svg" '>ICMP &lt;script&gt;alert\(&quot;x&quot;\)&amp;&#39;&lt;/script&gt;\?\? udp port 5999 unreachable</text>'
expect_line "$WORK/icmp.svg" '<title>&lt;b&gt;&quot;title&quot;&lt;/b&gt; &amp; more</title>'
count "$WORK/icmp.svg" '<script|<b>'
((N == 0)) || fail "icmp: markup came through: ${MATCHED[0]}"
count "$WORK/icmp.svg" 'marker-end='
((N == 2)) || fail "icmp: a datagram and an ICMP error, $N arrows"
echo "ok: hostile text: the narration's quoted bytes ignored; capture text and title escaped"

# Chinese: the T() table of a run in Chinese (lines "msgid\037msgstr").
{
    printf 'time\037时间\n'
    printf '%%s later\037%%s 之后\n'
    printf 'one capture point: sent and received at the same instant; the slope only shows direction\037只有一个抓包点：发送和接收是同一时刻；斜线只表示方向\n'
    printf '  After the last segment (both programs have exited; no fd holds the socket):\037  最后一个报文段之后（两个程序都已退出，没有 fd 再持有这个套接字）：\n'
} >"$WORK/zh.tr"
cp "$WORK/close.cap" "$WORK/zh.cap"
cp "$WORK/close.states" "$WORK/zh.states"
draw zh 19001 "$WORK/zh.tr"
expect_line "$WORK/zh.svg" 'class="time" text-anchor="end">时间</text>'
expect_line "$WORK/zh.svg" '>43 ms 之后</text>'
expect_line "$WORK/zh.svg" '>只有一个抓包点：发送和接收是同一时刻；斜线只表示方向</text>'
expect_line "$WORK/zh.svg" '>最后一个报文段之后（两个程序都已退出，没有 fd 再持有这个套接字）：</text>'
count "$WORK/zh.svg" 'marker-end='
((N == 13)) || fail "zh: 13 segments, $N arrows"
# A CJK character is two columns wide: a line of 60 of them fits in 120.
printf 'meta\trows\t0\nnote\t%s\n' "$(printf '宽%.0s' {1..100})" >"$WORK/wide.rows"
awk -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/ladder-svg.awk" "$WORK/wide.rows" >"$WORK/wide.svg"
wellformed "$WORK/wide.svg"
grep_lines "$WORK/wide.svg" '<text [^>]*class="tx">宽'
read -r w _ < <(awk '/^<svg/ { match($0, /width="[0-9]+"/); print substr($0, RSTART + 7, RLENGTH - 8) }' "$WORK/wide.svg")
cols=$(((w - 48) * 10 / 90)) # the text's columns at 15 px, 0.6 em each
for l in "${MATCHED[@]}"; do
    l=${l#*>}
    l=${l%<*}
    n=$((${#l} * 2 / 3)) # bytes (LC_ALL=C): 3 a character, 2 columns
    ((n <= cols)) || fail "wide: a line of $n columns in a picture of $cols: $l"
done
((${#MATCHED[@]} >= 2)) || fail "wide: 100 CJK characters not cut into lines"
echo "ok: Chinese labels from the T() table; CJK text cut by its width"
