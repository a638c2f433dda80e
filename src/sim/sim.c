/*
 * Virtual clock, timer heap and random streams.
 *
 * The heap is an array of (time, order, timer) entries; the timers are
 * embedded in their owners, so arming and cancelling allocate nothing and
 * cost O(log n). Ties on time are broken by an insertion counter, so
 * equal-time events fire in the order they were armed, on every run
 * (libuv's start_id).
 */
#include "synfin/sim.h"

#include "base/prefetch.h"
#include "base/xalloc.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

/*
 * The timer wheel: WHEEL_SLOTS slots of 2^WHEEL_SHIFT us (512 us; 4.2 s in
 * all). Delays of WHEEL_MIN_US (1 ms) or more go to the wheel, shorter
 * ones and those beyond its reach to the heap.
 */
enum {
    WHEEL_SHIFT = 9,
    WHEEL_SLOTS = 8192,
    WHEEL_MIN_US = 2 << WHEEL_SHIFT,
};

/*
 * A heap entry carries its timer's key, so sifting compares entries in the
 * array and never loads a timer (each one sits in a different TCB or
 * packet, so every load would be a likely cache miss).
 */
struct heap_ent {
    uint64_t when_us;
    uint64_t order;
    struct sim_timer *t;
};

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
    uint32_t pending; /* armed timers, in the heap or in lanes */
    bool stopped;
    struct heap_ent *heap;
    uint32_t len, cap;
    /*
     * Timers armed with no delay. They are due now, after everything due
     * now that was armed before them, so a FIFO keeps them in order. They
     * stay out of the heap: a quarter of a connection's events are script
     * steps run "now", and each would otherwise sift to the heap's root
     * and back.
     */
    struct sim_lane now_lane;
    sim_fn *after; /* called after every event, see sim_after_each */
    void *after_arg;
    /*
     * Timers due at wheel_at or later may wait in the slot of their time
     * instead of the heap. A retransmission timer is armed for hundreds
     * of milliseconds and nearly always cancelled a round trip later: in
     * a slot, arming and cancelling it are O(1). A packet in flight waits
     * in its slot, and the heap holds only the slot being fired (about
     * 60 packets instead of 700 in the benchmark), so each pop sifts
     * through fewer levels. A slot is poured into the heap, keys and all,
     * before the clock reaches its time, so the firing order is still
     * exactly (time, order).
     */
    struct sim_lane wheel[WHEEL_SLOTS];
    uint64_t wheel_at; /* start of the next slot to pour */
    uint32_t wheel_len;
    /*
     * The slot poured last, sorted by (time, order): its timers fire from
     * here in turn, without a trip through the heap. A slot's list is in
     * arming order, so a stable sort by time sorts it by (time, order). A
     * timer cancelled while in the run leaves a hole (t = NULL).
     */
    struct heap_ent *run, *run_tmp;
    uint32_t run_head, run_len, run_cap;
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
    for (int s = 0; s < WHEEL_SLOTS; s++)
        for (struct sim_timer *t = sim->wheel[s].head; t; t = t->lnext)
            t->armed = false;
    for (uint32_t i = sim->run_head; i < sim->run_len; i++)
        if (sim->run[i].t) {
            sim->run[i].t->armed = false;
            sim->run[i].t->in_run = false;
            sim->run[i].t->heap_idx = 0;
        }
    free(sim->run);
    free(sim->run_tmp);
    for (uint32_t i = 0; i < sim->len; i++) {
        struct sim_timer *t = sim->heap[i].t;
        t->heap_idx = 0;
        t->armed = false;
        if (t->lane) {
            for (struct sim_timer *n = t->lnext; n; n = n->lnext)
                n->armed = false;
            t->lane->head = t->lane->tail = NULL;
        }
    }
    free(sim->heap);
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

static inline bool
before(const struct heap_ent *a, const struct heap_ent *b)
{
    if (a->when_us != b->when_us)
        return a->when_us < b->when_us;
    return a->order < b->order;
}

/*
 * A 4-ary heap: half the depth of a binary one, and the four children of
 * a node are adjacent in memory. Keys are unique (the insertion counter
 * breaks every tie), so the firing order does not depend on the heap's
 * shape, only on the keys.
 */
enum { ARITY = 4 };

static inline void
place(struct sim *sim, uint32_t i, const struct heap_ent *e)
{
    sim->heap[i] = *e;
    e->t->heap_idx = i + 1;
}

/* Put e at hole i or above it. */
static void
sift_up(struct sim *sim, uint32_t i, struct heap_ent e)
{
    while (i > 0) {
        uint32_t parent = (i - 1) / ARITY;
        if (!before(&e, &sim->heap[parent]))
            break;
        place(sim, i, &sim->heap[parent]);
        i = parent;
    }
    place(sim, i, &e);
}

