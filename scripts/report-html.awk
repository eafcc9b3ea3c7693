# report-html.awk: a run folder as one self-contained HTML page (see
# report-html.sh). Reads only the files it is given; writes the page on
# stdout.
# Run after markup.awk (awk -f markup.awk -f report-html.awk), which gives T, esc, dw.
#
# Variables: dir (the run folder), files (the names of the files the run
# wrote, as its marker lists them, each a regular file: nothing else is
# read), lang ("en" or "zh-CN"), tr (the translation table, as ladder.awk's:
# lines "msgid\037msgstr"; empty in English).
#
# Every text taken from a file is escaped (esc) before it goes into the
# page: a byte from the network never becomes markup. The pictures a run
# drew (ladder.svg, drain.svg, ttl.svg) are inlined only when they hold
# nothing but drawing elements (svg_safe); else the ladder's text stands in.



# tokens(s): an escaped part of a narration line outside its quotes, with
# the kernel's tokens (state=, errno=) marked.
function tokens(s,    out, a, n) {
    out = ""
    while (match(s, /(state|errno)=[A-Z0-9_]+/)) {
        a = RSTART; n = RLENGTH
        out = out esc(substr(s, 1, a - 1)) "<b class=\"rh-tok " \
            (substr(s, a, 1) == "s" ? "rh-state" : "rh-errno") "\">" esc(substr(s, a, n)) "</b>"
        s = substr(s, a + n)
    }
    return out esc(s)
}

# line_html(s): a narration event: bytes from the network are quoted (their
# own quotes escaped, as timeline.awk reads them): shown as data, and a
# state= inside them is not the kernel's.
function line_html(s,    out, a, n) {
    out = ""
    while (match(s, /"([^"\\]|\\.)*"/)) {
        a = RSTART; n = RLENGTH # tokens() matches too
        out = out tokens(substr(s, 1, a - 1)) "<span class=\"rh-data\">" esc(substr(s, a, n)) "</span>"
        s = substr(s, a + n)
    }
    return out tokens(s)
}

function readfile(name, arr,    n, l) {
    n = 0
    if (!(name in have)) return 0
    while ((getline l < (dir "/" name)) > 0) arr[++n] = l
    close(dir "/" name)
    return n
}

function side_class(s) {
    if (!(s in sidecls)) {
        nsides++
        sidecls[s] = (s == "server") ? 1 : (s ~ /^client/) ? 2 : (s == "peer") ? 3 : 3 + nsides
        if (sidecls[s] > 8) sidecls[s] = 8
        sidelist[nsides] = s
    }
    return "rh-s" sidecls[s]
}

# ---- the narration and the snapshots, each snapshot under its step ----

