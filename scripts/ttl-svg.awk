# ttl-svg.awk: the picture of a ttl-hops run as SVG on stdout: the nodes
# (A, each router, B) left to right with the addresses the capture shows,
# and, probe by probe, one arrow per packet captured on a link: the datagram
# going out with the TTL its IP header had there, one less at each hop, the
# node where it ended (dropped by a router, or delivered), and what came back
# (ICMP time exceeded, port unreachable, the echo), in time order.
# Run after markup.awk (awk -f markup.awk -f ttl-svg.awk), which gives T, esc, dw.
#
# Input files: for each link, in order from A, `tcpdump -nn -tt -v -r` text
# of its capture (ttl-ladder.awk's .verbose inputs; the node names come from
# the file name, linkN-LEFT-RIGHT, else A, R1, ..., B). With -v nlinks=N
# and 2N files (ttl-ladder.awk's inputs: each link's plain list, then each
# link's -v text), the first N are skipped. Variables, optional:
#   t0   epoch of the run's start (times are printed since then; empty:
#        since the first packet drawn)
#   tr   the translation table (lines "msgid\037msgstr", see ladder.awk)
# A probe is told by the client's UDP port (the ICMP errors quote it). The
# node addresses: A and B from the datagrams, a router's address toward A
# from the ICMP it sent, the others from the ARP on each link.
# Everything taken from the files is XML-escaped.

function fit(s, xx, px) { if (xx + dw(s) * px + 24 > W) W = int(xx + dw(s) * px + 24) }
# host(s): the address of "ADDR.PORT" or "ADDR" (IPv4), port in hport.
function host(s,    n, o) {
    sub(/:$/, "", s)
    n = split(s, o, ".")
    hport = n == 5 ? o[5] : ""
    return n == 5 ? o[1] "." o[2] "." o[3] "." o[4] : s
}

