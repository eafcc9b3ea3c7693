# drain-svg.awk: the picture of a backlog-probe run (drain above all) as SVG
# on stdout: one row per connection (client port) on a linear time axis, a
# mark for every SYN it sent (the first and each one sent again, at its
# captured time, labelled with its distance from the first), the SYNs the
# full queue dropped (no SYN,ACK, no RST came back before the next one), the
# SYN,ACK and the final ACK; a dashed line where the server's accept() freed
# a slot.
# Run after markup.awk (awk -f markup.awk -f drain-svg.awk), which gives T, esc, dw.
#
# Input: packets.txt of the run (the packet list: `tcpdump -nn -tt -r`
# text with its times on the run clock), or tcpdump's own text with -v t0=
# (epoch of the run's start). Variables, all optional:
#   sports     server ports, comma separated (default: the port the first
#              SYN goes to)
#   narration  narration.txt of the run: a [server] line with
#              state=ESTABLISHED, "accept" and a client's ADDR:PORT is an
#              accept() (in either language)
#   conns      "TIME STATE ... LOCAL PEER" lines (`ss -tanH` at each
#              snapshot, "TIME -" for the snapshot itself; ladder.awk reads
#              the same file): a final ACK after which the next snapshot
#              still lists the server's request as SYN-RECV was not acted on
#   tr         the translation table (lines "msgid\037msgstr", see
#              ladder.awk); empty: English
#   t0         subtracted from every captured time (default 0)
# Everything taken from the files is XML-escaped.

function splitaddr(s, part) {
    sub(/[:,]$/, "", s)
    if (match(s, /\.[0-9]+$/)) {
        part["addr"] = substr(s, 1, RSTART - 1); part["port"] = substr(s, RSTART + 1)
    } else { part["addr"] = s; part["port"] = "" }
}
# fit(s, x, px): widen the picture so that s, from x at px pixels a column, fits.
function fit(s, xx, px) { if (xx + dw(s) * px + 24 > W) W = int(xx + dw(s) * px + 24) }
function x(t) { return sprintf("%.1f", X0 + (t - tlo) * PW / (thi - tlo)) }
function fmt(t) { return sprintf("%.3f", t) }
function fmt4(t) { return sprintf("%.4f", t) }
# nice(range, n): a tick step of 1, 2 or 5 times a power of ten giving about
# n ticks over range.
function nice(range, n,    raw, e, mag, m) {
    raw = range / n
    e = log(raw) / log(10)
    e = int(e) - (e < int(e))
    mag = exp(e * log(10))
    m = raw / mag
    return (m <= 1.001 ? 1 : m <= 2.001 ? 2 : m <= 5.001 ? 5 : 10) * mag
}

BEGIN {
    n = split(sports, sp, ",")
    for (i = 1; i <= n; i++) if (sp[i] != "") isserver[sp[i]] = 1
    t0 += 0
}

