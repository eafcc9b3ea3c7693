/* The udp-connect scenarios: both programs take the same names; the server
 * plays a part only in some of them (see UDP_SCENARIO_HELP). The tables are
 * in scenarios.c. */
#ifndef UDP_CONNECT_SCENARIOS_H
#define UDP_CONNECT_SCENARIOS_H

#define UDP_DEMO_PORT 19002
#define UDP_DEMO_SECOND_PORT 19003

/* In reconnect and disconnect a datagram with exactly this text asks the
 * server to answer from its other socket instead of echoing: each datagram
 * gets one answer, so a server bound to a public address never sends more
 * than it receives (no amplifying reflector). */
#define UDP_ASK_OTHER "answer from your other port"

enum udp_scenario {
    SC_ECHO_UNCONNECTED,
    SC_ECHO_CONNECTED,
    SC_REFUSED_UNCONNECTED,
    SC_REFUSED_CONNECTED,
    SC_RECVERR,
    SC_RECONNECT,
    SC_DISCONNECT,
    SC_FILTER,
    SC_TTL,
    SC_BENCH,
    SC_COUNT /* how many there are */
};

/* The names, in enum order and NULL-terminated, as --scenario takes them. */
extern const char *const udp_scenario_names[SC_COUNT + 1];

/* How many datagrams each scenario's udp-client sends to the server's two
 * ports (see scenarios.c): the server's exchange is over once it has answered
 * that many (unless --keep-serving). */
extern const int udp_scenario_datagrams[SC_COUNT];

#define UDP_SCENARIO_HELP                                                                          \
    "Scenarios (give both programs the same one):\n"                                               \
    "  echo-unconnected     sendto/recvfrom: the reply arrives with no connect (C14)\n"            \
    "  echo-connected       connect sends nothing (C11); send/recv; getpeername\n"                 \
    "  refused-unconnected  sendto a closed port: no error, recvfrom times out (C12)\n"            \
    "  refused-connected    the same connected: ECONNREFUSED, once (C13)\n"                        \
    "  recverr              IP_RECVERR: the unconnected socket gets the ICMP error,\n"             \
    "                       the error queue says which one and from whom\n"                        \
    "  reconnect            connect to port P, then to the second port: the first\n"               \
    "                       server's late datagram no longer arrives (C16)\n"                      \
    "  disconnect           connect(AF_UNSPEC): ENOTCONN, EDESTADDRREQ, filter lifted\n"           \
    "                       (C17)\n"                                                               \
    "  filter               the server answers from its second port: the connected\n"              \
    "                       socket never sees it, the unconnected one does (C15)\n"                \
    "  ttl                  IP_TTL/IPV6_UNICAST_HOPS limits; time exceeded from a\n"               \
    "                       router via the error queue (C7)\n"                                     \
    "  bench                datagrams per second: sendto vs connected send\n"                      \
    "The server answers every datagram once: an echo, or, in filter, from its\n"                   \
    "second port; in reconnect and disconnect a datagram that says \"" UDP_ASK_OTHER "\"\n"        \
    "is answered from the other port. refused-*, recverr and bench need no server\n"               \
    "(the client aims at a port where nothing listens, or at its own sink).\n"

#endif
