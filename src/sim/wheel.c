/*
 * The timer wheel's rarer steps (what and why: wheel.h): pouring a slot
 * into the run and sorting it, once a slot, and tearing down. What runs
 * once an event (arming into a slot, taking a timer out, the run's next)
 * is inline in wheel.h.
 */
#include "sim/wheel.h"

#include "base/xalloc.h"
#include <assert.h>
#include <stdlib.h>

/*
 * Sort a slot's n entries by time, stably (equal times keep their order),
 * all due in [base, base + 512 us): an insertion sort for a few, else two
 * counting passes on the offset from base, the low 5 bits then the high 4.
 * A slot's list is in arming order, so this sorts it by (time, order).
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
run_grow(struct timer_wheel *w)
{
    uint32_t cap = w->run_cap ? 2 * w->run_cap : 64;
    w->run = xreallocarray(w->run, cap, sizeof *w->run);
    w->run_tmp = xreallocarray(w->run_tmp, cap, sizeof *w->run_tmp);
    w->run_cap = cap;
}

void
wheel_pour(struct timer_wheel *w)
{
    struct sim_lane *l = &w->slots[(w->at >> WHEEL_SHIFT) % WHEEL_SLOTS];
    struct sim_timer *t;
    struct heap_ent *run = w->run;
    uint32_t n = 0;

    assert(w->run_head == w->run_len);
    /* One walk down the slot's list: its timers sit in packets and TCBs
     * all over memory, so each step is a likely cache miss. */
    while ((t = l->head)) {
        if (n == w->run_cap) {
            run_grow(w);
            run = w->run;
        }
        l->head = t->lnext;
        t->lane = NULL;
        t->lprev = t->lnext = NULL;
        run[n++] = heap_entry(t);
    }
    run_sort(run, w->run_tmp, n, w->at);
    for (uint32_t i = 0; i < n; i++) {
        run[i].t->in_run = true;
        run[i].t->heap_idx = i + 1;
    }
    l->tail = NULL;
    w->len -= n;
    w->run_head = 0;
    w->run_len = n;
    w->at += 1u << WHEEL_SHIFT;
}

void
wheel_destroy(struct timer_wheel *w)
{
    for (int s = 0; s < WHEEL_SLOTS; s++)
        for (struct sim_timer *t = w->slots[s].head; t; t = t->lnext)
            t->armed = false;
    for (uint32_t i = w->run_head; i < w->run_len; i++)
        if (w->run[i].t) {
            w->run[i].t->armed = false;
            w->run[i].t->in_run = false;
            w->run[i].t->heap_idx = 0;
        }
    free(w->run);
    free(w->run_tmp);
    w->run = w->run_tmp = NULL;
}
