/*
 * Runs a scenario: two hosts, the network between them, the applications'
 * scripts and every TCP endpoint, on one sim. Fills a trace if given one.
 */
#ifndef SYNFIN_WORLD_H
#define SYNFIN_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "synfin/scenario.h"
#include "synfin/trace.h"

struct world_stats {
    uint64_t events;  /* sim events fired */
    uint64_t packets; /* packets put on the wire */
    uint64_t dropped;
    uint64_t tcbs_peak; /* TCBs alive at once, both hosts */
    uint64_t inflight_peak;
    uint64_t ends[2][END__COUNT]; /* [side][how] per TCB */
    uint64_t end_us;              /* simulated time at the end */
    /* States still held at the end: [side][state]. */
    uint64_t open[2][TCP__STATE_COUNT];
    /* The most TCBs in each state at once (LISTEN counts listeners), and
     * when that was first reached: [side][state]. */
    uint64_t peak[2][TCP__STATE_COUNT];
    uint64_t peak_us[2][TCP__STATE_COUNT];
    /* Socket calls that failed, [side][enum sock_call], and their errno:
     * that of every failure, or -1 if they differ. */
    uint64_t failed_calls[2][CALL__COUNT];
    int failed_errno[2][CALL__COUNT];
};

const char *conn_end_name(enum conn_end e);

/*
 * How a run ended. A run always ends: if a scenario's settings would let
 * it fire events without end (a keepalive every 0 ms, say), or fill the
 * memory with its trace, a limit stops it (docs/limits.md). The trace and
 * stats then hold what happened until that moment.
 */
enum world_end {
    WORLD_DONE,         /* nothing left to do, or duration_ms reached */
    WORLD_LIMIT_EVENTS, /* it fired as many events as it may */
    WORLD_LIMIT_STUCK,  /* the clock stopped: events at one instant, no end */
    WORLD_LIMIT_TRACE,  /* the trace grew to its memory limit */
};

struct world_limits {
    uint64_t events;       /* events in the whole run */
    uint64_t same_instant; /* events in a row with no time passing */
    uint64_t trace_bytes;  /* memory of the trace's records */
};

/* The limits of a run of s: generous for every scenario that ends. */
void world_limits_of(const struct scenario *s, struct world_limits *l);

/*
 * Run s to its end (quiescence or s->duration_us) or to a limit. trace may
 * be NULL (no recording: the fast path); stats may be NULL.
 */
enum world_end world_run(const struct scenario *s, struct trace *trace,
                         struct world_stats *stats);
/* The same with other limits (the fuzz targets run with small ones). */
enum world_end world_run_limited(const struct scenario *s, struct trace *trace,
                                 struct world_stats *stats,
                                 const struct world_limits *limits);

#endif
