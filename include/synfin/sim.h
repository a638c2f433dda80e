/*
 * The discrete-event core: a virtual clock in integer microseconds, timers
 * that fire in order of (time, insertion counter), and seeded random
 * streams. It knows nothing of TCP. There is no global state: a process may
 * hold any number of sims.
 */
#ifndef SYNFIN_SIM_H
#define SYNFIN_SIM_H

#include <stdbool.h>
#include <stdint.h>

struct sim;
typedef void sim_fn(struct sim *sim, void *arg);

/*
 * A timer is embedded in whatever owns it (a TCB, a segment in flight), so
 * arming one allocates nothing. Fields are private to src/sim/. The callback
 * and name are kept once per sim as a "kind" (a TCB has five timers, and
 * a million TCBs may wait in TIME-WAIT: every byte here counts).
 */
struct sim_timer {
    uint64_t when_us;
    uint64_t order;    /* insertion counter: equal times fire in order */
    uint32_t heap_idx; /* 0 when not armed or not a lane's head, else idx+1 */
    bool armed;
    bool in_run;  /* heap_idx is a place in the sim's run, not its heap */
    uint8_t kind; /* the sim's (fn, name) pair for this timer */
    void *arg;
    struct sim_lane *lane;           /* NULL: in the heap on its own */
    struct sim_timer *lprev, *lnext; /* FIFO neighbours in the lane */
};

/*
 * Called as one of a lane's timers is about to fire, with the args of the
 * lane's next two timers (NULL where there is none). A hint for the lane's
 * owner, never needed for correctness: see sim_lane.
 */
typedef void sim_prefetch_fn(const void *next, const void *after_next);

/*
 * A lane holds timers that are always armed with one fixed delay (the
 * TIME-WAIT or delayed-ACK time). Such timers expire in the order they
 * were armed, so a FIFO keeps them sorted and only its head needs to be in
 * the heap: with 100,000 connections in TIME-WAIT the heap stays small.
 * Firing order is exactly what one big heap would give.
 *
 * Lane timers wait long, and what they touch is cold when they fire. The
 * owner may set prefetch; the sim calls it just before each of the lane's
 * timers fires (not when one is cancelled), with the next two timers
 * already loaded. The owner can start loading after_next's memory, and
 * follow pointers in next's, which was after_next one firing earlier.
 */
struct sim_lane {
    uint64_t delay_us;
    struct sim_timer *head, *tail; /* private to src/sim/ */
    sim_prefetch_fn *prefetch;     /* NULL: none */
};

/*
 * Independent random streams, so that a change to one link's loss rate does
 * not shift the jitter or ISN draws. Each stream is its own xoshiro256**.
 */
enum rng_stream {
    RNG_LOSS_C2S,
    RNG_LOSS_S2C,
    RNG_JITTER_C2S,
    RNG_JITTER_S2C,
    RNG_DUP_C2S,
    RNG_DUP_S2C,
    RNG_RULE,
    RNG_ISN,
    RNG__COUNT
};

struct sim *sim_new(uint64_t seed);
void sim_free(struct sim *sim);

uint64_t sim_now(const struct sim *sim);
/* Events fired so far. */
uint64_t sim_events(const struct sim *sim);
/* Timers armed now. */
uint32_t sim_pending(const struct sim *sim);

/* Arm (or re-arm) t to call fn(arg) delay_us from now. */
void sim_arm(struct sim *sim, struct sim_timer *t, uint64_t delay_us,
             sim_fn *fn, void *arg, const char *name);
void sim_cancel(struct sim *sim, struct sim_timer *t);
/* Arm t in lane: it fires lane->delay_us from now. */
void sim_arm_lane(struct sim *sim, struct sim_lane *lane, struct sim_timer *t,
                  sim_fn *fn, void *arg, const char *name);

static inline bool
sim_armed(const struct sim_timer *t)
{
    return t->armed;
}

/* When t is due, if armed (else when it was last due). */
static inline uint64_t
sim_timer_due(const struct sim_timer *t)
{
    return t->when_us;
}

/* The name t was last armed with (NULL if never armed). */
const char *sim_timer_name(const struct sim *sim, const struct sim_timer *t);

/*
 * Fire events in order until none is left, the next is later than until_us,
 * or max_events have fired (0 = no limit). Returns the number fired.
 */
uint64_t sim_run(struct sim *sim, uint64_t until_us, uint64_t max_events);

/*
 * Call fn(sim, arg) after every event sim_run fires (NULL: nothing), so an
 * owner can tidy up between events without running them one per call.
 */
void sim_after_each(struct sim *sim, sim_fn *fn, void *arg);

/* Stop sim_run after the event being fired. */
void sim_stop(struct sim *sim);

uint64_t sim_rand(struct sim *sim, enum rng_stream s);
/* Uniform in [0, 1). */
double sim_rand_unit(struct sim *sim, enum rng_stream s);

#endif
