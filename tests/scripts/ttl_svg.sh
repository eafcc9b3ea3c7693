#!/usr/bin/env bash
# script.ttl-svg: scripts/ttl-svg.awk draws stored ttl-hops runs (fixtures/
# ttl: `tcpdump -nn -tt -v -r` of each link's capture, a real run with TTL 1,
# 2, 3; fixtures/ttl/unreachable: TTL 1 and 4 to a port with no socket on B).
# Checked: one arrow per captured datagram or ICMP error, on its link, with
# the TTL its header had there; the nodes with their addresses from the
# capture; where each datagram ended; the notes; well-formed (xmllint, when
# installed); Chinese through a translation table; hostile text escaped.
here=${0%/*}
[[ $here == "$0" ]] && here=. # no fork for dirname
# shellcheck source=tests/scripts/common.sh source-path=SCRIPTDIR/../..
source "$here/common.sh"
FIX=$here/fixtures/ttl
SVG=$WORK/ttl.svg
LINKS=(link1-A-R1 link2-R1-R2 link3-R2-B)
T0=1796127099.870555 # the run's start: its packets.txt has the first datagram at 0.1188

# draw DIR [AWK ARGS...]: the picture of the captures in DIR, into SVG.
draw() {
    local dir=$1 files=()
    shift
    for l in "${LINKS[@]}"; do files+=("$dir/$l.verbose"); done
    awk "$@" -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/ttl-svg.awk" "${files[@]}" >"$SVG"
}
arrow='<line class="(out|back|icmp)" '

draw "$FIX" -v t0="$T0"
well_formed "$SVG"
# One arrow per IP packet of the three captures (the ARP is not drawn).
packets=0
for l in "${LINKS[@]}"; do
    count_lines "$FIX/$l.verbose" '^[0-9]+\.[0-9]+ IP '
    ((packets += COUNT))
done
((packets == 12)) || fail "the fixture holds $packets IP packets, want 12"
want_lines "$SVG" "$arrow" "$packets"
# Probe by probe, in time order: each arrow on its link with its TTL there.
expect_order "$SVG" '>probe with TTL 1</text>' \
    'class="out" .*data-link="1" data-ttl="1"' 'class="icmp" .*data-link="1" data-ttl="64"' \
    '>probe with TTL 2</text>' \
    'class="out" .*data-link="1" data-ttl="2"' 'class="out" .*data-link="2" data-ttl="1"' \
    'class="icmp" .*data-link="2" data-ttl="64"' 'class="icmp" .*data-link="1" data-ttl="63"' \
    '>probe with TTL 3</text>' \
    'class="out" .*data-link="1" data-ttl="3"' 'class="out" .*data-link="2" data-ttl="2"' \
    'class="out" .*data-link="3" data-ttl="1"' 'class="back" .*data-link="3" data-ttl="64"' \
    'class="back" .*data-link="2" data-ttl="63"' 'class="back" .*data-link="1" data-ttl="62"'
want_lines "$SVG" '>UDP ttl=1</text>' 3
want_lines "$SVG" '>ICMP time exceeded ttl=63</text>' 1
want_lines "$SVG" '>UDP reply ttl=62</text>' 1
# The nodes, and each interface's address as the capture shows it.
expect_order "$SVG" '>A</text>' '>10\.0\.1\.1</text>' '>R1</text>' '>10\.0\.1\.2</text>' '>10\.0\.2\.1</text>' \
    '>R2</text>' '>10\.0\.2\.2</text>' '>10\.0\.3\.1</text>' '>B</text>' '>10\.0\.3\.2</text>'
want_lines "$SVG" 'data-kind="dropped"' 2
want_lines "$SVG" 'data-kind="delivered"' 1
expect_order "$SVG" '>0\.1188</text>' '>dropped at R1: TTL ran out</text>' '>ICMP from R1 \(10\.0\.1\.2\)</text>' \
    '>dropped at R2: TTL ran out</text>' '>ICMP from R2 \(10\.0\.2\.2\)</text>' \
    '>delivered to B</text>' '>the reply reaches A</text>'
want_lines "$SVG" 'seconds since the run started' 1
want_lines "$SVG" '@media \(prefers-color-scheme: dark\)' 1
want_lines "$SVG" '<script|href=|@import|url\(http' 0

# As ttl-hops.sh passes them, ttl-ladder.awk's inputs: each link's plain
# list first (skipped: a datagram in them would be an arrow too much).
files=()
for l in "${LINKS[@]}"; do
    printf '1796127099.9 IP (tos 0x0, ttl 9, id 1, offset 0, flags [DF], proto UDP (17), length 37) 10.0.1.1.1 > 10.0.3.2.2: UDP, length 9\n' >"$WORK/$l.list"
    files+=("$WORK/$l.list")
done
for l in "${LINKS[@]}"; do files+=("$FIX/$l.verbose"); done
awk -v t0="$T0" -v nlinks=3 -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/ttl-svg.awk" "${files[@]}" >"$WORK/ladder-inputs.svg"
same_text "$SVG" "$WORK/ladder-inputs.svg" || fail "ttl-ladder.awk's inputs (with nlinks=3) draw another picture"

# Without t0: times since the first packet.
draw "$FIX"
want_lines "$SVG" '>0\.0000</text>' 2
want_lines "$SVG" 'seconds since the first packet' 1

# A port with no socket: TTL 4 reaches B with 2 left, B answers port unreachable.
draw "$FIX/unreachable"
well_formed "$SVG"
want_lines "$SVG" "$arrow" 8
want_lines "$SVG" 'class="out" .*data-link="3" data-ttl="2"' 1
want_lines "$SVG" '>ICMP port unreachable ttl=62</text>' 1
want_lines "$SVG" '>reached B: no socket on that port</text>' 1
want_lines "$SVG" '>ICMP from B \(10\.0\.3\.2\)</text>' 1
want_lines "$SVG" 'data-kind="dropped"' 1

# Chinese through the table.
tr=$WORK/tr
printf '%s\037%s\n' 'probe with TTL %s' 'TTL 为 %s 的探测' 'dropped at %s: TTL ran out' '在 %s 被丢弃：TTL 耗尽' \
    'ICMP time exceeded' 'ICMP 超时' 'UDP reply' 'UDP 回复' >"$tr"
draw "$FIX" -v tr="$tr"
well_formed "$SVG"
want_lines "$SVG" '>TTL 为 2 的探测</text>' 1
want_lines "$SVG" '>在 R2 被丢弃：TTL 耗尽</text>' 1
want_lines "$SVG" '>ICMP 超时 ttl=63</text>' 1
want_lines "$SVG" '>UDP 回复 ttl=64</text>' 1
want_lines "$SVG" '>probe with|>dropped at|time exceeded ttl|UDP reply' 0

# Hostile text: node names from the files' names, an ICMP message of a kind
# not known, a translation with markup.
mkdir "$WORK/h"
hl=("link1-<a&-R'1" 'link2-R'"'"'1-"R2' 'link3-"R2-B>')
for i in 0 1 2; do
    sed 's/ICMP time exceeded in-transit/ICMP <i>\&"'"'"'/' "$FIX/${LINKS[i]}.verbose" >"$WORK/h/${hl[i]}.verbose"
done
printf '%s\037%s\n' 'delivered to %s' '<b>%s&</b>' >"$tr"
files=()
for l in "${hl[@]}"; do files+=("$WORK/h/$l.verbose"); done
awk -v tr="$tr" -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/ttl-svg.awk" "${files[@]}" >"$SVG"
well_formed "$SVG"
want_lines "$SVG" '<a|<i>|<b>|B>' 0
want_lines "$SVG" '>&lt;a&amp;</text>' 1
want_lines "$SVG" '>ICMP &lt;i&gt;&amp;&quot;&#39; ttl=64</text>' 2
want_lines "$SVG" '>&lt;b&gt;B&gt;&amp;&lt;/b&gt;</text>' 1

# Nothing to draw.
: >"$WORK/h/empty"
awk -f "$SCRIPTS/markup.awk" -f "$SCRIPTS/ttl-svg.awk" "$WORK/h/empty" >"$SVG"
well_formed "$SVG"
want_lines "$SVG" 'nothing to draw' 1
echo "ok"
