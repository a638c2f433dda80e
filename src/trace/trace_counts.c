/* Connections in each state, recounted from the trace's STATE events. */
#include "synfin/trace.h"

#include <stdlib.h>
#include <string.h>

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

int
trace_crowd_col(const struct trace_crowd *k, uint64_t t_us)
{
    uint64_t col =
        k->span_us ? t_us * (uint64_t)k->ncols / (k->span_us + 1) : 0;

    return (int)(col < (uint64_t)k->ncols ? col : (uint64_t)k->ncols - 1);
}

int
trace_crowd_build(struct trace_crowd *k, const struct trace *t, int ncols)
{
    struct state_counts c = {0};
    int last = 0;

    memset(k, 0, sizeof *k);
    if (ncols < 1)
        return -1;
    k->ncols = ncols;
    k->span_us = t->len ? trace_at(t, t->len - 1)->t_us : 0;
    k->most = calloc((size_t)ncols, sizeof *k->most);
    k->first = calloc((size_t)ncols, sizeof *k->first);
    k->before = calloc((size_t)ncols, sizeof *k->before);
    if (!k->most || !k->first || !k->before) {
        trace_crowd_free(k);
        return -1;
    }
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        int col = trace_crowd_col(k, e->t_us);

        /* A slice the run passed without a change holds the counts it
         * came in with. */
        for (; last < col; last++) {
            memcpy(k->most[last + 1], c.n, sizeof c.n);
            k->first[last + 1] = i;
            k->before[last + 1] = c;
        }
        state_counts_step(&c, e);
        for (int s = 0; s < 2; s++)
            for (int st = 0; st < TCP__STATE_COUNT; st++) {
                if (c.n[s][st] > k->most[col][s][st])
                    k->most[col][s][st] = c.n[s][st];
                if (c.n[s][st] > k->peak[s][st]) {
                    k->peak[s][st] = c.n[s][st];
                    k->peak_us[s][st] = e->t_us;
                }
            }
    }
    return 0;
}

void
trace_crowd_at(const struct trace_crowd *k, const struct trace *t, size_t at,
               struct state_counts *c)
{
    int col = trace_crowd_col(k, trace_at(t, at)->t_us);

    *c = k->before[col];
    for (size_t i = k->first[col]; i <= at; i++)
        state_counts_step(c, trace_at(t, i));
}

void
trace_crowd_free(struct trace_crowd *k)
{
    free(k->most);
    free(k->first);
    free(k->before);
    k->most = NULL;
    k->first = NULL;
    k->before = NULL;
}
