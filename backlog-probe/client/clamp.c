/* clamp, the client's half (claim C8): a fill of 20 connections against
 * listen(fd, 1000) that net.core.somaxconn=16 clamped: 17 complete. What
 * clamp shows happens in the server's listen(); this side sees its result.
 * Partner: backlog-server --scenario clamp */
#include "client.h"

int clamp(struct client *c)
{
    return fill(c);
}
