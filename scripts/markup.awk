# markup.awk: what the scripts' pictures and page share, given first to awk
# (awk -f markup.awk -f ladder-svg.awk ...; awk has no include): the
# learner's language, text made safe for SVG and HTML, and display width.
#
# Variable: tr, the translation table the script passes (lines
# "msgid\037msgstr"; none in English).

BEGIN {
    while (tr != "" && (getline mk_line < tr) > 0) {
        mk_i = index(mk_line, "\037")
        if (mk_i > 1) trans[substr(mk_line, 1, mk_i - 1)] = substr(mk_line, mk_i + 1)
    }
}

# T(text): text in the learner's language (itself in English).
function T(s) { return (s in trans) ? trans[s] : s }

# utf8(s): s with control bytes (but the tab) and bytes that are not
# well-formed UTF-8 as "?": text from the network or a forged file can then
# neither break the document nor smuggle a character in.
function utf8(s,    out, i, n, c, k, need) {
    if (s !~ /[\001-\010\012-\037\177-\377]/) return s
    out = ""
    n = length(s)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c ~ /[\001-\010\012-\037\177]/) { out = out "?"; continue }
        if (c !~ /[\200-\377]/) { out = out c; continue }
        need = c ~ /[\302-\337]/ ? 1 : c ~ /[\340-\357]/ ? 2 : c ~ /[\360-\364]/ ? 3 : 0
        for (k = 1; k <= need; k++) if (substr(s, i + k, 1) !~ /[\200-\277]/) break
        if (need == 0 || k <= need) { out = out "?"; continue }
        out = out substr(s, i, need + 1)
        i += need
    }
    return out
}

# esc(s): s as XML/HTML text or attribute value (utf8, then & < > " ').
function esc(s) {
    s = utf8(s)
    gsub(/&/, "\\&amp;", s)
    gsub(/</, "\\&lt;", s)
    gsub(/>/, "\\&gt;", s)
    gsub(/"/, "\\&quot;", s)
    gsub(/'/, "\\&#39;", s)
    return s
}

# dw(s): the columns s takes on screen, a CJK character (three UTF-8 bytes)
# counting two (awk's length() counts bytes).
function dw(s,    t, n3) {
    t = s
    n3 = gsub(/[\340-\357]/, "", t)
    gsub(/[\200-\277]/, "", t)
    return length(t) + 2 * n3
}

# svg_open(cls, w, h, title): the XML declaration, the <svg> element of root
# class cls (w x h pixels, its CSS scoped under that class) and its title.
function svg_open(cls, w, h, title) {
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n", cls, w, h, w, h
    printf "<title>%s</title>\n", esc(title)
}

# svg_nothing(cls, text): a small picture of root class cls that says only
# text (there was nothing to draw), light or dark as the viewer prefers.
function svg_nothing(cls, text) {
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" width=\"700\" height=\"80\" viewBox=\"0 0 700 80\">\n", cls
    printf "<style>.%s{--bg:#fff;--fg:#1b1b1b}@media (prefers-color-scheme: dark){.%s{--bg:#121417;--fg:#e8eaed}}\n", cls, cls
    printf ".%s text{fill:var(--fg);font-family:\"DejaVu Sans Mono\",\"Noto Sans Mono CJK SC\",monospace;font-size:15px}.%s .bg{fill:var(--bg)}</style>\n", cls, cls
    print "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"700\" height=\"80\"/>"
    printf "<text x=\"20\" y=\"45\">%s</text>\n", esc(text)
    print "</svg>"
}
