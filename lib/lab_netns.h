/* lab_netns: private network namespaces, for tests and sysctl-changing scenarios. */
#ifndef LAB_NETNS_H
#define LAB_NETNS_H

#include <stddef.h>

/* The environment variable through which whoever made a private network
 * namespace tells the programs it starts which namespace that is: its value is
 * the namespace's identity "DEV:INODE" (`stat -L -c %d:%i /proc/self/ns/net`).
 * It counts only in the namespace it names, so an inherited value is harmless. */
#define LAB_NETNS_ENV "SOCKLAB_PRIVATE_NETNS"

/* Move the calling (single-threaded) process into a new network namespace,
 * inside a new user namespace when not privileged, bring lo up and set
 * LAB_NETNS_ENV to the new namespace; 0, or -1 with errno and a reason in why. */
int lab_netns_enter_private(char *why, size_t whylen);

/* Write this process's network namespace identity "DEV:INODE" into buf;
 * 0, or -1 with errno. */
int lab_netns_id(char *buf, size_t len);

/* 0 if this process's network namespace is known not to be the host's
 * (initial) one, 1 otherwise: the host's, or not known, which callers must
 * treat as the host's. Known means: LAB_NETNS_ENV names it, or it is one that
 * `ip netns add` made (listed in /run/netns), or Linux >= 6.18 gives it an
 * inode other than the initial namespace's fixed one. */
int lab_netns_is_host(void);

#endif
