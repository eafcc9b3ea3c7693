/* The scenario tables both programs share (declared in scenarios.h). */
#include "scenarios.h"

#include <stddef.h>

const char *const udp_scenario_names[SC_COUNT + 1] = {
    [SC_ECHO_UNCONNECTED] = "echo-unconnected",
    [SC_ECHO_CONNECTED] = "echo-connected",
    [SC_REFUSED_UNCONNECTED] = "refused-unconnected",
    [SC_REFUSED_CONNECTED] = "refused-connected",
    [SC_RECVERR] = "recverr",
    [SC_RECONNECT] = "reconnect",
    [SC_DISCONNECT] = "disconnect",
    [SC_FILTER] = "filter",
    [SC_TTL] = "ttl",
    [SC_BENCH] = "bench",
    [SC_COUNT] = NULL,
};

/* A client change that sends more or fewer must change this; the demo.udp
 * tests check that the server ends right after its client. */
const int udp_scenario_datagrams[SC_COUNT] = {
    [SC_ECHO_UNCONNECTED] = 1,    /* one sendto() */
    [SC_ECHO_CONNECTED] = 1,      /* one send() */
    [SC_REFUSED_UNCONNECTED] = 0, /* aims at a closed port */
    [SC_REFUSED_CONNECTED] = 0,   /* aims at a closed port */
    [SC_RECVERR] = 0,             /* aims at a closed port */
    [SC_RECONNECT] = 3,           /* one to each port, then the late ask on the second */
    [SC_DISCONNECT] = 4,          /* two while connected, two after */
    [SC_FILTER] = 3,              /* connected, unconnected, sendto(second port) */
    [SC_TTL] = 1,                 /* one probe (on loopback it arrives) */
    [SC_BENCH] = 0,               /* sends to its own sink */
};
