/* lab_pcap: a capture file in the classic pcap format (LINKTYPE_RAW: each
 * record one IP packet), which tcpdump -r and Wireshark open. */
#ifndef LAB_PCAP_H
#define LAB_PCAP_H

#include <stddef.h>

/* Create path (never an existing file: EEXIST) and write the file header;
 * the fd, or -1 with errno. */
int lab_pcap_create(const char *path);

/* Append one packet stamped with the time of day now; 0, or -1 with errno. */
int lab_pcap_write(int fd, const void *pkt, size_t len);

#endif
