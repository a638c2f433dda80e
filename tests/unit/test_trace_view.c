/*
 * The trace's snapshot pool (src/trace/trace_view.c): whatever is put on
 * a chain reads back exactly, whichever event names it, across keyframes,
 * pool chunks and chains written in turn; nothing changed costs nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "synfin/trace.h"
#include "tap.h"

enum { CHAINS = 3, STEPS = 150000 };

/* A small deterministic generator, so a failure can be replayed. */
static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t
next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

/* Change one to three fields, as an event does. */
static void
change(struct tcb_view *v)
{
    int n = 1 + (int)(next() % 3);

    while (n-- > 0) {
        switch (next() % 8) {
        case 0: v->state = (uint8_t)(next() % TCP__STATE_COUNT); break;
        case 1: v->exists = !v->exists; break;
        case 2: v->snd_nxt += next() % 1500; break;
        case 3: v->snd_una = v->snd_nxt; break;
        case 4: v->rcv_nxt = next(); break;
        case 5: v->timer_us[next() % TIMER__COUNT] = next() ? next() : 0; break;
        case 6: v->backoff = (uint8_t)(next() % 16); break;
        case 7: v->timer_us[TIMER_TIME_WAIT] = (uint64_t)next() << 20; break;
        }
    }
}

static bool
same(const struct tcb_view *a, const struct tcb_view *b)
{
    bool t = true;
    for (int k = 0; k < TIMER__COUNT; k++)
        t = t && a->timer_us[k] == b->timer_us[k];
    return t && a->state == b->state && a->exists == b->exists &&
           a->rd_open == b->rd_open && a->wr_open == b->wr_open &&
           a->orphan == b->orphan && a->backoff == b->backoff &&
           a->lport == b->lport && a->rport == b->rport && a->iss == b->iss &&
           a->irs == b->irs && a->snd_una == b->snd_una &&
           a->snd_nxt == b->snd_nxt && a->snd_wnd == b->snd_wnd &&
           a->rcv_nxt == b->rcv_nxt && a->rcv_wnd == b->rcv_wnd &&
           a->unsent == b->unsent && a->unread == b->unread;
}

int
main(void)
{
    struct trace t;
    struct trace_view_chain chain[CHAINS] = {{0}};
    struct tcb_view now[CHAINS];
    struct tcb_view *want = calloc(STEPS, sizeof *want);
    int bad = 0, first_bad = -1;
    uint32_t ref, again;

    trace_init(&t);
    for (int c = 0; c < CHAINS; c++) {
        memset(&now[c], 0, sizeof now[c]);
        now[c].exists = now[c].rd_open = now[c].wr_open = true;
        now[c].lport = (uint16_t)(40000 + c);
        now[c].rport = 80;
        now[c].iss = next();
        now[c].irs = next();
        now[c].snd_una = now[c].snd_nxt = now[c].iss;
        now[c].snd_wnd = now[c].rcv_wnd = 65535;
    }
    /* Each event names the snapshot of the chain it changed. */
    for (int i = 0; i < STEPS; i++) {
        int c = (int)(next() % CHAINS);
        struct trace_event *e = trace_push(&t);
        change(&now[c]);
        want[i] = now[c];
        e->view[SIDE_CLIENT] = trace_view_put(&t, &chain[c], &now[c]);
        e->view[SIDE_SERVER] = 0;
    }
    for (size_t i = 0; i < t.len; i++) {
        struct tcb_view got = trace_view(&t, trace_at(&t, i), SIDE_CLIENT);
        if (!same(&got, &want[i]) && bad++ == 0)
            first_bad = (int)i;
    }
    ok(bad == 0, "%d snapshots on %d chains read back as put (first wrong: %d)",
       STEPS, CHAINS, first_bad);
    ok(t.views.nchunks > 1, "they fill %zu chunks of the pool",
       t.views.nchunks);
    {
        /* The pool's chunks are 1 MiB; records never straddle two. */
        size_t used = (t.views.nchunks - 1) * ((size_t)1 << 20) + t.views.used;
        ok(used < (size_t)STEPS * 24, "at %.1f bytes a snapshot",
           (double)used / STEPS);
    }

    {
        struct tcb_view none = trace_view(&t, trace_at(&t, 0), SIDE_SERVER);
        ok(none.state == TCP_CLOSED && !none.exists && none.iss == 0,
           "reference 0 is no TCB: CLOSED");
    }
    ref = chain[0].ref;
    again = trace_view_put(&t, &chain[0], &now[0]);
    ok(again == ref, "an unchanged snapshot is not stored again");
    now[0].unread = 7;
    again = trace_view_put(&t, &chain[0], &now[0]);
    {
        struct trace_event *e = trace_push(&t);
        struct tcb_view got;
        e->view[SIDE_CLIENT] = again;
        got = trace_view(&t, e, SIDE_CLIENT);
        ok(again != ref && got.unread == 7 && same(&got, &now[0]),
           "one changed field is a new snapshot");
    }
    trace_free(&t);
    free(want);
    return done_testing();
}
