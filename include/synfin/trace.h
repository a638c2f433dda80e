/*
 * The trace: an append-only record of everything the engine did. It is the
 * model that the UI, the exporters and the tests read; nothing reads the
 * engine's live state. Both ends of an event's connection can be seen as
 * they were after it (trace_view), so stepping back is re-rendering an
 * earlier event.
 *
 * Events live in chunks that never move, so a pointer from trace_at stays
 * good while the trace grows. The endpoint snapshots are not in the events:
 * an event names one record per side in a pool of snapshots, and a record
 * holds only the fields that changed since the one before it on the same
 * endpoint, with a full record (a keyframe) every few; see trace_view.c.
 */
#ifndef SYNFIN_TRACE_H
#define SYNFIN_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "synfin/tcp.h"

enum trace_side {
    SIDE_CLIENT,
    SIDE_SERVER,
    SIDE_NET, /* a router or the link itself */
};

enum trace_kind {
    TRACE_CALL,         /* a socket call and its result */
    TRACE_APP,          /* the application is told something */
    TRACE_SEND,         /* a packet leaves a host (or a router, for ICMP) */
    TRACE_ARRIVE,       /* a packet is delivered to a host */
    TRACE_DROP,         /* the network lost a packet; why = cause */
    TRACE_DISCARD,      /* TCP received and ignored or rejected a segment */
    TRACE_STATE,        /* a = from, b = to, why = the rule that fired */
    TRACE_TIMER_SET,    /* a = timer kind, n = expiry time (us) */
    TRACE_TIMER_FIRE,   /* a = timer kind */
    TRACE_TIMER_CANCEL, /* a = timer kind */
    TRACE_NOTE,         /* narration from the scenario */
    TRACE__KIND_COUNT
};

/* Tags on a packet, for the reader; the wire does not carry them. */
enum {
    SEG_RETX = 0x01,      /* a retransmission */
    SEG_KEEPALIVE = 0x02, /* a keepalive probe */
    SEG_DUP = 0x04,       /* a copy the network made */
    SEG_ICMP = 0x08,      /* ICMP Time Exceeded, not TCP */
    SEG_HELD = 0x10,      /* held back by a scenario rule */
    SEG_TLP = 0x20,       /* a Linux tail-loss probe (also SEG_RETX when it
                             sends old data again) */
    SEG_INJECTED = 0x40,  /* crafted by the scenario ("inject"), not sent
                             by the sender's TCP */
};

/* A packet as it was at the moment of the event. */
struct seg_view {
    uint32_t id;      /* links SEND, ARRIVE and DROP; dups get their own */
    uint32_t orig_id; /* for SEG_DUP: the id copied; for ICMP: the id quoted */
    uint32_t saddr, daddr; /* IPv4, host order */
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint32_t len; /* payload bytes */
    uint16_t wnd;
    uint8_t flags; /* TCP_SYN etc. */
    uint8_t tags;  /* SEG_RETX etc. */
    uint8_t ttl;   /* at this event */
    uint8_t hops;  /* routers passed */
    uint8_t from;  /* enum trace_side of the sender */
    uint8_t retx;  /* retransmission count, 0 for the first copy */
    bool ts;       /* carries the timestamps option (RFC 7323) */
    uint32_t tsval, tsecr;
    uint64_t sent_us; /* first put on the wire: age = t - sent_us */
    uint64_t due_us;  /* SEND: when it will arrive or be dropped */
};

/* One endpoint's TCB as it was after the event. */
struct tcb_view {
    uint8_t state; /* enum tcp_state; CLOSED when there is no TCB */
    bool exists;
    bool rd_open, wr_open; /* each direction: can data still flow? */
    bool orphan;           /* the application has closed the socket */
    uint8_t backoff;       /* retransmissions of the current segment */
    uint16_t lport, rport;
    uint32_t iss, irs;
    uint32_t snd_una, snd_nxt, snd_wnd;
    uint32_t rcv_nxt, rcv_wnd;
    uint32_t unsent; /* bytes written by the app, not yet sent */
    uint32_t unread; /* bytes received, not yet read by the app */
    uint64_t timer_us[TIMER__COUNT]; /* expiry time, 0 = not running */
};

/* Text in both languages; zh may be NULL (fall back to en). */
struct i18n {
    char *en;
    char *zh;
};

/* Marks on an event, for readers that want to highlight them. */
enum {
    TRACE_F_WHATIF = 0x1,  /* a what-if variant made this happen */
    TRACE_F_STALE = 0x2,   /* APP data: bytes an earlier incarnation sent */
    TRACE_F_BACKOFF = 0x4, /* TIMER_SET of RTX: the RTO was doubled (not by
                              Linux's first, linear SYN timeouts) */
    TRACE_F_UNTRUE = 0x8,  /* NOTE: a claim of the note does not hold in
                              this run (b = which, enum claim_which) */
};

