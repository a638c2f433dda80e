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
    QV_SIDES, /* bit 0 client, bit 1 server: 0 = neither, 3 = both */
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

/* "CLOSE-WAIT", "FIN,ACK", "101", "both". Returns buf. */
char *quiz_value_str(const struct quiz_value *v, char *buf, size_t size);

/*
 * Read an answer typed by a student: a choice number (1-based, if
 * choices are given) or the value itself ("close_wait", "fin,ack", "101",
 * "server"). False when it cannot be read.
 */
bool quiz_parse(const struct quiz_item *it, const char *text,
                const struct quiz_value *choices, int nchoices,
                struct quiz_value *out);

#endif
