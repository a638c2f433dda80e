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

/* How connections ended, for summaries and the benchmark. */
enum conn_end {
    END_CLOSED,  /* orderly close, TIME-WAIT done */
    END_RESET,   /* a RST ended it */
    END_TIMEOUT, /* a retry limit or keepalive gave up */
    END_ABORTED, /* the application aborted (RST sent) */
    END_ORPHAN,  /* Linux dropped an orphan (tcp_fin_timeout) */
    END_CRASHED, /* its host crashed */
    END_REFUSED, /* never established: refused or no port */
    END_OPEN,    /* still open when the run stopped */
    END__COUNT
};

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
    /* Socket calls that failed, [side][enum sock_call], and their errno:
     * that of every failure, or -1 if they differ. */
    uint64_t failed_calls[2][CALL__COUNT];
    int failed_errno[2][CALL__COUNT];
};

const char *conn_end_name(enum conn_end e);

/*
 * Run s to its end (quiescence or s->duration_us). trace may be NULL (no
 * recording: the fast path); stats may be NULL.
 */
void world_run(const struct scenario *s, struct trace *trace,
               struct world_stats *stats);

#endif
