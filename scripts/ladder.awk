# ladder.awk: draw a ladder diagram from `tcpdump -nn -tt -S -r FILE` text.
#
# Variables: t0 (epoch of the run's start), sports (server ports, comma
# separated), states (file of "time side STATE" lines from the narration).
# Optional: conns, a file of "time STATE LOCAL PEER" lines (`ss -tanH` at
# each snapshot, "time -" for the snapshot itself): a listener may leave a
# request in SYN-RECV after the client's final ACK (accept queue full,
# TCP_DEFER_ACCEPT), which no packet shows; the next snapshot does.
# Optional: srvout, the server's narration: "TCP_DEFER_ACCEPT N s" there
# means a bare final ACK completes nothing (only data will).
# Optional: list, an input file of `tcpdump -nn -tt -r` text, is not drawn
# but copied to the file listout with its times on the run clock (the packet
# list: one awk for both).
# Optional: peer=1 when the client is tcp-peer's scripted peer, not a socket
# (tcp-peer.sh): its lifeline is called "peer"; what it sends twice is its
# script's choice, not a sign of loss, and is marked as a copy (an old copy
# when it belongs to an earlier connection on the 4-tuple); a SYN,ACK sent
# again with no answer between, or an RST the kernel answers after with no
# RST, was not taken in and changes only its sender; no ending is told after
# the last segment (tcp-peer's namespace goes with it).
#
# One row per segment: time, the state the client entered, an arrow with the
# flags, seq/ack relative to each side's initial sequence number and the
# payload length, the state the server entered. States follow TCP's state
# machine segment by segment (a new SYN from a port starts a new connection
# on it: what came before says nothing of the new one's losses); a "*"
# marks a state the program's own narration reported at that moment
# (TCP_INFO or sock_diag), so the drawing and the kernel's word can be
# compared. UDP datagrams and ICMP errors get an arrow each, without states.
#
# Optional: rows, a file to write the drawing to as machine-readable lines
# (for ladder-svg.awk), one per line of the drawing, fields separated by a
# tab, "-" for an empty field (so that no field is ever empty), times in
# seconds on the run clock (%.6f). The text ladder is the same with or
# without it. The kinds, in this order:
#   meta  KEY  VALUE         rows (how many arrows), conns (connections),
#                            tcp (1: TCP segments), peer (1: tcp-peer's),
#                            gapmin (the least time jump marked as a gap)
#   life  SIDE  NAME  ADDR   a lifeline: SIDE client or server; NAME as the
#                            text ladder heads it ("client", "peer",
#                            "server", or "closed port" translated); ADDR
#                            (the server's with its port, IPv6 in brackets)
#   gap   FROM  TO           time jumps by at least gapmin between two rows
#   KIND  TIME  DIR  FLAGS  SEQ  ACK  LEN  CSTATE  CMARK  SSTATE  SMARK
#         NOTEKIND  NOTE  CONN  LABEL
#                            one arrow: KIND seg (a TCP segment), udp (a
#                            datagram) or icmp (an ICMP error); DIR c2s or
#                            s2c; FLAGS SYN,ACK... (UDP, ICMP); SEQ/ACK
#                            relative as drawn; LEN the payload; CSTATE and
#                            SSTATE the state each end entered with it, with
#                            CMARK/SMARK "*" when its program's narration
#                            reported that state too; NOTEKIND one of lost,
#                            ignored, copy, oldcopy, defer, still, dropped,
#                            never, and NOTE the row's note as the text
#                            ladder prints it; CONN the client's port; LABEL
#                            the arrow's text as the text ladder draws it
#   note  TEXT               a line of the summary under the rows
#   endhead  TEXT            the line that heads the ending
#   end   SIDE  STATE  NEXT  AFTER  TEXT
#                            a side's ending: STATE the capture left it in
#                            (CLOSED for CLOSE), NEXT the state it goes to
#                            on its own (CLOSED, or -), AFTER what takes it
#                            there ("60 s", tcp_fin_timeout, "the ACK of its
#                            FIN"), TEXT the line of the text ladder
# Every text is in the run's language (T()); none holds a tab or a newline.

