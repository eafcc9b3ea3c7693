/* The udp-connect scenarios: both programs take the same names; the server
 * plays a part only in some of them (see udp_print_scenarios). The tables
 * are in scenarios.c. */
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

/* Print the "Scenarios" part of both programs' --help: each name (a token)
 * and what it shows, in the learner's language. */
void udp_print_scenarios(void);

#endif
