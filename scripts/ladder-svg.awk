# ladder-svg.awk: the ladder diagram as one self-contained SVG picture, from
# the rows ladder.awk writes (-v rows=FILE; the format is in its header).
# Run after markup.awk (awk -f markup.awk -f ladder-svg.awk), which gives T, esc, dw.
#
#   awk -v tr=TABLE -v title=TEXT -f ladder-svg.awk ROWS > ladder.svg
#
# Variables (all optional): tr, the scripts' translation table (as for
# ladder.awk: lines "msgid\037msgstr"; none in English); title, a line
# above the picture (the script and its scenario). Run under LC_ALL=C, as
# the scripts do: widths are counted in bytes, a CJK character as two
# columns of a monospace font.
#
# The picture: two lifelines headed by their addresses; one arrow (a <line>
# with a marker-end, and no other element has one) per captured segment,
# datagram or ICMP error, in time order, with the time at its start; each
# arrow goes from the sender's lifeline at its row down to the receiver's a
# fixed small step lower: the capture is taken at one point, so sending and
# receiving are the same captured instant, and the slope only shows the
# direction (the legend says so). Its label (flags, seq, ack, len) is above
# it, the row's note (not taken in, a copy, dropped) under it; an arrow the
# receiving socket did not take in is dashed and ends in a cross. The state
# each end entered is in a box beside its lifeline where the arrow leaves or
# reaches it: filled and ticked when that end's program reported the same
# state (the text ladder's "*"), dashed when worked out from the capture
# alone. Rows are in time order, not to scale: where time jumps by gapmin or
# more, a dotted stretch of the lifelines says by how much. After the last
# arrow, the ending: the state each side was left in, what ends it (60 s
# for TIME_WAIT), and the state it goes to; then the ending's, the notes'
# and the legend's text. Light or dark, as the viewer prefers
# (prefers-color-scheme); generic fonts only; no script. Every text is
# XML-escaped (& < > " ') and its bytes kept to well-formed UTF-8.





# px(s, size): s's width in pixels at font size size (monospace: 0.6 em a
# column).
function px(s, size) { return dw(s) * size * 0.6 }

# wrap(s, cols): s cut into lines of at most cols columns (at a space where
# there is one, else between characters), in WL[1..n]; returns n.
function wrap(s, cols,    n, line, w, i, len, c, k, sp, spw) {
    n = 0
    line = ""; w = 0; sp = 0
    len = length(s)
    for (i = 1; i <= len; i++) {
        c = substr(s, i, 1)
        if (c ~ /[\300-\377]/) {
            for (k = i + 1; k <= len && substr(s, k, 1) ~ /[\200-\277]/; k++) ;
            c = substr(s, i, k - i); i = k - 1
        }
        if (w + dw(c) > cols && line != "") {
            if (sp > 0 && c != " ") {
                WL[++n] = substr(line, 1, sp - 1)
                line = substr(line, sp + 1); w = w - spw - 1
            } else {
                WL[++n] = line
                line = ""; w = 0
            }
            sp = 0
            if (c == " ") continue
        }
        line = line c; w += dw(c)
        if (c == " ") { sp = length(line); spw = w - 1 }
    }
    if (line != "" || n == 0) WL[++n] = line
    return n
}

function fmt(x) { return sprintf("%.1f", x) }

# text(x, y, cls, s [, anchor]): one <text> element.
function text(x, y, cls, s, anchor) {
    printf "<text x=\"%s\" y=\"%s\" class=\"%s\"%s>%s</text>\n", fmt(x), fmt(y), cls, \
        anchor == "" ? "" : " text-anchor=\"" anchor "\"", esc(s)
}

# dur(d): a time span in words: ms below a second, else s.
function dur(d) {
    if (d < 1) return sprintf("%d ms", d * 1000 + 0.5)
    if (d < 10) return sprintf("%.1f s", d)
    return sprintf("%d s", d + 0.5)
}

# box(x, y, side, st, ok): a state box centred on y, beside the lifeline at
# x: to its left for the client, its right for the server; ok = reported by
# the narration too (filled, ticked).
function box(x, y, side, st, ok,    w, h, bx) {
    w = px(st, FS_ST) + 14 + (ok ? 16 : 0)
    h = 22
    bx = side == "client" ? x - 8 - w : x + 8
    printf "<g class=\"st%s\" data-side=\"%s\">", ok ? " ok" : "", side
    printf "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%d\" rx=\"5\"/>", fmt(bx), fmt(y - h / 2), fmt(w), h
    printf "<text x=\"%s\" y=\"%s\">%s</text>", fmt(bx + 7), fmt(y + FS_ST * 0.35), esc(st)
    if (ok) printf "<path class=\"tick\" d=\"M%s %s l3.5 4 l6.5 -9\"/>", fmt(bx + w - 15), fmt(y)
    printf "</g>\n"
}