# T(text): text in the learner's language, from the table the script passes
# (-v tr=FILE, lines "msgid\037msgstr"; empty in English: text itself).
# Translated text goes only where no column follows it, or is padded by its
# display width (dpad): awk's length() counts bytes.
function T(s) { return (s in trans) ? trans[s] : s }
# dpad(s, w): s right-aligned in w columns, a CJK character counting 2.
function dpad(s, w,    t, n) {
    t = s
    n = gsub(/[\200-\277]/, "", t) # UTF-8 continuation bytes: 2 per CJK character
    return sprintf("%" (w + n / 2) "s", s)
}

function flagnames(f,    out, i, c, name) {
    out = ""
    for (i = 1; i <= length(f); i++) {
        c = substr(f, i, 1)
        name = c == "S" ? "SYN" : c == "F" ? "FIN" : c == "R" ? "RST" : c == "P" ? "PSH" : \
               c == "." ? "ACK" : c == "U" ? "URG" : c == "E" ? "ECE" : c == "W" ? "CWR" : c
        out = out (out == "" ? "" : ",") name
    }
    return out
}

function splitaddr(s, part,    r) {
    sub(/[:,]$/, "", s)
    if (match(s, /\.[0-9]+$/)) {
        part["addr"] = substr(s, 1, RSTART - 1)
        part["port"] = substr(s, RSTART + 1)
    } else {
        part["addr"] = s
        part["port"] = ""
    }
}

function rel(x, base) { return (x - base + 4294967296) % 4294967296 }

# The name a side goes by in the drawing.
function nm(side) { return side == "client" && peer ? "peer" : side }

# enter(row, side, state): side entered state with this row's segment.
function enter(r, side, st, c) {
    if (st == "" || st == cur[c, side]) return
    prev[c, side] = cur[c, side]
    cur[c, side] = st
    since[c, side] = rowt[r]
    byrst[c, side] = rst
    rowstate[r, side] = st
    nent[side]++
    ent_row[side, nent[side]] = r
}

# The rows file (-v rows=FILE), if asked for: one line, or "-" for "".
function R(line) { if (rows != "") print line > rows }
function F(x) {
    x = x ""
    gsub(/[\t\n]/, " ", x)
    return x == "" ? "-" : x
}

function addrow(t, dir, label, c) {
    nrows++
    rowt[nrows] = t
    rowdir[nrows] = dir
    rowlabel[nrows] = label
    rowconn[nrows] = c
    if (length(label) > maxlabel) maxlabel = length(label)
    return nrows
}

