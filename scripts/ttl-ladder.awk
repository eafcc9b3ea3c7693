# ttl-ladder.awk: the packet list and the ladder diagram of ttl-hops.sh. Load
# with msort.awk.
#
# Input files: for each of the nlinks links, `tcpdump -nn -tt -r` text
# (named .../linkN-NAME.list), then for each link `tcpdump -nn -tt -v -r`
# text (.../linkN-NAME.verbose). Variables: t0 (epoch of the run's start),
# starts (clocks.tsv: "side<TAB>clock origin"), nlinks, listout (the file
# the packet list goes to). The ladder goes to stdout.

# T(text): text in the learner's language (see ladder.awk).
function T(s) { return (s in trans) ? trans[s] : s }
function dpad(s, w,    t, n) {
    t = s
    n = gsub(/[\200-\277]/, "", t)
    return sprintf("%" (w + n / 2) "s", s)
}
# The packet list: per link, "-- NAME" and its packets, times on the run clock.
function listing(    i, j, nm) {
    printf "" > listout
    for (i = 1; i <= nlinks; i++) {
        nm = ARGV[i]; sub(/.*\/link[0-9]-/, "", nm); sub(/\.list$/, "", nm)
        printf "\n-- %s\n", nm > listout
        for (j = 1; j <= nlist[i]; j++) print "  " lst[i, j] > listout
    }
}
# The ladder rows in time order (then as the text sorts), like sort -k2,2n.
function before(a, b,    ta, tb) {
    ta = rec[a]; sub(/^[^ ]* /, "", ta); sub(/ .*/, "", ta)
    tb = rec[b]; sub(/^[^ ]* /, "", tb); sub(/ .*/, "", tb)
    if (ta + 0 != tb + 0) return ta + 0 < tb + 0
    return rec[a] < rec[b]
}
function flush() { if (line != "") rec[++nrec] = link " " line; line = "" }
BEGIN {
    while (tr != "" && (getline l < tr) > 0) {
        i = index(l, "\037")
        if (i) trans[substr(l, 1, i - 1)] = substr(l, i + 1)
    }
    for (i = 1; i < ARGC; i++) argi[ARGV[i]] = i
    pos["10.0.1.1"] = 0; pos["10.0.1.2"] = 1; pos["10.0.2.1"] = 1
    pos["10.0.2.2"] = 2; pos["10.0.3.1"] = 2; pos["10.0.3.2"] = 3
    name[0] = "A"; name[1] = "R1"; name[2] = "R2"; name[3] = "B"
    gap = 26
    while ((getline l < starts) > 0) {
        split(l, f, "\t")
        if (f[1] ~ /^client-ttl/) { n++; st[n] = f[2] - t0; lab[n] = f[1] }
    }
    for (i = 2; i <= n; i++) # by start time
        for (j = i; j > 1 && st[j - 1] > st[j]; j--) {
            x = st[j]; st[j] = st[j - 1]; st[j - 1] = x
            x = lab[j]; lab[j] = lab[j - 1]; lab[j - 1] = x
        }
    next_start = 1
    printf "%s  %-*s%-*s%-*s%s\n", dpad(T("time"), 9), gap, "A 10.0.1.1", gap, "R1", gap, "R2", "B 10.0.3.2"
}
FNR == 1 { flush(); fi = argi[FILENAME]; if (fi > nlinks) { link = FILENAME; sub(/.*\/link/, "", link); link = substr(link, 1, 1) } }
fi <= nlinks { t = $1; $1 = ""; lst[fi, ++nlist[fi]] = sprintf("%8.4f%s", t - t0, $0); next }
# -v text: a packet may take several lines; join them.
/^[0-9]+\.[0-9]+ / { flush(); line = $0; next }
{ sub(/^[ \t]+/, " "); line = line $0 }
END {
    flush()
    listing()
    msort(nrec)
    for (r = 1; r <= nrec; r++) {
        $0 = rec[ord[r]]
        if ($3 == "IP") draw()
    }
    print ""
    print T("  One arrow per packet, on the link where it was captured; ttl is the")
    print T("  value in the IP header there. Each router takes one off; the one that")
    print T("  would send it on with 0 drops it and answers ICMP time exceeded.")
}
function draw(    t, ttl, rest, w, src, dst, o, what, k, right, body, row, g, note) {
    t = $2 - t0
    while (next_start <= n && st[next_start] <= t) {
        printf "%9s  -- %s --\n", "", lab[next_start]; next_start++
    }
    ttl = ""; if (match($0, /ttl [0-9]+/)) ttl = substr($0, RSTART + 4, RLENGTH - 4)
    # Addresses: the first "A > B:" after the IP header.
    if (!match($0, /[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(\.[0-9]+)? > [0-9.]+:/)) return
    rest = substr($0, RSTART)
    split(rest, w, " "); src = w[1]; dst = w[3]; sub(/:$/, "", dst)
    if (split(src, o, ".") == 5) sub(/\.[0-9]+$/, "", src) # drop the port
    if (split(dst, o, ".") == 5) sub(/\.[0-9]+$/, "", dst)
    if (!(src in pos) || !(dst in pos)) return
    if (rest ~ /ICMP time exceeded/) what = "ICMP time exceeded"
    else if (rest ~ /ICMP/ && rest ~ /unreachable/) what = "ICMP unreachable"
    else if (rest ~ /UDP/) what = "UDP ttl=" ttl
    else return
    k = $1 - 1 # the link: gap k, between node k and node k+1
    right = pos[dst] > pos[src]
    body = right ? "--" what "-" : "<-" what "--"
    if (right) { while (length(body) < gap - 2) body = body "-"; body = body ">" }
    else { while (length(body) < gap - 1) body = body "-" }
    row = ""
    for (g = 0; g < 3; g++) row = row "|" (g == k ? body : sprintf("%" (gap - 1) "s", ""))
    row = row "|"
    note = ""
    if (what == "ICMP time exceeded") note = sprintf(T("  from %s (%s)"), name[pos[src]], src)
    if (what ~ /^UDP/ && pos[dst] == 3 && k == 2) note = right ? T("  delivered to B") : ""
    if (what ~ /^UDP/ && pos[src] == 3 && k == 0) note = T("  the echo reaches A")
    printf "%9.4f  %s%s\n", t, row, note
}