($2 == "IP" || $2 == "IP6") && / Flags \[/ {
    t = $1 - t0
    splitaddr($3, a); splitaddr($5, b)
    f = $0; sub(/.* Flags \[/, "", f); sub(/\].*/, "", f)
    syn = index(f, "S") > 0; hasack = index(f, ".") > 0
    if (!(a["port"] in isserver) && !(b["port"] in isserver)) {
        if (syn && !hasack && !learned) { learned = 1; isserver[b["port"]] = 1 } else next
    }
    if (b["port"] in isserver) { c = a["port"]; fromclient = 1; if (saddr == "") { saddr = b["addr"]; sport = b["port"] } }
    else { c = b["port"]; fromclient = 0; if (saddr == "") { saddr = a["addr"]; sport = a["port"] } }
    if (index(f, "R") || index(f, "F")) next
    seq = ""
    if (match($0, /seq [0-9]+/)) seq = substr($0, RSTART + 4, RLENGTH - 4)
    if (fromclient && syn && !hasack) {
        # A SYN with a new sequence number after a handshake: a new connection
        # from the same port, a row of its own.
        if ((c in row) && seq != synseq[row[c]] && nsa[row[c]]) { inc[c]++; delete row[c] }
        if (!(c in row)) {
            row[c] = ++nrows; rport[nrows] = c; rinc[nrows] = inc[c] + 0
            synseq[nrows] = seq; first[nrows] = t
        }
        r = row[c]
        ev(r, "syn", t)
        lastsyn[r] = ne[r]
    } else if (!(c in row)) {
        next
    } else if (!fromclient && syn && hasack) {
        r = row[c]
        ev(r, "synack", t)
        if (!nsa[r]) answer[r] = t
        nsa[r]++
        if (lastsyn[r]) answered[r, lastsyn[r]] = 1
        waitack[r] = 1
    } else if (fromclient && hasack && !syn && waitack[row[c]]) {
        r = row[c]
        ev(r, "ack", t)
        waitack[r] = 0
    }
}
function ev(r, kind, t) { ne[r]++; ekind[r, ne[r]] = kind; et[r, ne[r]] = t; if (t > tmax) tmax = t }

END {
    if (!nrows) { svg_nothing("sl-drain", T("No SYN in the capture: nothing to draw.")); exit }
    # accept() calls, from the server's narration.
    while (narration != "" && (getline l < narration) > 0) {
        if (l !~ /\[server\]/ || l !~ /state=ESTABLISHED/ || tolower(l) !~ /accept/) continue
        split(l, w, " ")
        for (i = 1; i in w; i++)
            if (match(w[i], /[0-9\]]:[0-9]+/) && (substr(w[i], RSTART + 2, RLENGTH - 2) in row)) {
                nacc++; acct[nacc] = w[1] + 0; accp[nacc] = substr(w[i], RSTART + 2, RLENGTH - 2)
                if (acct[nacc] > tmax) tmax = acct[nacc]
                break
            }
    }
    # The server's side of each port in each snapshot.
    while (conns != "" && (getline l < conns) > 0) {
        nw = split(l, w, " ")
        if (w[2] == "-") { nsnap++; snapt[nsnap] = w[1] + 0; continue }
        lp = w[nw - 1]; sub(/.*:/, "", lp); pp = w[nw]; sub(/.*:/, "", pp)
        if (nsnap && (lp in isserver)) snapsrv[nsnap, pp] = w[2]
    }
    order()
    layout()
    header()
    for (k = 1; k <= nrows; k++) drawrow(ord[k], k)
    accepts()
    legend()
    print "</svg>"
}

# Rows by their first SYN (then as they came).
function order(    i, j, v) {
    for (i = 1; i <= nrows; i++) ord[i] = i
    for (i = 2; i <= nrows; i++)
        for (j = i; j > 1 && first[ord[j - 1]] > first[ord[j]]; j--) { v = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = v }
}

function layout(    span, r, k) {
    W = 1100; X0 = 130; PW = 660; NX = X0 + PW + 30
    RH = 62; TOP = 118
    tlo = 0
    span = tmax - tlo; if (span <= 0) span = 1
    step = nice(span, 8)
    thi = step * (int(tmax / step + 1e-9) + 1)
    if (thi - tmax > step * 0.6 && thi - step > tmax) thi -= step
    if (thi <= tmax) thi = tmax + step / 2
    # Each row's middle (rowy), and the bottom of the rows (YB).
    YB = TOP
    for (k = 1; k <= nrows; k++) {
        rowy[k] = YB + RH / 2
        crowd[ord[k]] = crowded(ord[k])
        YB += RH + (crowd[ord[k]] ? 18 : 0)
    }
    H = YB + 72 + 6 * 26 + 24
    for (r = 1; r <= nrows; r++) { rownote(r); fit(note[r], NX, 9.1); fit(detail[r], NX, 7.9) }
    fit(T("final ACK not acted on (ss: SYN-RECV)"), NX, 7.9)
    fit(T("SYNs against a full listen queue: one row per connection"), 20, 12.8)
    fit(T("SYN dropped by the listener (no SYN,ACK, no RST)"), 644, 7.9)
    fit(T("final ACK the listener did not act on"), 644, 7.9)
}
# crowded(r): some of row r's retransmission labels would overlap (then
# they are listed under the row too, which is taller).
function crowded(r,    i, n, lx, lw, above) {
    above = -1e9; n = 0
    for (i = 1; i <= ne[r]; i++) {
        if (ekind[r, i] != "syn" || ++n == 1) continue
        lw = length(sprintf("+%.3f", et[r, i] - first[r])) * 8.2
        lx = x(et[r, i]) - lw / 2
        if (lx <= above + 4) return 1
        above = lx + lw
    }
    return 0
}
# note[r] (and detail[r]): what happened to row r's connection; rdrop[r]: its SYNs dropped.
function rownote(r,    i, nsyn) {
    nsyn = 0; rdrop[r] = 0
    for (i = 1; i <= ne[r]; i++)
        if (ekind[r, i] == "syn") { nsyn++; if (!answered[r, i]) rdrop[r]++ }
    detail[r] = ""
    if (!nsa[r]) {
        note[r] = sprintf(T("%d SYN(s), none answered"), nsyn)
        detail[r] = T("still waiting when the capture ended")
    } else if (rdrop[r]) {
        note[r] = sprintf(T("%d SYN(s) dropped"), rdrop[r])
        detail[r] = sprintf(T("answered %.3f s after its first SYN"), answer[r] - first[r])
    } else note[r] = T("answered at once")
}