BEGIN {
    while (tr != "" && (getline line < tr) > 0) {
        i = index(line, "\037")
        if (i) trans[substr(line, 1, i - 1)] = substr(line, i + 1)
    }
    n = split(sports, sp, ",")
    for (i = 1; i <= n; i++) isserver[sp[i]] = 1
    ns = 0
    while ((getline line < states) > 0) {
        split(line, wd, " ")
        ns++
        st_t[ns] = wd[1]; st_side[ns] = wd[2]; st_name[ns] = wd[3]; st_timer[ns] = wd[4]
    }
    maxlabel = 0
    nsnap = 0
    while (conns != "" && (getline line < conns) > 0) {
        split(line, wd, " ")
        if (wd[2] == "-") { nsnap++; snap_t[nsnap] = wd[1]; continue }
        # The server's side of a connection: local port is a server port.
        lp = wd[5]; sub(/.*:/, "", lp)
        pp = wd[6]; sub(/.*:/, "", pp)
        if (nsnap > 0 && (lp in isserver)) snap_srv[nsnap, pp] = wd[2]
    }
    while (srvout != "" && (getline line < srvout) > 0)
        if (line ~ / TCP_DEFER_ACCEPT [1-9][0-9]* s/) defer = 1
    # When each client port first sent data to the server (the capture is
    # read once ahead: a bare ACK's fate may only be known after it).
    while (defer && (getline line < ARGV[ARGC - 1]) > 0) {
        split(line, wd, " ")
        if (line !~ /Flags \[/ || line ~ /length 0$/ || line !~ / length [0-9]/) continue
        splitaddr(wd[3], a); splitaddr(wd[5], b)
        if ((b["port"] in isserver) && !(a["port"] in firstdata)) firstdata[a["port"]] = wd[1] - t0
    }
}

# Index of the first snapshot taken at or after time t, or 0.
function snap_at(t,    k) {
    for (k = 1; k <= nsnap; k++) if (snap_t[k] + 0 >= t) return k
    return 0
}

# The server side's state of client port c in the first snapshot taken at or
# after time t ("" if that snapshot lacks it, "?" if no snapshot came after).
function srv_after(t, c,    k) {
    for (k = 1; k <= nsnap; k++)
        if (snap_t[k] + 0 >= t) return ((k, c) in snap_srv) ? snap_srv[k, c] : ""
    return "?"
}

list != "" && FILENAME == list {
    t = $1; $1 = ""
    printf "%8.4f%s\n", t - t0, $0 > listout
    next
}

$2 == "IP" || $2 == "IP6" {
    t = $1 - t0
    splitaddr($3, a); splitaddr($5, b)
    rest = $0
    sub(/^[^>]*> [^ ]* /, "", rest) # the text after "SRC > DST: " (an IPv6 address holds colons)
    if (rest ~ /^ICMP/) {
        msg = rest
        sub(/, length [0-9]+$/, "", msg)
        # The quoted datagram names the port: a server port means the error
        # answers the client's datagram to the server.
        qport = ""
        if (match(msg, /port [0-9]+/)) qport = substr(msg, RSTART + 5, RLENGTH - 5)
        dir = (qport in isserver) ? "s2c" : (a["addr"] == serveraddr ? "s2c" : "c2s")
        m = msg
        sub(/^ICMP6?,? */, "", m)
        r = addrow(t, dir, "ICMP " m, "")
        R_flags[r] = "ICMP"; isicmp[r] = 1
        next
    }
    if (a["port"] in isserver) { dir = "s2c"; sport = a["port"]; cport = b["port"]; caddr = b["addr"]; saddr = a["addr"] }
    else if (b["port"] in isserver) { dir = "c2s"; sport = b["port"]; cport = a["port"]; caddr = a["addr"]; saddr = b["addr"] }
    else if (!learned && rest ~ /^(UDP|Flags \[S\])/) {
        # No known server port (a client aiming at a closed port): the first
        # sender is the client.
        learned = 1; isserver[b["port"]] = 1
        dir = "c2s"; sport = b["port"]; cport = a["port"]; caddr = a["addr"]; saddr = b["addr"]
    } else next
    if (serveraddr == "") { serveraddr = saddr; clientaddr = caddr; serverport = sport }
    c = cport
    if (!(c in seenconn)) { seenconn[c] = 1; nconn++ }
    if (rest ~ /^UDP/) {
        len = rest; sub(/.*length /, "", len)
        r = addrow(t, dir, "UDP len=" len, c)
        R_flags[r] = "UDP"; R_len[r] = len
        next
    }
    if (rest !~ /^Flags \[/) next
    tcp = 1
    f = rest; sub(/^Flags \[/, "", f); sub(/\].*/, "", f)
    hasack = index(f, ".") > 0
    seq = ""; ackv = ""; len = 0
    if (match(rest, /seq [0-9]+(:[0-9]+)?/)) {
        s = substr(rest, RSTART + 4, RLENGTH - 4)
        split(s, sv, ":"); seq = sv[1] + 0
    }
    if (match(rest, /ack [0-9]+/)) ackv = substr(rest, RSTART + 4, RLENGTH - 4) + 0
    if (match(rest, /length [0-9]+/)) len = substr(rest, RSTART + 7, RLENGTH - 7) + 0
    snd = dir == "c2s" ? "client" : "server"
    rcv = dir == "c2s" ? "server" : "client"
    syn = index(f, "S") > 0; fin = index(f, "F") > 0; rst = index(f, "R") > 0
    if (syn) {
        retrans = ((c, snd) in base) && base[c, snd] == seq
        if (!hasack && !retrans && ((c, snd) in base)) {
            # The port connects again: a new connection on the same 4-tuple.
            inc[c]++
            delete nxt[c, "client"]; delete nxt[c, "server"]
            delete finend[c, "client"]; delete finend[c, "server"]
        }
        base[c, snd] = seq
    } else if (!((c, snd) in base) && seq != "") {
        base[c, snd] = seq - 1
    }
    if (seq == "" && ((c, snd) in nxt)) seq = nxt[c, snd] # a pure ACK: tcpdump omits its seq
    if (seq != "" && (!((c, snd) in nxt) || rel(seq + len + syn + fin, nxt[c, snd]) < 2147483648)) nxt[c, snd] = (seq + len + syn + fin) % 4294967296
    lab = flagnames(f)
    # %.0f: a number past 2^31 (an ack from an earlier connection) in full.
    if (seq != "") lab = lab sprintf(" seq=%.0f", rel(seq, base[c, snd]))
    if (hasack && ackv != "" && ((c, rcv) in base)) lab = lab sprintf(" ack=%.0f", rel(ackv, base[c, rcv]))
    lab = lab " len=" len
    if (syn && retrans) lab = lab " (again)"
    r = addrow(t, dir, lab, c)
    R_flags[r] = flagnames(f)
    R_rseq[r] = seq != "" ? sprintf("%.0f", rel(seq, base[c, snd])) : ""
    R_rack[r] = hasack && ackv != "" && ((c, rcv) in base) ? sprintf("%.0f", rel(ackv, base[c, rcv])) : ""
    if (syn && !hasack) synrows[c] = synrows[c] " " r
    # The states are worked out once every segment is known (settle()): a
    # segment sent again shows that an earlier copy, or its ACK, was lost.
    istcp[r] = 1; R_snd[r] = snd; R_rcv[r] = rcv; R_seq[r] = seq; R_ack[r] = ackv
    R_len[r] = len; R_syn[r] = syn; R_fin[r] = fin; R_rst[r] = rst; R_hasack[r] = hasack
    R_inc[r] = inc[c] + 0
    # The scripted peer's copies: the first row that sent the same segment.
    if (peer && snd == "client" && !syn && (len > 0 || fin || rst)) {
        ckey = c SUBSEP f SUBSEP seq SUBSEP ackv SUBSEP len
        if (ckey in firstsent) copyof[r] = firstsent[ckey]
        else firstsent[ckey] = r
    }
}

# Which segments never reached the receiving socket (lost[r] = 1), as the
# capture shows it: a FIN or data sent again means the first copy was not
# taken in, unless the receiver ACKed it meanwhile, and then that ACK was not
# taken in (a socket filter, a full queue: loss the wire cannot show).
function find_lost(    r1, r2, x, e, acked, k, synack) {
    for (r1 = 1; r1 <= nrows; r1++) {
        if (!istcp[r1]) continue
        x = R_snd[r1]
        if (peer && R_rst[r1]) { rst_ignored(r1); continue }
        if (peer && x == "client") continue # the script's choice, not a loss
        # With a scripted peer, a SYN,ACK sent again went unanswered: the
        # peer ignored the first (a kernel client always answers one).
        synack = peer && R_syn[r1] && R_hasack[r1]
        if ((R_syn[r1] && !synack) || R_rst[r1] || !(R_fin[r1] || R_len[r1] > 0 || synack)) continue
        r2 = 0
        for (k = r1 + 1; k <= nrows; k++)
            if (same_conn(k, r1) && R_snd[k] == x && R_seq[k] == R_seq[r1] && R_fin[k] == R_fin[r1] && R_len[k] == R_len[r1] && R_syn[k] == R_syn[r1]) { r2 = k; break }
        if (!r2) continue
        e = (R_seq[r1] + R_len[r1] + R_fin[r1] + R_syn[r1]) % 4294967296
        acked = 0
        for (k = r1 + 1; k < r2; k++)
            if (same_conn(k, r1) && R_snd[k] != x && R_hasack[k] && R_ack[k] != "" && rel(R_ack[k], e) < 2147483648) { lost[k] = 1; acked = 1 }
        if (!acked) lost[r1] = 1
    }
}

# Rows k and r are TCP segments of the same connection (port and incarnation).
function same_conn(k, r) { return istcp[k] && rowconn[k] == rowconn[r] && R_inc[k] == R_inc[r] }

# The peer's RST in row r was ignored when the kernel goes on answering on
# that connection with anything but an RST (tcp_rfc1337=1 in TIME_WAIT).
function rst_ignored(r,    k) {
    for (k = r + 1; k <= nrows; k++)
        if (same_conn(k, r) && R_snd[k] != R_snd[r]) {
            if (!R_rst[k]) { lost[r] = 1; rstignored[r] = 1 }
            return
        }
}

# The note on a copy the peer sent (row r, first sent in row copyof[r]):
# an old copy when it belongs to an earlier connection on this 4-tuple; the
# note says so too when its connection is over on the server's side.
function copynote(r,    r1, t) {
    r1 = copyof[r]
    t = sprintf("%.4f", rowt[r1])
    notekind[r] = "copy"
    if (R_inc[r1] != R_inc[r]) {
        rownote[r] = sprintf(T("(old copy of the segment at %s, from the connection before)"), t)
        notekind[r] = "oldcopy"
    } else if (cur[rowconn[r], "server"] == "CLOSE")
        rownote[r] = sprintf(T("(a copy of the segment at %s, after the server's side closed)"), t)
    else
        rownote[r] = sprintf(T("(a copy of the segment at %s)"), t)
}

# The state machine over the rows, sender first; a lost segment changes
# only its sender.
function settle(    r, c, snd, rcv, t, len, acksfin, k, again, e) {
    find_lost()
    for (r = 1; r <= nrows; r++) {
        if (!istcp[r]) continue
        c = rowconn[r]; snd = R_snd[r]; rcv = R_rcv[r]; t = rowt[r]; len = R_len[r]
        rst = R_rst[r]
        # An RST counts only at the sequence number its receiver expects next
        # (RFC 5961 3.2; Linux's TIME_WAIT, RFC 9293 before it): one that
        # answers an old copy with the old connection's numbers is ignored.
        if (rst && ((c, snd) in sndnxt) && R_seq[r] != sndnxt[c, snd] && !lost[r]) {
            lost[r] = 1
            rownote[r] = sprintf(T("(%s ignored it: not the sequence number it expects)"), nm(rcv))
            notekind[r] = "ignored"
        } else if (rstignored[r]) rownote[r] = sprintf(T("(%s ignored it: it answers on, with no RST)"), nm(rcv))
        else if (lost[r] && (R_fin[r] || len > 0 || R_syn[r])) rownote[r] = sprintf(T("(%s did not take it in: sent again)"), nm(rcv))
        else if (lost[r]) rownote[r] = sprintf(T("(%s did not take it in: the FIN came again)"), nm(rcv))
        if ((r in rownote) && !(r in notekind)) notekind[r] = rstignored[r] ? "ignored" : "lost"
        if (r in copyof) copynote(r)
        # What each side has sent so far (a copy of older bytes moves nothing).
        e = (R_seq[r] + len + R_syn[r] + R_fin[r]) % 4294967296
        if (!rst && (R_syn[r] || !((c, snd) in sndnxt) || rel(e, sndnxt[c, snd]) < 2147483648))
            sndnxt[c, snd] = e
        if (rst) {
            enter(r, snd, "CLOSE", c)
            if (!lost[r]) enter(r, rcv, "CLOSE", c)
            continue
        }
        if (R_syn[r] && !R_hasack[r]) {
            enter(r, snd, "SYN_SENT", c)
            lastsyn[c] = r
            issyn[r] = 1
            continue
        }
        if (R_syn[r] && lost[r]) {
            enter(r, snd, "SYN_RECV", c)
            continue
        }
        if (R_syn[r]) {
            if (c in lastsyn) answered[lastsyn[c]] = 1
            synack[c] = 1
            enter(r, snd, "SYN_RECV", c)
            enter(r, rcv, "ESTABLISHED", c)
            continue
        }
        # An ACK that covers the receiver's FIN?
        acksfin = ((c, rcv) in finend) && R_hasack[r] && R_ack[r] != "" && rel(R_ack[r], finend[c, rcv]) < 2147483648
        if (!lost[r] && R_hasack[r] && cur[c, rcv] == "SYN_RECV") {
            # A listener's request may ignore this ACK; the next snapshot tells,
            # unless data came first: with TCP_DEFER_ACCEPT the data decides.
            k = rcv == "server" ? snap_at(t) : 0
            if (k && defer && len == 0 && (c in firstdata) && firstdata[c] > t && firstdata[c] <= snap_t[k] + 0) {
                rownote[r] = T("SYN_RECV: TCP_DEFER_ACCEPT waits for data")
                notekind[r] = "defer"
            } else if (rcv == "server" && srv_after(t, c) == "SYN-RECV") {
                rownote[r] = T("still SYN_RECV (ss)")
                notekind[r] = "still"
                if (!(c in stillsyn)) { stillsyn[c] = 1; nstill++; stilllist = stilllist " :" c }
            } else enter(r, rcv, "ESTABLISHED", c)
        }
        if (R_fin[r]) {
            again = ((c, snd) in finend) && finend[c, snd] == (R_seq[r] + len + 1) % 4294967296
            finend[c, snd] = (R_seq[r] + len + 1) % 4294967296
            if (!again && cur[c, snd] == "CLOSE_WAIT") enter(r, snd, "LAST_ACK", c)
            else if (!again && (cur[c, snd] == "ESTABLISHED" || cur[c, snd] == "")) enter(r, snd, "FIN_WAIT1", c)
            if (lost[r]) continue
            if (cur[c, rcv] == "ESTABLISHED" || cur[c, rcv] == "") enter(r, rcv, "CLOSE_WAIT", c)
            else if (cur[c, rcv] == "FIN_WAIT1") enter(r, rcv, acksfin ? "TIME_WAIT" : "CLOSING", c)
            else if (cur[c, rcv] == "FIN_WAIT2") enter(r, rcv, "TIME_WAIT", c)
            else if (cur[c, rcv] == "CLOSING" && acksfin) enter(r, rcv, "TIME_WAIT", c)
            continue
        }
        if (acksfin && !lost[r]) {
            if (cur[c, rcv] == "FIN_WAIT1") enter(r, rcv, "FIN_WAIT2", c)
            else if (cur[c, rcv] == "CLOSING") enter(r, rcv, "TIME_WAIT", c)
            else if (cur[c, rcv] == "LAST_ACK") enter(r, rcv, "CLOSE", c)
        }
    }
}

# Did side's narration report state st between rows r and the side's next
# state change (10 ms slack either way)?
function narrated(side, st, r,    i, lo, hi, k) {
    lo = rowt[r] - 0.010
    hi = 1e18
    for (k = 1; k <= nent[side]; k++)
        if (ent_row[side, k] == r && k < nent[side]) { hi = rowt[ent_row[side, k + 1]] + 0.010; break }
    for (i = 1; i <= ns; i++)
        if (st_side[i] == side && st_name[i] == st && st_t[i] >= lo && st_t[i] <= hi) return 1
    return 0
}

function cell(r, side,    st) {
    if (!((r, side) in rowstate)) return ""
    st = rowstate[r, side]
    # With several connections the narration cannot say which one it means.
    return st (nconn <= 1 && narrated(side, st, r) ? "*" : "")
}

# say(kind, line): print a line of the text ladder, and give it to the rows
# file as KIND's text (without its indentation).
function say(kind, s,    t) {
    print s
    t = s
    sub(/^ +/, "", t)
    R(kind "\t" F(t))
}

END {
    settle()
    if (gapmin == "") gapmin = 0.02
    if (rows != "") printf "" > rows
    R("meta\trows\t" nrows)
    if (nrows == 0) { say("note", T("  (no segment between the client and the server in the capture)")); exit }
    R("meta\tconns\t" (nconn + 0)); R("meta\ttcp\t" (tcp + 0)); R("meta\tpeer\t" (peer ? 1 : 0))
    R("meta\tgapmin\t" gapmin)
    for (r = 1; r <= nrows; r++) {
        if (nconn > 1 && rowconn[r] != "") rowlabel[r] = ":" rowconn[r] " " rowlabel[r]
        if (length(rowlabel[r]) > maxlabel) maxlabel = length(rowlabel[r])
    }
    w = maxlabel + 8
    ctitle = nm("client") " " clientaddr
    # A port learnt from the first datagram had no server of ours: a closed
    # port, answered by the kernel itself.
    sa = serveraddr
    if (index(sa, ":") && serverport != "") sa = "[" sa "]" # IPv6, then its port
    stitle = (learned ? T("closed port") " " : "server ") sa (serverport != "" ? ":" serverport : "")
    printf "%s  %-13s %-" w "s  %s\n", dpad(T("time"), 9), "", ctitle, stitle
    R("life\tclient\t" F(nm("client")) "\t" F(clientaddr))
    R("life\tserver\t" F(learned ? T("closed port") : "server") "\t" F(sa (serverport != "" ? ":" serverport : "")))
    for (r = 1; r <= nrows; r++) {
        lab = rowlabel[r]
        pad = w - length(lab) - 6
        dashes = sprintf("%" (pad > 0 ? pad : 0) "s", ""); gsub(/ /, "-", dashes)
        if (rowdir[r] == "c2s") arrow = "--[" lab "]" dashes "->"
        else arrow = "<-" dashes "[" lab "]--"
        scell = cell(r, "server")
        ccell = cell(r, "client")
        note = scell
        if (r in rownote) note = (note == "" ? "" : note " ") rownote[r]
        rnote = rownote[r]; rkind = notekind[r]
        c = rowconn[r]
        if (issyn[r] && !answered[r]) {
            # Dropped by the server: answered later (a retransmission got in) or never.
            if (c in synack) { note = T("(dropped: no SYN,ACK, no RST)"); rkind = "dropped" }
            else { note = T("(dropped: never answered)"); rkind = "never" }
            rnote = note
            if (c in synack && !(c in droppedfirst)) { droppedfirst[c] = 1; ndf++; dflist = dflist " :" c }
            if (!(c in synack) && !(c in never)) { never[c] = 1; nnever++; nlist = nlist " :" c }
        }
        printf "%9.4f  %13s %-" w "s  %s\n", rowt[r], ccell, arrow, note
        if (rows != "") rowline(r, ccell, scell, rkind, rnote)
    }
    if (ndf || nnever || nstill) print ""
    # One text per line (each line a msgid).
    if (ndf) {
        say("note", T("  SYNs the server dropped (no SYN,ACK, no RST), then answered when the client sent"))
        say("note", sprintf(T("  them again: %d connection(s) (%s)."), ndf, substr(dflist, 2)))
    }
    if (nnever)
        say("note", sprintf(T("  SYNs never answered, however often sent: %d connection(s) (%s)."), nnever, substr(nlist, 2)))
    if (nstill) {
        say("note", sprintf(T("  Final ACKs the server did not act on: %d connection(s) (%s)"), nstill, substr(stilllist, 2)))
        say("note", T("  are ESTABLISHED on the client but still SYN_RECV on the server: ss listed"))
        say("note", T("  their request (SYN-RECV) after the ACK. The accept queue was full"))
        say("note", T("  (ListenOverflows), or TCP_DEFER_ACCEPT waits for data (TCPDeferAcceptDrop)."))
    }
    if (!tcp) exit
    print ""
    print T("  Beside each arrow: the state that end entered with this segment, by TCP's")
    if (nconn > 1) print T("  state machine (connections told apart by the client's port).")
    else if (peer) print T("  state machine; * = tcp-peer's narration of the kernel's socket said so too.")
    else print T("  state machine; * = the program's own narration reported that state too.")
    print T("  seq/ack count from each side's first sequence number (SYN = 0).")
    if (peer) {
        print T("  The peer is tcp-peer's script, not a socket: its column is what a TCP")
        print T("  would be in after what it sent and got.")
        print ""
        say("endhead", T("  After the last segment: tcp-peer has exited, and its network namespace with it,"))
        say("endhead", T("  taking every socket the kernel still held there (TIME_WAIT too)."))
    } else if (nconn == 1) ending()
}

# rowline(r, ccell, scell, kind, note): row r in the rows file, a gap line
# before it when time jumped.
function rowline(r, ccell, scell, kind, note,    k, cs, cm, ss, sm) {
    if (r > 1 && rowt[r] - rowt[r - 1] >= gapmin) R(sprintf("gap\t%.6f\t%.6f", rowt[r - 1], rowt[r]))
    k = istcp[r] ? "seg" : isicmp[r] ? "icmp" : "udp"
    cs = ccell; cm = sub(/\*$/, "", cs) ? "*" : "-"
    ss = scell; sm = sub(/\*$/, "", ss) ? "*" : "-"
    R(sprintf("%s\t%.6f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", k, rowt[r], rowdir[r],
        F(R_flags[r]), F(R_rseq[r]), F(R_rack[r]), F(isicmp[r] ? "" : R_len[r]), F(cs), cm, F(ss), sm,
        F(kind), F(note), F(rowconn[r]), F(rowlabel[r])))
}

# The last state side's narration reported (with its timer), in
# last_st/last_t/last_timer.
function lastnarrated(side,    i) {
    last_st = ""; last_t = ""; last_timer = ""
    for (i = 1; i <= ns; i++)
        if (st_side[i] == side) { last_st = st_name[i]; last_t = st_t[i]; last_timer = st_timer[i] }
}

# How the story ends, after the last segment, for each side of the one
# connection: what the kernel does with the state the capture left it in
# (both programs have exited: no fd holds the connection any more).
function ending(    i, side, c, st, p, t, msg) {
    for (c in seenconn) break
    print ""
    say("endhead", T("  After the last segment (both programs have exited; no fd holds the socket):"))
    for (i = 1; i <= 2; i++) {
        side = i == 1 ? "client" : "server"
        st = cur[c, side]; p = prev[c, side]; t = sprintf("%.4f", since[c, side])
        lastnarrated(side)
        e_st = st == "CLOSE" ? "CLOSED" : st; e_next = "CLOSED"; e_after = ""
        if (st == "TIME_WAIT") {
            e_after = "60 s"
            msg = T("TIME_WAIT -> CLOSED when its timer runs out: a fixed 60 s (TCP_TIMEWAIT_LEN)")
            if (last_st == "TIME_WAIT" && last_timer != "")
                msg = msg sprintf(T(", %s s left at %.3f by its narration, so at about %.1f"), last_timer, last_t, last_t + last_timer)
            msg = msg T("; the run does not wait")
        } else if (st == "CLOSE" && byrst[c, side]) {
            msg = (p == "" ? "" : p " -> ") sprintf(T("CLOSED at %s by the RST: no TIME_WAIT"), t)
        } else if (st == "CLOSE" && p == "LAST_ACK") {
            msg = sprintf(T("LAST_ACK -> CLOSED at %s, when the ACK of its FIN arrived: the passive closer keeps no TIME_WAIT"), t)
        } else if (st == "CLOSE") {
            msg = (p == "" ? "" : p " -> ") sprintf(T("CLOSED at %s"), t)
        } else if (st == "FIN_WAIT2") {
            e_after = "tcp_fin_timeout"
            msg = T("FIN_WAIT2 -> CLOSED after net.ipv4.tcp_fin_timeout (60 s by default) if the peer's FIN never comes")
            if (last_st == "FIN_WAIT2" && last_timer != "") msg = msg sprintf(T(" (%s s left at %.3f by its narration)"), last_timer, last_t)
        } else if (st == "LAST_ACK") {
            e_after = T("the ACK of its FIN")
            msg = T("LAST_ACK -> CLOSED when the ACK of its FIN arrives (no ACK in the capture: the kernel resends the FIN until one comes or it gives up)")
        } else if (st == "FIN_WAIT1" || st == "CLOSING") {
            msg = st T(": its FIN is not ACKed in the capture; the kernel resends it until it is")
        } else if (st != "") {
            msg = st sprintf(T(" since %s: the capture ends there"), t)
        } else continue
        if (e_after == "") e_next = ""
        printf "  %-7s %s\n", side, msg
        R("end\t" side "\t" F(e_st) "\t" F(e_next) "\t" F(e_after) "\t" F(msg))
    }
}
