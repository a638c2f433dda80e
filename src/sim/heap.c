/*
 * The keyed 4-ary heap of timers (what and why: heap.h). Sifting moves a
 * hole, not the entry: each entry moved is written once, with its timer's
 * heap_idx (the only store to a timer), and a full node's earliest child
 * takes three comparisons.
 */
#include "sim/heap.h"

#include "base/xalloc.h"
#include <stdlib.h>

enum { ARITY = 4 };

static inline void
place(struct timer_heap *h, uint32_t i, const struct heap_ent *e)
{
    h->ent[i] = *e;
    e->t->heap_idx = i + 1;
}

/* Put e at hole i or above it. */
static void
sift_up(struct timer_heap *h, uint32_t i, struct heap_ent e)
{
    while (i > 0) {
        uint32_t parent = (i - 1) / ARITY;
        if (!heap_ent_before(&e, &h->ent[parent]))
            break;
        place(h, i, &h->ent[parent]);
        i = parent;
    }
    place(h, i, &e);
}

/* Put e at hole i or below it. */
static void
sift_down(struct timer_heap *h, uint32_t i, struct heap_ent e)
{
    struct heap_ent *a = h->ent;
    uint32_t len = h->len;

    for (;;) {
        uint32_t c = ARITY * i + 1;
        const struct heap_ent *m;

        if (c + 3 < len) {
            /* A full node: the earliest of four in three comparisons. */
            const struct heap_ent *x = &a[c], *y = &a[c + 2];
            if (heap_ent_before(&a[c + 1], x))
                x = &a[c + 1];
            if (heap_ent_before(&a[c + 3], y))
                y = &a[c + 3];
            m = heap_ent_before(y, x) ? y : x;
        } else if (c < len) {
            m = &a[c];
            for (c++; c < len; c++)
                if (heap_ent_before(&a[c], m))
                    m = &a[c];
        } else {
            break;
        }
        if (!heap_ent_before(m, &e))
            break;
        place(h, i, m);
        i = (uint32_t)(m - a);
    }
    place(h, i, &e);
}

/* Fill hole i with e, wherever e belongs. */
static void
fill(struct timer_heap *h, uint32_t i, struct heap_ent e)
{
    if (i > 0 && heap_ent_before(&e, &h->ent[(i - 1) / ARITY]))
        sift_up(h, i, e);
    else
        sift_down(h, i, e);
}

void
heap_push(struct timer_heap *h, struct sim_timer *t)
{
    if (h->len == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->ent = xreallocarray(h->ent, h->cap, sizeof *h->ent);
    }
    sift_up(h, h->len++, heap_entry(t));
}

void
heap_remove(struct timer_heap *h, struct sim_timer *t)
{
    uint32_t i = t->heap_idx - 1;

    t->heap_idx = 0;
    if (i == --h->len)
        return;
    fill(h, i, h->ent[h->len]);
}

void
heap_replace(struct timer_heap *h, struct sim_timer *t, struct sim_timer *by)
{
    uint32_t i = t->heap_idx - 1;

    t->heap_idx = 0;
    fill(h, i, heap_entry(by));
}

void
heap_destroy(struct timer_heap *h)
{
    free(h->ent);
    h->ent = NULL;
    h->len = h->cap = 0;
}