function header(    addr, tk, xx, y0, y1) {
    svg_open("sl-drain", W, H, T("SYNs against a full listen queue"))
    print "<style>"
    print ".sl-drain{--bg:#ffffff;--fg:#1b1b1b;--mu:#5f6368;--grid:#dadce0;--syn:#1565c0;--drop:#c62828;--sa:#2e7d32;--ack:#00838f;--bad:#e65100;--wait:#fde3c4;--acc:#7b1fa2}"
    print "@media (prefers-color-scheme: dark){.sl-drain{--bg:#121417;--fg:#e8eaed;--mu:#a5a9ae;--grid:#3a3f45;--syn:#64b5f6;--drop:#ef5350;--sa:#66bb6a;--ack:#4dd0e1;--bad:#ffa726;--wait:#4a3520;--acc:#ce93d8}}"
    print ".sl-drain text{fill:var(--fg);font-family:\"DejaVu Sans Mono\",\"Noto Sans Mono CJK SC\",\"WenQuanYi Micro Hei Mono\",monospace;font-size:15px}"
    print ".sl-drain .bg{fill:var(--bg)} .sl-drain .mu{fill:var(--mu)} .sl-drain .sm{font-size:13px}"
    print ".sl-drain .ti{font-size:21px;font-weight:bold} .sl-drain .po{font-size:17px;font-weight:bold}"
    print ".sl-drain .grid{stroke:var(--grid);stroke-width:1} .sl-drain .axis{stroke:var(--mu);stroke-width:1.5}"
    print ".sl-drain .base{stroke:var(--mu);stroke-width:1;stroke-dasharray:2 3} .sl-drain .wait{fill:var(--wait)}"
    print ".sl-drain .syn{fill:var(--syn)} .sl-drain .drop{fill:var(--drop)} .sl-drain .x{stroke:var(--bg);stroke-width:2.2}"
    print ".sl-drain .sa{fill:var(--sa)} .sl-drain .ack{fill:var(--ack)} .sl-drain .bad{fill:var(--bg);stroke:var(--bad);stroke-width:2.5}"
    print ".sl-drain .acc{stroke:var(--acc);stroke-width:2;stroke-dasharray:7 4} .sl-drain .acct{fill:var(--acc)}"
    print ".sl-drain .dropt{fill:var(--drop)} .sl-drain .badt{fill:var(--bad)}"
    print "</style>"
    printf "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\"/>\n", W, H
    printf "<text class=\"ti\" x=\"20\" y=\"34\">%s</text>\n", esc(T("SYNs against a full listen queue: one row per connection"))
    addr = saddr; if (index(addr, ":")) addr = "[" addr "]"
    printf "<text class=\"mu\" x=\"20\" y=\"60\">%s</text>\n", esc(sprintf(T("server %s; times as captured on lo, in seconds since the run started"), addr ":" sport))
    printf "<text class=\"mu sm\" x=\"%d\" y=\"%d\">%s</text>\n", 20, TOP - 14, esc(T("client port"))
    printf "<text class=\"mu sm\" x=\"%d\" y=\"%d\">%s</text>\n", NX, TOP - 14, esc(T("what happened"))
    y0 = TOP - 6; y1 = YB
    for (tk = tlo; tk <= thi + step / 1000; tk += step) {
        xx = x(tk)
        printf "<line class=\"grid\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>\n", xx, y0, xx, y1
        printf "<text class=\"mu sm\" x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", xx, y1 + 20, ticklabel(tk)
    }
    printf "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", X0, y1, X0 + PW, y1
    printf "<text class=\"mu sm\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", X0 + PW / 2, y1 + 42, esc(T("seconds since the run started (linear)"))
}
function ticklabel(tk,    s) {
    s = step >= 1 ? sprintf("%d", tk + 0.5) : step >= 0.1 ? sprintf("%.1f", tk) : step >= 0.01 ? sprintf("%.2f", tk) : sprintf("%.3f", tk)
    return s " s"
}

