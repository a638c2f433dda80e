/*
 * The walk over the keys that attach text to a run: "notes" and "quiz",
 * and the "when" pattern both use to pick a trace event. Called by
 * walk_scenario (scenario_walk.c); see docs/scenario-format.md.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "scenario_private.h"

static const char *const side_names[] = {
    [SIDE_CLIENT] = "client", [SIDE_SERVER] = "server", [SIDE_NET] = "net"};

/* Which kinds a "when" field may go with; the error lists them. */
static bool
kind_allows(struct ctx *c, const struct jpath *q, int kind, const int *kinds,
            size_t n, bool any_ok)
{
    char list[160];
    size_t len = 0;

    if (kind < 0 && any_ok)
        return true;
    for (size_t i = 0; i < n; i++)
        if (kinds[i] == kind)
            return true;
    list[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s\"%s\"",
                                i == 0       ? ""
                                : i + 1 == n ? " or "
                                             : ", ",
                                trace_kind_name((enum trace_kind)kinds[i]));
    return verr(c, q, NULL, AT_VALUE, "only allowed with \"kind\": %s%s", list,
                any_ok ? " (or without \"kind\")" : "");
}

static bool
v_when(struct ctx *c, const struct jpath *p, struct note_match *w)
{
    static const char *const keys[] = {
        "kind",  "side", "state", "from_state", "flags", "not_flags",
        "timer", "call", "event", "tags",       "nth",   NULL};
    static const int k_state[] = {TRACE_STATE};
    static const int k_timer[] = {TRACE_TIMER_SET, TRACE_TIMER_FIRE,
                                  TRACE_TIMER_CANCEL};
    static const int k_call[] = {TRACE_CALL};
    static const int k_app[] = {TRACE_APP};
    static const int k_packet[] = {TRACE_SEND, TRACE_ARRIVE, TRACE_DROP,
                                   TRACE_DISCARD};
    const char *states[TCP__STATE_COUNT], *timers[TIMER__COUNT],
        *calls[CALL__COUNT], *events[EV__COUNT], *kinds[TRACE__KIND_COUNT];
    struct jpath q;

    for (int i = 0; i < TRACE__KIND_COUNT; i++)
        kinds[i] = trace_kind_name((enum trace_kind)i);

    for (int i = 0; i < TCP__STATE_COUNT; i++)
        states[i] = tcp_state_name((enum tcp_state)i);
    for (int i = 0; i < TIMER__COUNT; i++)
        timers[i] = tcp_timer_name((enum tcp_timer_kind)i);
    for (int i = 0; i < CALL__COUNT; i++)
        calls[i] = sock_call_name((enum sock_call)i);
    for (int i = 0; i < EV__COUNT; i++)
        events[i] = i == EV_NONE ? NULL : app_event_name((enum app_event)i);

    if (!check_object(c, p, keys) ||
        !get_enum(c, p, "kind", "kind", kinds, TRACE__KIND_COUNT,
                  trace_kind_parse, &w->kind) ||
        !get_enum(c, p, "side", "side", side_names, 3, NULL, &w->side))
        return false;
    if (child(p, "state", &q) &&
        (!kind_allows(c, &q, w->kind, k_state, 1, false) ||
         !enum_at(c, &q, "state", states, TCP__STATE_COUNT, tcp_state_parse,
                  &w->state)))
        return false;
    if (child(p, "from_state", &q) &&
        (!kind_allows(c, &q, w->kind, k_state, 1, false) ||
         !enum_at(c, &q, "state", states, TCP__STATE_COUNT, tcp_state_parse,
                  &w->from_state)))
        return false;
    if (child(p, "flags", &q) &&
        (!kind_allows(c, &q, w->kind, k_packet, 4, true) ||
         !flags_at(c, &q, &w->flags_all)))
        return false;
    if (child(p, "not_flags", &q)) {
        char buf[24];
        if (!kind_allows(c, &q, w->kind, k_packet, 4, true) ||
            !flags_at(c, &q, &w->flags_none))
            return false;
        if (w->flags_all & w->flags_none)
            return verr(c, &q, NULL, AT_VALUE,
                        "\"%s\" is also in \"flags\" (no packet can match "
                        "both)",
                        tcp_flags_str(w->flags_all & w->flags_none, buf));
    }
    if (child(p, "timer", &q) &&
        (!kind_allows(c, &q, w->kind, k_timer, 3, false) ||
         !enum_at(c, &q, "timer", timers, TIMER__COUNT, tcp_timer_parse,
                  &w->timer)))
        return false;
    if (child(p, "call", &q) &&
        (!kind_allows(c, &q, w->kind, k_call, 1, false) ||
         !enum_at(c, &q, "call", calls, CALL__COUNT, sock_call_parse,
                  &w->call)))
        return false;
    if (child(p, "event", &q) &&
        (!kind_allows(c, &q, w->kind, k_app, 1, false) ||
         !enum_at(c, &q, "event", events, EV__COUNT, app_event_parse, &w->app)))
        return false;
    if (child(p, "tags", &q) &&
        (!kind_allows(c, &q, w->kind, k_packet, 4, true) ||
         !tags_at(c, &q, &w->tags_all)))
        return false;
    return get_u32(c, p, "nth", 1, UINT32_MAX, &w->nth);
}

