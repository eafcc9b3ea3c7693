/* unit.lib.rawlink: each kind of raw link, TUN and veth + AF_PACKET, in a
 * network namespace of its own, carries a handshake both ways for IPv4 and
 * IPv6; a kind that may not be had here is named, and the test skips only
 * when neither may. */
#define _GNU_SOURCE /* unshare */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "lab_peer.h"
#include "lab_rawlink.h"
#include "lab_sock.h"
#include "testlib.h"

/* In a child with a namespace of its own: 0 worked, 77 kind not available, 1 failed. */
static int try_kind(int kind, int family)
{
    if (unshare(CLONE_NEWNET) < 0)
        SKIP("unshare(CLONE_NEWNET): errno=%s", lab_errno_name(errno));
    const char *k = family == AF_INET ? "192.0.2.1" : "2001:db8::1";
    const char *me = family == AF_INET ? "192.0.2.2" : "2001:db8::2";
    struct lab_endpoint kernel = test_address(k, 19005, SOCK_STREAM);
    struct lab_endpoint self = test_address(me, 40005, SOCK_STREAM);
    struct lab_rawlink link;
    char why[256];
    if (lab_rawlink_open(&link, kind, (struct sockaddr *)&kernel.ss, (struct sockaddr *)&self.ss,
                         family == AF_INET ? 24 : 64, why, sizeof why) < 0) {
        printf("%s not available here: %s\n", lab_rawlink_kind_name(kind), why);
        return 77;
    }
    CHECK(link.kind == kind, "opened %s", lab_rawlink_kind_name(link.kind));
    int lfd = lab_tcp_listen(&kernel, 8, 0);
    CHECK_SYS(lfd);
    struct lab_peer p;
    lab_peer_init(&p, &link, &self, &kernel, 1000);
    CHECK_ERRNO(lab_peer_resend_fin(&p), EINVAL); /* no FIN sent yet */
    CHECK(lab_peer_connect(&p, 2000) == 0, "handshake: errno=%s", lab_errno_name(errno));
    int fd = lab_accept_bounded(lfd, 2000, NULL);
    CHECK_SYS(fd);
    CHECK_SYS(lab_send_all(fd, "hi", 2));
    struct lab_seg s;
    CHECK_SYS(lab_peer_expect(&p, LAB_TH_PSH | LAB_TH_ACK, &s, 2000));
    CHECK(s.len == 2 && memcmp(s.data, "hi", 2) == 0 && p.rcv_nxt == p.irs + 3, "data in");
    /* Nothing more comes: the bound holds. */
    CHECK_ERRNO(lab_peer_recv(&p, &s, 50), ETIMEDOUT);
    /* The kernel resets: an expectation of anything else ends with ECONNRESET. */
    struct linger l0 = {1, 0};
    CHECK_SYS(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l0, sizeof l0));
    CHECK_SYS(close(fd));
    CHECK_ERRNO(lab_peer_expect(&p, LAB_TH_FIN, &s, 2000), ECONNRESET);
    /* A port where nobody listens refuses. */
    close(lfd);
    lab_peer_init(&p, &link, &self, &kernel, 5000);
    CHECK_ERRNO(lab_peer_connect(&p, 2000), ECONNREFUSED);
    printf("ok: %s, %s\n", lab_rawlink_kind_name(kind), family == AF_INET ? "IPv4" : "IPv6");
    return 0;
}

static int run(int kind, int family)
{
    fflush(stdout);
    pid_t pid = fork();
    CHECK_SYS(pid);
    if (pid == 0) {
        int rc = try_kind(kind, family);
        fflush(stdout);
        _exit(rc);
    }
    int st;
    CHECK_SYS(waitpid(pid, &st, 0));
    CHECK(WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 77), "%s %s: status %d",
          lab_rawlink_kind_name(kind), family == AF_INET ? "IPv4" : "IPv6", st);
    return WEXITSTATUS(st) == 0;
}

int main(void)
{
    test_require_private_netns();
    int worked = 0;
    for (int kind = LAB_RAWLINK_TUN; kind <= LAB_RAWLINK_PACKET; kind++)
        worked += run(kind, AF_INET) + run(kind, AF_INET6);
    if (worked == 0)
        SKIP("neither TUN nor veth with AF_PACKET may be used here");
    puts("ok");
    return 0;
}
