/* Connections in each state, recounted from the trace's STATE events. */
#include "synfin/trace.h"

void
state_counts_step(struct state_counts *c, const struct trace_event *e)
{
    /* A listener's events are those of connection 0; every other TCB in
     * LISTEN is a passive one its listener made, or one sent back there
     * (RFC 9293 §3.10.7.4) to be deleted. */
    bool listener = e->conn == 0;

    if (e->kind != TRACE_STATE || e->side > SIDE_SERVER)
        return;
    if (e->a >= 0 && e->a < TCP__STATE_COUNT && e->a != TCP_CLOSED &&
        (e->a != TCP_LISTEN || listener))
        c->n[e->side][e->a]--;
    if (e->b >= 0 && e->b < TCP__STATE_COUNT && e->b != TCP_CLOSED &&
        (e->b != TCP_LISTEN || listener))
        c->n[e->side][e->b]++;
}