# boxw(st, ok): the room a state box takes beside its lifeline.
function boxw(st, ok) { return st == "" ? 0 : px(st, FS_ST) + 14 + (ok ? 16 : 0) + 8 }

BEGIN {
    FS = "\t"
    FS_LAB = 15; FS_NOTE = 14; FS_ST = 14; FS_TIME = 14; FS_HEAD = 16; FS_TXT = 15; FS_TITLE = 19
}
function v(x) { return x == "-" ? "" : x }
$1 == "meta" { meta[$2] = $3; next }
$1 == "life" { lname[$2] = v($3); laddr[$2] = v($4); next }
$1 == "gap" { gapafter[n] = $3 - $2; ngaps++; next }
$1 == "seg" || $1 == "udp" || $1 == "icmp" {
    n++
    kind[n] = $1; t[n] = $2; dir[n] = $3
    cst[n] = v($8); cok[n] = $9 == "*"; sst[n] = v($10); sok[n] = $11 == "*"
    nkind[n] = v($12); note[n] = v($13); label[n] = v($15)
    if (nkind[n] ~ /^(lost|ignored|dropped|never)$/) nlost++
    if (nkind[n] ~ /^(copy|oldcopy)$/) ncopy++
    if (cok[n] || sok[n]) nok++
    next
}
$1 == "note" { notes[++nnotes] = v($2); next }
$1 == "endhead" { endhead[++nendhead] = v($2); next }
$1 == "end" { ne++; eside[ne] = $2; est[ne] = v($3); enext[ne] = v($4); eafter[ne] = v($5); etext[ne] = v($6); next }

