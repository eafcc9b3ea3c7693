/* testlib: fixtures shared by socklab's C tests. */
#ifndef SOCKLAB_TESTLIB_H
#define SOCKLAB_TESTLIB_H

#include "lab_endpoint.h"

/* host (literal or name) and port resolved for socktype; exits on failure. */
struct lab_endpoint test_address(const char *host, uint16_t port, int socktype);

/* The lowest free fd number: the same before and after a call that leaks no fd. */
int test_lowest_free_fd(void);

/* An established loopback TCP connection and the listener that made it. */
struct test_pair {
    int listener, client, server;    /* fds */
    struct lab_endpoint client_addr; /* client's local address */
    struct lab_endpoint server_addr; /* server's local (accepted) address */
};

/* Build a test_pair over host ("127.0.0.1" or "::1") on a kernel-chosen port; exits on
 * failure. */
void test_pair_open(struct test_pair *p, const char *host);

/* Close whatever fds of p are still open (>= 0) and mark them -1. */
void test_pair_close(struct test_pair *p);

/* Close p's client, read the EOF on its server side and close that too: the
 * client side is left in TIME_WAIT; exits on failure. */
void test_pair_active_close(struct test_pair *p);

/* The client half-closes (shutdown SHUT_WR, fd kept) and the server reads EOF:
 * the client is then in FIN_WAIT1/2, the server in CLOSE_WAIT; exits on failure. */
void test_pair_half_close(struct test_pair *p);

/* Make fd's kernel drop every segment that arrives for it (a classic BPF
 * filter returning 0), so a test can "lose" ACKs and FINs; exits on failure. */
void test_drop_input(int fd);

/* Remove the filter of test_drop_input; exits on failure. */
void test_accept_input(int fd);

/* A counter of this namespace ("TcpExt", "TCPTimeWaitOverflow"); exits on failure. */
unsigned long long test_counter(const char *group, const char *field);

/* Exit 77 unless this process is outside the host's network namespace (the runner puts it
 * there). */
void test_require_private_netns(void);

#endif
