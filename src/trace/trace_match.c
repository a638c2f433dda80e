/*
 * Matching trace events against the patterns scenarios attach notes and
 * quiz questions to ("the client's second FIN", "the server enters
 * TIME-WAIT"). The engine uses it while recording, the quiz on a finished
 * trace.
 */
#include "synfin/scenario.h"
#include "synfin/trace.h"

bool
trace_event_matches(const struct note_match *m, const struct trace_event *e)
{
    bool pkt = e->kind == TRACE_SEND || e->kind == TRACE_ARRIVE ||
               e->kind == TRACE_DROP || e->kind == TRACE_DISCARD;
    bool timer = e->kind == TRACE_TIMER_SET || e->kind == TRACE_TIMER_FIRE ||
                 e->kind == TRACE_TIMER_CANCEL;

    if (m->kind >= 0 && m->kind != e->kind)
        return false;
    if (m->side >= 0 && m->side != e->side)
        return false;
    if (m->state >= 0 && !(e->kind == TRACE_STATE && e->b == m->state))
        return false;
    if (m->from_state >= 0 &&
        !(e->kind == TRACE_STATE && e->a == m->from_state))
        return false;
    if (m->flags_all && !(pkt && (e->seg.flags & m->flags_all) == m->flags_all))
        return false;
    if (m->flags_none && !(pkt && (e->seg.flags & m->flags_none) == 0))
        return false;
    if (m->tags_all && !(pkt && (e->seg.tags & m->tags_all) == m->tags_all))
        return false;
    if (m->timer >= 0 && !(timer && e->a == m->timer))
        return false;
    if (m->call >= 0 && !(e->kind == TRACE_CALL && e->a == m->call))
        return false;
    if (m->app >= 0 && !(e->kind == TRACE_APP && e->a == m->app))
        return false;
    return true;
}
