/*
 * The clock and the policy of the timers: where an armed timer waits, how
 * it leaves, and which fires next. Containers do the rest: heap.h (a keyed
 * 4-ary heap) and wheel.h (FIFO lanes, the wheel made of them and its
 * sorted run).
 *
 * A timer waits in exactly one place, chosen when it is armed:
 *   - no delay: the now lane, a FIFO outside the heap (a quarter of a
 *     connection's events are script steps run "now", and each would
 *     otherwise sift to the heap's root and back);
 *   - a fixed-delay lane (sim_arm_lane): the lane's FIFO, of which only the
 *     head is in the heap, so 100,000 connections in TIME-WAIT cost one
 *     heap entry;
 *   - 1 ms to 4.2 s ahead: a wheel slot, so arming and cancelling are O(1)
 *     and the heap holds only what is due soon (about 60 packets instead
 *     of 700 in the benchmark);
 *   - otherwise the heap.
 * Every timer is keyed by (due time, arming number), the number breaking
 * ties as libuv's start_id does, and the next to fire is always the one
 * with the smallest key, wherever it waits: the firing order is exactly
 * that of one big heap, on every run. Arming and cancelling allocate nothing
 * (the timers are embedded in their owners) and cost O(log n) at worst.
 * Also here: a cache of timer kinds and the random streams.
 */
#include "synfin/sim.h"

#include "base/prefetch.h"
#include "base/xalloc.h"
#include "sim/heap.h"
#include "sim/wheel.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* A timer's callback and name. There are few (one per call site). */
struct sim_kind {
    sim_fn *fn;
    const char *name;
};

enum { KINDS_MAX = 256, KIND_SLOTS = 512 };

struct sim {
    uint64_t now_us;
    uint64_t order;
    uint64_t fired;
    uint32_t pending; /* armed timers, wherever they wait */
    bool stopped;
    struct timer_heap heap;
    /* Timers armed with no delay: due now, after everything due now that
     * was armed before them, so a FIFO keeps them in order. */
    struct sim_lane now_lane;
    sim_fn *after; /* called after every event, see sim_after_each */
    void *after_arg;
    struct timer_wheel wheel;
    struct sim_kind kinds[KINDS_MAX]; /* kinds[0] is "never armed" */
    uint32_t nkinds;
    uint8_t kind_at[KIND_SLOTS]; /* open addressing: (fn, name) -> kind */
    uint8_t kind_recent[64];     /* by name: the kind last found for it */
    uint64_t rng[RNG__COUNT][4];
};

static uint64_t
splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

struct sim *
sim_new(uint64_t seed)
{
    struct sim *sim = xcalloc(1, sizeof *sim);
    sim->nkinds = 1; /* kind 0: never armed, no callback */
    /* Each stream is seeded from the seed and its own number. */
    for (int s = 0; s < RNG__COUNT; s++) {
        uint64_t x = seed ^ (0x5851f42d4c957f2dull * (uint64_t)(s + 1));
        for (int i = 0; i < 4; i++)
            sim->rng[s][i] = splitmix64(&x);
    }
    return sim;
}

void
sim_free(struct sim *sim)
{
    if (!sim)
        return;
    for (struct sim_timer *t = sim->now_lane.head; t; t = t->lnext)
        t->armed = false;
    wheel_destroy(&sim->wheel);
    /* A lane's head in the heap stands for its whole lane. */
    for (uint32_t i = 0; i < sim->heap.len; i++) {
        struct sim_timer *t = sim->heap.ent[i].t;
        t->heap_idx = 0;
        t->armed = false;
        if (t->lane) {
            for (struct sim_timer *n = t->lnext; n; n = n->lnext)
                n->armed = false;
            t->lane->head = t->lane->tail = NULL;
        }
    }
    heap_destroy(&sim->heap);
    free(sim);
}

uint64_t
sim_now(const struct sim *sim)
{
    return sim->now_us;
}

uint64_t
sim_events(const struct sim *sim)
{
    return sim->fired;
}

uint32_t
sim_pending(const struct sim *sim)
{
    return sim->pending;
}

/* Take t out of wherever it waits; if t was a lane's head, the lane's
 * next timer takes its place in the heap. The now lane and the wheel's
 * slots are never in the heap (their timers' heap_idx is 0). */
static void
unlink_timer(struct sim *sim, struct sim_timer *t)
{
    struct sim_lane *l = t->lane;

    t->armed = false;
    sim->pending--;
    if (t->in_run) {
        wheel_run_remove(&sim->wheel, t);
        return;
    }
    if (!l) {
        heap_remove(&sim->heap, t);
        return;
    }
    if (wheel_holds(&sim->wheel, l))
        wheel_remove(&sim->wheel, t);
    else
        lane_unlink(l, t);
    if (t->heap_idx) {
        if (l->head) {
            /* Lane timers wait long (TIME-WAIT: a minute) and are cold
             * when their turn comes. Each unlink loads the timer two
             * places behind the new head, so the chain of pointers is
             * read one link ahead of its use, never waited for. */
            if (l->head->lnext)
                prefetch_read(l->head->lnext->lnext);
            heap_replace(&sim->heap, t, l->head);
        } else {
            heap_remove(&sim->heap, t);
        }
    }
    t->lprev = t->lnext = NULL;
    t->lane = NULL;
}