END {
    M = 24
    # The columns: time, the client's states, the arrows, the server's states.
    timew = px("000.0000", FS_TIME)
    if (px(T("time"), FS_TIME) > timew) timew = px(T("time"), FS_TIME)
    cw = 0; sw = 0; aw = 380
    for (i = 1; i <= n; i++) {
        if (boxw(cst[i], cok[i]) > cw) cw = boxw(cst[i], cok[i])
        if (boxw(sst[i], sok[i]) > sw) sw = boxw(sst[i], sok[i])
        if (px(label[i], FS_LAB) + 60 > aw) aw = px(label[i], FS_LAB) + 60
        if (px(note[i], FS_NOTE) + 40 > aw) aw = px(note[i], FS_NOTE) + 40
    }
    for (i = 1; i <= ne; i++) {
        w = boxw(est[i], 0) > boxw(enext[i], 0) ? boxw(est[i], 0) : boxw(enext[i], 0)
        if (eside[i] == "client" && w > cw) cw = w
        if (eside[i] == "server" && w > sw) sw = w
    }
    hw["client"] = (px(lname["client"], FS_HEAD) > px(laddr["client"], FS_HEAD) ? px(lname["client"], FS_HEAD) : px(laddr["client"], FS_HEAD)) + 20
    hw["server"] = (px(lname["server"], FS_HEAD) > px(laddr["server"], FS_HEAD) ? px(lname["server"], FS_HEAD) : px(laddr["server"], FS_HEAD)) + 20
    if (hw["client"] / 2 > cw) cw = hw["client"] / 2
    if (hw["server"] / 2 > sw) sw = hw["server"] / 2
    xc = M + timew + 14 + cw
    xs = xc + aw
    W = xs + sw + M
    if (W < 1000) { xs += (1000 - W) / 2; xc += 0; W = 1000 }
    aw = xs - xc
    cols = int((W - 2 * M) / (FS_TXT * 0.6))

    # Rows first, into a buffer of y positions: the height decides the header.
    y = M
    if (title != "") y += FS_TITLE + 12
    ytitle = y - 12
    yhead = y
    y += 52 + 22 # the lifelines' heads, then room
    DY = 12      # the slope: the same instant, drawn a step lower
    for (i = 1; i <= n; i++) {
        ytop[i] = y
        y1[i] = y + FS_LAB + 8
        y += FS_LAB + 8 + DY + 14
        if (note[i] != "") y += FS_NOTE + 4
        if (i in gapafter) { gtop[i] = y; y += 40 }
    }
    # The ending: each side's last state, what ends it, the state after.
    yend = y
    if (ne) {
        for (i = 1; i <= ne; i++) if (enext[i] != "") { hasnext = 1; goeson[eside[i]] = 1 }
        y += hasnext ? 112 : 30
    }
    ylife = y
    y += 24
    # The texts under the picture.
    ntl = 0
    for (i = 1; i <= nendhead; i++) { k = wrap(endhead[i], cols); for (j = 1; j <= k; j++) TL[++ntl] = WL[j]; TC[ntl] = "tx" }
    for (i = 1; i <= ne; i++) {
        k = wrap(eside[i] ": " etext[i], cols - 2)
        for (j = 1; j <= k; j++) { TL[++ntl] = (j > 1 ? "  " : "") WL[j]; TC[ntl] = "tx" }
    }
    if (nnotes && ntl) { TL[++ntl] = ""; TC[ntl] = "tx" }
    for (i = 1; i <= nnotes; i++) { k = wrap(notes[i], cols); for (j = 1; j <= k; j++) { TL[++ntl] = WL[j]; TC[ntl] = "tx" } }
    ytext = y
    y += ntl * (FS_TXT + 6) + (ntl ? 14 : 0)
    # The legend.
    nleg = 0
    legend(T("one capture point: sent and received at the same instant; the slope only shows direction"), "")
    if (meta["tcp"]) {
        if (meta["conns"] > 1)
            legend(T("several connections: the client's port starts each label; no state is marked as narrated (the narration does not say which connection it means)"), "")
        else if (meta["peer"])
            legend(T("the state that end entered with the segment; reported by tcp-peer's narration of the kernel's socket too"), "ok")
        else
            legend(T("the state that end entered with the segment; reported by that program's own narration too"), "ok")
        legend(T("the state worked out from the capture by TCP's state machine"), "st")
        s = T("  seq/ack count from each side's first sequence number (SYN = 0).")
        sub(/^ +/, "", s)
        legend(s, "")
        if (meta["peer"]) {
            s = T("  The peer is tcp-peer's script, not a socket: its column is what a TCP") " " T("  would be in after what it sent and got.")
            gsub(/  +/, " ", s); sub(/^ /, "", s)
            legend(s, "")
        }
    } else legend(T("UDP keeps no connection state: one arrow per datagram or ICMP error"), "")
    if (nlost) legend(T("not taken in by the receiving socket (the note under the arrow says how the capture shows it)"), "lost")
    if (ncopy) legend(T("a segment the peer's script sent once more: a copy (an old copy when it belongs to the connection before)"), "copy")
    if (ngaps) legend(T("rows are in time order, not to scale: a dotted stretch marks a jump in time"), "gap")
    ylegend = y + 8
    y = ylegend + nleg * (FS_TXT + 8) + M
    H = y

    svg_open("sl-ladder", W, H, title != "" ? title : T("Ladder diagram"))
    style()
    defs()
    printf "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\"/>\n", W, H
    if (title != "") text(M, ytitle, "title", title)
    # Lifelines, with a dotted stretch at each gap.
    for (s = 1; s <= 2; s++) {
        side = s == 1 ? "client" : "server"; x = s == 1 ? xc : xs
        y0 = yhead + 52
        for (i = 1; i <= n; i++) if (i in gapafter) {
            printf "<line class=\"life\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", fmt(x), fmt(y0), fmt(x), fmt(gtop[i] + 4)
            printf "<line class=\"life gap\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", fmt(x), fmt(gtop[i] + 4), fmt(x), fmt(gtop[i] + 36)
            y0 = gtop[i] + 36
        }
        # Solid down to the ending; where the side goes on to another state
        # by itself, a dashed stretch (drawn with the ending) instead.
        printf "<line class=\"life\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", fmt(x), fmt(y0), fmt(x), fmt(side in goeson ? yend + 5 : ylife)
        printf "<line class=\"life\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", fmt(x - 12), fmt(ylife), fmt(x + 12), fmt(ylife)
        printf "<g class=\"head\"><rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"52\" rx=\"6\"/>", fmt(x - hw[side] / 2), fmt(yhead), fmt(hw[side])
        printf "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" class=\"name\">%s</text>", fmt(x), fmt(yhead + 21), esc(lname[side])
        printf "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text></g>\n", fmt(x), fmt(yhead + 42), esc(laddr[side])
    }
    text(M + timew, yhead + 42, "time", T("time"), "end")
    for (i = 1; i <= n; i++) {
        c2s = dir[i] == "c2s"
        xa = c2s ? xc : xs; xb = c2s ? xs : xc
        lost = nkind[i] ~ /^(lost|ignored|dropped|never)$/
        cls = lost ? "lost" : kind[i] == "icmp" ? "icmp" : dir[i]
        # Stop short of the lifeline by the arrowhead's length.
        xe = xb + (c2s ? -2 : 2)
        printf "<line class=\"arrow %s %s%s\" data-t=\"%s\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" marker-end=\"url(#sl-ladder-h-%s)\"/>\n", \
            kind[i], cls, nkind[i] ~ /^(copy|oldcopy)$/ ? " copy" : "", t[i], fmt(xa), fmt(y1[i]), fmt(xe), fmt(y1[i] + DY), lost ? "lost" : cls
        text((xc + xs) / 2, y1[i] - 7, "lab " cls, label[i], "middle")
        if (note[i] != "") text((xc + xs) / 2, y1[i] + DY + FS_NOTE + 6, "note", note[i], "middle")
        text(M + timew, y1[i] + 5, "time", sprintf("%.4f", t[i]), "end")
        if (cst[i] != "") box(xc, c2s ? y1[i] : y1[i] + DY, "client", cst[i], cok[i])
        if (sst[i] != "") box(xs, c2s ? y1[i] + DY : y1[i], "server", sst[i], sok[i])
        if (i in gapafter) text((xc + xs) / 2, gtop[i] + 25, "gaptext", sprintf(T("%s later"), dur(gapafter[i])), "middle")
    }
    for (i = 1; i <= ne; i++) {
        x = eside[i] == "client" ? xc : xs
        # A side closed already: its last box said so.
        if (est[i] == "CLOSED" && enext[i] == "") continue
        box(x, yend + 16, eside[i], est[i], 0)
        if (enext[i] == "") continue
        printf "<line class=\"life end\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", fmt(x), fmt(yend + 28), fmt(x), fmt(yend + 84)
        printf "<path class=\"endhead\" d=\"M%s %s l-5 -9 h10 z\"/>\n", fmt(x), fmt(yend + 86)
        text(eside[i] == "client" ? x + 10 : x - 10, yend + 62, "after", eafter[i], eside[i] == "client" ? "start" : "end")
        box(x, yend + 98, eside[i], enext[i], 0)
    }
    for (i = 1; i <= ntl; i++) text(M, ytext + i * (FS_TXT + 6), TC[i], TL[i])
    for (i = 1; i <= nleg; i++) {
        yl = ylegend + i * (FS_TXT + 8)
        if (legsym[i] == "ok" || legsym[i] == "st") {
            printf "<g class=\"st%s\"><rect x=\"%d\" y=\"%s\" width=\"34\" height=\"18\" rx=\"4\"/>", legsym[i] == "ok" ? " ok" : "", M, fmt(yl - 13)
            if (legsym[i] == "ok") printf "<path class=\"tick\" d=\"M%d %s l3.5 4 l6.5 -9\"/>", M + 13, fmt(yl - 4)
            printf "</g>\n"
        } else if (legsym[i] == "lost") {
            printf "<line class=\"lost\" x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\"/>", M, fmt(yl - 4), M + 28, fmt(yl - 4)
            printf "<path class=\"cross\" d=\"M%d %s l8 8 m0 -8 l-8 8\"/>\n", M + 26, fmt(yl - 8)
        } else if (legsym[i] == "copy")
            printf "<line class=\"arrow c2s copy\" x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\"/>\n", M, fmt(yl - 4), M + 34, fmt(yl - 4)
        else if (legsym[i] == "gap")
            printf "<line class=\"life gap\" x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\"/>\n", M + 17, fmt(yl - 15), M + 17, fmt(yl + 3)
        else if (legsym[i] != "none") text(M + 10, yl, "tx", "\342\200\242") # no bullet on a wrapped line
        text(M + 44, yl, "tx", LG[i])
    }
    printf "</svg>\n"
}

