/* claim.C10.syn-backlog-defaults: the notes say tcp_max_syn_backlog bounds
 * the SYN queue and defaults to 128. On Linux 6.x its default is computed per
 * network namespace at its creation (max(128, established-hash buckets / 128)); tcp_syncookies
 * defaults to 1; the SYN queue is bounded by the listen backlog too (more than backlog requests and
 * the next SYN gets a cookie, or is dropped with cookies off); tcp_max_syn_backlog only acts with
 * cookies off (its last quarter is kept for proven peers). Requests are held in the SYN queue with
 * TCP_DEFER_ACCEPT, which keeps a handshake a request until data comes: a flood without raw
 * packets. */
#include "backlog_probe.h"
#include "lab_diag.h"
#include "testlib.h"

/* Listener with TCP_DEFER_ACCEPT, m connects; counts completed and how many
 * the server holds as requests (SYN_RECV). */
static void flood(int backlog, int m, int *completed, int *requests)
{
    struct lab_endpoint ep;
    int lfd = bp_listen("127.0.0.1", backlog, 30, &ep);
    int fds[BP_MAX], synsent;
    CHECK(m <= BP_MAX, "too many connections for the fixture");
    for (int i = 0; i < m; i++)
        fds[i] = bp_connect(&ep);
    bp_settle(fds, m, completed, &synsent);
    *requests = 0;
    for (int i = 0; i < m; i++) {
        struct lab_endpoint local;
        struct lab_conn sc;
        CHECK_SYS(lab_endpoint_local(fds[i], &local));
        if (lab_diag_find((struct sockaddr *)&ep.ss, (struct sockaddr *)&local.ss, &sc) == 1 &&
            lab_tcp_is_request(sc.state))
            (*requests)++;
    }
    bp_close_all(fds, m);
    close(lfd);
}

int main(void)
{
    test_require_private_netns();
    long max_syn, cookies;
    CHECK_SYS(lab_sysctl_read("net.ipv4.tcp_max_syn_backlog", &max_syn));
    CHECK_SYS(lab_sysctl_read("net.ipv4.tcp_syncookies", &cookies));
    printf("defaults here: tcp_max_syn_backlog=%ld, tcp_syncookies=%ld\n", max_syn, cookies);
    CHECK(max_syn >= 128, "tcp_max_syn_backlog=%ld is below its computed minimum", max_syn);
    CHECK(cookies == 1, "tcp_syncookies defaults to %ld, want 1", cookies);

    /* Cookies on: backlog 2 holds 3 requests; 2 more SYNs get cookies and
     * complete straight into the accept queue. */
    int completed, requests;
    unsigned long long doc0 = bp_counter("TCPReqQFullDoCookies");
    flood(2, 5, &completed, &requests);
    CHECK(completed == 5 && requests == 3, "cookies on: %d completed, %d requests", completed,
          requests);
    CHECK(bp_counter("TCPReqQFullDoCookies") - doc0 == 2, "no cookies were sent");
    printf("syncookies=1, backlog 2: 3 requests held, 2 SYN cookies, all 5 completed\n");

    /* Cookies off: the same two SYNs are dropped. */
    CHECK_SYS(lab_sysctl_write("net.ipv4.tcp_syncookies", 0));
    unsigned long long full0 = bp_counter("TCPReqQFullDrop");
    flood(2, 5, &completed, &requests);
    CHECK(completed == 3 && requests == 3, "cookies off: %d completed, %d requests", completed,
          requests);
    CHECK(bp_counter("TCPReqQFullDrop") - full0 == 2, "TCPReqQFullDrop did not grow by 2");
    printf("syncookies=0, backlog 2: 3 requests held, 2 SYNs dropped\n");

    /* Cookies off and a large backlog: tcp_max_syn_backlog=8 keeps its last
     * quarter for proven peers, so 8 - 8/4 + 1 = 7 requests fit. */
    CHECK_SYS(lab_sysctl_write("net.ipv4.tcp_max_syn_backlog", 8));
    flood(64, 12, &completed, &requests);
    CHECK(completed == 7 && requests == 7, "max_syn_backlog 8: %d completed, %d requests",
          completed, requests);
    printf("syncookies=0, tcp_max_syn_backlog=8, backlog 64: 7 requests, 5 SYNs dropped\n");
    puts("PASS: the SYN queue is bounded by the backlog; tcp_max_syn_backlog needs cookies off");
    return 0;
}
