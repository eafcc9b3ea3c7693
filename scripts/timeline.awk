# timeline.awk: merge the sides' outputs (see sl_timeline in lib.sh). Load
# with msort.awk.
#
# Input files: each side's output, SIDE.out. Variables: t0 (epoch of the
# run's start), starts (file of "side<TAB>launch epoch"), releases (file of
# "side<TAB>line<TAB>epoch" for each released step). Writes the files named by
# clocks (each side's clock origin), narration (both sides' lines by time,
# marked by side) and states ("time side STATE [TIMER]" for each state=, with
# the timer in seconds when the line reports one).

# Rows in time order, then by side, then in the order printed.
function before(a, b) {
    if (key[a] != key[b]) return key[a] < key[b]
    if (kside[a] != kside[b]) return kside[a] < kside[b]
    return kseq[a] < kseq[b]
}
BEGIN {
    while ((getline l < starts) > 0) { split(l, f, "\t"); origin[f[1]] = f[2]; sides[++nsides] = f[1] }
    while ((getline l < releases) > 0) { split(l, f, "\t"); rel[f[1], f[2]] = f[3] }
}
FNR == 1 { side = FILENAME; sub(/.*\//, "", side); sub(/\.out$/, "", side); pending = ""; nf++; fside[nf] = side }
{ nl[nf] = FNR; text[nf, FNR] = $0 }
/^ *[0-9]+\.[0-9]+ [a-z]+ / {
    split($0, w, " ")
    if (pending != "" && pending - w[1] > origin[side]) origin[side] = pending - w[1]
    pending = ((side, FNR) in rel) ? rel[side, FNR] : ""
}
END {
    for (i = 1; i <= nsides; i++) {
        s = sides[i]
        printf "%s\t%.6f\n", s, origin[s] > clocks
        start[s] = sprintf("%.6f", origin[s]) + 0 # as read back from clocks.tsv
    }
    n = 0
    for (k = 1; k <= nf; k++) {
        side = fside[k]; t = 0
        for (r = 1; r <= nl[k]; r++) {
            l = text[k, r]
            if (match(l, /^ *[0-9]+\.[0-9]+ [a-z]+ +/)) {
                split(l, w, " ")
                t = start[side] - t0 + w[1]
                out = sprintf("%7.3f [%s] %s", t, side, substr(l, RLENGTH + 1))
                # Bytes from the network are quoted (and their own quotes
                # escaped): a state= inside quotes is data, not the kernel's.
                u = l
                gsub(/"([^"\\]|\\.)*"/, "\"\"", u)
                if (match(u, /state=[A-Z_0-9]+/)) {
                    st = substr(u, RSTART + 6, RLENGTH - 6)
                    # The timer the line reports (sock_diag), if any.
                    tm = match(u, /timer=[0-9.]+s/) ? substr(u, RSTART + 6, RLENGTH - 7) : ""
                    printf "%.6f %s %s%s\n", t, side, st, tm == "" ? "" : " " tm > states
                }
            } else {
                sub(/^ +/, "", l)
                out = sprintf("%19s%s", "", l)
            }
            n++; key[n] = sprintf("%.6f", t) + 0; kside[n] = side; kseq[n] = r; row[n] = out
        }
    }
    msort(n)
    printf "" > narration
    for (i = 1; i <= n; i++) print row[ord[i]] > narration
}