/* Put e at hole i or below it. */
static void
sift_down(struct sim *sim, uint32_t i, struct heap_ent e)
{
    struct heap_ent *h = sim->heap;
    uint32_t len = sim->len;

    for (;;) {
        uint32_t c = ARITY * i + 1;
        const struct heap_ent *m;

        if (c + 3 < len) {
            /* A full node: the earliest of four in three comparisons. */
            const struct heap_ent *a = &h[c], *b = &h[c + 2];
            if (before(&h[c + 1], a))
                a = &h[c + 1];
            if (before(&h[c + 3], b))
                b = &h[c + 3];
            m = before(b, a) ? b : a;
        } else if (c < len) {
            m = &h[c];
            for (c++; c < len; c++)
                if (before(&h[c], m))
                    m = &h[c];
        } else {
            break;
        }
        if (!before(m, &e))
            break;
        place(sim, i, m);
        i = (uint32_t)(m - h);
    }
    place(sim, i, &e);
}

/* Fill hole i with e, wherever e belongs. */
static void
heap_fill(struct sim *sim, uint32_t i, struct heap_ent e)
{
    if (i > 0 && before(&e, &sim->heap[(i - 1) / ARITY]))
        sift_up(sim, i, e);
    else
        sift_down(sim, i, e);
}

static struct heap_ent
entry(struct sim_timer *t)
{
    return (struct heap_ent){.when_us = t->when_us, .order = t->order, .t = t};
}

static void
heap_remove(struct sim *sim, struct sim_timer *t)
{
    uint32_t i = t->heap_idx - 1;

    t->heap_idx = 0;
    if (i == --sim->len)
        return;
    heap_fill(sim, i, sim->heap[sim->len]);
}

static void
heap_push(struct sim *sim, struct sim_timer *t)
{
    if (sim->len == sim->cap) {
        sim->cap = sim->cap ? sim->cap * 2 : 64;
        sim->heap = xreallocarray(sim->heap, sim->cap, sizeof *sim->heap);
    }
    sift_up(sim, sim->len++, entry(t));
}

static bool
in_wheel(const struct sim *sim, const struct sim_lane *l)
{
    return (uintptr_t)l - (uintptr_t)sim->wheel < sizeof sim->wheel;
}

/* Take t out of wherever it waits; if t was its lane's head, the lane's
 * next timer takes its place in the heap. The now lane and the wheel's
 * slots are never in the heap (their timers' heap_idx is 0). */