struct trace_event {
    uint64_t t_us;
    uint32_t idx;            /* position in the trace */
    uint8_t kind;            /* enum trace_kind */
    uint8_t side;            /* enum trace_side */
    uint8_t flags;           /* TRACE_F_* */
    uint32_t conn;           /* connection number, 1-based; 0 = not one */
    int32_t a, b;            /* kind-specific, see enum trace_kind and below */
    int64_t n;               /* kind-specific number */
    const char *why;         /* static string: rule, cause or detail */
    const struct i18n *note; /* TRACE_NOTE: owned by the scenario */
    struct seg_view seg;     /* packet kinds */
    uint32_t view[2];        /* each side's snapshot, for trace_view */
};
/*
 * TRACE_STATE: n = enum conn_end when b is CLOSED: how the TCB ended.
 * TRACE_CALL: a = enum sock_call, b = result (0 or an errno value),
 *             n = bytes (send/recv) or port; why = detail ("SO_LINGER=0").
 * TRACE_APP:  a = enum app_event, b = errno for errors, n = bytes.
 * TRACE_TIMER_*: a = enum tcp_timer_kind, b = backoff count,
 *             n = expiry time for SET.
 */

#define TRACE_CHUNK_SHIFT  14 /* 16384 events a chunk */
#define TRACE_CHUNK_EVENTS ((size_t)1 << TRACE_CHUNK_SHIFT)

/* The pool of endpoint snapshots (src/trace/trace_view.c). */
struct trace_views {
    uint8_t **chunk;
    size_t nchunks, cap;
    size_t used; /* bytes used in the last chunk */
};

struct trace {
    struct trace_event **chunk; /* of TRACE_CHUNK_EVENTS each */
    size_t nchunks, cap;
    size_t len; /* events */
    struct trace_views views;
};

void trace_init(struct trace *t);
void trace_free(struct trace *t);
/* A zeroed event at the end, idx filled in; both sides see no TCB. The
 * pointer stays good until the trace is freed. */
struct trace_event *trace_push(struct trace *t);
/* Memory the trace holds, in bytes. */
size_t trace_bytes(const struct trace *t);

/* Event i (< t->len). */
static inline const struct trace_event *
trace_at(const struct trace *t, size_t i)
{
    return &t->chunk[i >> TRACE_CHUNK_SHIFT][i & (TRACE_CHUNK_EVENTS - 1)];
}
/* The same, to mark it (notes' claims, tests). */
static inline struct trace_event *
trace_at_mut(struct trace *t, size_t i)
{
    return &t->chunk[i >> TRACE_CHUNK_SHIFT][i & (TRACE_CHUNK_EVENTS - 1)];
}

/* Side side (SIDE_CLIENT or SIDE_SERVER) of e's connection as it was after
 * e, e an event of t. */
struct tcb_view trace_view(const struct trace *t, const struct trace_event *e,
                           int side);

/*
 * Writing snapshots. A chain is one endpoint's run of snapshots: each new
 * one is stored as what changed since the chain's last, so a chain should
 * follow one TCB. trace_view_put returns the reference to put in an
 * event's view[side]; the same one again when nothing changed.
 */
struct trace_view_chain {
    uint32_t ref;  /* the last snapshot put, 0 = none */
    uint8_t since; /* snapshots since the last keyframe */
    struct tcb_view last;
};
uint32_t trace_view_put(struct trace *t, struct trace_view_chain *c,
                        const struct tcb_view *v);

/* Does event e match m (ignoring m->nth, which counts matches)? Scenario
 * notes and quiz questions are attached to events with it. */
struct note_match;
bool trace_event_matches(const struct note_match *m,
                         const struct trace_event *e);

/*
 * The claims of notes (src/trace/trace_claim.c). Each check is one of these,
 * in this order; a note's first failing check is what a reader reports.
 */
enum claim_which {
    CLAIM_AT,
    CLAIM_TIMER,
    CLAIM_TIMER_MSL,
    CLAIM_RETX,
    CLAIM_ACKS_FIN,
    CLAIM_SEQ,
    CLAIM_ACK,
    CLAIM_ERRNO,
    CLAIM_STATE_CLIENT,
    CLAIM_STATE_SERVER,
    CLAIM_CLOSE_SEGMENTS,
    CLAIM_PATTERN, /* + the pattern's index */
};
struct note_claims;
/* The first claim of c that is false of event at of t, or -1 if all hold;
 * msl_us is the MSL of the run. */
int trace_claims_check(const struct trace *t, size_t at,
                       const struct note_claims *c, uint64_t msl_us);
/* Mark every note of t whose claims are false (TRACE_F_UNTRUE, b); the
 * scenario is the one t is a run of. Called when a run ends. */
struct scenario;
void trace_check_notes(struct trace *t, const struct scenario *scn);
/* How many notes t shows marked as not holding. */
size_t trace_untrue_notes(const struct trace *t);
/* Does the segment of packet event e acknowledge the FIN its sender has
 * received? Its receive side is shut by that FIN, and RCV.NXT is past it. */
bool trace_seg_acks_fin(const struct trace *t, const struct trace_event *e);
/* The segments of the close of connection conn (0: of the whole run): the
 * FINs and pure ACKs from the first FIN on, without retransmissions and
 * keepalives. -1 if no FIN was sent. */