# One connection: its wait in SYN_SENT as a band, then its marks.
function drawrow(r, k,    y, i, t, xx, kind, ndrop, nsyn, endw, lx, above, all, lab, lw, st, bad, p) {
    y = rowy[k]
    p = ":" rport[r] (rinc[r] ? " (" (rinc[r] + 1) ")" : "")
    printf "<g class=\"row\" data-port=\"%s\">\n", esc(rport[r])
    printf "<text class=\"po\" x=\"20\" y=\"%d\">%s</text>\n", y + 6, esc(p)
    endw = nsa[r] ? answer[r] : et[r, lastsyn[r]]
    if (endw > first[r])
        printf "<rect class=\"wait\" x=\"%s\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"4\"/>\n", x(first[r]), y - 20, x(endw) - x(first[r]), 40
    printf "<line class=\"base\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", X0, y, X0 + PW, y
    above = -1e9; all = ""; ndrop = 0; nsyn = 0
    for (i = 1; i <= ne[r]; i++) {
        t = et[r, i]; kind = ekind[r, i]; xx = x(t)
        if (kind == "syn") {
            nsyn++
            if (!answered[r, i]) {
                ndrop++
                printf "<circle class=\"drop\" cx=\"%s\" cy=\"%d\" r=\"7.5\" data-kind=\"syn-dropped\" data-t=\"%s\"/>\n", xx, y - 11, fmt4(t)
                printf "<path class=\"x\" d=\"M%.1f %.1fl8 8m0 -8l-8 8\"/>\n", xx - 4, y - 15
            } else
                printf "<circle class=\"syn\" cx=\"%s\" cy=\"%d\" r=\"7.5\" data-kind=\"syn\" data-t=\"%s\"/>\n", xx, y - 11, fmt4(t)
            if (nsyn > 1) {
                # Its distance from the first SYN above it, where there is
                # room; all of them in a line under the row when not.
                lab = sprintf("+%.3f", t - first[r]); lw = length(lab) * 8.2
                lx = xx - lw / 2
                all = all " " lab
                if (lx > above + 4) { above = lx + lw; printf "<text class=\"sm lab\" x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", xx, y - 22, lab }
            }
        } else if (kind == "synack") {
            printf "<path class=\"sa\" d=\"M%s %dl7 7l-7 7l-7 -7z\" data-kind=\"synack\" data-t=\"%s\"/>\n", xx, y - 7, fmt4(t)
        } else {
            bad = ackignored(t, rport[r])
            if (bad) { nbad++; note_bad[r] = 1 }
            printf "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" data-kind=\"%s\" data-t=\"%s\"/>\n", \
                bad ? "bad" : "ack", xx - 6, y + 9, bad ? "ack-not-acted-on" : "ack", fmt4(t)
        }
    }
    if (crowd[r]) printf "<text class=\"sm\" x=\"%d\" y=\"%d\">%s</text>\n", X0, y + 35, esc(T("sent again after (s):") all)
    st = ndrop || !nsa[r] ? "dropt" : "mu"
    printf "<text class=\"%s\" x=\"%d\" y=\"%d\">%s</text>\n", st, NX, y + (detail[r] != "" ? -3 : 5), esc(note[r])
    if (detail[r] != "") printf "<text class=\"sm\" x=\"%d\" y=\"%d\">%s</text>\n", NX, y + 14, esc(detail[r])
    if (note_bad[r]) printf "<text class=\"badt sm\" x=\"%d\" y=\"%d\">%s</text>\n", NX, y + 29, esc(T("final ACK not acted on (ss: SYN-RECV)"))
    print "</g>"
}