static void
unlink_timer(struct sim *sim, struct sim_timer *t)
{
    struct sim_lane *l = t->lane;

    t->armed = false;
    sim->pending--;
    if (t->in_run) {
        sim->run[t->heap_idx - 1].t = NULL;
        t->in_run = false;
        t->heap_idx = 0;
        return;
    }
    if (!l) {
        heap_remove(sim, t);
        return;
    }
    if (in_wheel(sim, l))
        sim->wheel_len--;
    if (t->lprev)
        t->lprev->lnext = t->lnext;
    else
        l->head = t->lnext;
    if (t->lnext)
        t->lnext->lprev = t->lprev;
    else
        l->tail = t->lprev;
    if (t->heap_idx) {
        /* The lane's next timer takes t's place in the heap. */
        if (l->head) {
            uint32_t i = t->heap_idx - 1;
            t->heap_idx = 0;
            /* Lane timers wait long (TIME-WAIT: a minute) and are cold
             * when their turn comes. Each unlink loads the timer two
             * places behind the new head, so the chain of pointers is
             * read one link ahead of its use, never waited for. */
            if (l->head->lnext)
                prefetch_read(l->head->lnext->lnext);
            heap_fill(sim, i, entry(l->head));
        } else {
            heap_remove(sim, t);
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

static void
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

/* Put t in its wheel slot if it is due far enough ahead; false if not. */
static bool
wheel_put(struct sim *sim, struct sim_timer *t)
{
    /* An empty wheel restarts at the first slot after now, but never goes
     * back: the run may hold a slot poured ahead of the clock (sim_run
     * pours before it checks until_us), and wheel_at must stay past it. */
    if (sim->wheel_len == 0) {
        uint64_t at = ((sim->now_us >> WHEEL_SHIFT) + 1) << WHEEL_SHIFT;
        if (at > sim->wheel_at)
            sim->wheel_at = at;
    }
    if (t->when_us < sim->wheel_at ||
        t->when_us - sim->wheel_at >= (uint64_t)WHEEL_SLOTS << WHEEL_SHIFT)
        return false;
    lane_append(&sim->wheel[(t->when_us >> WHEEL_SHIFT) % WHEEL_SLOTS], t);
    sim->wheel_len++;
    return true;
}

/*
 * Sort a slot's n entries by time, stably (equal times keep their order),
 * all due in [base, base + 512 us): an insertion sort for a few, else two
 * counting passes on the offset from base, the low 5 bits then the high 4.
 */
static void
run_sort(struct heap_ent *a, struct heap_ent *tmp, uint32_t n, uint64_t base)
{
    uint32_t lo[33] = {0}, hi[17] = {0};

    _Static_assert(WHEEL_SHIFT == 9, "run_sort sorts 9-bit offsets");
    if (n < 16) {
        for (uint32_t j = 1; j < n; j++) {
            struct heap_ent e = a[j];
            uint32_t i = j;
            while (i > 0 && a[i - 1].when_us > e.when_us) {
                a[i] = a[i - 1];
                i--;
            }
            a[i] = e;
        }
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = (uint32_t)(a[i].when_us - base);
        lo[(k & 31) + 1]++;
        hi[(k >> 5) + 1]++;
    }
    for (int b = 1; b <= 32; b++)
        lo[b] += lo[b - 1];
    for (int b = 1; b <= 16; b++)
        hi[b] += hi[b - 1];
    for (uint32_t i = 0; i < n; i++)
        tmp[lo[(a[i].when_us - base) & 31]++] = a[i];
    for (uint32_t i = 0; i < n; i++)
        a[hi[(tmp[i].when_us - base) >> 5]++] = tmp[i];
}

static void
run_grow(struct sim *sim)
{
    uint32_t cap = sim->run_cap ? 2 * sim->run_cap : 64;
    sim->run = xreallocarray(sim->run, cap, sizeof *sim->run);
    sim->run_tmp = xreallocarray(sim->run_tmp, cap, sizeof *sim->run_tmp);
    sim->run_cap = cap;
}

/* Move the timers of the slot at wheel_at into the run, sorted; next
 * slot. The run has been used up (its timers are all due before
 * wheel_at). */
static void
wheel_pour(struct sim *sim)
{
    struct sim_lane *l =
        &sim->wheel[(sim->wheel_at >> WHEEL_SHIFT) % WHEEL_SLOTS];
    struct sim_timer *t;
    struct heap_ent *run;
    uint32_t n = 0;

    assert(sim->run_head == sim->run_len);
    /* One walk down the slot's list: its timers sit in packets and TCBs
     * all over memory, so each step is a likely cache miss. */
    while ((t = l->head)) {
        if (n == sim->run_cap)
            run_grow(sim);
        l->head = t->lnext;
        t->lane = NULL;
        t->lprev = t->lnext = NULL;
        sim->run[n++] = entry(t);
    }
    run = sim->run;
    run_sort(run, sim->run_tmp, n, sim->wheel_at);
    for (uint32_t i = 0; i < n; i++) {
        run[i].t->in_run = true;
        run[i].t->heap_idx = i + 1;
    }
    l->tail = NULL;
    sim->wheel_len -= n;
    sim->run_head = 0;
    sim->run_len = n;
    sim->wheel_at += 1u << WHEEL_SHIFT;
}

void
sim_arm(struct sim *sim, struct sim_timer *t, uint64_t delay_us, sim_fn *fn,
        void *arg, const char *name)
{
    set_timer(sim, t, delay_us, fn, arg, name);
    if (delay_us == 0)
        lane_append(&sim->now_lane, t);
    else if (delay_us < WHEEL_MIN_US || !wheel_put(sim, t))
        heap_push(sim, t);
}

void
sim_arm_lane(struct sim *sim, struct sim_lane *lane, struct sim_timer *t,
             sim_fn *fn, void *arg, const char *name)
{
    set_timer(sim, t, lane->delay_us, fn, arg, name);
    /* The clock never goes back, so the newest timer is the latest. */
    lane_append(lane, t);
    if (lane->head == t)
        heap_push(sim, t);
}

void *
sim_lane_peek(const struct sim_lane *lane, unsigned n)
{
    const struct sim_timer *t = lane->head;

    while (t && n--)
        t = t->lnext;
    return t ? t->arg : NULL;
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

uint64_t
sim_run(struct sim *sim, uint64_t until_us, uint64_t max_events)
{
    uint64_t n = 0;
    sim->stopped = false;
    while (!sim->stopped) {
        struct sim_timer *t = sim->now_lane.head;
        const struct heap_ent *e = sim->len > 0 ? &sim->heap[0] : NULL;

        /* The earlier of the run's next and the heap's top. */
        while (sim->run_head < sim->run_len && !sim->run[sim->run_head].t)
            sim->run_head++;
        if (sim->run_head < sim->run_len &&
            (!e || before(&sim->run[sim->run_head], e)))
            e = &sim->run[sim->run_head];
        /* The now lane's head is due now; the other is due now or later:
         * it goes first only if due now and armed earlier. */
        if (!t || (e && e->when_us == t->when_us && e->order < t->order))
            t = e ? e->t : NULL;
        /* Whatever waits in the wheel is due at wheel_at or later. */
        if (sim->wheel_len > 0 && (!t || t->when_us >= sim->wheel_at)) {
            wheel_pour(sim);
            continue;
        }
        if (!t || t->when_us > until_us || (max_events && n >= max_events))
            break;
        unlink_timer(sim, t);
        assert(t->when_us >= sim->now_us);
        sim->now_us = t->when_us;
        sim->fired++;
        n++;
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
