/*
 * Timer lanes, the timer wheel built of them, and the sorted run a wheel
 * slot is poured into.
 *
 * A lane is a FIFO of timers linked through the timers themselves, so
 * adding and taking out are O(1) and allocate nothing.
 *
 * The wheel is WHEEL_SLOTS lanes, one per 2^WHEEL_SHIFT us of due time
 * (512 us; 4.2 s in all), for timers due at least WHEEL_MIN_US (1 ms)
 * ahead. A retransmission timer is armed for hundreds of milliseconds and
 * nearly always cancelled a round trip later: in a slot, arming and
 * cancelling it are O(1). A slot keeps its timers in arming order, unsorted.
 * Before the clock reaches a slot's time, the slot is poured into the run:
 * its timers, keyed like heap entries and sorted by (time, arming number),
 * so they fire from there in turn without a trip through the heap. Costs:
 * 256 KB of slots per sim, whether used or not (a slot is a 32-byte
 * sim_lane whose delay and hook go unused); pouring a slot is one walk
 * down its list (a likely cache miss a timer) and a sort of the slot's
 * timers in two counting passes (an insertion sort below 16); the run is
 * an array that grows to the busiest slot and never shrinks.
 */
#ifndef SYNFIN_SIM_WHEEL_H
#define SYNFIN_SIM_WHEEL_H

#include "sim/heap.h"
#include "synfin/sim.h"
#include <stddef.h>

/* Slots of 512 us, 4.2 s in all, for delays of 1 ms or more. */
enum {
    WHEEL_SHIFT = 9,
    WHEEL_SLOTS = 8192,
    WHEEL_MIN_US = 2 << WHEEL_SHIFT,
};
#define WHEEL_REACH_US ((uint64_t)WHEEL_SLOTS << WHEEL_SHIFT)

struct timer_wheel {
    struct sim_lane slots[WHEEL_SLOTS];
    uint64_t at;  /* start of the next slot to pour */
    uint32_t len; /* timers waiting in slots, not counting the run */
    /*
     * The slot poured last, in firing order. A timer in the run has in_run
     * set and its place + 1 in heap_idx; one cancelled there leaves a hole
     * (t = NULL).
     */
    struct heap_ent *run, *run_tmp;
    uint32_t run_head, run_len, run_cap;
};

static inline void
lane_append(struct sim_lane *lane, struct sim_timer *t)
{
    t->lane = lane;
    t->lnext = NULL;
    t->lprev = lane->tail;
    if (lane->tail)
        lane->tail->lnext = t;
    else
        lane->head = t;
    lane->tail = t;
}

/* Take t out of its lane's list; t's own links are left for the caller. */
static inline void
lane_unlink(struct sim_lane *lane, struct sim_timer *t)
{
    if (t->lprev)
        t->lprev->lnext = t->lnext;
    else
        lane->head = t->lnext;
    if (t->lnext)
        t->lnext->lprev = t->lprev;
    else
        lane->tail = t->lprev;
}

/* Whether lane is one of w's slots. */
static inline bool
wheel_holds(const struct timer_wheel *w, const struct sim_lane *lane)
{
    return (uintptr_t)lane - (uintptr_t)w->slots < sizeof w->slots;
}

/* Take t out of its slot (t->lane, one of w's). */
static inline void
wheel_remove(struct timer_wheel *w, struct sim_timer *t)
{
    w->len--;
    lane_unlink(t->lane, t);
}

/* The run's next timer, or NULL if the run is used up. */
static inline const struct heap_ent *
wheel_run_next(struct timer_wheel *w)
{
    while (w->run_head < w->run_len && !w->run[w->run_head].t)
        w->run_head++;
    return w->run_head < w->run_len ? &w->run[w->run_head] : NULL;
}

/* Take t (in_run) out of the run, leaving a hole. */
static inline void
wheel_run_remove(struct timer_wheel *w, struct sim_timer *t)
{
    w->run[t->heap_idx - 1].t = NULL;
    t->in_run = false;
    t->heap_idx = 0;
}

/*
 * Whether the next slot must be poured before next (NULL: nothing else)
 * may fire: everything in the slots is due at w->at or later.
 */
static inline bool
wheel_pour_due(const struct timer_wheel *w, const struct sim_timer *next)
{
    return w->len > 0 && (!next || next->when_us >= w->at);
}

/*
 * Put t (armed, due at t->when_us) in its slot if the slot is still to be
 * poured and within the wheel's reach; false if not. Inline: it runs for
 * nearly every packet sent.
 */
static inline bool
wheel_put(struct timer_wheel *w, uint64_t now_us, struct sim_timer *t)
{
    /* An empty wheel restarts at the first slot after now, but never goes
     * back: the run may hold a slot poured ahead of the clock (sim_run
     * pours before it checks until_us), and w->at must stay past it. */
    if (w->len == 0) {
        uint64_t at = ((now_us >> WHEEL_SHIFT) + 1) << WHEEL_SHIFT;
        if (at > w->at)
            w->at = at;
    }
    if (t->when_us < w->at || t->when_us - w->at >= WHEEL_REACH_US)
        return false;
    lane_append(&w->slots[(t->when_us >> WHEEL_SHIFT) % WHEEL_SLOTS], t);
    w->len++;
    return true;
}

/* Move the timers of the slot at w->at into the run, sorted, and go on to
 * the next slot. The run must be used up. */
void wheel_pour(struct timer_wheel *w);
/* Disarm every timer in the slots and the run, and free the run. */
void wheel_destroy(struct timer_wheel *w);

#endif