# The next snapshot at or after the ACK still holds the request.
function ackignored(t, p,    k) {
    for (k = 1; k <= nsnap; k++)
        if (snapt[k] >= t) return ((k, p) in snapsrv) && snapsrv[k, p] == "SYN-RECV"
    return 0
}

function accepts(    i, xx, y0, y1, lab, lw, lane, used) {
    y0 = TOP - 36; y1 = YB
    for (i = 1; i <= nacc; i++) {
        xx = x(acct[i])
        lab = sprintf(T("accept() %s: :%s out, a slot free"), fmt(acct[i]), accp[i])
        printf "<line class=\"acc\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" data-kind=\"accept\" data-t=\"%s\"/>\n", xx, y0 + 4, xx, y1, fmt(acct[i])
        # Successive labels one line lower when they would overlap.
        lane = 0
        while (lane < 3 && (lane in used) && used[lane] > xx - 4) lane++
        lw = length(lab) * 7.8
        used[lane] = xx + lw
        printf "<text class=\"acct sm\" x=\"%s\" y=\"%d\">%s</text>\n", xx + 5, y0 - lane * 16, esc(lab)
    }
}

function legend(    y, x1, x2) {
    y = YB + 72
    x1 = 30; x2 = 620
    printf "<text class=\"sm mu\" x=\"%d\" y=\"%d\">%s</text>\n", 20, y, esc(T("One mark per segment, at its captured time (one capture point: lo):"))
    y += 28
    printf "<circle class=\"syn\" cx=\"%d\" cy=\"%d\" r=\"7.5\"/>", x1 + 7, y - 5
    leg(x1 + 24, y, T("SYN from the client, answered"))
    printf "<circle class=\"drop\" cx=\"%d\" cy=\"%d\" r=\"7.5\"/><path class=\"x\" d=\"M%d %dl8 8m0 -8l-8 8\"/>", x2 + 7, y - 5, x2 + 3, y - 9
    leg(x2 + 24, y, T("SYN dropped by the listener (no SYN,ACK, no RST)"))
    y += 26
    printf "<path class=\"sa\" d=\"M%d %dl7 7l-7 7l-7 -7z\"/>", x1 + 7, y - 12
    leg(x1 + 24, y, T("SYN,ACK from the server"))
    printf "<rect class=\"ack\" x=\"%d\" y=\"%d\" width=\"12\" height=\"12\"/>", x2 + 1, y - 11
    leg(x2 + 24, y, T("final ACK from the client"))
    y += 26
    printf "<rect class=\"wait\" x=\"%d\" y=\"%d\" width=\"16\" height=\"16\" rx=\"3\"/>", x1, y - 13
    leg(x1 + 24, y, T("waiting in SYN_SENT"))
    printf "<rect class=\"bad\" x=\"%d\" y=\"%d\" width=\"12\" height=\"12\"/>", x2 + 1, y - 11
    leg(x2 + 24, y, T("final ACK the listener did not act on"))
    y += 26
    printf "<line class=\"acc\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", x1 + 8, y - 15, x1 + 8, y + 3
    leg(x1 + 24, y, T("the server's accept(): one slot in the accept queue frees"))
    y += 26
    leg(20, y, T("+N.NNN: seconds since that connection's first SYN (the retransmission timer)"))
    y += 26
    leg(20, y, T("Nothing tells a waiting client that a slot is free: its next retransmitted SYN finds it."))
}
function leg(xx, y, s) { printf "<text class=\"sm\" x=\"%d\" y=\"%d\">%s</text>\n", xx, y, esc(s) }

