/*
 * Quiz questions answered by the run itself. A question is asked right
 * after the trace event its `when` matches; its answer is read from the
 * trace (the state after that event, the next segment a side sends, who
 * goes through TIME-WAIT...), never from the scenario file.
 */
#ifndef SYNFIN_QUIZ_H
#define SYNFIN_QUIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "synfin/scenario.h"
#include "synfin/trace.h"

enum quiz_value_kind {
    QV_STATE, /* enum tcp_state */
    QV_FLAGS, /* SYN, FIN, RST, ACK bits (PSH ignored) */
    QV_NUMBER,
    QV_SIDES,  /* bit 0 client, bit 1 server: 0 = neither, 3 = both */
    QV_CHOICE, /* QUIZ_CHOICE: the index of a choice, from 0 */
};

struct quiz_value {
    enum quiz_value_kind kind;
    int64_t v;
};

struct quiz_item {
    const struct quiz_question *q;
    size_t at;  /* the trace event the question follows */
    bool known; /* the run answers it (a next segment exists...) */
    struct quiz_value answer;
    /* The first claim of the question's "holds" that is false in this run
     * (enum claim_which), or -1: the scenario's explanation is true. */
    int untrue;
};

/*
 * Place the scenario's questions in trace t and work out their answers.
 * items must hold s->nquiz; returns how many were placed, in trace order.
 * A question whose event never happens is left out.
 */
size_t quiz_prepare(const struct scenario *s, const struct trace *t,
                    struct quiz_item *items);

/* Up to max choices (one of them the answer), in a fixed order; 0 when the
 * answer is a number to type in. */
int quiz_choices(const struct quiz_item *it, struct quiz_value *choices,
                 int max);

bool quiz_equal(const struct quiz_value *a, const struct quiz_value *b);

/* "CLOSE-WAIT", "FIN,ACK", "101", "both", "2" (a choice's number).
 * Returns buf. */
char *quiz_value_str(const struct quiz_value *v, char *buf, size_t size);
/* v as the student reads it in lang ("en" or "zh"): a choice's own text,
 * "双方都会" for both sides in Chinese, else quiz_value_str. Returns buf. */
char *quiz_value_text(const struct quiz_item *it, const struct quiz_value *v,
                      const char *lang, char *buf, size_t size);

/*
 * The explanation of item it computed from trace t, a run of s, in lang
 * (src/quiz/quiz_explain.c): the answer with the run's own evidence, the
 * segments of the close, the event that put a side in its state, how a
 * number is made up, who closed first. For a QUIZ_CHOICE, the answer.
 * Never longer than one paragraph. Returns buf.
 */
char *quiz_explain(const struct scenario *s, const struct trace *t,
                   const struct quiz_item *it, const char *lang, char *buf,
                   size_t size);
/*
 * The line shown instead of the scenario's explanation when its "holds"
 * fail: it does not apply to this run, or (edited: a what-if edit, a --set
 * or a --seed) no longer applies after the edit. In lang.
 */
const char *quiz_untrue_line(const char *lang, bool edited);
/* "See it happen: synfin scenarios/NAME.json", for the text quiz: the demo
 * of it's question as a command, its file beside the scenario at path (or
 * the bare name when path has no directory). "" without a demo. */
char *quiz_demo_command(const struct quiz_item *it, const char *path,
                        const char *lang, char *buf, size_t size);

/*
 * Read an answer typed by a student: a choice number (1-based, if
 * choices are given) or the value itself ("close_wait", "fin,ack", "101",
 * "server"). False when it cannot be read.
 */
bool quiz_parse(const struct quiz_item *it, const char *text,
                const struct quiz_value *choices, int nchoices,
                struct quiz_value *out);

#endif
