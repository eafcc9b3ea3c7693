/* lab_netns: private network namespaces, for tests and sysctl-changing scenarios. */
#ifndef LAB_NETNS_H
#define LAB_NETNS_H

#include <stddef.h>

/* Move the calling (single-threaded) process into a new network namespace,
 * inside a new user namespace when not privileged, and bring lo up;
 * 0, or -1 with errno and a one-line reason in why. */
int lab_netns_enter_private(char *why, size_t whylen);

/* 1 if this process is in the host's (initial) network namespace, 0 if in
 * another one, -1 if that cannot be told (treat it as the host's). */
int lab_netns_is_host(void);

#endif
