/* bench: what a connected socket saves per datagram. Three methods send to
 * the client's own sink socket, one after another in each round: unconnected
 * sendto(), connected send(), connected sendto(addr); the medians over the
 * rounds, and each connected method's ratio to sendto(), come with the
 * conditions they were measured under.
 *
 *   udp-client --scenario bench --count 100000 --rounds 9   (no server needed)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "lab_fail.h"
#include "lab_i18n.h"

enum { UNCONNECTED, CONNECTED, CONNECTED_SENDTO, METHODS };
/* Said translated (lab_tr); padded to 24 bytes in the tables. */
static const char *const method_names[METHODS] = {
    N_("unconnected sendto()"), N_("connected send()"), N_("connected sendto(addr)")};

static const char payload[32] = "bench";

/* The word after a count, one or many, in the learner's language. */
static const char *counted(long n, const char *one, const char *many)
{
    return lab_tr(n == 1 ? one : many);
}

static long long now_ns(const struct client *c)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
        lab_fail_errno(&c->n, errno, "clock_gettime()");
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v (n > 0) and returns its median. */
static double median_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A socket bound to a free port of the server's address, never read: the
 * kernel drops what overflows it. */
static int open_sink(const struct client *c, struct lab_endpoint *sink_ep)
{
    char a[LAB_ENDPOINT_STRLEN];
    int sink = new_socket(c);
    *sink_ep = c->server;
    lab_endpoint_set_port(sink_ep, 0);
    if (bind(sink, (struct sockaddr *)&sink_ep->ss, sink_ep->len) < 0 ||
        lab_endpoint_local(sink, sink_ep) < 0)
        lab_fail_errno(&c->n, errno, "bind(sink)");
    lab_say(&c->n, "sink socket on %s (never read: the kernel drops what overflows it)",
            lab_endpoint_str(sink_ep, a, sizeof a));
    return sink;
}

static void say_conditions(const struct client *c, const struct lab_endpoint *sink_ep)
{
    char a[LAB_ENDPOINT_STRLEN];
    struct utsname un;
    if (uname(&un) < 0)
        snprintf(un.release, sizeof un.release, "(uname: %s)", lab_errno_name(errno));
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    /* TRANSLATORS: the words after the counts of rounds and of CPUs. */
    const char *rounds = counted(c->rounds, N_("round"), N_("rounds"));
    const char *cpus_word = counted(cpus, N_("CPU"), N_("CPUs"));
    lab_say(&c->n,
            "conditions: %s to %s, %ld datagrams of %zu bytes per measurement, %d %s "
            "(the three methods one after another in each), Linux %s, %ld %s online",
            c->family == AF_INET6 ? "IPv6" : "IPv4", lab_endpoint_str(sink_ep, a, sizeof a),
            c->bench_count, sizeof payload, c->rounds, rounds, un.release, cpus, cpus_word);
}

/* Datagrams per second of --count sends with method m on fd. */
static double measure(const struct client *c, int m, int fd, const struct lab_endpoint *sink_ep)
{
    const struct sockaddr *to = m == CONNECTED ? NULL : (const struct sockaddr *)&sink_ep->ss;
    socklen_t tolen = m == CONNECTED ? 0 : sink_ep->len;
    long long t0 = now_ns(c);
    for (long i = 0; i < c->bench_count; i++)
        if (sendto(fd, payload, sizeof payload, 0, to, tolen) < 0 && errno != EINTR)
            lab_fail_errno(&c->n, errno, "%s", lab_tr(method_names[m]));
    double secs = (double)(now_ns(c) - t0) / 1e9;
    return secs > 0 ? (double)c->bench_count / secs : 0;
}

/* rate[m * rounds + r] measured; per method its median and spread, then per
 * connected method the median of its per-round ratios to unconnected. */
static void report(const struct client *c, double *rate, double *ratio)
{
    int rounds = c->rounds, measured = 1;
    for (int r = 0; r < rounds && measured; r++) {
        double base = rate[UNCONNECTED * rounds + r];
        if (base <= 0)
            measured = 0; /* too fast for the clock: no ratio to give */
        for (int m = CONNECTED; m < METHODS && measured; m++)
            ratio[(m - 1) * rounds + r] = rate[m * rounds + r] / base;
    }
    for (int m = 0; m < METHODS; m++) {
        double *v = rate + m * rounds, med = median_of(v, rounds);
        double spread = med > 0 ? 100.0 * (v[rounds - 1] - v[0]) / med : 0;
        lab_say(&c->n, "median %-24s %10.0f datagrams/s  (min %.0f, max %.0f, spread %.0f%%)",
                lab_tr(method_names[m]), med, v[0], v[rounds - 1], spread);
    }
    if (!measured)
        return;
    for (int m = CONNECTED; m < METHODS; m++) {
        double *v = ratio + (m - 1) * rounds, med = median_of(v, rounds);
        lab_say(&c->n,
                "ratio %s / unconnected sendto() = %.2f  (median of %d %s; min %.2f, "
                "max %.2f)",
                lab_tr(method_names[m]), med, rounds, counted(rounds, N_("round"), N_("rounds")),
                v[0], v[rounds - 1]);
    }
    lab_explain(&c->n, "An unconnected sendto() makes the kernel look up the route for every");
    lab_explain(&c->n, "datagram; a connected send() reuses the route cached by connect().");
    lab_explain(&c->n, "sendto(addr) on a connected IPv4 socket takes the slow path again;");
    lab_explain(&c->n, "IPv6 checks the cached route against the address and may reuse it.");
    lab_explain(&c->n, "Each ratio compares methods measured back to back in one round; its");
    lab_explain(&c->n, "min and max over the rounds show how much one run's figure varies.");
    lab_explain(&c->n, "They hold for this machine under the conditions above; other");
    lab_explain(&c->n, "machines, kernels and loads give other figures.");
}

void bench(const struct client *c)
{
    struct lab_endpoint sink_ep;
    int sink = open_sink(c, &sink_ep);
    int ufd = new_socket(c), cfd = new_socket(c);
    connect_to(c, cfd, &sink_ep);
    /* rate[m * rounds + r], then ratio[k * rounds + r]: method k+1 over
     * unconnected in round r, the two measured back to back. */
    double *rate = calloc((size_t)((2 * METHODS - 1) * c->rounds), sizeof *rate);
    if (rate == NULL)
        lab_fail_errno(&c->n, errno, "calloc()");
    say_conditions(c, &sink_ep);
    for (int r = 0; r < c->rounds; r++) {
        for (int m = 0; m < METHODS; m++) {
            double *v = &rate[m * c->rounds + r];
            *v = measure(c, m, m == UNCONNECTED ? ufd : cfd, &sink_ep);
            lab_say(&c->n, "round %d  %-24s %10.0f datagrams/s", r + 1, lab_tr(method_names[m]),
                    *v);
        }
    }
    report(c, rate, rate + METHODS * c->rounds);
    free(rate);
    close_socket(c, sink);
    close_socket(c, ufd);
    close_socket(c, cfd);
}
