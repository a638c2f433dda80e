/*
 * realrun's ephemeral ports: the client's "port_range" as the namespace's
 * net.ipv4.ip_local_port_range, and a client socket without a port of its
 * own bound to its address only, so that connect() picks the port.
 *
 * Why the second: realrun gives each side an address of its own, so a
 * client socket is bound before connect(). A bind() to port 0 picks the
 * port at once, with bind()'s rules (inet_csk_get_port): a port whose only
 * holder is a TIME-WAIT is refused there (EADDRINUSE, without
 * SO_REUSEADDR), and a port bound so is never one connect() may take over
 * from TIME-WAIT (__inet_hash_connect skips a bind bucket whose fastreuse
 * is not -1). IP_BIND_ADDRESS_NO_PORT keeps the address and leaves the
 * port to connect(), which picks it as synfin's does for a client whose
 * "port" is 0: from the range, in __inet_hash_connect, where
 * __inet_check_established and tcp_twsk_unique decide whether a 4-tuple
 * in TIME-WAIT may be taken over (tcp_tw_reuse, tcp_tw_reuse_delay).
 *
 * Parity: since Linux 4.6 connect() tries the ports of the range's low
 * end's parity first, bind() the others; a range of one port leaves the
 * kernel no choice, which is what the conformance cases use.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "realrun.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24 /* <linux/in.h>, since Linux 4.2 */
#endif

#define PORT_RANGE_PATH "/proc/sys/net/ipv4/ip_local_port_range"

void
ports_apply(const struct scenario *s)
{
    const struct endpoint_cfg *first =
        s->nclients ? &s->clients[0] : &s->client;
    char val[32];

    /* One namespace, one range: every client socket shares it. */
    for (size_t i = 1; i < s->nclients; i++)
        if (s->clients[i].port_lo != first->port_lo ||
            s->clients[i].port_hi != first->port_hi)
            die(2,
                "clients[%zu].port_range: the kernel has one "
                "ip_local_port_range for all the client sockets, and "
                "clients[0] gives another",
                i);
    snprintf(val, sizeof val, "%u %u", (unsigned)first->port_lo,
             (unsigned)first->port_hi);
    if (write_file(PORT_RANGE_PATH, val) != 0)
        die(3, "cannot set net.ipv4.ip_local_port_range = %s: %s", val,
            strerror(errno));
    fprintf(out,
            "{\"kind\":\"sysctl\",\"name\":\"net.ipv4.ip_local_port_range\","
            "\"value\":\"%s\"}\n",
            val);
}

int
ports_leave_to_connect(int fd)
{
    int one = 1;

    return setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one)
               ? errno
               : 0;
}
