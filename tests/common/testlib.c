#include "testlib.h"

#include <errno.h>
#include <unistd.h>

#include "check.h"
#include "lab_kstat.h"
#include "lab_netns.h"
#include "lab_sock.h"

struct lab_endpoint test_address(const char *host, uint16_t port, int socktype)
{
    struct lab_endpoint ep;
    char err[128];
    CHECK(lab_endpoint_resolve(host, port, socktype, &ep, err, sizeof err) == 0, "%s", err);
    return ep;
}

int test_lowest_free_fd(void)
{
    int fd = dup(0);
    CHECK_SYS(fd);
    close(fd);
    return fd;
}

void test_pair_open(struct test_pair *p, const char *host)
{
    struct lab_endpoint ep = test_address(host, 0, SOCK_STREAM);
    p->listener = lab_tcp_listen(&ep, 16, 0);
    CHECK_SYS(p->listener);
    struct lab_endpoint bound;
    CHECK_SYS(lab_endpoint_local(p->listener, &bound));
    p->client = lab_tcp_connect(&bound, 1000);
    CHECK_SYS(p->client);
    p->server = lab_accept_bounded(p->listener, 1000, NULL);
    CHECK_SYS(p->server);
    CHECK_SYS(lab_endpoint_local(p->client, &p->client_addr));
    CHECK_SYS(lab_endpoint_local(p->server, &p->server_addr));
}

void test_pair_close(struct test_pair *p)
{
    int *fds[] = {&p->listener, &p->client, &p->server};
    for (size_t i = 0; i < 3; i++) {
        if (*fds[i] >= 0)
            close(*fds[i]);
        *fds[i] = -1;
    }
}

void test_pair_active_close(struct test_pair *p)
{
    CHECK_SYS(close(p->client));
    p->client = -1;
    char b;
    CHECK(lab_read_bounded(p->server, &b, 1, 1000) == 0, "server did not read EOF");
    CHECK_SYS(close(p->server));
    p->server = -1;
}

void test_pair_half_close(struct test_pair *p)
{
    CHECK_SYS(shutdown(p->client, SHUT_WR));
    char b;
    CHECK(lab_read_bounded(p->server, &b, 1, 1000) == 0, "server did not read EOF");
}

void test_require_private_netns(void)
{
    if (lab_netns_is_host() != 0)
        SKIP("not in a private network namespace (run through socklab-netns-run)");
}

void test_drop_input(int fd)
{
    if (lab_drop_input(fd, 1) == 0)
        return;
    if (errno == ENOSYS)
        SKIP("socket filters need Linux");
    CHECK(0, "setsockopt(SO_ATTACH_FILTER): errno=%s", lab_errno_name(errno));
}

void test_accept_input(int fd)
{
    CHECK_SYS(lab_drop_input(fd, 0));
}

unsigned long long test_counter(const char *group, const char *field)
{
    unsigned long long v = 0;
    CHECK(lab_netstat_read(group, field, &v) == 0, "%s %s: errno=%s", group, field,
          lab_errno_name(errno));
    return v;
}
