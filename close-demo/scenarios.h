/* The close-demo scenarios: both ends take the same names, and each end
 * plays its own half of the same story. */
#ifndef CLOSE_DEMO_SCENARIOS_H
#define CLOSE_DEMO_SCENARIOS_H

#include <stddef.h>

#define CLOSE_DEMO_PORT 19001

enum close_scenario {
    SC_GRACEFUL,
    SC_HALF_CLOSE,
    SC_SERVER_FIRST,
    SC_UNREAD_DATA,
    SC_LINGER0,
    SC_CLOSE_WAIT_LEAK,
    SC_RECONNECT,
    SC_LARGE_TRANSFER,
};

/* The first bytes each client scenario sends, all different: a server can
 * tell at once that its client plays another scenario (it would otherwise
 * wait for something that never comes, until --timeout). */
#define CLOSE_FIRST_GRACEFUL "hello 1\n"
#define CLOSE_FIRST_HALF_CLOSE "question\n"
#define CLOSE_FIRST_SERVER_FIRST "hello\n"
#define CLOSE_FIRST_UNREAD_DATA "a request the server will never read\n"
#define CLOSE_FIRST_LINGER0 "hello, and goodbye\n"
#define CLOSE_FIRST_CLOSE_WAIT_LEAK "hello, and I close\n"
#define CLOSE_FIRST_RECONNECT "first connection\n"
/* large-transfer sends byte i as i % 251: these are its first eight. */
#define CLOSE_FIRST_LARGE_TRANSFER "\x00\x01\x02\x03\x04\x05\x06\x07"

struct close_first_bytes {
    const char *bytes;
    size_t len;
};

#define CLOSE_FIRST(s)                                                                             \
    {                                                                                              \
        s, sizeof s - 1                                                                            \
    }
static const struct close_first_bytes close_first[] = {
    [SC_GRACEFUL] = CLOSE_FIRST(CLOSE_FIRST_GRACEFUL),
    [SC_HALF_CLOSE] = CLOSE_FIRST(CLOSE_FIRST_HALF_CLOSE),
    [SC_SERVER_FIRST] = CLOSE_FIRST(CLOSE_FIRST_SERVER_FIRST),
    [SC_UNREAD_DATA] = CLOSE_FIRST(CLOSE_FIRST_UNREAD_DATA),
    [SC_LINGER0] = CLOSE_FIRST(CLOSE_FIRST_LINGER0),
    [SC_CLOSE_WAIT_LEAK] = CLOSE_FIRST(CLOSE_FIRST_CLOSE_WAIT_LEAK),
    [SC_RECONNECT] = CLOSE_FIRST(CLOSE_FIRST_RECONNECT),
    [SC_LARGE_TRANSFER] = CLOSE_FIRST(CLOSE_FIRST_LARGE_TRANSFER),
};
#undef CLOSE_FIRST

static const char *const close_scenario_names[] = {
    "graceful",        "half-close", "server-first",   "unread-data", "linger0",
    "close-wait-leak", "reconnect",  "large-transfer", NULL,
};

#define CLOSE_SCENARIO_HELP                                                                        \
    "Scenarios (give both ends the same one):\n"                                                   \
    "  graceful         client writes, closes; server reads to EOF, closes later:\n"               \
    "                   FIN_WAIT2 then TIME_WAIT (~60 s timer) on the client,\n"                   \
    "                   CLOSE_WAIT on the server (default)\n"                                      \
    "  half-close       client shutdown(SHUT_WR); server sees EOF, still replies\n"                \
    "  server-first     server closes first and owns the TIME_WAIT; re-binding its\n"              \
    "                   port with and without SO_REUSEADDR\n"                                      \
    "  unread-data      server closes with unread data: RST instead of FIN; the\n"                 \
    "                   client reads what was queued, then ECONNRESET\n"                           \
    "  linger0          client closes with SO_LINGER {1,0}: RST, no TIME_WAIT\n"                   \
    "  close-wait-leak  server never closes after EOF: CLOSE_WAIT stays, client's\n"               \
    "                   orphaned FIN_WAIT2 runs on tcp_fin_timeout\n"                              \
    "  reconnect        second connect() -> EISCONN; connect(AF_UNSPEC) resets;\n"                 \
    "                   the same socket connects again\n"                                          \
    "  large-transfer   client sends --bytes and closes; server counts every byte\n"

#endif