static void
when_init(struct note_match *w)
{
    memset(w, 0, sizeof *w);
    w->kind = w->side = w->state = -1;
    w->from_state = w->timer = w->call = -1;
    w->app = -1;
    w->nth = 1;
}

bool
walk_notes(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    static const char *const keys[] = {"when", "text", NULL};
    struct jpath p, q;
    size_t i = 0;
    char g[96];

    if (!child(root, "notes", &p))
        return true;
    if (!cJSON_IsArray(p.node))
        return verr(c, &p, NULL, AT_VALUE, "expected an array, got %s",
                    got(p.node, g, sizeof g));
    s->nnotes = (size_t)cJSON_GetArraySize(p.node);
    s->notes = xcalloc(s->nnotes, sizeof *s->notes);
    for (const cJSON *m = p.node->child; m; m = m->next, i++) {
        struct jpath np = {&p, m, NULL, i};
        struct scenario_note *n = &s->notes[i];

        when_init(&n->when);
        line_col_of(c, &np, &n->when.line, &n->when.col);
        if (!check_object(c, &np, keys) || !require(c, &np, "text"))
            return false;
        if (child(&np, "when", &q) && !v_when(c, &q, &n->when))
            return false;
        child(&np, "text", &q);
        if (!i18n_at(c, &q, &n->text))
            return false;
    }
    return true;
}

/* "quiz": questions whose answers the run itself gives. */
bool
walk_quiz(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    static const char *const keys[] = {"when",     "ask",     "side",
                                       "question", "explain", NULL};
    static const char *const sides[] = {"client", "server"};
    const char *asks[QUIZ__COUNT];
    struct jpath p, q;
    size_t i = 0;
    char g[96];

    for (int k = 0; k < QUIZ__COUNT; k++)
        asks[k] = quiz_ask_name((enum quiz_ask)k);
    if (!child(root, "quiz", &p))
        return true;
    if (!cJSON_IsArray(p.node))
        return verr(c, &p, NULL, AT_VALUE, "expected an array, got %s",
                    got(p.node, g, sizeof g));
    s->nquiz = (size_t)cJSON_GetArraySize(p.node);
    s->quiz = xcalloc(s->nquiz, sizeof *s->quiz);
    for (const cJSON *m = p.node->child; m; m = m->next, i++) {
        struct jpath qp = {&p, m, NULL, i};
        struct quiz_question *k = &s->quiz[i];
        int ask = -1;
        bool sided;

        when_init(&k->when);
        line_col_of(c, &qp, &k->when.line, &k->when.col);
        k->side = -1;
        if (!check_object(c, &qp, keys) || !require(c, &qp, "when") ||
            !require(c, &qp, "ask") || !require(c, &qp, "question") ||
            !require(c, &qp, "explain"))
            return false;
        child(&qp, "when", &q);
        if (!v_when(c, &q, &k->when) ||
            !get_enum(c, &qp, "ask", "question kind", asks, QUIZ__COUNT, NULL,
                      &ask))
            return false;
        k->ask = (enum quiz_ask)ask;
        sided = k->ask != QUIZ_TIME_WAIT && k->ask != QUIZ_CLOSE_SEGMENTS;
        if (sided && !require(c, &qp, "side"))
            return false;
        if (child(&qp, "side", &q)) {
            if (!sided)
                return verr(c, &q, NULL, AT_KEY,
                            "not used by \"ask\": \"%s\" (it asks about "
                            "both sides)",
                            asks[ask]);
            if (!enum_at(c, &q, "side", sides, 2, NULL, &k->side))
                return false;
        }
        if (!get_i18n(c, &qp, "question", true, &k->question) ||
            !get_i18n(c, &qp, "explain", true, &k->explain))
            return false;
    }
    return true;
}
