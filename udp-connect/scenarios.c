/* The scenario tables both programs share (declared in scenarios.h). */
#include "scenarios.h"

#include <stddef.h>
#include <stdio.h>

#include "lab_i18n.h"

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

/* What each scenario shows, in enum order; a second line of a text is
 * indented to the text's column (23). */
static const char *const scenario_help[SC_COUNT] = {
    [SC_ECHO_UNCONNECTED] = N_("sendto/recvfrom: the reply arrives with no connect (C14)\n"),
    [SC_ECHO_CONNECTED] = N_("connect sends nothing (C11); send/recv; getpeername\n"),
    [SC_REFUSED_UNCONNECTED] = N_("sendto a closed port: no error, recvfrom times out (C12)\n"),
    [SC_REFUSED_CONNECTED] = N_("the same connected: ECONNREFUSED, once (C13)\n"),
    [SC_RECVERR] = N_("IP_RECVERR: the unconnected socket gets the ICMP error,\n"
                      "                       the error queue says which one and from whom\n"),
    [SC_RECONNECT] = N_("connect to port P, then to the second port: the first\n"
                        "                       server's late datagram no longer arrives (C16)\n"),
    [SC_DISCONNECT] = N_("connect(AF_UNSPEC): ENOTCONN, EDESTADDRREQ, filter lifted\n"
                         "                       (C17)\n"),
    [SC_FILTER] =
        N_("the server answers from its second port: the connected\n"
           "                       socket never sees it, the unconnected one does (C15)\n"),
    [SC_TTL] = N_("IP_TTL/IPV6_UNICAST_HOPS limits; time exceeded from a\n"
                  "                       router via the error queue (C7)\n"),
    [SC_BENCH] = N_("datagrams per second: sendto vs connected send\n"),
};

void udp_print_scenarios(void)
{
    fputs(lab_tr("Scenarios (give both programs the same one):\n"), stdout);
    for (int i = 0; i < SC_COUNT; i++)
        printf("  %-20s %s", udp_scenario_names[i], lab_tr(scenario_help[i]));
    /* TRANSLATORS: %s, in quotes, is a datagram's bytes (kept as they are). */
    printf(lab_tr("The server answers every datagram once: an echo, or, in filter, from its\n"
                  "second port; in reconnect and disconnect a datagram that says \"%s\"\n"
                  "is answered from the other port. refused-*, recverr and bench need no server\n"
                  "(the client aims at a port where nothing listens, or at its own sink).\n"),
           UDP_ASK_OTHER);
}
