#!/usr/bin/env bash
# script.drain-svg: scripts/drain-svg.awk draws a stored drain run (fixtures/
# drain: packets.txt, the server's narration and the ss records of a real
# run, options cut from the packet lines): backlog 1, five connections, the
# last three dropped at 0.058, 1.071 and 2.095 s and answered at 3.119 s
# after the server's accept() at 2.610 s; ss still saw :46344's request after
# its final ACK. Checked: one mark per SYN (dropped ones apart), per SYN,ACK
# and per final ACK, the retransmissions' distances as labels, the rows in
# order, the accept() line, the notes; well-formed (xmllint, when installed);
# Chinese through a translation table; hostile text escaped.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
FIX=$here/fixtures/drain
SVG=$WORK/drain.svg


awk -v narration="$FIX/narration.txt" -v conns="$FIX/conns.txt" -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/drain-svg.awk" "$FIX/packets.txt" >"$SVG"
well_formed "$SVG"
# One mark per SYN the client sent (as many as the capture holds), and so on.
count_lines "$FIX/packets.txt" ' > 127\.0\.0\.1\.19004: Flags \[S\],'
syns=$COUNT
((syns == 14)) || fail "the fixture holds $syns SYNs, want 14"
want_lines "$SVG" 'data-kind="syn(-dropped)?"' "$syns"
want_lines "$SVG" 'data-kind="syn-dropped"' 9
want_lines "$SVG" 'data-kind="synack"' 5
want_lines "$SVG" 'data-kind="ack"' 4
want_lines "$SVG" 'data-kind="ack-not-acted-on"' 1
for t in 0.058 1.0712 2.0952; do want_lines "$SVG" "data-kind=\"syn-dropped\" data-t=\"$t" 3; done
want_lines "$SVG" 'data-kind="syn" data-t="3\.1192"' 3
# The retransmissions' distances from each connection's first SYN.
for d in 1.013 2.037 3.061; do want_lines "$SVG" ">\\+$d</text>" 3; done
expect_order "$SVG" '>:46336</text>' '>:46338</text>' '>:46340</text>' '>:46344</text>' \
    'data-kind="ack-not-acted-on"' 'final ACK not acted on \(ss: SYN-RECV\)' '>:46348</text>'
want_lines "$SVG" 'class="acc" .*data-kind="accept" data-t="2\.610"' 1
want_lines "$SVG" '>accept\(\) 2\.610: :46336 out, a slot free</text>' 1
want_lines "$SVG" '>3 SYN\(s\) dropped</text>' 3
want_lines "$SVG" '>answered 3\.061 s after its first SYN</text>' 3
want_lines "$SVG" '>answered at once</text>' 2
expect_order "$SVG" '>0\.0 s</text>' '>1\.0 s</text>' '>3\.0 s</text>' '>3\.5 s</text>'
want_lines "$SVG" '@media \(prefers-color-scheme: dark\)' 1
want_lines "$SVG" '<script|href=|@import|url\(http' 0

# Without the narration and the ss records: no accept(), every ACK plain.
awk -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/drain-svg.awk" "$FIX/packets.txt" >"$SVG"
well_formed "$SVG"
want_lines "$SVG" 'data-kind="accept"' 0
want_lines "$SVG" 'data-kind="ack"' 5

# Chinese: the texts through the table (msgid \037 msgstr), the narration's
# accept() found in Chinese too.
tr=$WORK/tr
printf '%s\037%s\n' 'answered at once' '立即得到应答' '%d SYN(s) dropped' '%d 个 SYN 被丢弃' \
    'SYNs against a full listen queue: one row per connection' '全连接队列已满时的 SYN：每个连接一行' \
    'accept() %s: :%s out, a slot free' 'accept() %s：取走 :%s，空出一个位置' >"$tr"
printf '  2.610 [server] 已 accept 127.0.0.1:46336 state=ESTABLISHED，全连接队列现在为 1\n' >"$WORK/zh.narration"
awk -v tr="$tr" -v narration="$WORK/zh.narration" -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/drain-svg.awk" "$FIX/packets.txt" >"$SVG"
well_formed "$SVG"
want_lines "$SVG" '>立即得到应答</text>' 2
want_lines "$SVG" '>3 个 SYN 被丢弃</text>' 3
want_lines "$SVG" '>全连接队列已满时的 SYN：每个连接一行</text>' 1
want_lines "$SVG" '>accept\(\) 2\.610：取走 :46336，空出一个位置</text>' 1
want_lines "$SVG" 'answered at once|one row per connection' 0

# Hostile text: addresses from a forged capture, a translation with markup.
printf '%s\037%s\n' 'answered at once' '<b>&"'"'"'</b>' >"$tr"
{
    printf '  0.0100 IP <x&y>.2001 > "q'"'"'<z>.19004: Flags [S], seq 1, length 0\n'
    printf '  0.0101 IP "q'"'"'<z>.19004 > <x&y>.2001: Flags [S.], seq 9, ack 2, length 0\n'
    printf '  0.0102 IP <x&y>.2001 > "q'"'"'<z>.19004: Flags [.], ack 1, length 0\n'
} >"$WORK/hostile.txt"
awk -v tr="$tr" -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/drain-svg.awk" "$WORK/hostile.txt" >"$SVG"
well_formed "$SVG"
want_lines "$SVG" '<b>|<x|<z|&"' 0
want_lines "$SVG" '>&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;</text>' 1
want_lines "$SVG" 'server &quot;q&#39;&lt;z&gt;:19004;' 1

# A SYN never answered, sent again up to 35 s later: the marks too close for
# their labels, so every distance is listed under the row as well.
{
    for t in 0.02 1.03 2.05 3.07 4.09 5.11 7.15 11.2 19.3 35.5; do
        printf '  %s IP 127.0.0.1.3003 > 127.0.0.1.19004: Flags [S], seq 5, length 0\n' "$t"
    done
} >"$WORK/long.txt"
awk -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/drain-svg.awk" "$WORK/long.txt" >"$SVG"
well_formed "$SVG"
want_lines "$SVG" 'data-kind="syn-dropped"' 10
want_lines "$SVG" '>sent again after \(s\): \+1\.010 \+2\.030 \+3\.050 \+4\.070 \+5\.090 \+7\.130 \+11\.180 \+19\.280 \+35\.480</text>' 1
want_lines "$SVG" '>10 SYN\(s\), none answered</text>' 1
want_lines "$SVG" '>40 s</text>' 1

# No SYN at all: a picture that says so.
printf '  0.0100 IP 127.0.0.1.2001 > 127.0.0.1.19004: UDP, length 3\n' >"$WORK/none.txt"
awk -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/drain-svg.awk" "$WORK/none.txt" >"$SVG"
well_formed "$SVG"
want_lines "$SVG" 'No SYN in the capture' 1
echo "ok"
