/*
 * The words of the front end that teach: what each state means, what each
 * side waits for, and a sentence for any event of the trace, in English or
 * Chinese. The scenario's own notes win over the generated text.
 */
#ifndef SYNFIN_UI_NARRATE_H
#define SYNFIN_UI_NARRATE_H

#include <stddef.h>

#include "ui/draw.h"

/* True when lang asks for Chinese. */
int narrate_is_zh(const char *lang);
/* The other language: "zh" for English, "en" for Chinese. */
const char *narrate_lang_toggle(const char *lang);

/* One line: what the state means ("sent FIN, waiting for its ACK"). */
const char *narrate_state_meaning(int state, const char *lang);
/* What an endpoint in this state waits for ("the peer's FIN"). */
const char *narrate_state_waits(int state, const char *lang);
/* "app: eof": an application event beside its lifeline, in lang. */
const char *narrate_app_short(int ev, const char *lang);
/* Append to buf at *n, never past size, never cutting a character. */
void narrate_appendf(char *buf, size_t size, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A timer's name for people ("delayed-ACK", "重传"), in lang. */
const char *narrate_timer_name(int kind, const char *lang);
/* What errno err tells the application ("the peer reset the
 * connection"), in lang. */
const char *narrate_errno_meaning(int err, const char *lang);
/* "client" or "server" (or "network"), in lang. */
const char *narrate_side(int side, const char *lang);

/*
 * The narration for v's moment: the scenario's note for the current event
 * if it has one, else a generated explanation of the event and the rule
 * that fired. Before the first event: the scenario's description. Returns
 * buf.
 */
char *narrate_event(const struct draw_view *v, char *buf, size_t size);

/* Claim which of c (enum claim_which) in words, for "the note expects ...".
 * Returns buf. */
char *narrate_claim(const struct note_claims *c, int which, const char *lang,
                    char *buf, size_t size);

/* What the side that discarded segment event i did about it, read from the
 * run: nothing, an ACK, or an ACK and TIME-WAIT started again. */
enum narrate_reply { REPLY_NONE, REPLY_ACK, REPLY_ACK_RESTART };
enum narrate_reply narrate_discard_reply(const struct trace *t, uint32_t i);
/* Did the TIME-WAIT timer that fires at event i run for 2 x MSL? (Linux's
 * runs for a fixed time instead.) */
bool narrate_time_wait_is_2msl(const struct draw_view *v, uint32_t i);
/* "client waits for ...; server waits for ..." at v's moment. Returns buf. */
char *narrate_waiting(const struct draw_view *v, char *buf, size_t size);

/*
 * The engine's English strings in Chinese (narrate_rules.c): a trace
 * event's why (the rule that fired, a drop's cause) and the state diagram's
 * arc events and actions.
 */
struct narrate_rule_entry {
    const char *en, *zh;
};
const struct narrate_rule_entry *narrate_rules(size_t *n);
/* The Chinese of en, or NULL if the table lacks it. */
const char *narrate_rule_zh(const char *en);
/*
 * en in lang: its translation when lang is Chinese (also for the labels of
 * the viewer's own edits, "dropped by you (edit 2)", written into buf), else
 * en itself. NULL stays NULL.
 */
const char *narrate_rule(const char *en, const char *lang, char *buf,
                         size_t size);
/*
 * An event's why in v's language: a scenario rule's own label in Chinese
 * when the scenario gives one ("label": {"en", "zh"}), else narrate_rule.
 */
const char *narrate_why(const struct draw_view *v, const char *en, char *buf,
                        size_t size);

#endif
