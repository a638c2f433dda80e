/*
 * TCB lifetime: a TCB is made from its world's pool, sheds its live part
 * when it enters TIME-WAIT, and is freed once the event that closed it is
 * over.
 *
 * Frees are deferred because the code that closes a TCB (tcp_input, a
 * timer) may still hold it until its event returns: tcb_after_event, which
 * the sim runs after every event, does them. A TCB in TIME-WAIT keeps only
 * what TIME-WAIT uses, like Linux's tcp_timewait_sock: a busy client holds
 * hundreds of thousands of them, so shedding the RTT estimator, keepalive
 * state and the other timers halves the engine's memory.
 */
#include <string.h>

#include "base/prefetch.h"
#include "base/xalloc.h"
#include "engine.h"

struct tcb *
tcb_new(struct host *h, uint32_t conn)
{
    struct world *w = h->w;
    struct tcb *tcb = pool_get(&w->tcb_pool);

    memset(tcb, 0, sizeof *tcb);
    tcb->live = pool_get(&w->live_pool);
    memset(tcb->live, 0, sizeof *tcb->live);
    tcb->w = w;
    tcb->host = h;
    tcb->side = h->side;
    tcb->conn = conn;
    tcb->gen = ++w->next_gen; /* and state CLOSED, which is 0 */
    tcb->rcv_wnd = w->tcp.window;
    tcb->ttl = w->tcp.ttl;
    tcb->end = END_OPEN;
    w->ntcbs++;
    if (w->stats && w->ntcbs > w->stats->tcbs_peak)
        w->stats->tcbs_peak = w->ntcbs;
    return tcb;
}

/*
 * The TIME-WAIT lane's prefetch hook (see sim_lane): TCBs leaving
 * TIME-WAIT have slept for a minute and are cold. Start loading the whole
 * TCB after next (its expiry reads it, and the next connection to take its
 * block rewrites it), and the table slot of the next one, whose TCB was
 * asked for one expiry ago: its expiry unhashes it.
 */
void
tcb_prefetch_expiring(const void *next, const void *after_next)
{
    const char *tcb = after_next;

    for (size_t off = 0; tcb && off < sizeof(struct tcb); off += 64)
        prefetch_write(tcb + off);
    conn_table_prefetch_tcb(next);
}

void
tcb_shed(struct tcb *tcb)
{
    struct world *w = tcb->w;

    if (w->nshed == w->shed_cap) {
        w->shed_cap = w->shed_cap ? w->shed_cap * 2 : 16;
        w->shed = xreallocarray(w->shed, w->shed_cap, sizeof *w->shed);
    }
    w->shed[w->nshed++] = tcb;
}

void
tcb_detach(struct tcb *tcb)
{
    if (tcb->hashed)
        conn_table_remove(tcb);
    tcb->dead = true;
    if (tcb->sock && tcb->sock->tcb == tcb)
        tcb->sock->tcb = NULL;
    tcb->sock = NULL;
}

void
tcb_free_later(struct tcb *tcb)
{
    struct world *w = tcb->w;

    tcb->next_dead = w->dead;
    w->dead = tcb;
}

/*
 * Free the live parts of the TCBs that entered TIME-WAIT during the event
 * just fired. One whose live timers are not all stopped (none should be:
 * entering TIME-WAIT stops them) keeps its part, which costs only memory.
 */
static void
shed_live_parts(struct world *w)
{
    for (uint32_t i = 0; i < w->nshed; i++) {
        struct tcb *t = w->shed[i];
        bool armed = false;
        if (t->dead || !t->live || t->state != TCP_TIME_WAIT)
            continue;
        for (int k = 0; k < TIMER__COUNT; k++)
            armed = armed ||
                    (k != TIMER_TIME_WAIT && sim_armed(&t->live->timers[k]));
        if (armed)
            continue;
        pool_put(&w->live_pool, t->live);
        t->live = NULL;
    }
    w->nshed = 0;
}

void
tcb_free_dead(struct world *w)
{
    while (w->dead) {
        struct tcb *t = w->dead;
        w->dead = t->next_dead;
        if (w->stats && t->end < END__COUNT)
            w->stats->ends[t->side][t->end]++;
        w->ntcbs--;
        if (t->live)
            pool_put(&w->live_pool, t->live);
        pool_put(&w->tcb_pool, t);
    }
}

void
tcb_after_event(struct sim *sim, void *arg)
{
    struct world *w = arg;
    (void)sim;
    if (w->nshed)
        shed_live_parts(w);
    if (w->dead)
        tcb_free_dead(w);
}
