/* lab_tcpstate: the kernel's TCP state of a socket, by number and by name. */
#ifndef LAB_TCPSTATE_H
#define LAB_TCPSTATE_H

/* Linux's TCP state numbers (include/net/tcp_states.h), usable on any system. */
enum lab_tcp_state {
    LAB_TCP_ESTABLISHED = 1,
    LAB_TCP_SYN_SENT,
    LAB_TCP_SYN_RECV,
    LAB_TCP_FIN_WAIT1,
    LAB_TCP_FIN_WAIT2,
    LAB_TCP_TIME_WAIT,
    LAB_TCP_CLOSE,
    LAB_TCP_CLOSE_WAIT,
    LAB_TCP_LAST_ACK,
    LAB_TCP_LISTEN,
    LAB_TCP_CLOSING,
    LAB_TCP_NEW_SYN_RECV,
};

/* Bit for a state, to build the masks that lab_diag takes. */
#define LAB_STATE_BIT(s) (1u << (s))

/* "ESTABLISHED", "TIME_WAIT", ...; "UNKNOWN" for a number the kernel never uses. */
const char *lab_tcp_state_name(int state);

/* The state of the TCP socket fd (TCP_INFO), or -1 with errno (ENOSYS off Linux). */
int lab_tcp_state_of_fd(int fd);

/* For a LISTEN fd: accept-queue length and limit (TCP_INFO); 0 or -1 with errno. */
int lab_tcp_listen_queue(int fd, unsigned *queued, unsigned *limit);

/* Retransmissions so far on fd (tcpi_total_retrans); 0 or -1 with errno. */
int lab_tcp_total_retrans(int fd, unsigned *count);

#endif