# read_narration: events ev_*[1..nev] (time, side, text, step?), each with
# its explanation lines joined (why[i]).
function read_narration(    n, i, l, t, s, m) {
    n = readfile("narration.txt", nl)
    nev = 0
    for (i = 1; i <= n; i++) {
        l = nl[i]
        # "  0.004 [server] text" (the scripts' merge) or "  0.009 peer    text"
        # (tcp-peer's own narration).
        if (match(l, /^ *[0-9]+\.[0-9]+ \[[a-z0-9-]+\] /)) {
            m = substr(l, 1, RLENGTH - 2)
            t = m; sub(/ *\[.*/, "", t); sub(/^ +/, "", t)
            s = m; sub(/.*\[/, "", s)
            l = substr(l, RLENGTH + 1)
        } else if (match(l, /^ *[0-9]+\.[0-9]+ [a-z][a-z0-9-]* +/)) {
            m = substr(l, 1, RLENGTH)
            split(m, w, " ")
            t = w[1]; s = w[2]
            l = substr(l, RLENGTH + 1)
        } else {
            sub(/^ +/, "", l)
            if (nev == 0) { nev = 1; ev_t[1] = ""; ev_side[1] = ""; ev_text[1] = "" }
            if (why[nev] == "") why[nev] = l
            else if (why[nev] ~ /[\200-\377]$/ && l ~ /^[\200-\377]/) why[nev] = why[nev] l
            else why[nev] = why[nev] " " l
            continue
        }
        nev++
        ev_t[nev] = t + 0; ev_tt[nev] = t; ev_side[nev] = s; ev_text[nev] = l
        ev_step[nev] = (l ~ /^step: /)
        why[nev] = ""
    }
}

# read_snapshots: blocks sn_*[1..nsn]: title, time (t=), side ("[side] " at
# the title's start), before (the title ends "(t=N)": taken before a step;
# "after:" titles go on "(t=N; ...)"), body lines.
function read_snapshots(    n, i, l, tt) {
    n = readfile("snapshots.txt", sl)
    nsn = 0
    for (i = 1; i <= n; i++) {
        l = sl[i]
        if (l ~ /^=== /) {
            nsn++
            sn_title[nsn] = substr(l, 5)
            sn_n[nsn] = 0
            sn_side[nsn] = ""
            if (match(sn_title[nsn], /^\[[a-z0-9-]+\] /)) sn_side[nsn] = substr(sn_title[nsn], 2, RLENGTH - 3)
            sn_t[nsn] = -1
            tt = sn_title[nsn]
            while (match(tt, /\(t=[0-9]+\.[0-9]+/)) {
                sn_t[nsn] = substr(tt, RSTART + 3, RLENGTH - 3) + 0
                tt = substr(tt, RSTART + RLENGTH)
            }
            sn_before[nsn] = (sn_side[nsn] != "" && sn_title[nsn] ~ /\(t=[0-9]+\.[0-9]+\) *$/)
            continue
        }
        if (nsn == 0) continue
        sn_body[nsn, ++sn_n[nsn]] = l
    }
    for (i = 1; i <= nsn; i++) while (sn_n[i] > 0 && sn_body[i, sn_n[i]] == "") sn_n[i]--
}

# place_snapshots: sn_at[k], the event snapshot k is shown under. A
# snapshot taken before a step goes under that step's line: the next of its
# side's step lines not yet used (the program printed nothing else until
# the script released it). Any other goes by its time under the last event
# (of its side, when it names one) at or before it. Snapshots stay in the
# order they were taken.
function place_snapshots(    k, i, last, at) {
    last = 0
    for (k = 1; k <= nsn; k++) {
        at = -1
        if (sn_before[k]) {
            for (i = next_step[sn_side[k]] + 1; i <= nev; i++)
                if (ev_side[i] == sn_side[k] && ev_step[i]) { at = i; break }
            if (at > 0) next_step[sn_side[k]] = at
        }
        if (at < 0) {
            at = 0
            for (i = 1; i <= nev; i++) {
                if (ev_tt[i] == "" || (sn_t[k] >= 0 && ev_t[i] > sn_t[k])) continue
                if (sn_side[k] == "" || ev_side[i] == sn_side[k]) at = i
            }
            if (sn_t[k] < 0) at = nev
        }
        if (at < last) at = last
        last = at
        sn_at[k] = at
        under[at] = under[at] " " k
    }
}

function snapshot_html(k,    i, l, st) {
    printf "<div class=\"rh-row\"><details class=\"rh-snap\" open><summary>%s</summary><pre>", esc(sn_title[k])
    for (i = 1; i <= sn_n[k]; i++) {
        l = sn_body[k, i]
        if (l ~ /^\$ /) { printf "<span class=\"rh-cmd\">%s</span>\n", esc(l); continue }
        # A socket's state, the first word of ss's line.
        if (match(l, /^  (LISTEN|ESTAB|SYN-SENT|SYN-RECV|FIN-WAIT-1|FIN-WAIT-2|TIME-WAIT|CLOSE-WAIT|LAST-ACK|CLOSING|UNCONN|UNCONNECTED) /)) {
            st = substr(l, 3, RLENGTH - 3)
            printf "  <b class=\"rh-ss\">%s</b>%s\n", esc(st), esc(substr(l, RLENGTH))
            continue
        }
        printf "%s\n", esc(l)
    }
    printf "</pre></details></div>\n"
}

function snapshots_under(at,    list, n, j) {
    n = split(under[at], list, " ")
    for (j = 1; j <= n; j++) snapshot_html(list[j] + 0)
}

function narration_html(    i, cls) {
    if (nev == 0 && nsn == 0) { printf "<p class=\"rh-none\">%s</p>\n", esc(T("No narration in this run folder.")); return }
    printf "<div class=\"rh-narr\" style=\"--rh-sidew:%dch\">\n", sidew
    snapshots_under(0)
    for (i = 1; i <= nev; i++) {
        cls = (ev_side[i] == "") ? "rh-s0" : side_class(ev_side[i])
        printf "<div class=\"rh-ev %s%s\"><span class=\"rh-t\">%s</span><span class=\"rh-side\">%s</span>" \
            "<span class=\"rh-msg\">%s</span>", cls, ev_step[i] ? " rh-step" : "", esc(ev_tt[i]), esc(ev_side[i]),
            line_html(ev_text[i])
        if (why[i] != "") printf "<span class=\"rh-why\">%s</span>", esc(why[i])
        printf "</div>\n"
        snapshots_under(i)
    }
    printf "</div>\n"
}

# ---- pictures ----

# svg_safe(s): s (a whole SVG file) holds only drawing: no element outside
# the list, no script, no event attribute, no reference outside the file.
function svg_safe(s,    l, e) {
    l = tolower(s)
    if (l ~ /<!(entity|doctype)|javascript:|@import|[ \t\n]on[a-z]+[ \t\n]*=/) return 0
    if (l ~ /href[ \t\n]*=[ \t\n]*["'][^#]/ || l ~ /url\([ \t\n]*["']?[^#"' \t\n]/) return 0
    while (match(l, /<\/?[^ \t\n>\/]*/)) {
        e = substr(l, RSTART + 1, RLENGTH - 1)
        l = substr(l, RSTART + RLENGTH)
        sub(/^\//, "", e)
        if (e ~ /^(svg|g|defs|marker|line|path|polyline|polygon|rect|circle|ellipse|text|tspan|title|desc|style|use|lineargradient|stop|clippath)$/) continue
        if (e ~ /^(\?xml|!--|!\[cdata\[)/) continue
        return 0
    }
    return 1
}

# svg_scoped(s, p): s with its ids, classes and custom properties renamed
# p-NAME, so that two pictures and the page do not style each other.
function svg_scoped(s, p,    out, m, v, c) {
    sub(/^[ \t\n]*<\?xml[^>]*\?>[ \t\n]*/, "", s)
    out = ""
    while (match(s, /[ \t\n](id|class|style)="[^"]*"|url\(#|href="#|<style[^>]*>[^<]*/)) {
        m = substr(s, RSTART, RLENGTH)
        out = out substr(s, 1, RSTART - 1)
        s = substr(s, RSTART + RLENGTH)
        if (m ~ /^[ \t\n]/) { c = substr(m, 1, 1); m = substr(m, 2) } else c = ""
        if (m ~ /^id="/) m = "id=\"" p "-" substr(m, 5)
        else if (m ~ /^class="/) { v = substr(m, 8, length(m) - 8); gsub(/[^ \t\n]+/, p "-&", v); m = "class=\"" v "\"" }
        else if (m == "url(#") m = "url(#" p "-"
        else if (m == "href=\"#") m = "href=\"#" p "-"
        else m = css_scoped(m, p)
        out = out c m
    }
    return out s
}

# css_scoped(s, p): a style element's text or a style attribute: class
# selectors and custom properties renamed (a "." after a digit is a
# number's).
function css_scoped(s, p,    out, m, i) {
    out = ""
    while (match(s, /(^|[^0-9])\.[A-Za-z_][A-Za-z0-9_-]*|--[A-Za-z_][A-Za-z0-9_-]*/)) {
        m = substr(s, RSTART, RLENGTH)
        out = out substr(s, 1, RSTART - 1)
        s = substr(s, RSTART + RLENGTH)
        if (m ~ /^--/) out = out "--" p "-" substr(m, 3)
        else { i = index(m, "."); out = out substr(m, 1, i) p "-" substr(m, i + 1) }
    }
    return out s
}

function slurp(name,    l, s, f) {
    s = ""
    f = dir "/" name
    while ((getline l < f) > 0) s = s l "\n"
    close(f)
    return s
}

# picture(name, prefix): the SVG inlined (1), or 0 when there is none or it
# is not only drawing.
function picture(name, p,    s) {
    if (!(name in have)) return 0
    s = slurp(name)
    if (s !~ /<svg[ \t\n>]/ || !svg_safe(s)) {
        printf "<p class=\"rh-none\">%s</p>\n", esc(sprintf(T("%s holds more than a drawing: not shown here."), name))
        return 0
    }
    printf "<div class=\"rh-fig\">%s</div>\n", svg_scoped(s, p)
    return 1
}

function pre_file(name, cls,    n, i, a) {
    n = readfile(name, a)
    printf "<pre class=\"%s\">", cls
    for (i = 1; i <= n; i++) printf "%s\n", esc(a[i])
    printf "</pre>\n"
}

function link(name) { return "<a href=\"" esc(name) "\">" esc(name) "</a>" }

BEGIN {
    nf = split(files, fl, " ")
    for (i = 1; i <= nf; i++) have[fl[i]] = 1

    # What ran: the script (the marker's first line), the scenario and each
    # program's command line (SIDE.cmd).
    script = "socklab"
    if ((getline l < (dir "/.socklab-run")) > 0 && match(l, /run folder: [a-z0-9-]+ wrote/)) script = substr(l, RSTART + 12, RLENGTH - 18)
    ncmd = 0
    scenario = ""
    for (i = 1; i <= nf; i++) {
        if (fl[i] !~ /\.cmd$/) continue
        n = readfile(fl[i], c)
        if (n < 1) continue
        cmd[++ncmd] = c[1]; cmdside[ncmd] = substr(fl[i], 1, length(fl[i]) - 4)
        if (scenario == "" && match(c[1], /--scenario [a-z0-9-]+/)) scenario = substr(c[1], RSTART + 11, RLENGTH - 11)
    }
    read_narration()
    read_snapshots()
    place_snapshots()
    sidew = 6
    for (i = 1; i <= nev; i++) if (ev_side[i] != "") { side_class(ev_side[i]); if (length(ev_side[i]) > sidew) sidew = length(ev_side[i]) }

    title = script (scenario == "" ? "" : " — " scenario)
    printf "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", lang
    printf "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    printf "<meta name=\"color-scheme\" content=\"light dark\">\n"
    printf "<title>socklab: %s</title>\n<style>\n%s</style>\n</head>\n<body>\n", esc(title), css()
    printf "<header><h1>%s <span class=\"rh-scn\">%s</span></h1>\n", esc(script), esc(scenario)
    if ("INTERRUPTED" in have) pre_file("INTERRUPTED", "rh-warn")
    printf "<dl class=\"rh-what\">\n"
    if (scenario != "") printf "<dt>%s</dt><dd><code>%s</code></dd>\n", esc(T("Scenario")), esc(scenario)
    for (i = 1; i <= ncmd; i++) {
        side_class(cmdside[i])
        printf "<dt>%s <span class=\"rh-side %s\">%s</span></dt><dd><code>%s</code></dd>\n", esc(T("Command")),
            side_class(cmdside[i]), esc(cmdside[i]), esc(cmd[i])
    }
    printf "<dt>%s</dt><dd><code>%s</code></dd>\n</dl>\n", esc(T("Run folder")), esc(dir)
    printf "<nav><a href=\"#rh-narration\">%s</a> <a href=\"#rh-ladder\">%s</a>", esc(T("Narration")), esc(T("Ladder"))
    if ("drain.svg" in have || "ttl.svg" in have) printf " <a href=\"#rh-picture\">%s</a>", esc(T("Picture"))
    printf " <a href=\"#rh-packets\">%s</a> <a href=\"#rh-capture\">%s</a></nav>\n</header>\n<main>\n",
        esc(T("Packets")), esc(T("Capture"))

    # A run without snapshots (tcp-peer's: it narrates the kernel's states
    # itself) promises none.
    printf "<section id=\"rh-narration\"><h2>%s</h2>\n", esc(nsn ? T("Narration, both sides by time, with the socket table under the step it was taken before") : T("Narration, both sides by time"))
    printf "<p class=\"rh-note\">%s</p>\n", esc(T("Seconds since the run started. state= is the TCP state the kernel reported, errno= the error a call got; text in quotes is data from the network."))
    narration_html()
    for (i = 1; i <= nf; i++) {
        if (fl[i] !~ /\.err$/) continue
        n = readfile(fl[i], a)
        if (n == 0) continue
        printf "<h3>%s</h3>\n", esc(sprintf(T("%s: what it wrote on stderr"), substr(fl[i], 1, length(fl[i]) - 4)))
        pre_file(fl[i], "rh-pre")
    }
    if ("stopped.txt" in have) {
        n = readfile("stopped.txt", a)
        for (i = 1; i <= n; i++) printf "<p class=\"rh-note\">%s</p>\n", esc(sprintf(T("%s was stopped by the script once its clients were done."), a[i]))
    }
    printf "</section>\n"

    printf "<section id=\"rh-ladder\"><h2>%s</h2>\n", esc(T("Ladder diagram (from the capture)"))
    if (!picture("ladder.svg", "ladder")) {
        if ("ladder.txt" in have) pre_file("ladder.txt", "rh-pre rh-ladder")
        else printf "<p class=\"rh-none\">%s</p>\n", esc(T("No ladder: the run captured no packets."))
    } else if ("ladder.txt" in have) {
        printf "<details class=\"rh-snap\"><summary>%s</summary>\n", esc(T("The same ladder as text (ladder.txt)"))
        pre_file("ladder.txt", "rh-pre rh-ladder")
        printf "</details>\n"
    }
    printf "</section>\n"
    if ("drain.svg" in have || "ttl.svg" in have) {
        printf "<section id=\"rh-picture\"><h2>%s</h2>\n", esc(T("Picture of the run"))
        picture("drain.svg", "drain")
        picture("ttl.svg", "ttl")
        printf "</section>\n"
    }

    printf "<section id=\"rh-packets\"><h2>%s</h2>\n", esc(T("Packets (tcpdump; seconds since the run started)"))
    if ("packets.txt" in have) {
        # One line a packet, wrapped under itself when long.
        n = readfile("packets.txt", a)
        printf "<pre class=\"rh-packets\">"
        for (i = 1; i <= n; i++) printf "<span class=\"rh-pk\">%s</span>", esc(a[i])
        printf "</pre>\n"
    }
    else printf "<p class=\"rh-none\">%s</p>\n", esc(T("No packet list: the run captured no packets (is tcpdump installed?)."))
    printf "</section>\n"

    printf "<section id=\"rh-capture\"><h2>%s</h2>\n<ul class=\"rh-files\">\n", esc(T("The capture and the other files"))
    npcap = 0
    for (i = 1; i <= nf; i++) if (fl[i] ~ /\.pcap$/) { printf "<li class=\"rh-pcap\">%s</li>\n", link(fl[i]); pcap = (npcap++ ? pcap : fl[i]) }
    for (i = 1; i <= nf; i++) if (fl[i] !~ /\.pcap$/ && fl[i] != "report.html") printf "<li>%s</li>\n", link(fl[i])
    printf "</ul>\n"
    if (npcap) {
        printf "<p>%s</p>\n<ul>\n", esc(T("To look at every packet, byte by byte, open the capture in Wireshark:"))
        printf "<li>%s</li>\n", esc(T("in Wireshark: File > Open, then choose the file;"))
        printf "<li>%s <code>wireshark %s</code></li>\n", esc(T("from a terminal in this folder:")), esc(pcap)
        printf "<li>%s <code>tcpdump -nn -r %s</code></li>\n</ul>\n", esc(T("without Wireshark, as text:")), esc(pcap)
    } else printf "<p class=\"rh-none\">%s</p>\n", esc(T("This run kept no capture."))
    printf "</section>\n</main>\n</body>\n</html>\n"
}

function css() {
    return \
    ":root{--rh-bg:#ffffff;--rh-fg:#1a1a1a;--rh-dim:#555555;--rh-box:#f3f4f6;--rh-line:#d0d4da;" \
    "--rh-s1:#0b5cad;--rh-s2:#a3360b;--rh-s3:#6a2ca0;--rh-s4:#0f7a3d;--rh-s5:#8a6d00;--rh-s6:#b0176b;--rh-s7:#006c80;--rh-s8:#444;" \
    "--rh-state:#0f6b2f;--rh-state-bg:#e3f4e8;--rh-errno:#b00020;--rh-errno-bg:#fde7ea;--rh-data:#6b4e00;--rh-warn:#fff4d6}\n" \
    "@media (prefers-color-scheme: dark){:root{--rh-bg:#121417;--rh-fg:#e8e8e8;--rh-dim:#a8adb4;--rh-box:#1d2126;--rh-line:#3a4049;" \
    "--rh-s1:#6cb4ff;--rh-s2:#ff9a6b;--rh-s3:#c99bff;--rh-s4:#6ee39a;--rh-s5:#f0d060;--rh-s6:#ff85c8;--rh-s7:#5fd8ee;--rh-s8:#bbb;" \
    "--rh-state:#8ef0ae;--rh-state-bg:#173524;--rh-errno:#ff8a9a;--rh-errno-bg:#3d1820;--rh-data:#f2cf7a;--rh-warn:#3d3312}}\n" \
    "html{background:var(--rh-bg);color:var(--rh-fg)}\n" \
    "body{margin:0 auto;padding:1em 1.5em 3em;max-width:90em;font:18px/1.45 system-ui,\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"DejaVu Sans\",sans-serif}\n" \
    "code,pre,.rh-ev,.rh-side{font-family:\"DejaVu Sans Mono\",\"Noto Sans Mono CJK SC\",\"WenQuanYi Micro Hei Mono\",monospace}\n" \
    "h1{font-size:1.8em;margin:.2em 0}h2{font-size:1.35em;margin:1.6em 0 .5em;border-bottom:2px solid var(--rh-line)}\n" \
    ".rh-scn{color:var(--rh-s1)}a{color:var(--rh-s1)}\n" \
    "nav a{margin-right:1em}dl.rh-what{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:.5em 0}\n" \
    "dt{font-weight:bold}dd{margin:0;overflow-wrap:anywhere}\n" \
    ".rh-note,.rh-none{color:var(--rh-dim)}\n" \
    "pre{background:var(--rh-box);padding:.6em .8em;overflow-x:auto;font-size:.85em;line-height:1.35;border-radius:4px;margin:.3em 0}\n" \
    ".rh-warn{background:var(--rh-warn)}\n" \
    ".rh-narr{border-top:1px solid var(--rh-line);font-size:.9em}\n" \
    ".rh-ev,.rh-row{display:grid;grid-template-columns:7ch var(--rh-sidew,8ch) 1fr;gap:0 1ch;padding:.15em .3em;border-left:6px solid var(--rh-c)}\n" \
    ".rh-ev{border-bottom:1px solid var(--rh-line)}.rh-row{border-left-color:transparent}.rh-row>*{grid-column:3}\n" \
    ".rh-t{color:var(--rh-dim);text-align:right}.rh-side{color:var(--rh-c);font-weight:bold}\n" \
    ".rh-msg{overflow-wrap:anywhere;white-space:pre-wrap}.rh-step .rh-msg{color:var(--rh-dim);font-style:italic}\n" \
    ".rh-why{grid-column:3;color:var(--rh-dim);font-family:system-ui,\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"DejaVu Sans\",sans-serif;font-size:.95em}\n" \
    ".rh-s0{--rh-c:var(--rh-line)}.rh-s1{--rh-c:var(--rh-s1)}.rh-s2{--rh-c:var(--rh-s2)}.rh-s3{--rh-c:var(--rh-s3)}.rh-s4{--rh-c:var(--rh-s4)}" \
    ".rh-s5{--rh-c:var(--rh-s5)}.rh-s6{--rh-c:var(--rh-s6)}.rh-s7{--rh-c:var(--rh-s7)}.rh-s8{--rh-c:var(--rh-s8)}\n" \
    "dt .rh-side{font-weight:bold}\n" \
    ".rh-tok{font-weight:bold;padding:0 .2em;border-radius:3px}.rh-state{color:var(--rh-state);background:var(--rh-state-bg)}" \
    ".rh-errno{color:var(--rh-errno);background:var(--rh-errno-bg)}.rh-data{color:var(--rh-data)}\n" \
    ".rh-snap{margin:.2em 0 .4em}.rh-snap summary{cursor:pointer;color:var(--rh-dim);font-size:.9em}\n" \
    ".rh-snap pre{margin:.2em 0}.rh-cmd{color:var(--rh-dim)}.rh-ss{color:var(--rh-state)}\n" \
    "section>.rh-snap{margin-left:0}\n" \
    ".rh-fig{overflow-x:auto;margin:.5em 0}.rh-fig svg{max-width:100%;height:auto}\n" \
    ".rh-packets{white-space:pre-wrap}.rh-pk{display:block;padding-left:4ch;text-indent:-4ch}\n" \
    ".rh-pcap{font-weight:bold}ul.rh-files{columns:16em}\n" \
    "@media print{.rh-snap summary{color:#000}}\n"
}