/* The kind of (fn, name), made on first use. */
static uint8_t
kind_find(struct sim *sim, sim_fn *fn, const char *name)
{
    uintptr_t h = ((uintptr_t)fn ^ ((uintptr_t)name * 31)) >> 3;

    for (uint32_t i = 0;; i++) {
        uint32_t slot = (uint32_t)((h + i) % KIND_SLOTS);
        uint8_t k = sim->kind_at[slot];
        if (k == 0) {
            if (sim->nkinds == KINDS_MAX)
                abort(); /* more than 255 timer call sites */
            k = (uint8_t)sim->nkinds++;
            sim->kinds[k] = (struct sim_kind){.fn = fn, .name = name};
            sim->kind_at[slot] = k;
            return k;
        }
        if (sim->kinds[k].fn == fn && sim->kinds[k].name == name)
            return k;
    }
}

/*
 * The kind for t: most timers are re-armed with what they had last time,
 * and a new one (kind 0) usually has a name seen just before.
 */
static inline uint8_t
kind_of(struct sim *sim, const struct sim_timer *t, sim_fn *fn,
        const char *name)
{
    uint8_t *recent = &sim->kind_recent[((uintptr_t)name >> 3) % 64];
    uint8_t k = t->kind;

    if (sim->kinds[k].fn == fn && sim->kinds[k].name == name)
        return k;
    k = *recent;
    if (sim->kinds[k].fn == fn && sim->kinds[k].name == name)
        return k;
    return *recent = kind_find(sim, fn, name);
}

const char *
sim_timer_name(const struct sim *sim, const struct sim_timer *t)
{
    return sim->kinds[t->kind].name;
}

static inline void
set_timer(struct sim *sim, struct sim_timer *t, uint64_t delay_us, sim_fn *fn,
          void *arg, const char *name)
{
    if (t->armed)
        unlink_timer(sim, t);
    t->when_us = sim->now_us + delay_us;
    t->order = sim->order++;
    t->kind = kind_of(sim, t, fn, name);
    t->arg = arg;
    t->armed = true;
    sim->pending++;
}

void
sim_arm(struct sim *sim, struct sim_timer *t, uint64_t delay_us, sim_fn *fn,
        void *arg, const char *name)
{
    set_timer(sim, t, delay_us, fn, arg, name);
    if (delay_us == 0)
        lane_append(&sim->now_lane, t);
    else if (delay_us < WHEEL_MIN_US || !wheel_put(&sim->wheel, sim->now_us, t))
        heap_push(&sim->heap, t);
}

void
sim_arm_lane(struct sim *sim, struct sim_lane *lane, struct sim_timer *t,
             sim_fn *fn, void *arg, const char *name)
{
    set_timer(sim, t, lane->delay_us, fn, arg, name);
    /* The clock never goes back, so the newest timer is the latest. */
    lane_append(lane, t);
    if (lane->head == t)
        heap_push(&sim->heap, t);
}

void
sim_cancel(struct sim *sim, struct sim_timer *t)
{
    if (t->armed)
        unlink_timer(sim, t);
}

void
sim_stop(struct sim *sim)
{
    sim->stopped = true;
}

/* Tell lane's owner which of its timers fire next (see sim_lane). */
static void
lane_prefetch(const struct sim_lane *lane)
{
    const struct sim_timer *next = lane->head;
    const struct sim_timer *after = next ? next->lnext : NULL;

    lane->prefetch(next ? next->arg : NULL, after ? after->arg : NULL);
}

uint64_t
sim_run(struct sim *sim, uint64_t until_us, uint64_t max_events)
{
    uint64_t n = 0;
    sim->stopped = false;
    while (!sim->stopped) {
        struct sim_timer *t = sim->now_lane.head;
        const struct heap_ent *e = heap_top(&sim->heap);
        const struct heap_ent *r = wheel_run_next(&sim->wheel);
        struct sim_lane *lane;

        /* The earlier of the run's next and the heap's top. */
        if (r && (!e || heap_ent_before(r, e)))
            e = r;
        /* The now lane's head is due now; the other is due now or later:
         * it goes first only if due now and armed earlier. */
        if (!t || (e && e->when_us == t->when_us && e->order < t->order))
            t = e ? e->t : NULL;
        if (wheel_pour_due(&sim->wheel, t)) {
            wheel_pour(&sim->wheel);
            continue;
        }
        if (!t || t->when_us > until_us || (max_events && n >= max_events))
            break;
        lane = t->lane; /* unlink_timer forgets it */
        unlink_timer(sim, t);
        assert(t->when_us >= sim->now_us);
        sim->now_us = t->when_us;
        sim->fired++;
        n++;
        if (lane && lane->prefetch)
            lane_prefetch(lane);
        sim->kinds[t->kind].fn(sim, t->arg);
        if (sim->after)
            sim->after(sim, sim->after_arg);
    }
    return n;
}

void
sim_after_each(struct sim *sim, sim_fn *fn, void *arg)
{
    sim->after = fn;
    sim->after_arg = arg;
}

/* xoshiro256** by Blackman and Vigna. */
static uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t
sim_rand(struct sim *sim, enum rng_stream stream)
{
    uint64_t *s = sim->rng[stream];
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double
sim_rand_unit(struct sim *sim, enum rng_stream stream)
{
    return (double)(sim_rand(sim, stream) >> 11) * 0x1.0p-53;
}
