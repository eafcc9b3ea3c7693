# msort.awk: the merge sort shared by timeline.awk and ttl-ladder.awk (mawk
# has no asort). Load it with an extra -f next to the program that uses it.
#
# msort(n): sorts ord[1..n] (indices) with the caller's before(a, b); stable
# (equal items keep their order). ord is first set to 1..n, so ord[i] ends up
# as the index of the i-th item; before(a, b) is true when item a must come
# before item b. Bottom-up, O(n log n); tmp is its scratch array.
function msort(n,    w, i, lo, mid, hi, a, b, k) {
    for (i = 1; i <= n; i++) ord[i] = i
    for (w = 1; w < n; w *= 2) {
        for (lo = 1; lo <= n; lo += 2 * w) {
            mid = lo + w; hi = lo + 2 * w
            if (mid > n + 1) mid = n + 1
            if (hi > n + 1) hi = n + 1
            a = lo; b = mid; k = lo
            while (a < mid && b < hi) tmp[k++] = before(ord[b], ord[a]) ? ord[b++] : ord[a++]
            while (a < mid) tmp[k++] = ord[a++]
            while (b < hi) tmp[k++] = ord[b++]
        }
        for (i = 1; i <= n; i++) ord[i] = tmp[i]
    }
}
