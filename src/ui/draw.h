/*
 * What every view needs to know to draw one frame, and the small helpers the
 * views share (time and packet formatting, state colours). A struct
 * draw_view is a read-only description of the moment to show: drawing never
 * changes it, so the same view always gives the same frame.
 */
#ifndef SYNFIN_UI_DRAW_H
#define SYNFIN_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "synfin/quiz.h"
#include "synfin/scenario.h"
#include "synfin/trace.h"

/* Nothing, as an event index. */
#define DRAW_NONE UINT32_MAX

/* Quiz mode, as the frame shows it. */
struct draw_quiz {
    bool on;
    const struct quiz_item *item; /* the question shown here, or NULL */
    int number, total; /* its place among the run's questions (1-based) */
    bool answered, right;
    struct quiz_value given; /* what the student said */
    const char *input;       /* digits typed so far for a number */
    int score, nanswered;    /* right answers, answers */
    int unanswered;          /* this run's questions not answered */
    bool over;               /* at the end of the run: the final score */
};

/* What frames of the same run may keep between them (the session owns
 * it): built on first use, again when the run or the size changes. */
struct draw_cache {
    uint64_t run;             /* the run it was built for (draw_view.run) */
    struct trace_crowd crowd; /* draw_crowd's slices; ncols 0: none yet */
};

struct draw_view {
    const struct trace *trace;
    const struct scenario *scn; /* may be NULL: no title, no profile */
    uint32_t ev;     /* the current event, DRAW_NONE before the first */
    uint64_t now_us; /* the time shown: ev's, or later while playing */
    size_t step;     /* steps done, 0 = the start */
    size_t nsteps;
    bool absolute; /* absolute sequence numbers, not relative to ISN */
    bool playing;
    int speed_pct;     /* playback speed, 100 = normal */
    const char *lang;  /* "en" or "zh" */
    uint32_t selected; /* a selected packet in flight (seg id), 0 = none */
    uint32_t follow;   /* the connection followed alone, 0 = all */
    struct draw_cache *cache; /* NULL: nothing kept between frames */
    uint64_t run;             /* which run of the session this is */
    /* What-if edits, for the header. */
    int edits;           /* edits applied, 0 = the run as written */
    int loss_pct;        /* random loss added by the user, percent */
    bool delack_off;     /* delayed ACK turned off by the user */
    uint64_t msl_us;     /* MSL in force */
    const char *message; /* a transient line for the narration pane */
    struct draw_quiz quiz;
};

/* "1.250 s", "12 ms", "2 min": a duration for people. Returns buf. */
char *draw_duration(uint64_t us, char *buf, size_t size);
/* "1.250" (seconds with milliseconds): a point in time. Returns buf. */
char *draw_time(uint64_t us, char *buf, size_t size);

/* The colour role for a state. */
int draw_state_role(int state);
/* The colour role for a packet, by its flags and tags. */
int draw_seg_role(const struct seg_view *s);

/*
 * A packet's label: "SYN,ACK seq=0 ack=1", "DATA seq=1 ack=1 len=100",
 * "FIN seq=101 ack=201". The ACK flag shows as "ack=" (and in the name only
 * for SYN,ACK and a bare ACK); PSH is left out. base_seq and base_ack are
 * the ISNs that relative numbers count from (the sender's and the
 * receiver's); a number whose base is not known, or all of them when
 * absolute, prints as it is on the wire. Returns buf.
 */
char *draw_seg_label(const struct seg_view *s, bool absolute, bool has_seq,
                     uint32_t base_seq, bool has_ack, uint32_t base_ack,
                     char *buf, size_t size);
/* The packet's name alone: "SYN", "SYN,ACK", "FIN", "DATA", "ICMP"... */
char *draw_seg_name(const struct seg_view *s, char *buf, size_t size);

/* The text of the scenario's title (or file name) in lang. */
const char *draw_title(const struct draw_view *v);

/* The event at index i, or NULL. */
const struct trace_event *draw_event(const struct draw_view *v, uint32_t i);
/* The length of side's timer of this kind that expires at expiry, from
 * the TIMER_SET at or before event at that armed it; 0 if none did. */
uint64_t draw_timer_length(const struct draw_view *v, uint32_t at, int side,
                           int kind, uint64_t expiry);

#endif