# legend(text, sym): a legend line (cut to the width; the symbol before
# the first line: ok, st, lost, gap or a bullet).
function legend(s, sym,    k, j) {
    k = wrap(s, cols - 8)
    for (j = 1; j <= k; j++) { nleg++; LG[nleg] = WL[j]; legsym[nleg] = j == 1 ? sym : "none" }
}

# rule(sel, decl): a CSS rule, each selector of sel scoped to this picture
# (its root's class, sl-ladder), so that a page holding it and other
# pictures inline (report.html) styles each one apart.
function rule(sel, decl,    n, part, i, out) {
    n = split(sel, part, ",")
    out = ""
    for (i = 1; i <= n; i++) out = out (i > 1 ? "," : "") ".sl-ladder " part[i]
    printf "%s{%s}\n", out, decl
}

function style(    f) {
    printf "<style>\n"
    f = "\"DejaVu Sans Mono\",\"Noto Sans Mono CJK SC\",\"WenQuanYi Micro Hei Mono\",\"Noto Sans CJK SC\",monospace"
    printf ".sl-ladder{font-family:%s;font-size:%dpx}\n", f, FS_TXT
    rule(".bg", "fill:#ffffff"); rule("text", "fill:#1b1b1b"); rule(".title", "font-size:" FS_TITLE "px;font-weight:bold")
    rule(".life", "stroke:#5f6368;stroke-width:2"); rule(".life.gap", "stroke-dasharray:2 5")
    rule(".life.end", "stroke-dasharray:6 4"); rule(".endhead", "fill:#5f6368")
    rule(".head rect", "fill:#f1f3f4;stroke:#5f6368;stroke-width:1.5"); rule(".head text", "font-size:" FS_HEAD "px")
    rule(".head .name", "font-weight:bold")
    rule(".arrow", "stroke-width:2.2"); rule(".c2s", "stroke:#1f5fbf"); rule(".s2c", "stroke:#b3541e")
    rule(".icmp", "stroke:#7b3fa0"); rule(".lost", "stroke:#c62828;stroke-dasharray:7 5")
    rule(".arrow.copy", "stroke-width:3.4;stroke-dasharray:2 4")
    rule(".lab", "font-size:" FS_LAB "px;stroke:none"); rule(".lab.c2s,.hc2s", "fill:#1f5fbf")
    rule(".lab.s2c,.hs2c", "fill:#b3541e"); rule(".lab.icmp,.hicmp", "fill:#7b3fa0"); rule(".lab.lost", "fill:#c62828")
    rule(".cross", "stroke:#c62828;stroke-width:2.2;fill:none;stroke-dasharray:none")
    rule(".note", "font-size:" FS_NOTE "px;font-style:italic;fill:#8a3b00")
    rule(".time", "font-size:" FS_TIME "px;fill:#5f6368"); rule(".gaptext", "font-style:italic;fill:#5f6368")
    rule(".after", "font-size:" FS_NOTE "px;fill:#5f6368")
    rule(".st rect", "fill:#ffffff;stroke:#5f6368;stroke-width:1.3;stroke-dasharray:4 3")
    rule(".st text", "font-size:" FS_ST "px;font-weight:bold")
    rule(".st.ok rect", "fill:#dce8fb;stroke:#1f5fbf;stroke-width:1.8;stroke-dasharray:none")
    rule(".tick", "fill:none;stroke:#137333;stroke-width:2.4")
    printf "@media (prefers-color-scheme: dark){\n"
    rule(".bg", "fill:#15181d"); rule("text", "fill:#e8eaed"); rule(".life", "stroke:#9aa0a6"); rule(".endhead", "fill:#9aa0a6")
    rule(".head rect", "fill:#23272e;stroke:#9aa0a6")
    rule(".c2s", "stroke:#7fb0ff"); rule(".s2c", "stroke:#ffab70"); rule(".icmp", "stroke:#d5a6ff"); rule(".lost", "stroke:#ff7b7b")
    rule(".lab.c2s,.hc2s", "fill:#7fb0ff"); rule(".lab.s2c,.hs2c", "fill:#ffab70"); rule(".lab.icmp,.hicmp", "fill:#d5a6ff")
    rule(".lab.lost", "fill:#ff7b7b"); rule(".cross", "stroke:#ff7b7b")
    rule(".note", "fill:#ffc98a"); rule(".time,.gaptext,.after", "fill:#a0a6ad")
    rule(".st rect", "fill:#15181d;stroke:#9aa0a6"); rule(".st.ok rect", "fill:#1e3a66;stroke:#7fb0ff")
    rule(".tick", "stroke:#81c995"); rule(".lab", "stroke:none") # after .c2s...: labels are filled only
    printf "}\n</style>\n"
}

# The arrowheads: one per direction, ICMP's, and a cross for a segment the
# receiving socket did not take in.
function defs(    m) {
    printf "<defs>\n"
    split("c2s s2c icmp", m, " ")
    for (k = 1; k <= 3; k++)
        printf "<marker id=\"sl-ladder-h-%s\" viewBox=\"0 0 12 10\" refX=\"12\" refY=\"5\" markerWidth=\"12\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path class=\"h%s\" d=\"M0 0 L12 5 L0 10 z\"/></marker>\n", m[k], m[k]
    printf "<marker id=\"sl-ladder-h-lost\" viewBox=\"0 0 12 12\" refX=\"6\" refY=\"6\" markerWidth=\"12\" markerHeight=\"12\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path class=\"cross\" d=\"M1 1 L11 11 M11 1 L1 11\"/></marker>\n"
    printf "</defs>\n"
}
