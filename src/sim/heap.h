/*
 * A keyed 4-ary min-heap of timers, ordered by (due time, arming number).
 *
 * An entry carries its timer's key, so sifting compares entries in the
 * array and never loads a timer (each sits in a different TCB or packet, so
 * every load would be a likely cache miss). A timer knows its place in the
 * array (heap_idx), so any timer leaves in O(log n) without a search. A
 * 4-ary heap is half as deep as a binary one, and a node's four children
 * are adjacent in memory. Keys are unique, so the order of the pops depends
 * only on the keys, never on the heap's shape. Costs: 24 bytes an entry in
 * one array that doubles when full and never shrinks; push, remove and
 * replace are O(log n), the top is O(1).
 */
#ifndef SYNFIN_SIM_HEAP_H
#define SYNFIN_SIM_HEAP_H

#include "synfin/sim.h"
#include <stddef.h>

struct heap_ent {
    uint64_t when_us;
    uint64_t order;
    struct sim_timer *t;
};

struct timer_heap {
    struct heap_ent *ent;
    uint32_t len, cap;
};

static inline bool
heap_ent_before(const struct heap_ent *a, const struct heap_ent *b)
{
    if (a->when_us != b->when_us)
        return a->when_us < b->when_us;
    return a->order < b->order;
}

/* The entry for t, keyed as t is armed now. */
static inline struct heap_ent
heap_entry(struct sim_timer *t)
{
    return (struct heap_ent){.when_us = t->when_us, .order = t->order, .t = t};
}

/* The earliest entry, or NULL if the heap is empty. */
static inline const struct heap_ent *
heap_top(const struct timer_heap *h)
{
    return h->len > 0 ? &h->ent[0] : NULL;
}

void heap_push(struct timer_heap *h, struct sim_timer *t);
/* t, which is in h, leaves it. */
void heap_remove(struct timer_heap *h, struct sim_timer *t);
/* t, which is in h, leaves it and by takes its place (cheaper than a
 * remove and a push when by is due soon after t, as in a lane). */
void heap_replace(struct timer_heap *h, struct sim_timer *t,
                  struct sim_timer *by);
/* Free the array; the timers still in it are left as they are. */
void heap_destroy(struct timer_heap *h);

#endif
