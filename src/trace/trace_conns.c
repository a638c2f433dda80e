/* The run's connections, one by one, read from the trace. */
#include "synfin/trace.h"

#include <stdlib.h>

#include "base/xalloc.h"

uint32_t
trace_conn_max(const struct trace *t)
{
    uint32_t max = 0;

    for (size_t i = 0; i < t->len; i++)
        if (trace_at(t, i)->conn > max)
            max = trace_at(t, i)->conn;
    return max;
}

size_t
trace_conns(const struct trace *t, uint32_t at, struct trace_conn **out)
{
    uint32_t max = trace_conn_max(t);
    struct trace_conn *c;
    size_t n = 0;

    c = xcalloc((size_t)max + 1, sizeof *c);
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        struct trace_conn *k = &c[e->conn];
        int side = e->side;

        if (!e->conn)
            continue;
        if (!k->conn) {
            k->conn = e->conn;
            k->first_ev = (uint32_t)i;
            k->end[0] = k->end[1] = END__COUNT;
        }
        k->last_ev = (uint32_t)i;
        if (at != UINT32_MAX && i <= at)
            k->started = true;
        if (e->kind == TRACE_SEND && e->seg.from <= SIDE_SERVER &&
            !(e->seg.tags & (SEG_ICMP | SEG_INJECTED))) {
            k->port[e->seg.from] = e->seg.sport;
            k->port[1 - e->seg.from] = e->seg.dport;
        }
        if (side != SIDE_CLIENT && side != SIDE_SERVER)
            continue;
        if (e->kind == TRACE_CALL && e->a == CALL_CONNECT && e->b) {
            k->err[side] = e->b;
        } else if (e->kind == TRACE_APP &&
                   (e->a == EV_RESET || e->a == EV_ERROR) && e->b) {
            k->err[side] = e->b;
        } else if (e->kind == TRACE_STATE) {
            k->last[side] = (uint8_t)e->b;
            if (at != UINT32_MAX && i <= at)
                k->now[side] = (uint8_t)e->b;
            k->end[side] = e->b == TCP_CLOSED ? (uint8_t)e->n : END_OPEN;
            k->end_us[side] = e->t_us;
        }
    }
    for (uint32_t i = 1; i <= max; i++)
        if (c[i].conn)
            c[n++] = c[i];
    *out = c;
    return n;
}