int64_t trace_close_segments(const struct trace *t, uint32_t conn);
/* The key of claim which in "holds" ("state.client"; "pattern" for one
 * of same_time, earlier, later, never and count). */
const char *trace_claim_name(int which);
/* The same, exact: "same_time[1]" for a pattern. Returns buf. */
char *trace_claim_key(const struct note_claims *c, int which, char *buf,
                      size_t size);
/* The length of the timer of kind that side armed at or before event at to
 * expire at expiry, in connection conn (0: any); 0 if none did. */
uint64_t trace_timer_armed(const struct trace *t, size_t at, uint32_t conn,
                           int side, int kind, uint64_t expiry);
/* The length of the timer that side's TIMER_SET or TIMER_FIRE of kind at
 * event at stands for: from the TIMER_SET that armed it; 0 if none did. */
uint64_t trace_timer_length(const struct trace *t, size_t at);
/* side's state at the end of event at's instant, in at's connection: an
 * arriving segment is processed at the time of its ARRIVE, after it. */
int trace_state_after_instant(const struct trace *t, size_t at, int side);

/*
 * How many connections are in each state on each side, event by event:
 * the crowd's numbers (--counts, and --summary's peaks, which the engine
 * counts the same way). Start zeroed, then step through the trace. CLOSED
 * is not counted; a passive TCB's first move, out of LISTEN, is not
 * counted out of it, so LISTEN counts listeners.
 */
struct state_counts {
    int64_t n[2][TCP__STATE_COUNT]; /* [side][state] */
};
void state_counts_step(struct state_counts *c, const struct trace_event *e);

/*
 * The crowd over the run, for a chart: the run's span cut into ncols
 * slices of time and, for each slice, the most connections each side had
 * in each state during it; and each state's peak over the run, with when it
 * was first reached.
 */
struct trace_crowd {
    int ncols;
    uint64_t span_us;                     /* the run's length */
    int64_t (*most)[2][TCP__STATE_COUNT]; /* [col][side][state] */
    int64_t peak[2][TCP__STATE_COUNT];
    uint64_t peak_us[2][TCP__STATE_COUNT];
    /* So that the counts at any event cost a slice, not the run: each
     * slice's first event, and the counts before it. */
    size_t *first;               /* [col] */
    struct state_counts *before; /* [col] */
};
/* Returns 0, or -1 (out of memory, or ncols < 1). */
int trace_crowd_build(struct trace_crowd *k, const struct trace *t, int ncols);
/* The slice that holds time t_us. */
int trace_crowd_col(const struct trace_crowd *k, uint64_t t_us);
/* The counts after event at of t, the trace k was built from. */
void trace_crowd_at(const struct trace_crowd *k, const struct trace *t,
                    size_t at, struct state_counts *c);
void trace_crowd_free(struct trace_crowd *k);

/* A run of at least this many connections is shown as a crowd (the state
 * counts over time) rather than on one ladder: by the viewer when it
 * opens, and by --svg. */
#define TRACE_CROWD_CONNS 8
/* The highest connection number of the run: how many connections it has. */
uint32_t trace_conn_max(const struct trace *t);

/* How a TCB ended: in its STATE event to CLOSED, --summary and bench. */
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

/*
 * The run's connections (numbers 1 and up), for a list to pick one from:
 * each one's ports, its state at event at (UINT32_MAX: before the first
 * event) and how it ended by the end of the run.
 */

struct trace_conn {
    uint32_t conn;
    uint16_t port[2];           /* [side]; 0 if no segment says */
    uint32_t first_ev, last_ev; /* its first and last events */
    bool started;               /* it has an event at or before at */
    /* Per side: */
    uint8_t now[2];     /* enum tcp_state after event at */
    uint8_t last[2];    /* enum tcp_state at the end of the run */
    uint8_t end[2];     /* enum conn_end; END__COUNT: it never had a TCB */
    uint64_t end_us[2]; /* when it went to CLOSED */
    int err[2];         /* what its application was told, or connect()'s
                           failure; 0 if nothing */
};
/* Returns how many; *out (free it) holds them in the order of their
 * numbers. */
size_t trace_conns(const struct trace *t, uint32_t at, struct trace_conn **out);

const char *trace_kind_name(enum trace_kind k);
int trace_kind_parse(const char *name);
const char *trace_side_name(enum trace_side s);

/* Errno names used by the trace ("ECONNRESET"); "0" for 0. */
const char *trace_errno_name(int err);

/* One line per event, the golden format. Returns 0 or -1 on I/O error. */
int trace_write_text(const struct trace *t, FILE *out);
/* JSON Lines, documented in docs/trace-format.md. */
int trace_write_json(const struct trace *t, FILE *out);
/* A TRACE_CALL as "connect() = 0 (port 40000)". Returns buf. */
char *trace_format_call(const struct trace_event *e, char *buf, size_t size);
/* s with its control characters (C0, DEL, C1) as visible escapes, so that
 * text from a scenario cannot drive a terminal. Returns buf. */
char *trace_escape(const char *s, char *buf, size_t size);
/* One event as text, without newline, into buf, escaped. Returns buf. */
char *trace_format_event(const struct trace_event *e, char *buf, size_t size);

#endif