BEGIN {
    for (i = 1; i < ARGC; i++) argi[ARGV[i]] = i
}
# ttl-ladder.awk's inputs as they are (nlinks given, each link's plain list
# first): the lists are skipped.
FNR == 1 { flush(); skip = nlinks != "" && ARGC - 1 == 2 * nlinks && argi[FILENAME] <= nlinks }
skip { next }
FNR == 1 {
    nlk++
    nm = FILENAME; sub(/.*\//, "", nm); sub(/\.[a-z]+$/, "", nm)
    if (match(nm, /^link[0-9]+-[^-]+-[^-]+$/)) {
        sub(/^link[0-9]+-/, "", nm); split(nm, w, "-")
        if (nlk == 1) name[0] = w[1]
        name[nlk] = w[2]
    }
}
/^[0-9]+\.[0-9]+ / { flush(); rec = $0; recl = nlk; next }
{ sub(/^[ \t]+/, " "); rec = rec $0 }
function flush() { if (rec != "") { nrec++; R[nrec] = rec; RL[nrec] = recl; rec = "" } }

END {
    flush()
    for (i = 1; i <= nrec; i++) parse(i)
    if (!npk) { svg_nothing("sl-ttl", T("No UDP datagram or ICMP error in the captures: nothing to draw.")); exit }
    nodes()
    sortpk()
    probes()
    layout()
    header()
    body()
    legend()
    print "</svg>"
}

# parse(i): record i, an IPv4 UDP datagram or ICMP error (a packet, pk), or
# an ARP request (the link's two addresses).
function parse(i,    s, t, ttl, m, src, dst, rest, what, k, ip) {
    s = R[i]; k = RL[i]
    split(s, w, " "); t = w[1] + 0
    if (s ~ /^[0-9.]+ ARP/ && match(s, /who-has [0-9.]+ tell [0-9.]+/)) {
        split(substr(s, RSTART, RLENGTH), w, " ")
        narp[k]++; arpq[k, narp[k]] = w[2]; arpt[k, narp[k]] = w[4]
        return
    }
    if (s !~ /^[0-9.]+ IP \(/) return
    ttl = ""; if (match(s, /ttl [0-9]+/)) ttl = substr(s, RSTART + 4, RLENGTH - 4)
    if (!match(s, /\) [0-9.]+ > [0-9.]+: /)) return
    rest = substr(s, RSTART + 2)
    split(rest, w, " ")
    src = host(w[1]); sp = hport; dst = host(w[3]); dp = hport
    rest = substr(rest, index(rest, ": ") + 2)
    if (rest ~ /^UDP/) {
        if (A == "") { A = src; B = dst }
        what = "udp"
    } else if (rest ~ /^ICMP /) {
        what = "icmp"
        m = rest; sub(/^ICMP /, "", m); sub(/, length [0-9]+.*/, "", m)
        # The quoted datagram: its source port is the probe's.
        ip = rest
        if (match(ip, / [0-9]+\.[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ > [0-9.]+: UDP/)) {
            split(substr(ip, RSTART + 1), w, " ")
            host(w[1]); qp = hport
        } else qp = ""
    } else return
    if (t0 == "" && (!npk || t < tmin)) tmin = t
    npk++
    pt[npk] = t; pl[npk] = k; pttl[npk] = ttl; psrc[npk] = src; pdst[npk] = dst
    pwhat[npk] = what; pn[npk] = npk
    if (what == "icmp") { pmsg[npk] = m; pkey[npk] = qp }
    else pkey[npk] = (src == A) ? sp : dp
    pout[npk] = dst != A
    # A router's address toward A: the source of its ICMP, on the farthest
    # link the ICMP was seen on.
    if (what == "icmp" && (!(src in icmpl) || k > icmpl[src])) icmpl[src] = k
}

# The address of each end of each link: left[k] (node k-1) and right[k]
# (node k).
function nodes(    k, s, i, q, tl) {
    left[1] = A; right[nlk] = B
    for (s in icmpl) if (!((icmpl[s]) in right)) right[icmpl[s]] = s
    for (k = 1; k <= nlk; k++)
        for (i = 1; i <= narp[k]; i++) {
            q = arpq[k, i]; tl = arpt[k, i]
            if ((k in left) && !(k in right)) { if (q != left[k]) right[k] = q; else if (tl != left[k]) right[k] = tl }
            else if ((k in right) && !(k in left)) { if (tl != right[k]) left[k] = tl; else if (q != right[k]) left[k] = q }
            else if (!(k in left) && !(k in right)) { left[k] = tl; right[k] = q } # the one asking sends on
        }
    if (!(0 in name)) name[0] = "A"
    for (k = 1; k <= nlk; k++) if (!(k in name)) name[k] = k == nlk ? "B" : "R" k
}

# Packets by time (then as read).
function sortpk(    i, j, v) {
    for (i = 2; i <= npk; i++)
        for (j = i; j > 1 && pt[pn[j - 1]] > pt[pn[j]]; j--) { v = pn[j]; pn[j] = pn[j - 1]; pn[j - 1] = v }
}

# The probes (one per client port) in order of their first packet; how far
# each datagram went (farthest link lastl, its TTL there lastttl, the row
# lastp), and the notes beside the rows.
function probes(    i, p, key, q) {
    for (i = 1; i <= npk; i++) {
        p = pn[i]; key = pkey[p]
        if (!(key in probe)) { probe[key] = ++nprobe; prkey[nprobe] = key }
        q = probe[key]; pq[p] = q
        if (pwhat[p] == "udp" && pout[p] && pl[p] == 1 && !((q) in prttl)) prttl[q] = pttl[p]
        if (pwhat[p] == "udp" && pout[p] && pl[p] >= lastl[q] + 0) { lastl[q] = pl[p]; lastp[q] = p }
        if (pwhat[p] == "icmp" && pmsg[p] ~ /time exceeded/) texc[q] = 1
        if (pwhat[p] == "icmp" && pmsg[p] ~ /unreachable/) unr[q] = 1
        if (pwhat[p] == "icmp" && !((q, psrc[p]) in icmpseen)) {
            icmpseen[q, psrc[p]] = 1
            pnote[p] = sprintf(T("ICMP from %s (%s)"), nodeof(psrc[p]), psrc[p])
        }
        if (pwhat[p] == "udp" && !pout[p] && pl[p] == 1) pnote[p] = T("the reply reaches A")
    }
    for (q = 1; q <= nprobe; q++) {
        if (!lastp[q]) continue
        p = lastp[q]
        if (texc[q]) { pnote[p] = sprintf(T("dropped at %s: TTL ran out"), name[lastl[q]]); pend[p] = "drop" }
        else if (lastl[q] == nlk && unr[q]) { pnote[p] = sprintf(T("reached %s: no socket on that port"), name[nlk]); pend[p] = "deliver" }
        else if (lastl[q] == nlk) { pnote[p] = sprintf(T("delivered to %s"), name[nlk]); pend[p] = "deliver" }
    }
}
function nodeof(a,    k) {
    if (a == A) return name[0]
    for (k = 1; k <= nlk; k++) if (right[k] == a || left[k + 1] == a) return name[k]
    return "?"
}

function layout(    i, p) {
    X0 = 170; G = int(720 / nlk); if (G > 230) G = 230
    NX = X0 + nlk * G + 26
    W = NX + 120
    TOP = 150; RH = 34; PH = 40
    for (i = 1; i <= npk; i++) { p = pn[i]; if (p in pnote) fit(pnote[p], NX, 9.1) }
    fit(T("The TTL on the way: one datagram per probe, one arrow per captured packet"), 20, 12.8)
    H = TOP + nprobe * PH + npk * RH + 30 + 6 * 24 + 20
}
function xn(k) { return X0 + k * G }

function header(    k, y) {
    svg_open("sl-ttl", W, H, T("The TTL on the way"))
    print "<style>"
    print ".sl-ttl{--bg:#ffffff;--fg:#1b1b1b;--mu:#5f6368;--life:#9aa0a6;--band:#f1f3f4;--out:#1565c0;--back:#00796b;--icmp:#d84315;--drop:#c62828;--ok:#2e7d32}"
    print "@media (prefers-color-scheme: dark){.sl-ttl{--bg:#121417;--fg:#e8eaed;--mu:#a5a9ae;--life:#5f6368;--band:#1e2226;--out:#64b5f6;--back:#4db6ac;--icmp:#ff8a65;--drop:#ef5350;--ok:#66bb6a}}"
    print ".sl-ttl text{fill:var(--fg);font-family:\"DejaVu Sans Mono\",\"Noto Sans Mono CJK SC\",\"WenQuanYi Micro Hei Mono\",monospace;font-size:15px}"
    print ".sl-ttl .bg{fill:var(--bg)} .sl-ttl .mu{fill:var(--mu)} .sl-ttl .sm{font-size:13px} .sl-ttl .band{fill:var(--band)}"
    print ".sl-ttl .ti{font-size:21px;font-weight:bold} .sl-ttl .node{font-size:19px;font-weight:bold} .sl-ttl .pr{font-weight:bold}"
    print ".sl-ttl .life{stroke:var(--life);stroke-width:2} .sl-ttl .box{fill:var(--bg);stroke:var(--life);stroke-width:2}"
    print ".sl-ttl .out{stroke:var(--out);stroke-width:2.2} .sl-ttl .back{stroke:var(--back);stroke-width:2.2} .sl-ttl .icmp{stroke:var(--icmp);stroke-width:2.2;stroke-dasharray:8 4}"
    print ".sl-ttl .hout{fill:var(--out)} .sl-ttl .hback{fill:var(--back)} .sl-ttl .hicmp{fill:var(--icmp)}"
    print ".sl-ttl .tout{fill:var(--out)} .sl-ttl .tback{fill:var(--back)} .sl-ttl .ticmp{fill:var(--icmp)}"
    print ".sl-ttl .drop{stroke:var(--drop);stroke-width:4;stroke-linecap:round} .sl-ttl .ok{fill:var(--ok)} .sl-ttl .tdrop{fill:var(--drop)} .sl-ttl .tok{fill:var(--ok)}"
    print "</style>"
    print "<defs>"
    print "<marker id=\"sl-ttl-h-out\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path class=\"hout\" d=\"M0 0L10 5L0 10z\"/></marker>"
    print "<marker id=\"sl-ttl-h-back\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path class=\"hback\" d=\"M0 0L10 5L0 10z\"/></marker>"
    print "<marker id=\"sl-ttl-h-icmp\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path class=\"hicmp\" d=\"M0 0L10 5L0 10z\"/></marker>"
    print "</defs>"
    printf "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\"/>\n", W, H
    printf "<text class=\"ti\" x=\"20\" y=\"34\">%s</text>\n", esc(T("The TTL on the way: one datagram per probe, one arrow per captured packet"))
    printf "<text class=\"mu\" x=\"20\" y=\"60\">%s</text>\n", esc(t0 != "" ? T("each link captured on its own; times in seconds since the run started") : T("each link captured on its own; times in seconds since the first packet"))
    y = TOP + nprobe * PH + npk * RH + 8
    for (k = 0; k <= nlk; k++) {
        printf "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", xn(k), 112, xn(k), y
        printf "<rect class=\"box\" x=\"%d\" y=\"%d\" width=\"64\" height=\"32\" rx=\"6\"/>\n", xn(k) - 32, 76
        printf "<text class=\"node\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", xn(k), 99, esc(name[k])
        # Each interface's address on its link's side of the lifeline.
        if (k > 0 && (k in right)) printf "<text class=\"mu sm addr\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", xn(k) - 6, 130, esc(right[k])
        if (k < nlk && ((k + 1) in left)) printf "<text class=\"mu sm addr\" x=\"%d\" y=\"%d\">%s</text>\n", xn(k) + 6, 130, esc(left[k + 1])
    }
    printf "<text class=\"mu sm\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", X0 - 60, 130, esc(T("time"))
}

function body(    i, p, q, y, k, x1, x2, cls, lab, yy, prev) {
    y = TOP; prev = 0
    for (i = 1; i <= npk; i++) {
        p = pn[i]; q = pq[p]
        if (q != prev) {
            prev = q
            printf "<rect class=\"band\" x=\"10\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\"/>\n", y + 6, W - 20, PH - 10
            lab = (q in prttl) ? sprintf(T("probe with TTL %s"), prttl[q]) : T("probe")
            printf "<text class=\"pr\" x=\"20\" y=\"%d\">%s</text>\n", y + 27, esc(lab)
            printf "<text class=\"mu sm\" x=\"%d\" y=\"%d\">%s</text>\n", 20 + dw(lab) * 9.2 + 12, y + 27, esc(sprintf(T("(client port %s)"), prkey[q]))
            y += PH
        }
        yy = y + 14
        k = pl[p]
        if (pout[p]) { x1 = xn(k - 1); x2 = xn(k) } else { x1 = xn(k); x2 = xn(k - 1) }
        cls = pwhat[p] == "icmp" ? "icmp" : pout[p] ? "out" : "back"
        if (pwhat[p] == "icmp") lab = icmplabel(pmsg[p]) " ttl=" pttl[p]
        else lab = (pout[p] ? "UDP" : T("UDP reply")) " ttl=" pttl[p]
        printf "<text class=\"mu sm\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4f</text>\n", X0 - 60, yy + 5, pt[p] - (t0 != "" ? t0 : tmin)
        printf "<text class=\"t%s sm\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", cls, (x1 + x2) / 2, yy - 6, esc(lab)
        printf "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#sl-ttl-h-%s)\" data-link=\"%d\" data-ttl=\"%s\"/>\n", \
            cls, x1 + (x2 > x1 ? 4 : -4), yy - 2, x2 + (x2 > x1 ? -4 : 4), yy + 6, cls, k, pttl[p]
        if (pend[p] == "drop")
            printf "<path class=\"drop\" d=\"M%d %dl12 12m0 -12l-12 12\" data-kind=\"dropped\"/>\n", xn(k) - 6, yy - 4
        else if (pend[p] == "deliver")
            printf "<circle class=\"ok\" cx=\"%d\" cy=\"%d\" r=\"7\" data-kind=\"delivered\"/>\n", xn(k), yy + 6
        if (p in pnote)
            printf "<text class=\"%s\" x=\"%d\" y=\"%d\">%s</text>\n", pend[p] == "drop" ? "tdrop" : pend[p] == "deliver" ? "tok" : "mu", NX, yy + 5, esc(pnote[p])
        y += RH
    }
}
function icmplabel(m) {
    if (m ~ /time exceeded/) return T("ICMP time exceeded")
    if (m ~ /port [0-9]+ unreachable/) return T("ICMP port unreachable")
    if (m ~ /unreachable/) return T("ICMP unreachable")
    return "ICMP " m
}

function legend(    y) {
    y = TOP + nprobe * PH + npk * RH + 40
    leg(20, y, "mu", T("One arrow per packet, on the link where it was captured; ttl= is the value in its IP header there."))
    y += 24
    leg(20, y, "mu", T("Each router takes one off the TTL before it sends the datagram on."))
    y += 24
    leg(20, y, "mu", T("A router that would send it on with TTL 0 drops it and sends back ICMP time exceeded (a new packet, ttl=64)."))
    y += 24
    printf "<path class=\"drop\" d=\"M%d %dl12 12m0 -12l-12 12\"/>", 24, y - 12
    leg(46, y, "", T("the datagram ends here: TTL ran out"))
    y += 24
    printf "<circle class=\"ok\" cx=\"%d\" cy=\"%d\" r=\"7\"/>", 30, y - 5
    leg(46, y, "", T("the datagram reached its destination"))
    y += 24
    leg(20, y, "mu", T("The arrows slope only to show their direction: each row's time is the one captured."))
}
function leg(xx, y, cls, s) { printf "<text class=\"sm %s\" x=\"%d\" y=\"%d\">%s</text>\n", cls, xx, y, esc(s) }

